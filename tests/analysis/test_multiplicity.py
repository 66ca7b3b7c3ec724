"""Holm and Bonferroni adjustments (as R's p.adjust)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exonc.analysis.multiplicity import adjust_p_values
from exonc.errors import AnalysisInputError

P = [0.01, 0.04, 0.03, 0.005]


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        # Holm by hand: sorted 0.005*4 = 0.02, 0.01*3 = 0.03, 0.03*2 = 0.06, 0.04*1 -> 0.06
        ("holm", [0.03, 0.06, 0.06, 0.02]),
        ("bonferroni", [0.04, 0.16, 0.12, 0.02]),
        ("none", P),
    ],
)
def test_adjustments(method: str, expected: list[float]) -> None:
    np.testing.assert_allclose(adjust_p_values(P, method), expected)  # type: ignore[arg-type]


def test_missing_p_values_are_not_counted() -> None:
    adjusted = adjust_p_values([0.01, float("nan"), 0.02], "holm")
    np.testing.assert_allclose(adjusted, [0.02, np.nan, 0.02])


def test_capped_at_one() -> None:
    np.testing.assert_allclose(adjust_p_values([0.6, 0.7], "bonferroni"), [1.0, 1.0])


def test_unknown_method_and_bad_p() -> None:
    with pytest.raises(AnalysisInputError, match="unknown multiplicity method"):
        adjust_p_values([0.1], "hochberg")  # type: ignore[arg-type]
    with pytest.raises(AnalysisInputError, match="between 0 and 1"):
        adjust_p_values([1.5])


@given(st.lists(st.floats(0, 1), min_size=1, max_size=12))
def test_holm_lies_between_raw_and_bonferroni(p: list[float]) -> None:
    holm = adjust_p_values(p, "holm")
    assert np.all(holm >= np.asarray(p) - 1e-15)
    assert np.all(holm <= adjust_p_values(p, "bonferroni") + 1e-15)
