"""Which questionnaire reminders a patient is owed on a given day.

A patient is e-mailed when a visit's questionnaire window opens and again
:data:`CLOSING_DAYS` days before it closes, each at most once (the platform records what
it sent). A day the reminder run missed is caught up: the "opens" reminder is owed for
:data:`CATCH_UP_DAYS` days after the window opened, the "closing" one until the window
closes. Nothing is owed outside the window.
"""

from __future__ import annotations

import datetime as dt
import enum

from exonc.protocol.schedule import VisitWindow

CLOSING_DAYS = 3
CATCH_UP_DAYS = 2


class ReminderKind(enum.StrEnum):
    OPENS = "window-opens"
    CLOSING = "window-closing"


def questionnaire_reminders(window: VisitWindow, today: dt.date) -> tuple[ReminderKind, ...]:
    """The reminders owed on *today* (the centre's date) for *window*, at most one each."""
    if not window.contains(today):
        return ()
    if (window.latest - today).days <= CLOSING_DAYS:
        return (ReminderKind.CLOSING,)
    if (today - window.earliest).days <= CATCH_UP_DAYS:
        return (ReminderKind.OPENS,)
    return ()
