"""Questionnaire reminders owed on a day (window from 2026-03-01 to 2026-03-29)."""

from __future__ import annotations

import datetime as dt

import pytest

from exonc.protocol import VisitWindow
from exonc.protocol.reminders import ReminderKind, questionnaire_reminders

WINDOW = VisitWindow("m3", dt.date(2026, 3, 15), dt.date(2026, 3, 1), dt.date(2026, 3, 29))
OPENS, CLOSING = ReminderKind.OPENS, ReminderKind.CLOSING


@pytest.mark.parametrize(
    ("day", "owed"),
    [
        (dt.date(2026, 2, 28), ()),  # not open yet
        (dt.date(2026, 3, 1), (OPENS,)),  # opens
        (dt.date(2026, 3, 3), (OPENS,)),  # a missed run is caught up for two days
        (dt.date(2026, 3, 4), ()),
        (dt.date(2026, 3, 25), ()),
        (dt.date(2026, 3, 26), (CLOSING,)),  # three days before it closes
        (dt.date(2026, 3, 29), (CLOSING,)),  # last day
        (dt.date(2026, 3, 30), ()),  # closed
    ],
)
def test_reminders_owed(day: dt.date, owed: tuple[ReminderKind, ...]) -> None:
    assert questionnaire_reminders(WINDOW, day) == owed


def test_a_short_window_gets_the_closing_reminder_only() -> None:
    short = VisitWindow("m3", dt.date(2026, 3, 2), dt.date(2026, 3, 1), dt.date(2026, 3, 3))
    assert questionnaire_reminders(short, dt.date(2026, 3, 1)) == (CLOSING,)
