"""Covariance matrices for a design: from SDs and correlations, or from a pilot data set.

- ``"cs"`` (compound symmetry): every pair of visits has correlation ``r``;
- ``"ar1"``: visits ``k`` apart have correlation ``r**k``;
- ``"us"`` (unstructured): a full correlation matrix, or one number used for every pair.

:func:`pilot_covariance` estimates the matrix (and the share of participants missing at
each visit) from a pilot or locked data set with exonc's MMRM, so that the next trial is
planned from the variability actually seen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from exonc.analysis.mmrm import fit_mmrm
from exonc.errors import DesignInputError

__all__ = ["STRUCTURES", "PilotEstimate", "covariance_matrix", "pilot_covariance"]

Array = NDArray[np.float64]
Structure = Literal["us", "cs", "ar1"]
STRUCTURES: tuple[str, ...] = get_args(Structure)


def covariance_matrix(
    structure: str,
    sd: float | Sequence[float],
    correlation: float | Sequence[Sequence[float]],
    visits: int,
) -> Array:
    """The covariance over *visits* visits from SDs (one, or one per visit) and correlations."""
    sds = np.broadcast_to(np.asarray(sd, dtype=float), (visits,)) if _scalar(sd) else None
    if sds is None:
        sds = np.asarray(sd, dtype=float)
        if sds.shape != (visits,):
            raise DesignInputError(
                f"has {sds.size} values for {visits} visits", key="sd", hint="one SD per visit"
            )
    if not np.all(np.isfinite(sds)) or np.any(sds <= 0):
        raise DesignInputError("must be positive numbers", key="sd", value=sds.tolist())
    corr = _correlation(structure, correlation, visits)
    return np.asarray(corr * np.outer(sds, sds), dtype=float)


def _scalar(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _correlation(
    structure: str, correlation: float | Sequence[Sequence[float]], visits: int
) -> Array:
    if structure not in STRUCTURES:
        raise DesignInputError(
            "unknown covariance structure",
            key="structure",
            value=structure,
            hint=f"use one of {', '.join(STRUCTURES)}",
        )
    if not _scalar(correlation):
        if structure != "us":
            raise DesignInputError(
                f"a {structure} structure takes one correlation", key="correlation"
            )
        matrix = np.asarray(correlation, dtype=float)
        if matrix.shape != (visits, visits) or not np.allclose(np.diag(matrix), 1.0):
            raise DesignInputError(
                f"must be a {visits} x {visits} correlation matrix with ones on the diagonal",
                key="correlation",
            )
        return matrix
    r = float(correlation)  # type: ignore[arg-type]
    if not -1 < r < 1:
        raise DesignInputError("must lie strictly between -1 and 1", key="correlation", value=r)
    lags = np.abs(np.subtract.outer(np.arange(visits), np.arange(visits)))
    if structure == "ar1":
        return np.asarray(r**lags, dtype=float)
    return np.where(lags == 0, 1.0, r)


@dataclass(frozen=True, eq=False)
class PilotEstimate:
    """The covariance estimated from pilot data, and the share missing at each visit."""

    visits: tuple[str, ...]
    covariance: Array
    missing: tuple[float, ...]
    n_subjects: int


def pilot_covariance(
    data: pd.DataFrame,
    *,
    subject: str,
    visit: str,
    outcome: str,
    arm: str | None = None,
    covariates: Sequence[str] = (),
    visits: Sequence[str] | None = None,
) -> PilotEstimate:
    """Estimate the unstructured covariance of *outcome* over visits from a long table.

    The model is the analysis model (``outcome ~ arm * visit + covariates``, REML), so the
    matrix is the residual covariance the next trial's analysis will face. ``missing``
    is the share of subjects without an observed outcome at each visit (cumulative
    dropout when missingness is monotone).
    """
    result = fit_mmrm(
        data,
        subject=subject,
        visit=visit,
        outcome=outcome,
        arm=arm,
        covariates=covariates,
        covariance="us",
        visit_order=visits,
    )
    observed = data.dropna(subset=[outcome])
    subjects = data[subject].nunique()
    seen = observed.groupby(observed[visit].astype(str))[subject].nunique()
    missing = tuple(1.0 - float(seen.get(v, 0)) / subjects for v in result.visits)
    return PilotEstimate(result.visits, result.covariance, missing, int(subjects))
