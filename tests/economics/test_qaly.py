"""QALYs by area under the curve, by hand and as invariants."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exonc.economics import qaly_auc
from exonc.errors import EconomicsInputError

MONTHS = np.array([0.0, 3.0, 6.0, 9.0])


@pytest.mark.parametrize(
    ("utilities", "death", "expected"),
    [
        # constant 1 over 9 months: 9/12 = 0.75
        ([1.0, 1.0, 1.0, 1.0], np.nan, 0.75),
        # trapezoids: 3/12 × ((0.5+0.7)/2 + (0.7+0.9)/2 + (0.9+0.6)/2) = 0.25 × 2.15 = 0.5375
        ([0.5, 0.7, 0.9, 0.6], np.nan, 0.5375),
        # death at 4.5: 3/12 × (0.8+0.6)/2 + 1.5/12 × (0.6+0)/2 = 0.175 + 0.0375 = 0.2125
        ([0.8, 0.6, np.nan, np.nan], 4.5, 0.2125),
        # death exactly at month 6: line to 0 at 6; 0.175 + 3/12 × 0.3 = 0.25
        ([0.8, 0.6, np.nan, np.nan], 6.0, 0.25),
        # death after follow-up changes nothing
        ([0.5, 0.7, 0.9, 0.6], 12.0, 0.5375),
        # death at randomisation: no QALYs
        ([np.nan, np.nan, np.nan, np.nan], 0.0, 0.0),
        # negative utilities (worse than dead) subtract: 3/12 × (−0.1 − 0.2 + 0 + 0.1 + 0.1) / 2
        # = 0.25 × (−0.15 − 0.1 + 0.1) ... = 0.25 × ((−0.1−0.1)/2 + (−0.1+0.1)/2 + (0.1+0.1)/2) = 0
        ([-0.1, -0.1, 0.1, 0.1], np.nan, 0.0),
    ],
)
def test_hand_calculated_areas(utilities: list[float], death: float, expected: float) -> None:
    got = qaly_auc(np.array([utilities]), MONTHS, np.array([death]))
    assert got[0] == pytest.approx(expected, abs=1e-15)


def test_missing_utility_of_a_living_patient_is_an_error() -> None:
    with pytest.raises(EconomicsInputError, match="month 6 is missing"):
        qaly_auc(np.array([[0.5, 0.6, np.nan, 0.7]]), MONTHS)


def test_months_out_of_order_are_an_error() -> None:
    with pytest.raises(EconomicsInputError, match="out of order"):
        qaly_auc(np.array([[0.5, 0.6, 0.7]]), np.array([0.0, 6.0, 3.0]))


@given(
    st.lists(st.floats(-0.661, 1.0), min_size=4, max_size=4),
    st.floats(0.0, 1.0),
)
def test_area_is_linear_and_bounded(values: list[float], scale: float) -> None:
    u = np.array([values])
    area = qaly_auc(u, MONTHS)[0]
    assert qaly_auc(u * scale, MONTHS)[0] == pytest.approx(area * scale, abs=1e-12)
    assert min(values) * 0.75 - 1e-12 <= area <= max(values) * 0.75 + 1e-12


@given(st.floats(0.0, 9.0), st.lists(st.floats(0.0, 1.0), min_size=4, max_size=4))
def test_dying_never_adds_qalys_for_non_negative_utilities(
    death: float, values: list[float]
) -> None:
    u = np.array([values])
    dead = np.where(death <= MONTHS, np.nan, u)
    alive = qaly_auc(u, MONTHS)[0]
    assert qaly_auc(dead, MONTHS, np.array([death]))[0] <= alive + 1e-12
