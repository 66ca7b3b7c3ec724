"""Fitness test records validate themselves and keep date, tester and conditions."""

from __future__ import annotations

import datetime as dt

import pytest

from exonc.errors import ExerciseInputError
from exonc.exercise import (
    CardiopulmonaryTest,
    HandgripTest,
    MultipleRMTest,
    SingleLegStanceTest,
    SteepRampTest,
    TestContext,
    TimedUpAndGoTest,
    latest,
)
from tests.exercise.factories import ctx


def test_every_test_keeps_its_date_tester_and_conditions() -> None:
    context = TestContext(dt.date(2024, 1, 3), "J. Smit", "Lode Corival, 25 W per 10 s")
    test = SteepRampTest(context, 250.0)
    assert (test.context.date, test.context.tester) == (dt.date(2024, 1, 3), "J. Smit")
    assert test.context.conditions == "Lode Corival, 25 W per 10 s"


def test_a_blank_tester_is_refused() -> None:
    with pytest.raises(ExerciseInputError, match="tester must not be empty"):
        TestContext(dt.date(2024, 1, 3), "  ")


def test_a_test_dated_after_today_is_refused() -> None:
    with pytest.raises(ExerciseInputError, match=r"the test is dated after today \(2024-01-02\)"):
        ctx(dt.date(2024, 1, 3)).check_not_future(dt.date(2024, 1, 2))
    ctx(dt.date(2024, 1, 3)).check_not_future(dt.date(2024, 1, 3))  # same day is fine


def test_multiple_rm_test_gives_the_h1rm_of_its_formula() -> None:
    test = MultipleRMTest(ctx(), "leg_press", 60.0, 8)
    # Brzycki: 60 / (1.0278 − 0.0278 × 8) = 60 / 0.8054 = 74.4971
    assert test.h1rm_kg == pytest.approx(74.4971, abs=1e-3)


@pytest.mark.parametrize(("reps", "load"), [(12, 40.0), (1, 40.0), (8, 0.0), (8, 900.0)])
def test_multiple_rm_test_outside_the_valid_range_is_refused(reps: int, load: float) -> None:
    with pytest.raises(ExerciseInputError):
        MultipleRMTest(ctx(), "leg_press", load, reps)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: SteepRampTest(ctx(), 0.0), "msec_w must be more than 0"),
        (lambda: SteepRampTest(ctx(), 2000.0), "msec_w must be more than 0 and at most 1500"),
        (lambda: CardiopulmonaryTest(ctx(), -1.0), "wpeak_w must be more than 0"),
        (lambda: CardiopulmonaryTest(ctx(), 150.0, 0.0), "vo2peak_ml_min must be more than 0"),
        (lambda: HandgripTest(ctx(), "left", ()), "needs 1 to 6 trials"),
        (lambda: HandgripTest(ctx(), "up", (20.0,)), "side must be 'left' or 'right'"),
        (lambda: HandgripTest(ctx(), "left", (20.0, 200.0)), "at most 150 kg"),
        (lambda: SingleLegStanceTest(ctx(), "left", 31.0), "seconds must be a number from 0 to 30"),
        (lambda: TimedUpAndGoTest(ctx(), 0.0), "seconds must be more than 0"),
    ],
)
def test_impossible_test_values_are_refused(make: object, message: str) -> None:
    with pytest.raises(ExerciseInputError, match=message):
        make()  # type: ignore[operator]


def test_handgrip_best_and_mean() -> None:
    test = HandgripTest(ctx(), "right", (24.0, 26.0, 25.0))
    assert (test.best_kg, test.mean_kg) == (26.0, 25.0)


def test_single_leg_stance_reports_reaching_the_ceiling() -> None:
    assert SingleLegStanceTest(ctx(), "left", 30.0).reached_ceiling
    assert not SingleLegStanceTest(ctx(), "left", 12.5, eyes_open=False).reached_ceiling


def test_latest_picks_the_most_recent_test_on_or_before_the_date() -> None:
    early = SteepRampTest(ctx(dt.date(2024, 1, 3)), 200.0)
    later = SteepRampTest(ctx(dt.date(2024, 4, 1)), 230.0)
    other = CardiopulmonaryTest(ctx(dt.date(2024, 5, 1)), 150.0)
    tests = (later, early, other)
    assert latest(tests, SteepRampTest, dt.date(2024, 3, 31)) is early
    assert latest(tests, SteepRampTest, dt.date(2024, 4, 1)) is later
    assert latest(tests, SteepRampTest, dt.date(2024, 1, 2)) is None
    assert latest(tests, CardiopulmonaryTest, dt.date(2024, 6, 1)) is other
