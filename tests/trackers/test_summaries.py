"""Weekly and per-visit-window summaries and adherence, on hand-made daily tables."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from exonc.errors import InputError
from exonc.trackers import DAILY_SCHEMA, goal_adherence, visit_window_summary, weekly_summary


def _daily(rows: list[tuple[str, dt.date, int, int, bool, bool]]) -> pl.DataFrame:
    """(participant, date, wear, active, valid, goal) → a daily table."""
    return pl.DataFrame(
        [
            {
                "participant_id": p,
                "date": d,
                "wear_minutes": w,
                "sedentary_minutes": 0,
                "light_minutes": 0,
                "moderate_minutes": a,
                "vigorous_minutes": 0,
                "active_minutes": a,
                "steps": 1000,
                "valid_day": v,
                "goal_met": g,
            }
            for p, d, w, a, v, g in rows
        ],
        schema=DAILY_SCHEMA,
    )


WEEK = _daily(
    [
        ("P1", dt.date(2024, 1, 8), 700, 40, True, True),  # Monday
        ("P1", dt.date(2024, 1, 9), 700, 10, True, False),
        ("P1", dt.date(2024, 1, 10), 200, 35, False, True),  # goal met, but not valid
        ("P1", dt.date(2024, 1, 14), 650, 30, True, True),  # Sunday, same week
        ("P1", dt.date(2024, 1, 15), 640, 0, True, False),  # next Monday
    ]
)


def test_weekly_counts_and_adherence() -> None:
    weeks = weekly_summary(WEEK)
    first = weeks.row(0, named=True)
    assert first["week_start"] == dt.date(2024, 1, 8)
    assert (first["days_recorded"], first["valid_days"], first["goal_days"]) == (4, 3, 2)
    assert first["adherence"] == pytest.approx(2 / 3)
    assert first["active_minutes_mean"] == pytest.approx((40 + 10 + 30) / 3)
    second = weeks.row(1, named=True)
    assert (second["week_start"], second["valid_days"], second["adherence"]) == (
        dt.date(2024, 1, 15),
        1,
        0.0,
    )


def test_adherence_is_empty_without_valid_days() -> None:
    frame = goal_adherence(_daily([("P2", dt.date(2024, 1, 8), 100, 50, False, True)]))
    assert frame.row(0, named=True)["adherence"] is None


RANDOMISED = pl.DataFrame(
    {"participant_id": ["P1", "P9"], "randomisation_date": ["2024-01-31", "2024-02-01"]}
)


def test_visit_windows_follow_calendar_months_from_randomisation() -> None:
    daily = _daily(
        [
            ("P1", dt.date(2024, 1, 16), 700, 40, True, True),  # 15 days before: outside
            ("P1", dt.date(2024, 1, 17), 700, 40, True, True),  # 14 days before: baseline
            ("P1", dt.date(2024, 1, 30), 700, 0, True, False),  # baseline
            ("P1", dt.date(2024, 1, 31), 700, 40, True, True),  # randomisation day: 0-3
            ("P1", dt.date(2024, 4, 29), 700, 40, True, True),  # 0-3 months
            ("P1", dt.date(2024, 4, 30), 700, 40, True, True),  # 31 Jan + 3 months: 3-6
        ]
    )
    windows = visit_window_summary(daily, RANDOMISED)
    p1 = windows.filter(pl.col("participant_id") == "P1")
    assert p1["window"].to_list() == ["baseline", "0-3 months", "3-6 months", "6-9 months"]
    assert p1["window_start"].to_list()[:3] == [
        dt.date(2024, 1, 17),
        dt.date(2024, 1, 31),
        dt.date(2024, 4, 30),
    ]
    assert p1["valid_days"].to_list() == [2, 2, 1, 0]
    assert p1["adherence"].to_list() == [0.5, 1.0, 1.0, None]
    # a randomised participant without any tracker data still has four windows
    assert windows.filter(pl.col("participant_id") == "P9")["days_recorded"].to_list() == [0] * 4


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (pl.DataFrame({"participant_id": ["P1"]}), "missing column randomisation_date"),
        (
            pl.DataFrame({"participant_id": ["P1"], "randomisation_date": ["31/01/2024"]}),
            "not a date",
        ),
        (
            pl.DataFrame(
                {"participant_id": ["P1", "P1"], "randomisation_date": ["2024-01-31"] * 2}
            ),
            "randomised twice",
        ),
    ],
)
def test_a_bad_randomisation_table_is_a_one_line_error(table: pl.DataFrame, message: str) -> None:
    with pytest.raises(InputError, match=message):
        visit_window_summary(WEEK, table)
