"""Incremental effects: OLS adjustment by hand, ICER, INMB and dominance."""

from __future__ import annotations

import numpy as np
import pytest

from exonc.economics import Dominance, adjusted_difference, classify_dominance, icer, inmb
from exonc.errors import EconomicsInputError


def test_adjusted_difference_by_hand() -> None:
    # y = 1 + 2·arm + 3·baseline exactly, plus residuals (+0.1, −0.1) in each arm that are
    # orthogonal to the design: the arm coefficient is exactly 2.
    baseline = np.array([0.0, 1.0, 0.0, 1.0])
    arm = np.array([True, True, False, False])
    y = 1 + 2 * arm + 3 * baseline + np.array([0.1, -0.1, -0.1, 0.1])
    fit = adjusted_difference(y, arm, baseline)
    assert fit.estimate == pytest.approx(2.0, abs=1e-12)
    assert fit.df == 1
    # residuals (−0.1, 0.1, 0.1, −0.1) after refitting? No: the residual vector r =
    # (0.1, −0.1, −0.1, 0.1) is orthogonal to 1, arm and baseline, so RSS = 0.04, σ² = 0.04,
    # (X'X)^{-1}[1,1] = 1 for this balanced design → SE = 0.2.
    assert fit.se == pytest.approx(0.2, rel=1e-12)


def test_adjusted_difference_needs_a_fittable_design() -> None:
    with pytest.raises(EconomicsInputError, match="cannot be fitted"):
        adjusted_difference(np.ones(4), np.array([True, True, False, False]), np.ones(4))


def test_icer_and_inmb() -> None:
    assert icer(1000.0, 0.05) == pytest.approx(20_000.0)
    assert np.isnan(icer(1000.0, 0.0))
    # INMB = k ΔE − ΔC: 20000 × 0.05 − 1000 = 0; 50000 × 0.05 − 1000 = 1500
    assert inmb(1000.0, 0.05, [20_000, 50_000]) == pytest.approx((0.0, 1500.0))


@pytest.mark.parametrize(
    ("delta_cost", "delta_effect", "expected"),
    [
        (-100.0, 0.01, Dominance.DOMINANT),
        (0.0, 0.01, Dominance.DOMINANT),
        (-100.0, 0.0, Dominance.DOMINANT),
        (100.0, -0.01, Dominance.DOMINATED),
        (100.0, 0.0, Dominance.DOMINATED),
        (100.0, 0.01, Dominance.MORE_COSTLY_MORE_EFFECTIVE),
        (-100.0, -0.01, Dominance.LESS_COSTLY_LESS_EFFECTIVE),
        (0.0, 0.0, Dominance.EQUIVALENT),
    ],
)
def test_dominance(delta_cost: float, delta_effect: float, expected: Dominance) -> None:
    assert classify_dominance(delta_cost, delta_effect) is expected
