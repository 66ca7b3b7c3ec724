"""Visit windows: calendar-month arithmetic, leap years and window edges."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exonc.protocol import VisitDefinition, VisitStatus, add_months, visit_status, visit_window

D = dt.date


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2021, 1, 15), 3, D(2021, 4, 15)),  # ordinary
        (D(2021, 11, 30), 3, D(2022, 2, 28)),  # clamped to a short February, across a year
        (D(2023, 11, 30), 3, D(2024, 2, 29)),  # leap year: 29 February exists
        (D(2024, 2, 29), 6, D(2024, 8, 29)),  # from a leap day
        (D(2024, 2, 29), 12, D(2025, 2, 28)),  # leap day to a non-leap year
        (D(2021, 8, 31), 3, D(2021, 11, 30)),  # 31st into a 30-day month
        (D(2021, 5, 31), 9, D(2022, 2, 28)),
        (D(2021, 6, 1), 0, D(2021, 6, 1)),  # baseline: no offset
        (D(2019, 12, 31), 6, D(2020, 6, 30)),
    ],
)
def test_add_months(start: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(start, months) == expected


@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2090, 1, 1)), st.integers(0, 120))
def test_add_months_lands_in_the_right_month_never_past_the_day(day: dt.date, months: int) -> None:
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day <= day.day


M6 = VisitDefinition(
    "m6", "6 months", 6, window_before_days=14, window_after_days=14, instruments=()
)


def test_window_runs_inclusive_days_around_the_due_date() -> None:
    window = visit_window(D(2021, 3, 10), M6)
    assert window.due == D(2021, 9, 10)
    assert window.earliest == D(2021, 8, 27)
    assert window.latest == D(2021, 9, 24)


@pytest.mark.parametrize(
    ("completed", "today", "status"),
    [
        (None, D(2021, 8, 26), VisitStatus.SCHEDULED),  # the day before the window opens
        (None, D(2021, 8, 27), VisitStatus.DUE),  # first day of the window
        (None, D(2021, 9, 24), VisitStatus.DUE),  # last day of the window
        (None, D(2021, 9, 25), VisitStatus.MISSED),  # the day after it closes
        (D(2021, 8, 27), D(2021, 12, 1), VisitStatus.COMPLETED),  # done on the first day
        (D(2021, 9, 24), D(2021, 12, 1), VisitStatus.COMPLETED),  # done on the last day
        (D(2021, 8, 26), D(2021, 12, 1), VisitStatus.OUT_OF_WINDOW),  # a day early
        (D(2021, 9, 25), D(2021, 12, 1), VisitStatus.OUT_OF_WINDOW),  # a day late
    ],
)
def test_visit_status_at_the_window_edges(
    completed: dt.date | None, today: dt.date, status: VisitStatus
) -> None:
    window = visit_window(D(2021, 3, 10), M6)
    assert visit_status(window, completed, today) is status
