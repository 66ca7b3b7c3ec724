"""Daily summaries: intensity minutes, wear, steps, valid day and goal, worked by hand."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from exonc.trackers import DAILY_COLUMNS, DailyRules, WearRule, daily_summary
from tests.trackers.builders import minutes

DAY = dt.datetime(2024, 1, 10, 8, 0)


def _day() -> pl.DataFrame:
    """30 min vigorous (150 steps/min), 30 min moderate (110), 60 idle, 600 light (20)."""
    return minutes(
        DAY,
        intensity=[3] * 30 + [2] * 30 + [0] * 60 + [1] * 600,
        steps=[150] * 30 + [110] * 30 + [0] * 60 + [20] * 600,
    )


def test_a_day_worked_by_hand() -> None:
    row = daily_summary(_day()).row(0, named=True)
    assert list(row) == list(DAILY_COLUMNS)
    # the 60 idle minutes form a 60-minute run: not worn
    assert row["wear_minutes"] == 30 + 30 + 600
    assert (row["sedentary_minutes"], row["light_minutes"]) == (0, 600)
    assert (row["moderate_minutes"], row["vigorous_minutes"]) == (30, 30)
    assert row["active_minutes"] == 60
    assert row["steps"] == 30 * 150 + 30 * 110 + 600 * 20  # 19,800
    assert row["valid_day"] is True  # 660 >= 600 worn minutes
    assert row["goal_met"] is True  # 60 >= 30 active minutes
    assert row["date"] == dt.date(2024, 1, 10)


@pytest.mark.parametrize(
    ("rules", "valid", "goal"),
    [
        (DailyRules(valid_day_minutes=661), False, True),
        (DailyRules(valid_day_minutes=660), True, True),
        (DailyRules(goal_minutes=61), True, False),
        (DailyRules(wear=WearRule("activity", 61)), True, True),
    ],
)
def test_valid_day_and_goal_thresholds(rules: DailyRules, valid: bool, goal: bool) -> None:
    row = daily_summary(_day(), rules).row(0, named=True)
    assert (row["valid_day"], row["goal_met"]) == (valid, goal)


def test_a_longer_non_wear_window_keeps_the_idle_hour_worn() -> None:
    row = daily_summary(_day(), DailyRules(wear=WearRule("activity", 61))).row(0, named=True)
    assert (row["wear_minutes"], row["sedentary_minutes"]) == (720, 60)


def test_classes_come_from_mets_when_a_source_has_no_intensity() -> None:
    frame = minutes(DAY, steps=[0, 0, 0]).with_columns(
        pl.Series("mets", [1.0, 4.5, 7.0], dtype=pl.Float32)
    )
    row = daily_summary(frame, DailyRules(wear=WearRule("activity", 60))).row(0, named=True)
    # 1.0 MET sedentary, 4.5 moderate, 7.0 vigorous (Ainsworth 2011)
    assert (row["sedentary_minutes"], row["moderate_minutes"], row["vigorous_minutes"]) == (1, 1, 1)


def test_classes_come_from_cadence_when_a_source_has_only_steps() -> None:
    row = daily_summary(minutes(DAY, steps=[0, 40, 105, 135])).row(0, named=True)
    # Tudor-Locke 2018: 0 sedentary, 40 light, 105 moderate, 135 vigorous
    counts = [row[f"{c}_minutes"] for c in ("sedentary", "light", "moderate", "vigorous")]
    assert counts == [1, 1, 1, 1]


def test_a_source_without_steps_leaves_steps_empty() -> None:
    assert daily_summary(minutes(DAY, intensity=[1, 1])).row(0, named=True)["steps"] is None


def test_days_follow_the_local_clock_and_clock_change_days_have_their_length() -> None:
    # every minute from 00:00 on 30 March to 23:59 on 31 March 2024 in Amsterdam; the
    # spring change skips 02:00-02:59 on the 31st, so that day has 1,380 minutes
    stamps = pl.datetime_range(
        dt.datetime(2024, 3, 29, 23, 0),
        dt.datetime(2024, 3, 31, 21, 59),
        "1m",
        time_zone="UTC",
        eager=True,
    )
    local = stamps.dt.convert_time_zone("Europe/Amsterdam")
    frame = pl.DataFrame(
        {
            "participant_id": "P1",
            "timestamp": local.dt.replace_time_zone(None),
            "utc_offset": (local.dt.base_utc_offset() + local.dt.dst_offset()).dt.total_minutes(),
            "steps": 1,
            "source": "csv",
        }
    ).cast({"utc_offset": pl.Int16, "steps": pl.Int16})
    days = daily_summary(frame, with_coverage=True)
    assert days["date"].to_list() == [dt.date(2024, 3, 30), dt.date(2024, 3, 31)]
    assert days["day_minutes"].to_list() == [1440, 1380]
    assert days["recorded_minutes"].to_list() == [1440, 1380]
    assert days["steps"].to_list() == [1440, 1380]


def test_daily_rules_are_checked() -> None:
    with pytest.raises(ValueError, match="valid_day_minutes"):
        DailyRules(valid_day_minutes=-1)
    with pytest.raises(ValueError, match="goal_minutes"):
        DailyRules(goal_minutes=-5)


def test_an_empty_frame_gives_an_empty_summary() -> None:
    assert daily_summary(_day().clear()).columns == list(DAILY_COLUMNS)
