"""Big jumps between fitness tests ask for confirmation (issue #11's examples: h1RM −70 %,
MSEC +64 %). Expected changes are computed by hand from the values in each row."""

from __future__ import annotations

import datetime as dt

import pytest

from exonc import exercise as ex
from exonc.exercise.plausibility import jump

MARCH, JUNE = dt.date(2026, 3, 2), dt.date(2026, 6, 1)


def _ramp(day: dt.date, watts: float) -> ex.SteepRampTest:
    return ex.SteepRampTest(ex.TestContext(day, "Anna"), msec_w=watts)


def _rm(day: dt.date, load: float, reps: int, machine: str = "leg_press") -> ex.MultipleRMTest:
    return ex.MultipleRMTest(ex.TestContext(day, "Anna"), exercise=machine, load_kg=load, reps=reps)


@pytest.mark.parametrize(
    ("before", "after", "change"),
    [
        (250.0, 410.0, 0.64),  # MSEC +64 %
        (250.0, 170.0, -0.32),
    ],
)
def test_msec_jumps_beyond_the_limits(before: float, after: float, change: float) -> None:
    found = jump(_ramp(JUNE, after), [_ramp(MARCH, before)])
    assert found is not None
    assert found.change == pytest.approx(change)
    assert "since the test of 2026-03-02" in found.message
    assert f"{before:g} W → {after:g} W" in found.message


@pytest.mark.parametrize(("before", "after"), [(250.0, 370.0), (250.0, 180.0), (250.0, 250.0)])
def test_msec_changes_within_the_limits_pass(before: float, after: float) -> None:
    assert jump(_ramp(JUNE, after), [_ramp(MARCH, before)]) is None


def test_h1rm_falling_by_70_percent_asks() -> None:
    # same reps, load 80 kg -> 24 kg: h1RM scales with the load, so the change is -70 %
    found = jump(_rm(JUNE, 24, 8), [_rm(MARCH, 80, 8)])
    assert found is not None
    assert found.change == pytest.approx(-0.70)
    assert found.label == "h1RM (leg_press)"
    assert "fell by 70%" in found.message


def test_only_comparable_tests_are_compared() -> None:
    assert jump(_rm(JUNE, 24, 8), [_rm(MARCH, 80, 8, machine="chest_press")]) is None
    assert jump(_rm(JUNE, 24, 8), [_ramp(MARCH, 250)]) is None
    assert jump(_rm(JUNE, 24, 8), []) is None
    assert jump(_rm(MARCH, 24, 8), [_rm(JUNE, 80, 8)]) is None  # the other test is later


def test_the_latest_earlier_test_is_the_reference() -> None:
    earlier = [_ramp(dt.date(2026, 1, 5), 150), _ramp(MARCH, 250)]
    assert jump(_ramp(JUNE, 260), earlier) is None  # +4 % from March, not +73 % from January
