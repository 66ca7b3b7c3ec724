"""The visit schedule: due dates, windows and visit status.

Due dates are calendar months after randomisation. When the target month is shorter than
the randomisation day (randomised on 31 August, due in November), the due date is the last
day of that month (30 November); 29 February is used in leap years only. A window runs
from ``due - window_before_days`` to ``due + window_after_days``, both ends included.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
from dataclasses import dataclass

from exonc.protocol.model import Protocol, VisitDefinition


class VisitStatus(enum.StrEnum):
    """Where a visit stands on a given day."""

    SCHEDULED = "scheduled"  # its window has not opened yet
    DUE = "due"  # the window is open and nothing is recorded
    COMPLETED = "completed"  # done inside the window
    OUT_OF_WINDOW = "out of window"  # done, but outside the window
    MISSED = "missed"  # the window closed with nothing recorded


@dataclass(frozen=True)
class VisitWindow:
    visit: str
    due: dt.date
    earliest: dt.date
    latest: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.earliest <= day <= self.latest


def add_months(day: dt.date, months: int) -> dt.date:
    """*day* plus *months* calendar months, clamped to the end of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def visit_window(randomised_on: dt.date, visit: VisitDefinition) -> VisitWindow:
    due = add_months(randomised_on, visit.offset_months)
    return VisitWindow(
        visit=visit.code,
        due=due,
        earliest=due - dt.timedelta(days=visit.window_before_days),
        latest=due + dt.timedelta(days=visit.window_after_days),
    )


def schedule(protocol: Protocol, randomised_on: dt.date) -> tuple[VisitWindow, ...]:
    """Every visit of *protocol* for a participant randomised on *randomised_on*."""
    return tuple(visit_window(randomised_on, v) for v in protocol.visits)


def visit_status(
    window: VisitWindow, completed_on: dt.date | None, today: dt.date, *, missed: bool = False
) -> VisitStatus:
    """The status of a visit on *today* (the centre's local date); *missed* when staff
    recorded that it did not take place."""
    if completed_on is not None:
        return VisitStatus.COMPLETED if window.contains(completed_on) else VisitStatus.OUT_OF_WINDOW
    if missed:
        return VisitStatus.MISSED
    if today < window.earliest:
        return VisitStatus.SCHEDULED
    if today <= window.latest:
        return VisitStatus.DUE
    return VisitStatus.MISSED
