"""Planning the next trial from a locked dataset: a design estimated from the lock, and
simulated power over a range of sample sizes.

:func:`lock_design` takes one outcome of the analysis plan, builds the plan's analysis
table (change from baseline at each follow-up visit) for every randomised participant,
and estimates with :func:`exonc.design.pilot_covariance` the residual covariance of the
change over visits (REML, unstructured, adjusted for arm and baseline) and the share
missing at each visit (made cumulative: dropout never decreases). The simulated trial has
that covariance, MCAR dropout, no control-arm change (it does not affect power under
MCAR), and an effect growing linearly to *effect* at the last visit, where the contrast is
tested. :func:`power_curve` runs :func:`exonc.design.simulate_power` at each n per arm
with the same seed — common random numbers, so the curve's steps reflect n rather than
new noise. Method: ``docs/methods/power.md``; the platform page:
``docs/concepts/reports.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from exonc.analysis.plan import AnalysisPlan, PlanOutcome
from exonc.analysis.runner import BASELINE, CHANGE, analysis_table
from exonc.design import OutcomeDesign, PowerResult, TrialDesign, pilot_covariance, simulate_power
from exonc.errors import DesignInputError, ExoncError
from exonc.reports.data import TrialTables, scored

__all__ = ["curve_document", "lock_design", "plan_outcomes", "power_curve"]


def plan_outcomes(plan: AnalysisPlan, trial: TrialTables) -> list[PlanOutcome]:
    """The plan's outcomes whose scale is in the lock's questionnaire table, or can be
    scored from its item answers (a lock keeps the answers; ``read_folder`` reads them)."""
    columns: dict[str, set[str]] = {}
    for instrument, name in plan.instrument_tables.items():
        table = trial.get(name.removesuffix(".csv"))
        if table is None:
            continue
        scales = [o.scale for o in plan.outcomes if o.instrument == instrument]
        try:
            columns[instrument] = set(scored(instrument, table, scales).columns)
        except ExoncError:
            columns[instrument] = set(table.columns)
    return [o for o in plan.outcomes if o.scale in columns.get(o.instrument, set())]


def _outcome(plan: AnalysisPlan, name: str) -> PlanOutcome:
    for outcome in plan.outcomes:
        if outcome.name == name:
            return outcome
    raise DesignInputError("is not an outcome of the analysis plan", key="outcome", value=name)


def lock_design(
    trial: TrialTables,
    plan: AnalysisPlan,
    outcome_name: str,
    *,
    effect: float,
    alpha: float = 0.05,
) -> TrialDesign:
    """The design of the next trial estimated from *trial* for one outcome of *plan*."""
    outcome = _outcome(plan, outcome_name)
    table = trial[plan.instrument_tables[outcome.instrument].removesuffix(".csv")]
    scores = {outcome.instrument: scored(outcome.instrument, table, [outcome.scale])}
    people = trial["participants"][[plan.subject, plan.arm]].astype(str)
    long = analysis_table(plan, people, scores, outcome)
    long = long[long[plan.visit].isin(plan.visits)]
    grid = pd.MultiIndex.from_product(
        [people[plan.subject], list(plan.visits)], names=[plan.subject, plan.visit]
    ).to_frame(index=False)
    columns = [plan.subject, plan.visit, CHANGE, BASELINE]
    data = grid.merge(long[columns], on=[plan.subject, plan.visit], how="left")
    data = data.merge(people, on=plan.subject, how="left")
    data[CHANGE] = pd.to_numeric(data[CHANGE], errors="coerce")
    data[BASELINE] = data.groupby(plan.subject)[BASELINE].transform("first")
    data[BASELINE] = pd.to_numeric(data[BASELINE], errors="coerce")
    estimate = pilot_covariance(
        data,
        subject=plan.subject,
        visit=plan.visit,
        outcome=CHANGE,
        arm=plan.arm,
        covariates=[BASELINE],
        visits=list(plan.visits),
    )
    dropout = np.minimum(np.maximum.accumulate(np.asarray(estimate.missing)), 0.95)
    m = len(estimate.visits)
    effects = tuple(float(effect) * (k + 1) / m for k in range(m))
    arms = sorted({str(a) for a in people[plan.arm]} - {plan.reference}) or ["treatment"]
    return TrialDesign(
        visits=tuple(estimate.visits),
        outcomes=(OutcomeDesign(outcome.name, effects, estimate.covariance),),
        arms=(plan.reference, arms[0]),
        dropout=tuple(float(d) for d in dropout),
        alpha=alpha,
        name=f"{plan.name}-{outcome.name}",
        title=outcome.label,
        notes=(f"estimated from {estimate.n_subjects} participants of the locked dataset",),
    )


def power_curve(
    design: TrialDesign,
    ns: Sequence[int],
    *,
    sims: int,
    seed: int,
    progress: Callable[[int, int], None] | None = None,
) -> list[PowerResult]:
    """Simulated power at each n per arm (serial, same seed for every n)."""
    found = []
    for i, n in enumerate(ns):
        found.append(simulate_power(design, n, sims=sims, seed=seed))
        if progress is not None:
            progress(i + 1, len(ns))
    return found


def curve_document(
    design: TrialDesign, results: Sequence[PowerResult], participants: int | None = None
) -> dict[str, Any]:
    """The JSON document of a power curve: the design (and how many *participants* it was
    estimated from), and n → power, MC SE, failed fits."""
    outcome = design.outcomes[0]
    sd = np.sqrt(np.diag(outcome.covariance))
    correlation = outcome.covariance / np.outer(sd, sd)
    first = results[0] if results else None
    return {
        "design": design.describe(),
        "estimated": {
            "visits": list(design.visits),
            "sd": sd.tolist(),
            "correlation": correlation.tolist(),
            "dropout": list(design.dropout),
            "participants": participants,
        },
        "sims": first.sims if first else 0,
        "seed": first.seed if first else None,
        "curve": [
            {
                "n_per_arm": r.n_per_arm,
                "arm_sizes": list(r.arm_sizes),
                "power": r.power,
                "mc_se": r.mc_se,
                "failed": r.failed,
                "analytical": r.analytical[0] if r.analytical else None,
            }
            for r in results
        ],
    }
