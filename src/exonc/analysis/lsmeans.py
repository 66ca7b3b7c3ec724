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
    arms = labels[arm].astype(str)
    base = labels[arms == reference].drop(columns=arm)
    base_rows = rows[(arms == reference).to_numpy()]
    out_labels, out_rows = [], []
    for level in [a for a in dict.fromkeys(arms) if a != reference]:
        mask = (arms == level).to_numpy()
        part = labels[mask].drop(columns=arm).reset_index(drop=True)
        if not part.equals(base.reset_index(drop=True)):
            raise ValueError("reference grid is not balanced")  # pragma: no cover
        part.insert(0, "reference", reference)
        part.insert(0, arm, level)
        out_labels.append(part)
        out_rows.append(rows[mask] - base_rows)
    return pd.concat(out_labels, ignore_index=True), np.vstack(out_rows)


def estimate_rows(
    inference: Inference, labels: pd.DataFrame, rows: Array, alpha: float
) -> pd.DataFrame:
    """One estimate per row of *rows*, next to its *labels*."""
    values = pd.DataFrame(inference.estimates(rows, alpha), columns=list(ESTIMATE_FIELDS))
    return pd.concat([labels.reset_index(drop=True), values], axis=1)
