"""Intensity classes at the published cut-points."""

from __future__ import annotations

import math

import numpy as np
import pytest

from exonc.trackers import (
    CADENCE_CUT_POINTS,
    FREEDSON_1998,
    MET_CUT_POINTS,
    TROIANO_2008,
    CutPoints,
)


@pytest.mark.parametrize(
    ("cut_points", "value", "expected"),
    [
        # Tremblay 2017 (sedentary < 1.5 METs); Ainsworth 2011 (moderate 3, vigorous 6)
        (MET_CUT_POINTS, 1.49, 0),
        (MET_CUT_POINTS, 1.5, 1),
        (MET_CUT_POINTS, 2.99, 1),
        (MET_CUT_POINTS, 3.0, 2),
        (MET_CUT_POINTS, 5.99, 2),
        (MET_CUT_POINTS, 6.0, 3),
        # Tudor-Locke 2018: 100 steps/min ≈ moderate, 130 ≈ vigorous
        (CADENCE_CUT_POINTS, 0, 0),
        (CADENCE_CUT_POINTS, 1, 1),
        (CADENCE_CUT_POINTS, 99, 1),
        (CADENCE_CUT_POINTS, 100, 2),
        (CADENCE_CUT_POINTS, 129, 2),
        (CADENCE_CUT_POINTS, 130, 3),
        # Freedson 1998 (adults, vertical counts/min), sedentary < 100 (Matthews 2008)
        (FREEDSON_1998, 99, 0),
        (FREEDSON_1998, 100, 1),
        (FREEDSON_1998, 1951, 1),
        (FREEDSON_1998, 1952, 2),
        (FREEDSON_1998, 5724, 2),
        (FREEDSON_1998, 5725, 3),
        # Troiano 2008 (NHANES)
        (TROIANO_2008, 2019, 1),
        (TROIANO_2008, 2020, 2),
        (TROIANO_2008, 5998, 2),
        (TROIANO_2008, 5999, 3),
    ],
)
def test_classes_at_the_published_cut_points(
    cut_points: CutPoints, value: float, expected: int
) -> None:
    assert cut_points.classify(np.array([value]))[0] == expected


def test_a_missing_value_has_no_class() -> None:
    assert MET_CUT_POINTS.classify(np.array([math.nan])).tolist() == [-1]


def test_cut_points_must_increase() -> None:
    with pytest.raises(ValueError, match="light <= moderate <= vigorous"):
        CutPoints("bad", 10, 5, 20, "unit", "none")
