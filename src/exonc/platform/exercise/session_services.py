"""Use cases of the sessions: log one, close a symptom flag, report an adverse event.

Logging a session is where the engine's pieces meet: the session is checked against the
plan of the day (a home session in a supervised-only week is refused) and against the
lesion register (no restricted movement without a clinician's override — the hard stop
for what was done); the plan shown is frozen with the log; a check-in that raises a
symptom opens a flag and notifies the clinicians of the participant's centre; then the
progression rule runs, and a new prescription version is stored if it fires.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exonc import exercise as ex
from exonc.errors import AccessDenied, ExerciseInputError, TrialStateError
from exonc.platform import access, audit
from exonc.platform.accounts.models import Role, User
from exonc.platform.exercise import convert, safety, snapshots, state
from exonc.platform.exercise.models import (
    AdverseEvent,
    Notification,
    PrescriptionVersion,
    SessionLog,
    SymptomFlag,
)
from exonc.platform.exercise.services import store_version, user_name
from exonc.platform.trial.models import Participant, Withdrawal


@dataclass(frozen=True)
class LoggedSession:
    """The stored log, the flags its check-in opened, and any new prescription version."""

    log: SessionLog
    flags: tuple[SymptomFlag, ...]
    notified: tuple[str, ...]
    new_version: PrescriptionVersion | None


def log_session(
    user: User, participant: Participant, entry: convert.SessionEntry, *, today: dt.date
) -> LoggedSession:
    """Record one session of an exercise-arm participant (physiotherapists)."""
    access.require_role(user, Role.PHYSIOTHERAPIST)
    access.require_centre(user, participant.centre)
    state.require_exercise_arm(participant)
    log = entry.log(participant.study_id, user_name(user))
    log.check_not_future(today)
    _check_not_withdrawn(participant, entry.date)
    context = state.load(participant, entry.date)
    plan = context.plan(entry.date, entry.setting)
    restrictions = context.restrictions(entry.date)
    safety.check_session(log, context.programme, restrictions, context.state.overrides)
    try:
        with transaction.atomic():
            return _store(user, participant, entry, log, context, plan)
    except IntegrityError as exc:  # a concurrent log of the same session
        raise _already(participant, entry) from exc


def _store(
    user: User,
    participant: Participant,
    entry: convert.SessionEntry,
    log: ex.SessionLog,
    context: state.Context,
    plan: ex.SessionPlan,
) -> LoggedSession:
    if SessionLog.objects.filter(
        participant=participant, date=entry.date, setting=entry.setting
    ).exists():
        raise _already(participant, entry)
    row = SessionLog(
        participant=participant,
        date=entry.date,
        setting=entry.setting.value,
        attendance=entry.attendance.value,
        missed_reason=entry.missed_reason.strip(),
        prescription=context.in_force(entry.date),
        plan=snapshots.plan_json(plan),
        logged_by=user,
        **convert.stored_parts(entry),
    )
    audit.save(row, user, f"{entry.setting.value} session logged: {entry.attendance.value}")
    flags = _open_flags(user, participant, row, log, context)
    new_flags = tuple(convert.domain_flag(f) for f in flags)
    after = context.with_records(sessions=(log,), flags=new_flags)
    decision = ex.progress(
        context.latest_prescription(), after.state, context.programme, context.equipment, log.date
    )
    version = None
    if decision.progressed:
        version = store_version(participant, decision.prescription, "session", user)
    notified = tuple(sorted({n.recipient.username for f in flags for n in f.notifications.all()}))
    return LoggedSession(row, flags, notified, version)


def _already(participant: Participant, entry: convert.SessionEntry) -> TrialStateError:
    return TrialStateError(
        f"{participant.study_id}'s {entry.setting.value} session of "
        f"{entry.date.isoformat()} is already logged"
    )


def _check_not_withdrawn(participant: Participant, day: dt.date) -> None:
    withdrawal = Withdrawal.objects.filter(participant=participant).first()
    if withdrawal is not None and withdrawal.withdrawn_on <= day:
        raise TrialStateError(
            f"{participant.study_id} stopped the programme on "
            f"{withdrawal.withdrawn_on.isoformat()} ({withdrawal.kind}); no session after it"
        )


def _open_flags(
    user: User,
    participant: Participant,
    row: SessionLog,
    log: ex.SessionLog,
    context: state.Context,
) -> tuple[SymptomFlag, ...]:
    """A flag per symptom raised (unless one of that kind is open), each notified."""
    if log.check_in is None:
        return ()
    already = {f.kind for f in context.state.open_flags(log.date)}
    opened = []
    for flag in ex.flags_from_check_in(log.check_in, log.date):
        if flag.kind in already:
            continue
        stored = SymptomFlag(
            participant=participant,
            kind=flag.kind.value,
            opened_on=flag.opened,
            note=flag.note,
            session=row,
            opened_by=user,
        )
        audit.save(stored, user, f"check-in: {flag.kind.value.replace('_', ' ')}")
        notify(stored)
        opened.append(stored)
    return tuple(opened)


def responsible_clinicians(participant: Participant) -> list[User]:
    """The active clinicians of the participant's centre (they are notified of her flags)."""
    return list(
        User.objects.filter(
            role=Role.CLINICIAN, is_active=True, memberships__centre=participant.centre
        ).order_by("username")
    )


