"""Is the synthetic trial's generator unbiased? Across 50 seeds, each QLQ-C30 and QLQ-FA12
scale's estimated month-6 effect (the analysis plan's MMRM: change from baseline, adjusted
for baseline, line of treatment and centre) averages within 0.5 SE of the effect the
generator builds in (``truth.json``), where SE is the mean model SE of one trial.

This answers issue 13's question about seed 21 (emotional functioning −5.0 against a true
+0.8, diarrhoea −8.6 against −3.2): if the averages sit on the truth, a single seed's
departure is sampling noise, not the generator. Run it alone (about 20 minutes on the
shared 2-core machine): ``pytest -m slow tests/synthetic/test_effects_across_seeds.py``;
``EXONC_SEEDS`` sets how many seeds (default 50). Measured: docs/concepts/synthetic.md.
"""

from __future__ import annotations

import os
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest

from exonc.analysis.plan import parse_plan
from exonc.analysis.runner import run_plan
from exonc.errors import ConvergenceWarning
from exonc.questionnaires import score
from exonc.synthetic import generate_trial

C30 = ("QL", "PF", "RF", "EF", "CF", "SF", "FA", "NV", "PA", "DY", "SL", "AP", "CO", "DI", "FI")
FA12 = ("PHYSICAL", "EMOTIONAL", "COGNITIVE", "INTERFERENCE", "SOCIAL")
SEEDS = int(os.environ.get("EXONC_SEEDS", "50"))
M6 = 1  # truth.json's visits are m3, m6, m9


def _plan() -> Any:
    outcomes = "".join(
        f'[[outcomes]]\nname = "{code}"\ninstrument = "{instrument}"\nscale = "{code}"\n'
        + ('role = "primary"\n' if code == "C30_SUMMARY" else "")
        for instrument, codes in (("qlq-c30", (*C30, "C30_SUMMARY")), ("qlq-fa12", FA12))
        for code in codes
    )
    text = f"""
name = "scales"
title = "Every scale at month 6"
[data]
participants = "participants.csv"
subject = "participant_id"
arm = "arm"
reference = "control"
visit = "visit"
baseline = "baseline"
visits = ["m3", "m6", "m9"]
[data.instruments]
"qlq-c30" = "qlq_c30.csv"
"qlq-fa12" = "qlq_fa12.csv"
[model]
covariates = ["line_of_treatment", "centre"]
df = "satterthwaite"
[primary]
visit = "m6"
{outcomes}
"""
    return parse_plan(text, source="scales")


def month6_effects(seed: int) -> pd.DataFrame:
    """Per scale: the estimated month-6 effect, its SE, and the generator's true effect."""
    trial = generate_trial(seed=seed)
    scores = {
        "qlq-c30": score("qlq-c30", trial.tables["qlq_c30"]),
        "qlq-fa12": score("qlq-fa12", trial.tables["qlq_fa12"]),
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        result = run_plan(
            _plan(), trial.tables["participants"], scores, rng=np.random.default_rng(0)
        )
    at = result.effects[result.effects["visit"] == "m6"]
    truth = trial.truth["effects"] | {"C30_SUMMARY": trial.truth["C30_SUMMARY"]}
    return pd.DataFrame(
        {
            "seed": seed,
            "scale": at["outcome"].to_numpy(),
            "estimate": at["estimate"].to_numpy(),
            "se": at["se"].to_numpy(),
            "true": [truth[s][M6] for s in at["outcome"]],
        }
    )


@pytest.mark.slow
def test_every_scale_averages_its_true_month6_effect() -> None:
    found = pd.concat([month6_effects(seed) for seed in range(1, SEEDS + 1)])
    summary = found.groupby("scale").agg(
        mean=("estimate", "mean"), se=("se", "mean"), true=("true", "first")
    )
    summary["bias_in_se"] = (summary["mean"] - summary["true"]) / summary["se"]
    off = summary[summary["bias_in_se"].abs() > 0.5]
    assert off.empty, off.to_string()


if __name__ == "__main__":  # python -m tests.synthetic.test_effects_across_seeds: the table
    import sys

    seeds = range(1, SEEDS + 1)
    rows = []
    for seed in seeds:
        rows.append(month6_effects(seed))
        print(f"seed {seed} done", file=sys.stderr, flush=True)
    found = pd.concat(rows)
    found.to_csv(sys.argv[1] if len(sys.argv) > 1 else "effects_by_seed.csv", index=False)
    summary = found.groupby("scale").agg(
        mean=("estimate", "mean"), sd=("estimate", "std"), se=("se", "mean"), true=("true", "first")
    )
    summary["bias_in_se"] = (summary["mean"] - summary["true"]) / summary["se"]
    print(summary.round(3).to_string())
