"""One participant's activity for staff: her days against the goal, weeks, flags, imports.

The page and its JSON twin render :class:`ParticipantActivity`; the chart's geometry is
drawn from the same days (:mod:`exonc.platform.activity.charts`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Final, TypeVar

import polars as pl
from django.shortcuts import get_object_or_404

from exonc.errors import InputError
from exonc.platform import access
from exonc.platform.accounts.models import Role, User
from exonc.platform.activity.models import ActivityImport, DailyActivity
from exonc.platform.activity.reports import outcome
from exonc.platform.activity.services import UPLOADERS
from exonc.platform.activity.tracking import (
    FLAGS,
    GOAL_MINUTES,
    VALID_DAY_MINUTES,
    daily_frame,
    in_follow_up,
    tracker_id_of,
    tracking_period,
)
from exonc.platform.trial.models import Participant
from exonc.platform.trial.services import local_today
from exonc.trackers import activity_flags, goal_adherence, weekly_summary

#: Who may see activity pages (of their centres; statisticians and administrators: all).
VIEWERS: Final = (
    Role.COORDINATOR,
    Role.PHYSIOTHERAPIST,
    Role.CLINICIAN,
    Role.STATISTICIAN,
    Role.MONITOR,
)
DEFAULT_WEEKS: Final = 8
WEEK_CHOICES: Final = (4, 8, 13, 26, 39)
MAX_WEEKS: Final = 44
T = TypeVar("T")


@dataclass(frozen=True)
class DayLine:
    date: dt.date
    wear_minutes: int
    sedentary_minutes: int
    light_minutes: int
    moderate_minutes: int
    vigorous_minutes: int
    active_minutes: int
    steps: int | None
    valid_day: bool
    goal_met: bool


@dataclass(frozen=True)
class Summary:
    """Counts and means as ``exonc.trackers.weekly_summary`` / ``goal_adherence`` give them."""

    days_recorded: int
    valid_days: int
    goal_days: int
    adherence: float | None
    active_minutes_mean: float | None
    wear_minutes_mean: float | None
    steps_mean: float | None


@dataclass(frozen=True)
class WeekLine(Summary):
    week_start: dt.date


@dataclass(frozen=True)
class Flag:
    window_start: dt.date
    window_end: dt.date
    valid_days: int
    goal_days: int
    low_wear: bool
    low_activity: bool
    flagged: bool
    reason: str | None


@dataclass(frozen=True)
class ImportLine:
    id: int
    imported_at: dt.datetime
    imported_by: str | None
    format: str
    channel: str
    files: int
    accepted: int
    rejected: int
    outcome: str


@dataclass(frozen=True)
class ParticipantActivity:
    study_id: str
    centre: str
    arm: str | None
    randomised_on: dt.date | None
    tracking_until: dt.date | None
    tracker_id: str | None  # not shown to statisticians (pseudonymised)
    goal_minutes: int
    valid_day_minutes: int
    first: dt.date
    last: dt.date
    period_weeks: int
    days: list[DayLine]
    weeks: list[WeekLine]
    overall: Summary | None
    flag: Flag | None
    imports: list[ImportLine]
    can_upload: bool


def visible_participant(user: User, study_id: str) -> Participant:
    """The participant *study_id* if *user* may see her activity (404 otherwise)."""
    access.require_role(user, *VIEWERS)
    related = ("centre", "allocation", "withdrawal", "tracker_account")
    visible = access.scope(Participant.objects.select_related(*related), user)
    return get_object_or_404(visible, study_id=study_id)


def participant_activity(
    user: User,
    participant: Participant,
    now: dt.datetime,
    *,
    weeks: int = DEFAULT_WEEKS,
    until: dt.date | None = None,
) -> ParticipantActivity:
    """Her days from *weeks* weeks before *until* (default: today, or her last tracked day)."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise InputError(f"must be 1 to {MAX_WEEKS}", column="weeks", value=weeks)
    today = local_today(participant.centre, now)
    allocation = getattr(participant, "allocation", None)
    randomised_on = allocation.allocated_on if allocation else None
    tracking_until = tracking_period(randomised_on)[1] if randomised_on else None
    last = until or min(today, tracking_until or today)
    first = last - dt.timedelta(days=7 * weeks - 1)
    everything = daily_frame(DailyActivity.objects.filter(participant=participant))
    shown = everything.filter(pl.col("date").is_between(first, last))
    trial_wide = user.role == Role.STATISTICIAN
    return ParticipantActivity(
        study_id=participant.study_id,
        centre=participant.centre.code,
        arm=allocation.arm if allocation else None,
        randomised_on=randomised_on,
        tracking_until=tracking_until,
        tracker_id=None if trial_wide else tracker_id_of(participant),
        goal_minutes=GOAL_MINUTES,
        valid_day_minutes=VALID_DAY_MINUTES,
        first=first,
        last=last,
        period_weeks=weeks,
        days=rows_as(DayLine, shown),
        weeks=rows_as(WeekLine, weekly_summary(shown)),
        overall=next(iter(rows_as(Summary, goal_adherence(everything))), None),
        flag=_flag(everything, participant, today),
        imports=_imports(participant, hide_staff=trial_wide),
        can_upload=_may_upload(user),
    )


def rows_as(kind: type[T], frame: pl.DataFrame) -> list[T]:
    """The rows of *frame* as *kind* dataclasses (by field name)."""
    names = [f.name for f in dataclasses.fields(kind)]  # type: ignore[arg-type]
    return [kind(**{n: row[n] for n in names}) for row in frame.iter_rows(named=True)]


def _flag(daily: pl.DataFrame, participant: Participant, today: dt.date) -> Flag | None:
    """The two-week flag of the overview, while she tracks (see ``overview``)."""
    allocation = getattr(participant, "allocation", None)
    as_of = today - dt.timedelta(days=1)
    if allocation is None:
        return None
    start, end = tracking_period(allocation.allocated_on)
    window_start = as_of - dt.timedelta(days=FLAGS.days - 1)
    if not (start <= window_start and as_of <= end and in_follow_up(participant, as_of)):
        return None
    flags = activity_flags(daily, as_of, [participant.study_id], FLAGS)
    return next(iter(rows_as(Flag, flags)), None)


def _imports(participant: Participant, *, hide_staff: bool) -> list[ImportLine]:
    records = ActivityImport.objects.filter(participant=participant).select_related(
        "imported_by", "participant"
    )
    return [
        ImportLine(
            id=r.pk,
            imported_at=r.imported_at,
            imported_by=None if hide_staff else r.imported_by.username,
            format=r.format,
            channel=r.channel,
            files=r.files_count,
            accepted=r.accepted,
            rejected=r.rejected,
            outcome=outcome(r),
        )
        for r in records
    ]


def _may_upload(user: User) -> bool:
    return user.role in (Role.ADMINISTRATOR, *UPLOADERS) or user.is_superuser
