"""The wear rules: heart rate present, or outside long runs without activity."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exonc.trackers import DailyRules, WearRule, to_grid
from exonc.trackers.daily import classify_minutes
from exonc.trackers.wear import long_runs, wear_mask
from tests.trackers.builders import minutes

START = dt.datetime(2024, 1, 10, 8, 0)


def _worn(frame: pl.DataFrame, rule: WearRule) -> list[bool]:
    grid = to_grid(frame)
    return wear_mask(grid, classify_minutes(grid, DailyRules()), rule).tolist()


@pytest.mark.parametrize(("idle", "worn"), [(59, True), (60, False)])
def test_an_idle_run_of_the_window_length_is_not_worn(idle: int, worn: bool) -> None:
    # one step, `idle` minutes without a step, one step (Troiano 2008: 60-minute window)
    frame = minutes(START, steps=[5, *([0] * idle), 5])
    assert _worn(frame, WearRule("activity")) == [True, *([worn] * idle), True]


def test_missing_minutes_extend_an_idle_run_but_are_never_worn() -> None:
    # 30 idle minutes, a 40-minute gap, 30 idle minutes: one 100-minute run
    frame = pl.concat(
        [
            minutes(START, steps=[0] * 30),
            minutes(START + dt.timedelta(minutes=70), steps=[0] * 30),
        ]
    )
    grid = to_grid(frame)
    worn = wear_mask(grid, classify_minutes(grid, DailyRules()), WearRule("activity"))
    assert not worn.any()


def test_with_heart_rate_a_minute_is_worn_when_it_has_a_reading_or_activity() -> None:
    frame = minutes(START, heart_rate=[70.0, None, None], steps=[0, 0, 12])
    assert _worn(frame, WearRule("heart-rate")) == [True, False, True]


def test_auto_uses_heart_rate_only_on_days_that_have_it() -> None:
    # day 1 has heart rate on 10 of 100 idle minutes; day 2 has none: 100 idle minutes
    # (a long run, not worn) ending in one step
    day_one = minutes(START, heart_rate=[70.0] * 10 + [None] * 90, steps=[0] * 100)
    day_two = minutes(START + dt.timedelta(days=1), steps=[0] * 100 + [9])
    worn = _worn(pl.concat([day_one, day_two]), WearRule())
    assert sum(worn[:100]) == 10
    assert sum(worn[-101:]) == 1


def test_wear_rule_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="wear method"):
        WearRule("sometimes")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least 1"):
        WearRule("activity", 0)


@given(
    mask=st.lists(st.booleans(), max_size=200),
    length=st.integers(1, 10),
)
def test_long_runs_match_a_plain_loop(mask: list[bool], length: int) -> None:
    expected = [False] * len(mask)
    start = None
    for index, value in enumerate([*mask, False]):
        if value and start is None:
            start = index
        if not value and start is not None:
            if index - start >= length:
                expected[start:index] = [True] * (index - start)
            start = None
    assert long_runs(np.array(mask, dtype=bool), length).tolist() == expected
