"""MMRM speed: one fit with Kenward–Roger inference, 1,000 bootstrap refits, and MixedLM.

Data: the synthetic PREFERABLE-EFFECT trial (``exonc.synthetic.generate_trial``, default
seed): 357 participants, QLQ-C30 scored by ``exonc.questionnaires``, the summary score's
change from baseline at 3, 6 and 9 months with the trial's missing data, model
``change ~ arm * visit + baseline + line_of_treatment + centre + baseline:visit``
(the preferable-effect plan's primary model) with an unstructured covariance and
Kenward–Roger df. The peer is statsmodels' ``MixedLM`` (random intercept, REML) on the same
data and mean model — a poorer covariance model, fitted for comparison. Goals (issue 4):
one fit ≤ 20 ms; 1,000 subject-bootstrap refits ≤ 10 s on 2 cores; ≥ 10× faster than
MixedLM.
"""

from __future__ import annotations

import time
import warnings
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd

from benchmarks._report import best_of, machine, median_of, write_section
from exonc.analysis import MMRMResult, analysis_table, bootstrap_contrasts, fit_mmrm, shipped_plan
from exonc.questionnaires import score
from exonc.synthetic import DEFAULT_SEED, generate_trial

SEED = 2024
REPLICATES = 1_000
WORKERS = 2
GOALS = {"fit": 0.020, "bootstrap": 10.0, "ratio": 10.0}


def synthetic_trial() -> pd.DataFrame:
    """The plan's analysis table of the QLQ-C30 summary score on the synthetic trial."""
    trial = generate_trial()
    plan = shipped_plan("preferable-effect")
    scores = {"qlq-c30": score("qlq-c30", trial.tables["qlq_c30"])}
    people = trial.tables["participants"].astype({"participant_id": str})
    for column in plan.covariates:
        people[column] = people[column].astype(str)
    return analysis_table(plan, people, scores, plan.outcome("c30_summary"))


def fit_exonc(data: pd.DataFrame) -> MMRMResult:
    return fit_mmrm(
        data,
        outcome="change",
        subject="participant_id",
        visit="visit",
        arm="arm",
        reference="control",
        covariates=["baseline", "line_of_treatment", "centre"],
        covariates_by_visit=["baseline"],
        covariance="us",
        df="kenward-roger",
        visit_order=["m3", "m6", "m9"],
    )


def fit_statsmodels(data: pd.DataFrame) -> float:
    import statsmodels.formula.api as smf

    complete = data.dropna(subset=["change"])
    model = smf.mixedlm(
        "change ~ arm * visit + baseline + line_of_treatment + centre + baseline:visit",
        complete,
        groups=complete["participant_id"],
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = model.fit(reml=True)
    return float(result.params["arm[T.exercise]"])


def bootstrap(data: pd.DataFrame, fit: MMRMResult) -> float:
    start = time.perf_counter()
    with ProcessPoolExecutor(WORKERS) as pool:
        result = bootstrap_contrasts(
            fit,
            data,
            replicates=REPLICATES,
            rng=np.random.default_rng(SEED),
            chunks=WORKERS * 4,
            map_function=pool.map,
        )
    seconds = time.perf_counter() - start
    if result.n_failed:
        print(f"{result.n_failed} bootstrap refits failed")
    return seconds


def main() -> None:
    data = synthetic_trial()
    fit = fit_exonc(data)  # warm up
    fit_best = best_of(lambda: fit_exonc(data), repeat=20)
    fit_median = median_of(lambda: fit_exonc(data), repeat=20)
    boot_seconds = bootstrap(data, fit)
    fit_statsmodels(data)
    peer_seconds = best_of(lambda: fit_statsmodels(data), repeat=3)
    ratio = peer_seconds / fit_best
    met = {
        "fit": fit_best <= GOALS["fit"],
        "bootstrap": boot_seconds <= GOALS["bootstrap"],
        "ratio": ratio >= GOALS["ratio"],
    }
    m6 = fit.contrasts.set_index("visit").loc["m6"]
    fit_cell = f"{1000 * fit_best:.1f} ms ({1000 * fit_median:.1f} ms)"
    peer_cell = f"{1000 * peer_seconds:.0f} ms"
    details = (
        f"{fit.n_observations} observations, {len(fit.design.columns)} coefficients; "
        f"month-6 effect {m6['estimate']:.2f}, 95% CI {m6['ci_lower']:.2f} to "
        f"{m6['ci_upper']:.2f}"
    )
    boot_label = f"{REPLICATES:,} subject-bootstrap refits, {WORKERS} processes"
    body = f"""## Analysis: MMRM with Kenward–Roger, bootstrap, and statsmodels MixedLM

{machine()}

Command: `python -m benchmarks analysis`. The synthetic trial (`exonc synth`, seed
{DEFAULT_SEED}): 357 participants, QLQ-C30 summary score's change from baseline at m3/m6/m9
with the trial's missing data, the plan's primary model
`change ~ arm * visit + baseline + line + centre + baseline:visit`, unstructured
covariance, Kenward–Roger df ({details}). The whole `fit_mmrm` call is timed: data
checks, design, REML fit on mmrm's optimisation path, Kenward–Roger terms, LS means and
contrasts.

| Measurement | exonc | Goal | Met |
| --- | ---: | ---: | :---: |
| One fit with inference (best of 20; median) | {fit_cell} | ≤ 20 ms | {_yes(met["fit"])} |
| {boot_label} | {boot_seconds:.2f} s | ≤ 10 s | {_yes(met["bootstrap"])} |
| statsmodels `MixedLM` random intercept, REML (best of 3) | {peer_cell} | — | — |
| Ratio MixedLM / exonc (richer model) | {ratio:.0f}× | ≥ 10× | {_yes(met["ratio"])} |

For reference, issue 4 quotes R mmrm at ~106 ms per fit and ~63 s for the bootstrap on
this class of machine (not measured here: R is not installed).
"""
    write_section("analysis", body)
    print(body)


def _yes(value: bool) -> str:
    return "yes" if value else "no"
