"""Analytical power, to check the simulations where exact or published formulas exist.

- :func:`t_test_power`: complete data at one visit — the two-sample t test (exact, by the
  noncentral t distribution), or ANCOVA on a baseline with correlation ``rho`` (residual
  SD ``sigma * sqrt(1 - rho**2)``, one df fewer).
- :func:`lu_power`: Lu, Luo & Chen (2008), *Sample size estimation for repeated measures
  analysis in randomized clinical trials with missing data*, Int J Biostat 4(1): art. 9.
  With monotone dropout and retention ``r_j`` (share observed at visit ``j``), the
  information about an arm's visit means per participant is
  ``I = sum_j (r_j - r_{j+1}) [Sigma_{1..j}]^-1`` (padded with zeros, ``r_{m+1} = 0``),
  and the variance of the arm's mean at visit ``k`` is ``[I^-1]_kk / n``. Power uses the
  normal approximation of the paper: ``Phi(|delta| / sqrt(V_1/n_1 + V_2/n_2) - z)``. The
  formula assumes MCAR and ignores the estimation of the covariance (and of the baseline
  slope, applied through the covariance given the baseline), so it is a check for large
  trials, not a substitute for the simulation.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from exonc.design.spec import TrialDesign

__all__ = ["lu_power", "lu_variance", "t_test_power"]

Array = NDArray[np.float64]


def t_test_power(
    effect: float,
    sd: float,
    n1: int,
    n2: int,
    *,
    alpha: float = 0.05,
    baseline_correlation: float = 0.0,
) -> float:
    """Two-sided power of the two-sample t test (ANCOVA if *baseline_correlation* != 0)."""
    adjusted = baseline_correlation != 0.0
    residual_sd = sd * math.sqrt(1.0 - baseline_correlation**2)
    df = n1 + n2 - 2 - (1 if adjusted else 0)
    ncp = effect / (residual_sd * math.sqrt(1.0 / n1 + 1.0 / n2))
    critical = stats.t.ppf(1.0 - alpha / 2.0, df)
    upper = stats.nct.sf(critical, df, ncp)
    lower = stats.nct.cdf(-critical, df, ncp)
    return float(upper + lower)


def lu_variance(covariance: Array, retention: Array, visit: int) -> float:
    """Per-participant variance of an arm's mean at *visit* (Lu, Luo & Chen 2008)."""
    m = covariance.shape[0]
    following = np.concatenate([retention[1:], [0.0]])
    information = np.zeros((m, m))
    for j in range(m):
        weight = float(retention[j] - following[j])
        if weight > 0:
            information[: j + 1, : j + 1] += weight * np.linalg.inv(covariance[: j + 1, : j + 1])
    return float(np.linalg.inv(information)[visit, visit])


def lu_power(design: TrialDesign, n_per_arm: int, outcome: int = 0) -> float:
    """Power of the contrast of *outcome* at the contrast visit by Lu, Luo & Chen (2008).

    Unadjusted for multiplicity: with several outcomes, compare it with the simulated
    power of that outcome at ``alpha`` (the Holm step it would pass first is
    ``alpha / outcomes``).
    """
    chosen = design.outcomes[outcome]
    retention = 1.0 - np.asarray(design.dropout)
    if retention[0] <= 0:
        return math.nan
    visit = design.contrast_index
    variance = lu_variance(chosen.residual_covariance, retention, visit)
    n1, n2 = design.arm_sizes(n_per_arm)
    se = math.sqrt(variance / n1 + variance / n2)
    z = stats.norm.ppf(1.0 - design.alpha / 2.0)
    delta = abs(chosen.effect[visit])
    return float(stats.norm.cdf(delta / se - z) + stats.norm.cdf(-delta / se - z))
