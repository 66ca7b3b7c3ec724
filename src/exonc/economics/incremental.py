"""Incremental costs and effects of an intervention against a reference arm.

* Incremental cost ΔC = mean cost (intervention) − mean cost (reference).
* Unadjusted incremental QALYs ΔE = difference of the arm means.
* Baseline-adjusted incremental QALYs: the coefficient of the arm indicator in the OLS
  regression ``QALY ~ 1 + arm + baseline utility`` (Manca, Hawkins and Sculpher 2005), which
  removes the chance imbalance in baseline utility that the area under the curve carries.
* ICER = ΔC / ΔE (adjusted), undefined when |ΔE| ≤ 1e-12 QALYs (rounding noise of a
  zero difference); INMB(k) = k × ΔE − ΔC at willingness to pay *k*.
* Dominance: the intervention *dominates* when it costs no more and gives no fewer QALYs
  (one of them strictly), and is *dominated* in the opposite case.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from exonc.economics._columns import FloatArray
from exonc.errors import EconomicsInputError

__all__ = [
    "Dominance",
    "OlsEstimate",
    "adjusted_difference",
    "classify_dominance",
    "icer",
    "inmb",
]


class Dominance(enum.StrEnum):
    """Where the point (ΔE, ΔC) lies on the cost-effectiveness plane."""

    DOMINANT = "dominant"  # costs no more, at least as effective (one strictly)
    DOMINATED = "dominated"  # costs no less, at most as effective (one strictly)
    MORE_COSTLY_MORE_EFFECTIVE = "more costly, more effective"  # north-east
    LESS_COSTLY_LESS_EFFECTIVE = "less costly, less effective"  # south-west
    EQUIVALENT = "equivalent"  # ΔE = ΔC = 0


@dataclass(frozen=True)
class OlsEstimate:
    """One OLS coefficient with its classical standard error and residual df."""

    estimate: float
    se: float
    df: int


def adjusted_difference(
    outcome: FloatArray, treated: NDArray[np.bool_], baseline: FloatArray
) -> OlsEstimate:
    """Coefficient of *treated* in ``outcome ~ 1 + treated + baseline`` by OLS."""
    design = np.column_stack([np.ones(len(outcome)), treated.astype(np.float64), baseline])
    df = len(outcome) - design.shape[1]
    if df <= 0 or np.linalg.matrix_rank(design) < design.shape[1]:
        raise EconomicsInputError(
            "the baseline-adjusted regression cannot be fitted",
            hint="each arm needs patients and baseline utility must vary",
        )
    coef, *_ = np.linalg.lstsq(design, outcome, rcond=None)
    resid = outcome - design @ coef
    sigma2 = float(resid @ resid) / df
    cov = sigma2 * np.linalg.inv(design.T @ design)
    return OlsEstimate(float(coef[1]), float(np.sqrt(cov[1, 1])), df)


#: Incremental effects smaller than this (in QALYs) are rounding noise of a zero difference.
EFFECT_TOLERANCE = 1e-12


def icer(delta_cost: float, delta_effect: float) -> float:
    """ΔC / ΔE; NaN when ΔE is 0 within rounding (no finite ratio exists)."""
    return delta_cost / delta_effect if abs(delta_effect) > EFFECT_TOLERANCE else float("nan")


def inmb(delta_cost: float, delta_effect: float, wtp: Sequence[float]) -> tuple[float, ...]:
    """Incremental net monetary benefit k × ΔE − ΔC at each willingness to pay k."""
    return tuple(float(k) * delta_effect - delta_cost for k in wtp)


def classify_dominance(delta_cost: float, delta_effect: float) -> Dominance:
    """The quadrant of the cost-effectiveness plane, with dominance on its edges."""
    if abs(delta_effect) <= EFFECT_TOLERANCE:
        delta_effect = 0.0
    if delta_cost == 0 and delta_effect == 0:
        return Dominance.EQUIVALENT
    if delta_cost <= 0 and delta_effect >= 0:
        return Dominance.DOMINANT
    if delta_cost >= 0 and delta_effect <= 0:
        return Dominance.DOMINATED
    if delta_cost > 0:
        return Dominance.MORE_COSTLY_MORE_EFFECTIVE
    return Dominance.LESS_COSTLY_LESS_EFFECTIVE
