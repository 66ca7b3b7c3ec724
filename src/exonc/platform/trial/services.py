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
from django.utils import timezone
from django.utils.translation import gettext as _

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
from exonc.protocol import Answer, assess_eligibility, plausibility, schedule
from exonc.protocol.study_ids import check_study_id, next_study_id

ENROLLING = (Role.COORDINATOR,)


@dataclass(frozen=True)
class Enrolment:
    """What a coordinator enters to enrol a participant (an empty study ID is generated)."""

    study_id: str  # "" to have the protocol's pattern number her
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
    """Register a participant at a centre under the active protocol.

    The study ID is checked against the protocol's pattern, or generated from it when empty.
    """
    access.require_role(user, *ENROLLING)
    centre = Centre.objects.filter(code=data.centre).first()
    if centre is None:
        raise UnknownCentre(
            _("unknown centre %(centre)s; choose one of the trial's centres")
            % {"centre": repr(data.centre)}
        )
    access.require_centre(user, centre)
    typed = data.study_id.strip()
    if typed:
        check_study_id(typed, active_protocol().study_ids, centre.code)
    values = check_baseline(_baseline(data), today)
    values["sex"] = _sex(data.sex)
    try:
        with transaction.atomic():
            study_id = typed or _next_study_id(centre)
            if Participant.objects.filter(study_id=study_id).exists():
                raise DuplicateStudyId(f"study ID {study_id} is already in use; choose another")
            participant = Participant(
                study_id=study_id, centre=centre, protocol_version=protocol_version(), **values
            )
            audit.save(participant, user, "enrolled")
    except IntegrityError as exc:  # a concurrent enrolment took the ID first
        raise DuplicateStudyId(
            f"study ID {typed or 'generated'} is already in use; try again"
        ) from exc
    return participant


def _next_study_id(centre: Centre) -> str:
    taken = Participant.objects.filter(centre=centre).values_list("study_id", flat=True)
    return next_study_id(active_protocol().study_ids, centre.code, taken)


def suggested_study_id(centre: Centre) -> str:
    """The ID :func:`enrol` would generate at *centre* now (shown on the enrolment form)."""
    return _next_study_id(centre)


#: Baseline fields a coordinator may correct after enrolment (with a reason).
EDITABLE = (
    "birth_year",
    "line_of_treatment",
    "metastatic_sites",
    "bone_metastases",
    "ecog",
    "baseline_pain",
)


def _baseline(data: Enrolment) -> dict[str, object]:
    return {name: getattr(data, name) for name in EDITABLE}


def _sex(value: str) -> str:
    plausibility.check_choice(value, Sex.values, column="sex", blank=False)
    return value


def check_baseline(values: Mapping[str, object], today: dt.date) -> dict[str, object]:
    """The baseline fields, validated the same way at enrolment and at every correction."""
    checked = dict(values)
    birth_year = checked["birth_year"]
    if not isinstance(birth_year, int) or isinstance(birth_year, bool):
        raise InputError("must be a four-digit year", column="birth_year", value=birth_year)
    plausibility.check_birth_year(birth_year, today)
    line = str(checked["line_of_treatment"] or "")
    plausibility.check_choice(line, LineOfTreatment.values, column="line_of_treatment", blank=True)
    checked["line_of_treatment"] = line
    ecog = checked["ecog"]
    if ecog is not None and (not isinstance(ecog, int) or isinstance(ecog, bool)):
        raise InputError("must be a whole number from 0 to 5", column="ecog", value=ecog)
    plausibility.check_ecog(ecog)
    sites = checked["metastatic_sites"]
    if isinstance(sites, str) or not isinstance(sites, Sequence):
        raise InputError("must be a list of sites", column="metastatic_sites", value=sites)
    allowed = active_protocol().metastatic_sites
    checked["metastatic_sites"] = plausibility.check_metastatic_sites(
        [str(s) for s in sites], allowed
    )
    for name in ("bone_metastases", "baseline_pain"):
        if checked[name] not in (None, True, False):
            raise InputError("must be yes, no or not known", column=name, value=checked[name])
    return checked


def update_participant(
    user: User,
    participant: Participant,
    changes: Mapping[str, object],
    reason: str,
    *,
    today: dt.date | None = None,
) -> Participant:
    """Correct baseline data of an enrolled participant; the reason is kept in the audit trail.

    The values are checked exactly as at enrolment; a stratification factor (line of
    treatment) cannot change once the participant is randomised — her stratum is fixed by
    her allocation.
    """
    access.require_role(user, *ENROLLING)
    access.require_centre(user, participant.centre)
    reason = audit.require_reason(reason, f"participant {participant.study_id}")
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise InputError("cannot be changed here", column=unknown[0])
    if not changes:
        raise InputError("changes no value", hint="change at least one field, then save")
    today = today or centre_today(participant.centre)
    with transaction.atomic():
        fresh = lock_participant(participant)
        current = {name: getattr(fresh, name) for name in EDITABLE}
        checked = check_baseline({**current, **changes}, today)
        _check_strata_unchanged(fresh, current, checked)
        for name, value in checked.items():
            setattr(fresh, name, value)
        audit.save(fresh, user, reason)
    return fresh


def _check_strata_unchanged(
    p: Participant, before: Mapping[str, object], after: Mapping[str, object]
) -> None:
    if not hasattr(p, "allocation"):
        return
    factors = {f.code for f in active_protocol().randomisation.factors}
    for name in sorted(factors & set(EDITABLE)):
        if before[name] != after[name]:
            raise TrialStateError(
                f"{p.study_id} is randomised: her {name.replace('_', ' ')} "
                f"({before[name]}) is a stratification factor and cannot change; "
                "record the correct value in a note and tell the trial statistician"
            )


