"""Server-drawn bar charts (plain SVG geometry, no JavaScript): active minutes per day
against the goal, and hours of wear against the valid-day threshold."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Protocol

BAR: Final = 10
GAP: Final = 3
LEFT: Final = 34  # room for the axis labels
ACTIVE_HEIGHT: Final = 140
WEAR_HEIGHT: Final = 70
PANEL_GAP: Final = 34
ACTIVE_TOP: Final = 8
WEAR_TOP: Final = ACTIVE_TOP + ACTIVE_HEIGHT + PANEL_GAP
HEIGHT: Final = WEAR_TOP + WEAR_HEIGHT + 22
DAY_HOURS: Final = 24


class Day(Protocol):
    @property
    def date(self) -> dt.date: ...
    @property
    def active_minutes(self) -> int: ...
    @property
    def wear_minutes(self) -> int: ...
    @property
    def valid_day(self) -> bool: ...
    @property
    def goal_met(self) -> bool: ...


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    height: float
    kind: str  # goal-met, below-goal, not-valid (CSS classes)
    title: str


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class DayChart:
    width: float
    height: float
    active: list[Bar]
    wear: list[Bar]
    goal_y: float
    valid_y: float
    labels: list[Label]
    axis: list[Label]
    description: str


def day_chart(
    first: dt.date, last: dt.date, days: Sequence[Day], goal: int, valid_minutes: int
) -> DayChart:
    """Bars for every day from *first* to *last* (days without data have none)."""
    span = (last - first).days + 1
    top = max(2 * goal, *(d.active_minutes for d in days)) if days else 2 * goal
    scale = ACTIVE_HEIGHT / top
    hour = WEAR_HEIGHT / DAY_HOURS
    active, wear = [], []
    for day in days:
        x = _x((day.date - first).days)
        kind = "not-valid" if not day.valid_day else "goal-met" if day.goal_met else "below-goal"
        title = _title(day)
        height = day.active_minutes * scale
        active.append(Bar(x, ACTIVE_TOP + ACTIVE_HEIGHT - height, height, kind, title))
        worn = min(day.wear_minutes / 60, DAY_HOURS) * hour
        wear.append(Bar(x, WEAR_TOP + WEAR_HEIGHT - worn, worn, kind, title))
    return DayChart(
        width=_x(span) + GAP,
        height=HEIGHT,
        active=active,
        wear=wear,
        goal_y=ACTIVE_TOP + ACTIVE_HEIGHT - goal * scale,
        valid_y=WEAR_TOP + WEAR_HEIGHT - valid_minutes / 60 * hour,
        labels=_mondays(first, span),
        axis=[
            Label(LEFT - 4, ACTIVE_TOP + 10, f"{top}"),
            Label(LEFT - 4, ACTIVE_TOP + ACTIVE_HEIGHT - goal * scale + 4, f"{goal}"),
            Label(LEFT - 4, WEAR_TOP + 10, "24 h"),
            Label(LEFT - 4, WEAR_TOP + WEAR_HEIGHT - valid_minutes / 60 * hour + 4, "10 h"),
        ],
        description=_description(first, last, days, goal),
    )


def _x(index: int) -> float:
    return LEFT + index * (BAR + GAP)


def _title(day: Day) -> str:
    worn = f"{day.wear_minutes // 60} h {day.wear_minutes % 60:02d} min"
    valid = "valid day" if day.valid_day else "not a valid day"
    return f"{day.date:%a %d %b %Y}: {day.active_minutes} active minutes, worn {worn} ({valid})"


def _mondays(first: dt.date, span: int) -> list[Label]:
    return [
        Label(_x(i), HEIGHT - 6, f"{first + dt.timedelta(days=i):%d %b}")
        for i in range(span)
        if (first + dt.timedelta(days=i)).weekday() == 0
    ]


def _description(first: dt.date, last: dt.date, days: Sequence[Day], goal: int) -> str:
    met = sum(d.goal_met for d in days if d.valid_day)
    valid = sum(d.valid_day for d in days)
    return (
        f"Active minutes per day from {first:%d %b %Y} to {last:%d %b %Y}: data on {len(days)} "
        f"days, {valid} valid; the {goal}-minute goal met on {met} of the valid days."
    )
