"""The exercise home page: who is in the programme today, and what needs a clinician.

exonc keeps no appointment book, so "today's sessions" are the exercise-arm participants
of the user's centres who are in a programme week today, with the sessions the week
prescribes and those already logged; a participant is *due* while the week's supervised
sessions are not all logged and none is logged today. Clinicians also see their
notifications (symptom flags at their centres), every open flag, and the lesions that wait
for a clearance or sign-off.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q

from exonc import exercise as ex
from exonc.platform import access
from exonc.platform.accounts.models import Role, User
from exonc.platform.exercise import config, convert
from exonc.platform.exercise.models import (
    EXERCISE_ARM,
    Lesion,
    Notification,
    SessionLog,
    SymptomFlag,
)
from exonc.platform.trial.models import Participant
from exonc.platform.trial.services import local_today


@dataclass(frozen=True)
class TodayRow:
    study_id: str
    centre: str
    date: dt.date
    week: int
    phase: str
    scheme: str
    supervised_per_week: int
    home_per_week: int
    supervised_logged: int
    home_logged: int
    logged_today: list[str]
    open_flags: list[str]
    lesions: int
    due: bool


@dataclass(frozen=True)
class NotificationLine:
    id: int
    study_id: str
    message: str
    created_at: dt.datetime
    read: bool


@dataclass(frozen=True)
class FlagLine:
    id: int
    study_id: str
    kind: str
    opened_on: dt.date
    note: str


@dataclass(frozen=True)
class WaitingLesion:
    id: int
    study_id: str
    label: str
    site: str
    reason: str
    kind: str


@dataclass(frozen=True)
class ExerciseHome:
    user: str
    role: str
    centres: list[str]
    today: list[TodayRow]
    notifications: list[NotificationLine]
    open_flags: list[FlagLine]
    waiting_lesions: list[WaitingLesion]
    counts: dict[str, int]


def exercise_home(user: User, now: dt.datetime) -> ExerciseHome:
    access.require_role(user, Role.PHYSIOTHERAPIST, Role.CLINICIAN, Role.COORDINATOR)
    rows = sorted(_today(user, now), key=lambda r: (not r.due, r.centre, r.study_id))
    clinical = user.role in (Role.CLINICIAN, Role.ADMINISTRATOR)
    notes = _notifications(user)
    flags = _open_flags(user) if clinical else []
    waiting = _waiting(user, now) if clinical else []
    return ExerciseHome(
        user=user.username,
        role=user.role,
        centres=[c.code for c in access.visible_centres(user)],
        today=rows,
        notifications=notes,
        open_flags=flags,
        waiting_lesions=waiting,
        counts={
            "in_programme": len(rows),
            "due": sum(r.due for r in rows),
            "unread": sum(not n.read for n in notes),
            "open_flags": len(flags),
        },
    )


def _today(user: User, now: dt.datetime) -> list[TodayRow]:
    recent = now.date() - dt.timedelta(days=9)
    participants = (
        access.scope(Participant.objects.all(), user)
        .filter(allocation__arm=EXERCISE_ARM, exercise_profile__isnull=False)
        .filter(Q(withdrawal__isnull=True) | Q(withdrawal__withdrawn_on__gt=now.date()))
        .select_related("centre", "exercise_profile")
        .prefetch_related(
            Prefetch(
                "session_logs",
                queryset=SessionLog.objects.filter(date__gte=recent).only(
                    "participant_id", "date", "setting"
                ),
            ),
            Prefetch("symptom_flags", queryset=SymptomFlag.objects.filter(closed_on=None)),
            "lesions",
        )
    )
    rows = []
    for p in participants:
        row = _row(p, local_today(p.centre, now))
        if row is not None:
            rows.append(row)
    return rows


def _row(p: Participant, today: dt.date) -> TodayRow | None:
    profile = p.exercise_profile
    programme = config.programme(profile.programme)
    week = (today - profile.start_date).days // 7 + 1
    if not 1 <= week <= programme.weeks:
        return None
    week_start = profile.start_date + dt.timedelta(weeks=week - 1)
    this_week = [log for log in p.session_logs.all() if week_start <= log.date <= today]
    period = programme.period_for_week(week)
    supervised = sum(log.setting == ex.Setting.SUPERVISED for log in this_week)
    logged_today = sorted(log.setting for log in this_week if log.date == today)
    return TodayRow(
        study_id=p.study_id,
        centre=p.centre.code,
        date=today,
        week=week,
        phase=programme.phase_for_week(week).name,
        scheme=programme.resistance.scheme_for_week(week).name,
        supervised_per_week=period.supervised_per_week,
        home_per_week=period.home_per_week,
        supervised_logged=supervised,
        home_logged=len(this_week) - supervised,
        logged_today=logged_today,
        open_flags=[f.kind for f in p.symptom_flags.all()],
        lesions=len(p.lesions.all()),
        due=supervised < period.supervised_per_week and not logged_today,
    )


def _notifications(user: User) -> list[NotificationLine]:
    rows = Notification.objects.filter(recipient=user).select_related("participant")
    return [
        NotificationLine(
            n.id, n.participant.study_id, n.message, n.created_at, n.read_at is not None
        )
        for n in rows.order_by("read_at", "-created_at")[:50]
    ]


def _open_flags(user: User) -> list[FlagLine]:
    flags = access.scope(SymptomFlag.objects.filter(closed_on=None), user, "participant")
    return [
        FlagLine(f.id, f.participant.study_id, f.kind, f.opened_on, f.note)
        for f in flags.select_related("participant").order_by("opened_on")
    ]


def _waiting(user: User, now: dt.datetime) -> list[WaitingLesion]:
    """Lesions under a hard stop or waiting for a sign-off today (no valid clearance)."""
    lesions = access.scope(Lesion.objects.all(), user, "participant").select_related(
        "participant__centre"
    )
    waiting = []
    rules: dict[int, ex.SafetyRules] = {}
    for row in lesions.prefetch_related("clearances"):
        centre = row.participant.centre
        today = local_today(centre, now)
        lesion = convert.domain_lesion(row, row.clearances.all(), today)
        if centre.id not in rules:  # once per centre (setdefault would ask every time)
            rules[centre.id] = config.rules(centre)
        table = rules[centre.id]
        for restriction in ex.assess_lesions([lesion], table, today):
            if restriction.kind is not ex.RestrictionKind.SITE_RULE:
                waiting.append(
                    WaitingLesion(
                        row.id,
                        row.participant.study_id,
                        row.label,
                        row.site,
                        restriction.reason,
                        restriction.kind.value,
                    )
                )
    return waiting