def centre_today(centre: Centre) -> dt.date:
    """Today's date at *centre* (where the services need one and the caller gave none)."""
    return local_today(centre, timezone.now())


def screen(
    user: User,
    participant: Participant,
    answers: Mapping[str, tuple[str, str]],
    *,
    screened_on: dt.date,
    today: dt.date | None = None,
) -> Screening:
    """Record a screening: criterion id → (answer yes/no/unknown, reason)."""
    access.require_role(user, *ENROLLING)
    access.require_centre(user, participant.centre)
    plausibility.check_not_future(
        screened_on, today or centre_today(participant.centre), column="screened_on"
    )
    try:
        parsed = {cid: Answer(answer) for cid, (answer, _) in answers.items()}
    except ValueError as exc:
        raise InputError("answers must be yes, no or unknown", column="answer") from exc
    verdict = assess_eligibility(active_protocol(), parsed)
    with transaction.atomic():
        _check_active(lock_participant(participant))
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
                    screening=screening, criterion_id=cid, answer=answer, reason=reason.strip()
                ),
                user,
                "screened",
            )
    return screening


def _check_active(participant: Participant) -> None:
    if Withdrawal.objects.filter(participant=participant).exists():
        raise TrialStateError(
            _("%(study_id)s has withdrawn from the trial") % {"study_id": participant.study_id}
        )


def record_consent(
    user: User,
    participant: Participant,
    *,
    consented_on: dt.date,
    consent_version: str = "",
    today: dt.date | None = None,
) -> Consent:
    """Record consent to the protocol's consent form (or a named version: a re-consent after
    an amendment is a new consent record). Consent follows a screening and is not dated
    after today."""
    access.require_role(user, *ENROLLING)
    access.require_centre(user, participant.centre)
    plausibility.check_not_future(
        consented_on, today or centre_today(participant.centre), column="consented_on"
    )
    version = consent_version.strip() or active_protocol().consent_version
    with transaction.atomic():
        _check_active(lock_participant(participant))
        plausibility.check_consent_after_screening(
            consented_on, participant.screenings.values_list("screened_on", flat=True)
        )
        if participant.consents.filter(consent_version=version, withdrawn_on__isnull=True).exists():
            raise TrialStateError(
                f"{participant.study_id} already has active consent to version {version}"
            )
        consent = Consent(
            participant=participant,
            protocol_version=protocol_version(),
            consent_version=version,
            consented_on=consented_on,
            recorded_by=user,
        )
        audit.save(consent, user, f"consent to version {version} given")
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
            raise TrialStateError(
                _("consent was already withdrawn on %(withdrawn_on)s")
                % {"withdrawn_on": fresh.withdrawn_on}
            )
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
            raise TrialStateError(
                _("%(study_id)s's visits are already scheduled")
                % {"study_id": participant.study_id}
            )
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
    """Record the date a visit was done; changing a recorded outcome needs a reason."""
    access.require_role(user, *ENROLLING, Role.PHYSIOTHERAPIST)
    access.require_centre(user, visit.participant.centre)
    plausibility.check_not_future(completed_on, today, column="completed_on")
    with transaction.atomic():
        fresh = Visit.objects.select_for_update().get(pk=visit.pk)
        why = "completed"
        if fresh.completed_on is not None or fresh.missed_reason:
            why = audit.require_reason(reason, f"the outcome of visit {fresh.code}")
        fresh.completed_on = completed_on
        fresh.missed_reason = ""
        audit.save(fresh, user, why)
    return fresh


def record_missed_visit(
    user: User, visit: Visit, *, missed_reason: str, today: dt.date, reason: str = ""
) -> Visit:
    """Record that a visit did not take place, and why (its window may still be open)."""
    access.require_role(user, *ENROLLING, Role.PHYSIOTHERAPIST)
    access.require_centre(user, visit.participant.centre)
    missed_reason = missed_reason.strip()
    if not missed_reason:
        raise InputError(
            "is empty", column="missed_reason", hint="say why the visit did not take place"
        )
    if today < visit.window_start:
        raise InputError(
            f"cannot be recorded before its window opens ({visit.window_start.isoformat()})",
            column="missed_reason",
            hint="record it once the window is open",
        )
    with transaction.atomic():
        fresh = Visit.objects.select_for_update().get(pk=visit.pk)
        why = f"missed: {missed_reason}"
        if fresh.completed_on is not None or fresh.missed_reason:
            why = audit.require_reason(reason, f"the outcome of visit {fresh.code}")
        fresh.completed_on = None
        fresh.missed_reason = missed_reason
        audit.save(fresh, user, why)
    return fresh


def withdraw(
    user: User,
    participant: Participant,
    *,
    withdrawn_on: dt.date,
    kind: str,
    reason: str,
    today: dt.date | None = None,
) -> Withdrawal:
    """Record a withdrawal of the kind the trial reports, on a date not after today."""
    access.require_role(user, *ENROLLING)
    access.require_centre(user, participant.centre)
    reason = audit.require_reason(reason, "participation")
    plausibility.check_choice(kind, WithdrawalKind.values, column="kind", blank=False)
    plausibility.check_not_future(
        withdrawn_on, today or centre_today(participant.centre), column="withdrawn_on"
    )
    with transaction.atomic():
        lock_participant(participant)
        if Withdrawal.objects.filter(participant=participant).exists():
            raise TrialStateError(
                _("%(study_id)s's withdrawal is already recorded")
                % {"study_id": participant.study_id}
            )
        withdrawal = Withdrawal(
            participant=participant,
            withdrawn_on=withdrawn_on,
            kind=kind,
            reason=reason,
            recorded_by=user,
        )
        audit.save(withdrawal, user, reason)
    return withdrawal
