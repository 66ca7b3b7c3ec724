"""The patient's "your week": her last 7 days against the goal, in plain words.

Both arms of the trial were asked to be active for at least 30 minutes a day, so every
patient sees the same goal. The words count the days she reached it; they encourage and
never scold (a day without data is "no data yet", not a failure).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

import polars as pl
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exonc.errors import AccessDenied
from exonc.platform.accounts.models import Role, User
from exonc.platform.activity.models import DailyActivity
from exonc.platform.activity.tracking import GOAL_MINUTES, daily_frame
from exonc.platform.trial.models import Participant
from exonc.platform.trial.services import local_today
from exonc.trackers import weekly_summary

DAYS: Final = 7
RECENT_WEEKS: Final = 4
#: Days with fewer worn hours than this are "worn for part of the day" in her words.
PART_DAY_MINUTES: Final = 600


@dataclass(frozen=True)
class WeekDay:
    date: dt.date
    active_minutes: int | None  # None: no data for the day (yet)
    goal_met: bool
    part_day: bool
    percent: int  # bar length, relative to the longest bar shown


@dataclass(frozen=True)
class RecentWeek:
    week_start: dt.date
    days_recorded: int
    goal_days: int


@dataclass(frozen=True)
class YourWeek:
    first: dt.date
    last: dt.date
    goal_minutes: int
    goal_percent: int
    days: list[WeekDay]
    goal_days: int
    days_with_data: int
    message: str
    tips: list[str]
    weeks: list[RecentWeek]


def own_participant(user: User) -> Participant:
    if user.role != Role.PATIENT:
        raise AccessDenied(
            _("this page is for patients; staff see the participant's activity page")
        )
    found = Participant.objects.select_related("centre").filter(user=user).first()
    if found is None:
        raise AccessDenied(_("no participant record is linked to your login; ask your centre"))
    return found


def your_week(user: User, now: dt.datetime) -> YourWeek:
    participant = own_participant(user)
    today = local_today(participant.centre, now)
    first = today - dt.timedelta(days=DAYS - 1)
    monday = today - dt.timedelta(days=today.weekday() + 7 * (RECENT_WEEKS - 1))
    rows = DailyActivity.objects.filter(participant=participant, date__range=(monday, today))
    daily = daily_frame(rows)
    recorded = {row["date"]: row for row in daily.iter_rows(named=True)}
    longest = max([2 * GOAL_MINUTES, *(r["active_minutes"] for r in recorded.values())])
    days = [_day(first + dt.timedelta(days=i), recorded, longest) for i in range(DAYS)]
    goal_days = sum(d.goal_met for d in days)
    with_data = sum(d.active_minutes is not None for d in days)
    message, tips = encouragement(goal_days, with_data, sum(d.part_day for d in days))
    return YourWeek(
        first=first,
        last=today,
        goal_minutes=GOAL_MINUTES,
        goal_percent=round(100 * GOAL_MINUTES / longest),
        days=days,
        goal_days=goal_days,
        days_with_data=with_data,
        message=message,
        tips=tips,
        weeks=_recent(daily),
    )


def _day(day: dt.date, recorded: dict[dt.date, dict[str, object]], longest: int) -> WeekDay:
    row = recorded.get(day)
    if row is None:
        return WeekDay(day, None, goal_met=False, part_day=False, percent=0)
    active, wear = int(row["active_minutes"]), int(row["wear_minutes"])  # type: ignore[call-overload]
    return WeekDay(
        day,
        active,
        goal_met=bool(row["goal_met"]),
        part_day=wear < PART_DAY_MINUTES,
        percent=round(100 * active / longest),
    )


def _recent(daily: pl.DataFrame) -> list[RecentWeek]:
    weeks = weekly_summary(daily).sort("week_start", descending=True)
    # for her, a goal day is any day she reached the goal (worn all day or not)
    reached = daily.group_by(pl.col("date").dt.truncate("1w").alias("week_start")).agg(
        pl.col("goal_met").sum().alias("reached")
    )
    joined = weeks.join(reached, on="week_start", how="left")
    return [
        RecentWeek(row["week_start"], row["days_recorded"], int(row["reached"] or 0))
        for row in joined.iter_rows(named=True)
    ]


def encouragement(goal_days: int, days_with_data: int, part_days: int) -> tuple[str, list[str]]:
    """The sentence for her week and up to two tips, in plain, encouraging words."""
    if days_with_data == 0:
        return (
            _("We have not received data from your tracker for these days yet."),
            [_("Keep wearing your tracker every day; your week shows here once it has synced.")],
        )
    tips = []
    values = {"minutes": GOAL_MINUTES, "days": goal_days}
    if goal_days >= 5:
        message = (
            _(
                "Well done! You were active for at least %(minutes)s minutes on %(days)s "
                "of the last 7 days."
            )
            % values
        )
    elif goal_days >= 1:
        message = (
            ngettext(
                "You were active for at least %(minutes)s minutes on %(days)s day "
                "of the last 7. Keep it up!",
                "You were active for at least %(minutes)s minutes on %(days)s days "
                "of the last 7. Keep it up!",
                goal_days,
            )
            % values
        )
        tips.append(_("Every active minute counts: a brisk walk on the other days helps too."))
    else:
        message = _("A quieter week — that happens. Every active minute counts.")
        tips.append(_("Three brisk 10-minute walks in a day add up to 30 active minutes."))
    if part_days >= 2:
        tips.append(
            _(
                "Your tracker was worn for part of the day on %(days)s days. Wearing it from "
                "morning to evening lets it count all your activity."
            )
            % {"days": part_days}
        )
    return message, tips
