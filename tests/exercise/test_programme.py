"""Programme value objects: intensities and the monthly alternation."""

from __future__ import annotations

import pytest

from exonc.exercise import Intensity, Reference, ResistanceBlock, ResistanceScheme


def test_an_intensity_is_a_fraction_of_its_reference_or_fixed_watts() -> None:
    wpeak = Intensity(Reference.WPEAK, 0.5, 0.6)
    assert wpeak.watts(160.0, 250.0) == pytest.approx((80.0, 96.0))
    assert wpeak.watts(None, 250.0) is None
    assert Intensity(Reference.MSEC, 0.65, 0.65).watts(None, 250.0) == pytest.approx((162.5, 162.5))
    assert Intensity(None, 30.0, 30.0).watts(None, None) == (30.0, 30.0)
    assert wpeak.describe() == "50–60 % WPEAK"
    assert Intensity(None, 30.0, 30.0).describe() == "30 W"


def test_schemes_take_turns_every_alternation_period() -> None:
    a = ResistanceScheme("a", (10, 12), (70.0, 75.0))
    b = ResistanceScheme("b", (6, 8), (80.0, 85.0))
    c = ResistanceScheme("c", (15, 20), (50.0, 60.0))
    block = ResistanceBlock(3, ("leg_press",), (a, b, c), 2, 35)
    assert [block.scheme_for_week(w).name for w in range(1, 9)] == list("aabbccaa")
