"""Quality-adjusted life years by the area under the utility curve.

Utilities measured at months ``t_0 < t_1 < … < t_J`` are joined by straight lines and the
area under them is integrated over years (months / 12) by the trapezoidal rule:

    QALY = Σ_j (t_{j+1} − t_j) / 12 × (u_j + u_{j+1}) / 2

A patient who dies at month *d* within follow-up has utility 0 from *d* on: the line runs
from the last measurement before *d* to 0 at *d*, and the area after *d* is 0. Utilities
after death must be missing or 0. Missing utilities of living patients are not allowed
here: impute them first (:mod:`exonc.economics.imputation`) or drop the patient.
"""

from __future__ import annotations

import numpy as np

from exonc.economics._columns import FloatArray
from exonc.errors import EconomicsInputError

__all__ = ["after_death", "qaly_auc"]

MONTHS_PER_YEAR = 12.0


def after_death(months: FloatArray, death_months: FloatArray) -> np.ndarray:
    """Patients × months mask of measurement months at or after the patient's death."""
    with np.errstate(invalid="ignore"):
        return np.asarray(months[None, :] >= death_months[:, None])


def qaly_auc(
    utilities: FloatArray, months: FloatArray, death_months: FloatArray | None = None
) -> FloatArray:
    """QALYs per patient over the measurement months (see the module docstring).

    *utilities* is patients × months; *death_months* (NaN = alive) is optional.
    """
    months = np.asarray(months, dtype=np.float64)
    if np.any(np.diff(months) <= 0):
        raise EconomicsInputError(
            "months out of order", hint="give measurement months in strictly increasing order"
        )
    deaths = (
        np.full(utilities.shape[0], np.nan)
        if death_months is None
        else np.asarray(death_months, dtype=np.float64)
    )
    dead = after_death(months, deaths)
    values = np.where(dead, 0.0, utilities)
    if np.isnan(values).any():
        row, col = np.argwhere(np.isnan(values))[0]
        raise EconomicsInputError(
            f"utility at month {months[col]:g} is missing",
            row=int(row) + 1,
            hint="impute missing utilities or drop incomplete patients before the QALYs",
        )
    widths = np.diff(months) / MONTHS_PER_YEAR
    qalys = (values[:, :-1] + values[:, 1:]) / 2.0 @ widths
    dying = np.flatnonzero((deaths > months[0]) & (deaths < months[-1]))
    for i in dying:
        qalys[i] = _qaly_until_death(values[i], months, float(deaths[i]))
    return np.asarray(qalys, dtype=np.float64)


def _qaly_until_death(values: FloatArray, months: FloatArray, death: float) -> float:
    """Area under the line through the measurements before *death* and 0 at *death*."""
    alive = months < death
    times = np.append(months[alive], death) / MONTHS_PER_YEAR
    points = np.append(values[alive], 0.0)
    return float(np.sum(np.diff(times) * (points[:-1] + points[1:]) / 2.0))
