"""The centre overview: who is wearing the tracker and meeting the goal, flags first.

Participants are listed while they track: from randomisation until the day before the
9-month visit is due, unless they left follow-up (stopping only the exercise programme
keeps them in follow-up: both arms wear the tracker). Each is judged by
``exonc.trackers.activity_flags`` over the 14 full days before the centre's today:
``low wear`` (fewer than 8 valid days) or ``low activity`` (the goal met on fewer than
half of the valid days). Participants randomised less than 14 days ago are shown as
"first two weeks" and not flagged.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Final

import polars as pl
from django.db.models import Max

from exonc.platform import access
from exonc.platform.accounts.models import User
from exonc.platform.activity.models import DailyActivity
from exonc.platform.activity.participant import VIEWERS, rows_as
from exonc.platform.activity.tracking import (
    FLAGS,
    GOAL_MINUTES,
    daily_frame,
    in_follow_up,
    tracking_period,
)
from exonc.platform.trial.models import Participant
from exonc.platform.trial.services import local_today
from exonc.trackers import activity_flags

FLAGGED, ON_TRACK, SETTLING_IN = "flagged", "on track", "first two weeks"
_ORDER: Final = {FLAGGED: 0, SETTLING_IN: 1, ON_TRACK: 2}


@dataclass(frozen=True)
class _Flags:
    window_start: dt.date
    window_end: dt.date
    days_recorded: int
    valid_days: int
    goal_days: int
    adherence: float | None
    low_wear: bool
    low_activity: bool
    reason: str | None


@dataclass(frozen=True)
class OverviewLine:
    study_id: str
    centre: str
    arm: str
    randomised_on: dt.date
    status: str
    reason: str | None
    low_wear: bool
    low_activity: bool
    window_start: dt.date
    window_end: dt.date
    days_recorded: int
    valid_days: int
    goal_days: int
    adherence: float | None
    last_data: dt.date | None


@dataclass(frozen=True)
class Overview:
    centres: list[str]
    centre: str | None
    goal_minutes: int
    window_days: int
    min_valid_days: int
    min_adherence: float
    counts: dict[str, int]
    lines: list[OverviewLine]


def centre_overview(user: User, now: dt.datetime, *, centre: str | None = None) -> Overview:
    """Every participant *user* may see who tracks now, judged over the last two weeks."""
    access.require_role(user, *VIEWERS)
    tracking = _tracking(user, now, centre)
    lines = sorted(
        _lines(tracking),
        key=lambda line: (_ORDER[line.status], not line.low_wear, line.centre, line.study_id),
    )
    return Overview(
        centres=[c.code for c in access.visible_centres(user)],
        centre=centre,
        goal_minutes=GOAL_MINUTES,
        window_days=FLAGS.days,
        min_valid_days=FLAGS.min_valid_days,
        min_adherence=FLAGS.min_adherence,
        counts={
            "tracking": len(lines),
            "flagged": sum(line.status == FLAGGED for line in lines),
            "low_wear": sum(line.low_wear for line in lines),
            "low_activity": sum(line.low_activity for line in lines),
            "first_two_weeks": sum(line.status == SETTLING_IN for line in lines),
        },
        lines=lines,
    )


def _tracking(user: User, now: dt.datetime, centre: str | None) -> dict[dt.date, list[Participant]]:
    """Participants tracking on the day before their centre's today, by that day."""
    visible = access.scope(
        Participant.objects.filter(allocation__isnull=False).select_related(
            "centre", "allocation", "withdrawal"
        ),
        user,
    )
    if centre:
        visible = visible.filter(centre__code=centre)
    by_day: dict[dt.date, list[Participant]] = defaultdict(list)
    for participant in visible:
        as_of = local_today(participant.centre, now) - dt.timedelta(days=1)
        start, end = tracking_period(participant.allocation.allocated_on)
        if start <= as_of <= end and in_follow_up(participant, as_of):
            by_day[as_of].append(participant)
    return by_day


def _lines(tracking: dict[dt.date, list[Participant]]) -> list[OverviewLine]:
    everyone = [p for group in tracking.values() for p in group]
    if not everyone:
        return []
    earliest = min(tracking) - dt.timedelta(days=FLAGS.days - 1)
    days = DailyActivity.objects.filter(
        participant__in=everyone, date__range=(earliest, max(tracking))
    )
    daily = daily_frame(days)
    latest = dict(
        DailyActivity.objects.filter(participant__in=everyone)
        .values("participant__study_id")
        .annotate(last=Max("date"))
        .values_list("participant__study_id", "last")
    )
    lines: list[OverviewLine] = []
    for as_of, group in tracking.items():
        ids = [p.study_id for p in group]
        judged = activity_flags(
            daily.filter(pl.col("participant_id").is_in(ids)), as_of, ids, FLAGS
        )
        flags = dict(zip(judged["participant_id"], rows_as(_Flags, judged), strict=True))
        lines.extend(_line(p, flags[p.study_id], latest.get(p.study_id)) for p in group)
    return lines


def _line(participant: Participant, flags: _Flags, last_data: dt.date | None) -> OverviewLine:
    randomised_on = participant.allocation.allocated_on
    settling = randomised_on > flags.window_start
    flagged = not settling and (flags.low_wear or flags.low_activity)
    reason = flags.reason
    if settling:
        starts = randomised_on + dt.timedelta(days=FLAGS.days)
        reason = f"randomised on {randomised_on:%d %b}; flags from {starts:%d %b}"
    return OverviewLine(
        study_id=participant.study_id,
        centre=participant.centre.code,
        arm=participant.allocation.arm,
        randomised_on=randomised_on,
        status=SETTLING_IN if settling else FLAGGED if flagged else ON_TRACK,
        reason=reason,
        low_wear=flags.low_wear and not settling,
        low_activity=flags.low_activity and not settling,
        window_start=flags.window_start,
        window_end=flags.window_end,
        days_recorded=flags.days_recorded,
        valid_days=flags.valid_days,
        goal_days=flags.goal_days,
        adherence=flags.adherence,
        last_data=last_data,
    )
