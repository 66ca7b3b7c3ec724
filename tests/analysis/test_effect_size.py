"""Standardised effect size: difference over the pooled baseline SD."""

from __future__ import annotations

import math

import pytest

from exonc.analysis import Estimate
from exonc.analysis.effect_size import pooled_sd, standardised_effect
from exonc.errors import AnalysisInputError


def test_pooled_sd_by_hand() -> None:
    # arm a: variance 5/3 on 3 df (sum of squares 5); arm b: variance 4 on 2 df (8)
    # pooled variance (5 + 8) / (3 + 2) = 2.6
    assert pooled_sd({"a": [1, 2, 3, 4], "b": [2, 4, 6, float("nan")]}) == pytest.approx(
        math.sqrt(2.6)
    )


def test_effect_size_scales_estimate_and_limits() -> None:
    effect = standardised_effect(Estimate(-5.3, 2.4, 300.0, -10.0, -0.6, 0.03), 24.0)
    assert effect.effect_size == pytest.approx(-5.3 / 24)
    assert (effect.ci_lower, effect.ci_upper) == pytest.approx((-10 / 24, -0.6 / 24))


def test_constant_baseline_has_no_effect_size() -> None:
    with pytest.raises(AnalysisInputError, match="do not vary"):
        pooled_sd({"a": [3, 3], "b": [3]})
