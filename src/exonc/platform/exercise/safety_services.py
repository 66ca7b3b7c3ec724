"""Use cases of the lesion register: record a lesion, clear it, override a restriction.

Clearances and overrides are clinical decisions: only a user with the clinician role may
record them (decision 0001), with her name on the record. An override needs a reason, names
one exercise of the programme and one lesion, and is refused for a lesion under a hard stop
(:func:`exonc.exercise.validate_override`): only a clearance lifts a hard stop.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from exonc import exercise as ex
from exonc.errors import ExerciseInputError, TrialStateError
from exonc.platform import access, audit
from exonc.platform.accounts.models import Role, User
from exonc.platform.exercise import config, convert, state
from exonc.platform.exercise.models import Clearance, ExerciseProfile, Lesion, Override
from exonc.platform.exercise.services import require_clinician, user_name
from exonc.platform.trial.models import Participant
from exonc.platform.trial.protocols import active_protocol


def record_lesion(
    user: User, participant: Participant, entry: convert.LesionEntry, *, today: dt.date
) -> Lesion:
    """Add a lesion to the register (physiotherapists and clinicians)."""
    access.require_role(user, Role.PHYSIOTHERAPIST, Role.CLINICIAN)
    access.require_centre(user, participant.centre)
    if entry.imaging_date > today:
        raise ExerciseInputError(
            "is in the future", column="imaging_date", value=str(entry.imaging_date)
        )
    label = entry.label.strip() or _next_label(participant)
    convert.lesion(entry, label)  # validates the site, the type and the score components
    row = Lesion(
        participant=participant,
        label=label,
        recorded_by=user,
        **{k: getattr(entry, k) for k in ex.LESION_FIELDS},
    )
    try:
        with transaction.atomic():
            if Lesion.objects.filter(participant=participant, label=label).exists():
                raise TrialStateError(f"{participant.study_id} already has a lesion {label}")
            audit.save(row, user, "lesion recorded")
    except IntegrityError as exc:  # a concurrent entry took the label
        raise TrialStateError(f"{participant.study_id} already has a lesion {label}") from exc
    return row


def _next_label(participant: Participant) -> str:
    taken = set(Lesion.objects.filter(participant=participant).values_list("label", flat=True))
    return next(f"L{n}" for n in range(1, len(taken) + 2) if f"L{n}" not in taken)


def clear_lesion(
    user: User, lesion: Lesion, *, cleared_on: dt.date, note: str = "", today: dt.date
) -> Clearance:
    """A clinician clears (or signs off) a lesion for loaded exercise from *cleared_on*."""
    require_clinician(user)
    access.require_centre(user, lesion.participant.centre)
    if not lesion.imaging_date <= cleared_on <= today:
        raise ExerciseInputError(
            "must lie between the imaging date and today",
            column="cleared_on",
            value=str(cleared_on),
            hint=f"the lesion was imaged on {lesion.imaging_date.isoformat()}",
        )
    row = Clearance(
        lesion=lesion,
        clinician=user,
        clinician_name=user_name(user),
        cleared_on=cleared_on,
        note=note.strip(),
    )
    with transaction.atomic():
        audit.save(row, user, f"lesion {lesion.label} cleared")
    return row


def record_override(
    user: User,
    lesion: Lesion,
    *,
    exercise: str,
    reason: str,
    starts_on: dt.date,
    until: dt.date | None = None,
    today: dt.date,
) -> Override:
    """A clinician allows one exercise despite one lesion's site rule or missing sign-off."""
    require_clinician(user)
    participant = lesion.participant
    access.require_centre(user, participant.centre)
    override = ex.Override(exercise, lesion.label, user_name(user), reason, starts_on, until)
    if starts_on > today:
        raise ExerciseInputError(
            "is in the future", column="starts_on", value=str(starts_on), hint="date it today"
        )
    _check_exercise(participant, exercise)
    lesions, _ = state.register(participant, starts_on)
    ex.validate_override(override, lesions, config.rules(participant.centre), starts_on)
    row = Override(
        lesion=lesion,
        exercise=exercise,
        clinician=user,
        clinician_name=override.clinician,
        reason=override.reason.strip(),
        starts_on=starts_on,
        until=until,
    )
    with transaction.atomic():
        audit.save(row, user, f"override of lesion {lesion.label} for {exercise}: {row.reason}")
    return row


def _check_exercise(participant: Participant, exercise: str) -> None:
    profile = ExerciseProfile.objects.filter(participant=participant).first()
    programme = config.programme(profile.programme if profile else active_protocol().programme)
    if exercise not in programme.exercises:
        raise ExerciseInputError(
            "is not an exercise of the programme",
            column="exercise",
            value=exercise,
            hint=f"use one of {', '.join(sorted(programme.exercises))}",
        )