def notify(flag: SymptomFlag) -> list[Notification]:
    participant = flag.participant
    message = (
        f"{participant.study_id} ({participant.centre.code}): "
        f"{flag.kind.replace('_', ' ')} at the check-in of {flag.opened_on.isoformat()}"
        f"{' — ' + flag.note if flag.note else ''}. Progression is held until you close the flag."
    )
    return [
        Notification.objects.create(
            recipient=clinician, participant=participant, flag=flag, message=message
        )
        for clinician in responsible_clinicians(participant)
    ]


def close_flag(
    user: User, flag: SymptomFlag, *, closed_on: dt.date, reason: str, today: dt.date
) -> SymptomFlag:
    """A clinician closes a symptom flag, saying why (progression resumes)."""
    access.require_role(user, Role.CLINICIAN)
    access.require_centre(user, flag.participant.centre)
    reason = audit.require_reason(reason, "a symptom flag")
    with transaction.atomic():
        fresh = SymptomFlag.objects.select_for_update().get(pk=flag.pk)
        if fresh.closed_on is not None:
            raise TrialStateError(
                _("the flag was already closed on %(closed_on)s") % {"closed_on": fresh.closed_on}
            )
        if not fresh.opened_on <= closed_on <= today:
            raise ExerciseInputError(
                "must lie between the day the flag was opened and today",
                column="closed_on",
                value=str(closed_on),
            )
        fresh.closed_on, fresh.closed_by, fresh.close_reason = closed_on, user, reason
        audit.save(fresh, user, reason)
        fresh.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    return fresh


@dataclass(frozen=True)
class AdverseEventEntry:
    onset: dt.date
    description: str
    grade: int
    serious: bool
    relatedness: str
    outcome: str
    session_date: dt.date | None = None


def report_adverse_event(
    user: User, participant: Participant, entry: AdverseEventEntry, *, today: dt.date
) -> AdverseEvent:
    """Report an adverse event (physiotherapists and clinicians)."""
    access.require_role(user, Role.PHYSIOTHERAPIST, Role.CLINICIAN)
    access.require_centre(user, participant.centre)
    event = ex.AdverseEvent(
        participant.study_id,
        entry.onset,
        entry.description,
        entry.grade,
        entry.serious,
        convert.member(ex.Relatedness, entry.relatedness, "relatedness"),
        convert.member(ex.AdverseEventOutcome, entry.outcome, "outcome"),
        entry.session_date,
    )
    event.check_not_future(today)
    row = AdverseEvent(
        participant=participant,
        onset=entry.onset,
        description=entry.description.strip(),
        grade=entry.grade,
        serious=entry.serious,
        relatedness=event.relatedness.value,
        outcome=event.outcome.value,
        session_date=entry.session_date,
        reported_by=user,
    )
    with transaction.atomic():
        audit.save(row, user, f"adverse event, CTCAE grade {entry.grade}")
    return row


def update_adverse_event(
    user: User, event: AdverseEvent, *, outcome: str, reason: str
) -> AdverseEvent:
    """Record a later outcome of an adverse event; the reason is kept in the audit trail."""
    access.require_role(user, Role.PHYSIOTHERAPIST, Role.CLINICIAN)
    access.require_centre(user, event.participant.centre)
    reason = audit.require_reason(reason, "an adverse event")
    with transaction.atomic():
        fresh = AdverseEvent.objects.select_for_update().get(pk=event.pk)
        ex.AdverseEvent(  # grade 5 goes with 'fatal' and only it does
            fresh.participant.study_id,
            fresh.onset,
            fresh.description,
            fresh.grade,
            fresh.serious,
            ex.Relatedness(fresh.relatedness),
            convert.member(ex.AdverseEventOutcome, outcome, "outcome"),
        )
        fresh.outcome = outcome
        audit.save(fresh, user, reason)
    return fresh


def mark_read(user: User, notification: Notification) -> Notification:
    """The recipient marks a notification as read."""
    if notification.recipient_id != user.pk:
        raise AccessDenied(_("this notification is addressed to someone else"))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification
