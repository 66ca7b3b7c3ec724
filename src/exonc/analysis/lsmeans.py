"""Least-squares means and treatment contrasts, following emmeans' conventions.

The LS mean of arm ``a`` at visit ``v`` is ``l' beta`` where ``l`` averages the design rows
of the reference grid over every level of the other factors with equal weights, numeric
covariates held at their mean over the analysed rows (emmeans' defaults, as mmrm's emmeans
support uses them). A treatment contrast at a visit is the difference of two LS means;
the overall effect averages the per-visit contrasts with equal weight per visit.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from exonc.analysis.design import Design
from exonc.analysis.inference import ESTIMATE_FIELDS, Inference

__all__ = ["contrast_rows", "estimate_rows", "lsmean_rows"]

Array = NDArray[np.float64]


def lsmean_rows(design: Design, by: Sequence[str]) -> tuple[pd.DataFrame, Array]:
    """Labels and contrast rows of the LS means for each combination of *by*."""
    return design.reference_grid(by)


def contrast_rows(
    design: Design, arm: str, reference: str, by: Sequence[str] = ()
) -> tuple[pd.DataFrame, Array]:
    """Each non-reference arm minus *reference*, within each combination of *by*."""
    labels, rows = design.reference_grid([arm, *by])
    arms = labels[arm].to_numpy(dtype=object)
    base = arms == reference
    columns: dict[str, list[object]] = {arm: [], "reference": [], **{b: [] for b in by}}
    differences = []
    for level in dict.fromkeys(arms):
        if level == reference:
            continue
        mask = arms == level
        differences.append(rows[mask] - rows[base])  # same order of the other factors
        columns[arm] += [level] * int(mask.sum())
        columns["reference"] += [reference] * int(mask.sum())
        for b in by:
            columns[b] += list(labels[b].to_numpy(dtype=object)[mask])
    return pd.DataFrame(columns), np.vstack(differences)


def estimate_rows(
    inference: Inference, labels: pd.DataFrame, rows: Array, alpha: float
) -> pd.DataFrame:
    """One estimate per row of *rows*, next to its *labels*."""
    values = inference.estimates(rows, alpha)
    columns = {name: labels[name].to_numpy() for name in labels.columns}
    return pd.DataFrame({**columns, **{name: values[name] for name in ESTIMATE_FIELDS}})
