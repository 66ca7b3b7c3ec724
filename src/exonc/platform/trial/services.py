"""Use cases of trial operations: enrol, screen, consent, schedule, complete, withdraw.

Every function runs in one transaction, checks the user's role and centre, validates its
input before writing anything, and records who changed what and why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction

from exonc.errors import DuplicateStudyId, InputError, NotEligible, TrialStateError, UnknownCentre
from exonc.platform import access, audit
from exonc.platform.accounts.models import Role, User
from exonc.platform.trial.models import (
    Centre,
    Consent,
    CriterionResult,
    LineOfTreatment,
    Participant,
    Screening,
    Sex,
    Visit,
    Withdrawal,
    WithdrawalKind,
)
from exonc.platform.trial.protocols import active_protocol, protocol_version
from exonc.protocol import Answer, assess_eligibility, schedule

ENROLLING = (Role.COORDINATOR,)


@dataclass(frozen=True)
class Enrolment:
    """What a coordinator enters to enrol a participant."""

    study_id: str
    centre: str
    birth_year: int
    sex: str = Sex.FEMALE
    line_of_treatment: str = ""
    metastatic_sites: Sequence[str] = ()
    bone_metastases: bool | None = None
    ecog: int | None = None
    baseline_pain: bool | None = None


def local_today(centre: Centre, now: dt.datetime) -> dt.date:
    """The date at *centre* at the instant *now* (an aware datetime)."""
    return now.astimezone(ZoneInfo(centre.time_zone)).date()


def enrol(user: User, data: Enrolment, *, today: dt.date) -> Participant:
    """Register a participant at a centre under the active protocol."""
    access.require_role(user, *ENROLLING)
    centre = Centre.objects.filter(code=data.centre).first()
    if centre is None:
        raise UnknownCentre(f"unknown centre {data.centre!r}; choose one of the trial's centres")
    access.require_centre(user, centre)
    _check_enrolment(data, today)
    participant = Participant(
        study_id=data.study_id.strip(),
        centre=centre,
        protocol_version=protocol_version(),
        birth_year=data.birth_year,
        sex=data.sex,
        line_of_treatment=data.line_of_treatment,
        metastatic_sites=list(data.metastatic_sites),
        bone_metastases=data.bone_metastases,
        ecog=data.ecog,
        baseline_pain=data.baseline_pain,
    )
    try:
        with transaction.atomic():
            if Participant.objects.filter(study_id=participant.study_id).exists():
                raise DuplicateStudyId(
                    f"study ID {participant.study_id} is already in use; choose another"
                )
            audit.save(participant, user, "enrolled")
    except IntegrityError as exc:  # a concurrent enrolment took the ID first
        raise DuplicateStudyId(
            f"study ID {participant.study_id} is already in use; choose another"
        ) from exc
    return participant


def _check_enrolment(data: Enrolment, today: dt.date) -> None:
    if not data.study_id.strip():
        raise InputError("is empty", column="study_id", hint="give the pseudonymous study ID")
    if not 1900 <= data.birth_year <= today.year - 18:
        raise InputError(
            "is not the birth year of an adult",
            column="birth_year",
            value=data.birth_year,
            hint=f"give a four-digit year up to {today.year - 18}",
        )
    if data.sex not in Sex.values:
        raise InputError("must be F or M", column="sex", value=data.sex)
    if data.line_of_treatment not in {"", *LineOfTreatment.values}:
        raise InputError(
            "must be '1st/2nd' or '3rd+'", column="line_of_treatment", value=data.line_of_treatment
        )
    if data.ecog is not None and not 0 <= data.ecog <= 5:
        raise InputError("must be 0 to 5", column="ecog", value=data.ecog)


def update_participant(
    user: User, participant: Participant, changes: Mapping[str, object], reason: str
) -> Participant:
    """Correct baseline data of an enrolled participant; the reason is kept in the audit trail."""
    access.require_role(user, *ENROLLING)
    access.require_centre(user, participant.centre)
    reason = audit.require_reason(reason, f"participant {participant.study_id}")
    editable = {
        "line_of_treatment",
        "metastatic_sites",
        "bone_metastases",
        "ecog",
        "baseline_pain",
        "birth_year",
    }
    unknown = sorted(set(changes) - editable)
    if unknown:
        raise InputError("cannot be changed here", column=unknown[0])
    with transaction.atomic():
        fresh = Participant.objects.select_for_update().get(pk=participant.pk)
        for name, value in changes.items():
            setattr(fresh, name, value)
        if fresh.line_of_treatment not in {"", *LineOfTreatment.values}:
            raise InputError(
                "must be '1st/2nd' or '3rd+'",
                column="line_of_treatment",
                value=fresh.line_of_treatment,
            )
        audit.save(fresh, user, reason)
    return fresh


def screen(
    user: User,
    participant: Participant,
    answers: Mapping[str, tuple[str, str]],
    *,
    screened_on: dt.date,
) -> Screening:
    """Record a screening: criterion id → (answer yes/no/unknown, reason)."""
    access.require_role(user, *ENROLLING)
    access.require_centre(user, participant.centre)
    try:
        parsed = {cid: Answer(answer) for cid, (answer, _) in answers.items()}
    except ValueError as exc:
        raise InputError("answers must be yes, no or unknown", column="answer") from exc
    verdict = assess_eligibility(active_protocol(), parsed)
    with transaction.atomic():
        screening = Screening(
            participant=participant,
            protocol_version=protocol_version(),
            screened_on=screened_on,
            screened_by=user,
            eligible=verdict.eligible,
        )
        audit.save(screening, user, verdict.reason)
        for cid, (answer, reason) in answers.items():
            audit.save(
                CriterionResult(
                    screening=screening, criterion_id=cid, answer=answer, reason=reason
                ),
                user,
                "screened",
            )
    return screening


def record_consent(
    user: User, participant: Participant, *, consented_on: dt.date, consent_version: str = ""
) -> Consent:
    access.require_role(user, *ENROLLING)
    access.require_centre(user, participant.centre)
    consent = Consent(
        participant=participant,
        protocol_version=protocol_version(),
        consent_version=consent_version or active_protocol().consent_version,
        consented_on=consented_on,
        recorded_by=user,
    )
    with transaction.atomic():
        audit.save(consent, user, "consent given")
    return consent


def withdraw_consent(
    user: User, consent: Consent, *, withdrawn_on: dt.date, reason: str
) -> Consent:
    access.require_role(user, *ENROLLING)
    access.require_centre(user, consent.participant.centre)
    reason = audit.require_reason(reason, "consent")
    with transaction.atomic():
        lock_participant(consent.participant)
        fresh = Consent.objects.select_for_update().get(pk=consent.pk)
        if fresh.withdrawn_on is not None:
            raise TrialStateError(f"consent was already withdrawn on {fresh.withdrawn_on}")
        if withdrawn_on < fresh.consented_on:
            raise InputError(
                "is before consent was given", column="withdrawn_on", value=str(withdrawn_on)
            )
        fresh.withdrawn_on = withdrawn_on
        fresh.withdrawal_reason = reason
        audit.save(fresh, user, reason)
    return fresh


def lock_participant(participant: Participant) -> Participant:
    """Lock the participant's row for the rest of the transaction.

    Randomisation holds the same lock, so a withdrawal of consent (or from the trial) and a
    randomisation of the same participant never interleave: whichever comes second sees
    what the first one wrote. (SQLite's immediate transactions serialise all writers.)
    """
    return Participant.objects.select_for_update(no_key=True, of=("self",)).get(pk=participant.pk)


def check_ready_for_randomisation(participant: Participant) -> None:
    """Refuse unless the latest screening is eligible, consent is active and nobody withdrew."""
    latest = participant.screenings.order_by("-screened_on", "-id").first()
    if latest is None or not latest.eligible:
        raise NotEligible(f"{participant.study_id} has no eligible screening; screen her first")
    if not participant.consents.filter(withdrawn_on__isnull=True).exists():
        raise NotEligible(f"{participant.study_id} has no active consent; record consent first")
    if Withdrawal.objects.filter(participant=participant).exists():
        raise NotEligible(f"{participant.study_id} has withdrawn from the trial")


def schedule_visits(user: User, participant: Participant, *, randomised_on: dt.date) -> list[Visit]:
    """Create the protocol's visits from the randomisation date (once per participant)."""
    access.require_role(user, *ENROLLING)
    access.require_centre(user, participant.centre)
    check_ready_for_randomisation(participant)
    version = protocol_version()
    with transaction.atomic():
        if participant.visits.exists():
            raise TrialStateError(f"{participant.study_id}'s visits are already scheduled")
        visits = []
        for window in schedule(active_protocol(), randomised_on):
            visit = Visit(
                participant=participant,
                protocol_version=version,
                code=window.visit,
                due_date=window.due,
                window_start=window.earliest,
                window_end=window.latest,
            )
            audit.save(visit, user, f"scheduled from randomisation on {randomised_on}")
            visits.append(visit)
    return visits


def complete_visit(
    user: User, visit: Visit, *, completed_on: dt.date, today: dt.date, reason: str = ""
) -> Visit:
    """Record the date a visit was done; changing a recorded date needs a reason."""
    access.require_role(user, *ENROLLING, Role.PHYSIOTHERAPIST)
    access.require_centre(user, visit.participant.centre)
    if completed_on > today:
        raise InputError(
            "is in the future",
            column="completed_on",
            value=str(completed_on),
            hint="enter the date it was done",
        )
    with transaction.atomic():
        fresh = Visit.objects.select_for_update().get(pk=visit.pk)
        why = "completed"
        if fresh.completed_on is not None:
            why = audit.require_reason(reason, f"the date of visit {fresh.code}")
        fresh.completed_on = completed_on
        audit.save(fresh, user, why)
    return fresh


def withdraw(
    user: User, participant: Participant, *, withdrawn_on: dt.date, kind: str, reason: str
) -> Withdrawal:
    access.require_role(user, *ENROLLING)
    access.require_centre(user, participant.centre)
    reason = audit.require_reason(reason, "participation")
    if kind not in WithdrawalKind.values:
        raise InputError(
            f"must be one of {', '.join(WithdrawalKind.values)}", column="kind", value=kind
        )
    with transaction.atomic():
        lock_participant(participant)
        if Withdrawal.objects.filter(participant=participant).exists():
            raise TrialStateError(f"{participant.study_id}'s withdrawal is already recorded")
        withdrawal = Withdrawal(
            participant=participant,
            withdrawn_on=withdrawn_on,
            kind=kind,
            reason=reason,
            recorded_by=user,
        )
        audit.save(withdrawal, user, reason)
    return withdrawal
