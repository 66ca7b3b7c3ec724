"""Descriptive statistics of each plan outcome: per visit and arm, the observed change
from baseline (or value) — n, mean, SD and a normal 95 % CI of the mean — from the same
analysis table the plan's mixed model is fitted on (``exonc.analysis.runner``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from exonc.analysis.plan import AnalysisPlan
from exonc.analysis.runner import CHANGE, analysis_table

__all__ = ["observed_changes"]

Z95 = 1.959963984540054


def observed_changes(
    plan: AnalysisPlan,
    participants: pd.DataFrame,
    scores: Mapping[str, pd.DataFrame],
    arms: Sequence[str],
) -> pd.DataFrame:
    """Columns ``outcome``, ``visit``, ``arm``, ``n``, ``mean``, ``sd``, ``ci_lower``,
    ``ci_upper`` for every outcome of *plan* and follow-up visit, and the set of subjects
    with a baseline and a follow-up value of the first outcome (``attrs['analysed']``)."""
    people = participants[[plan.subject, plan.arm]].astype(str)
    rows = []
    analysed: list[str] = []
    for outcome in plan.outcomes:
        long = analysis_table(plan, people, scores, outcome)
        long = long[long[CHANGE].notna()]
        if outcome == (plan.primaries or plan.outcomes)[0]:
            analysed = sorted(set(long[plan.subject]))
        for visit in plan.visits:
            for arm in arms:
                values = long.loc[(long[plan.visit] == visit) & (long[plan.arm] == arm), CHANGE]
                n = len(values)
                mean = float(values.mean()) if n else np.nan
                sd = float(values.std(ddof=1)) if n > 1 else np.nan
                half = Z95 * sd / np.sqrt(n) if n > 1 else np.nan
                rows.append((outcome.name, visit, arm, n, mean, sd, mean - half, mean + half))
    columns = ["outcome", "visit", "arm", "n", "mean", "sd", "ci_lower", "ci_upper"]
    frame = pd.DataFrame(rows, columns=columns)
    frame.attrs["analysed"] = analysed
    return frame
