"""Use cases of the exercise programme: start it, record fitness tests, configure a centre.

Every function checks the user's role and centre, validates with the engine before it
writes, and writes in one transaction through :func:`exonc.platform.audit.save`. A
prescription changes only by a new version: :func:`start_programme` stores version 1, and a
saved test stores a new version whenever :func:`exonc.exercise.revise` returns one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from exonc import exercise as ex
from exonc.errors import AccessDenied, ExerciseInputError, NeedsConfirmation, TrialStateError
from exonc.exercise.plausibility import jump
from exonc.platform import access, audit
from exonc.platform.accounts.models import Role, User
from exonc.platform.exercise import config, convert, safety, state
from exonc.platform.exercise.models import (
    CentreConfiguration,
    ExerciseProfile,
    FitnessTest,
    PrescriptionVersion,
)
from exonc.platform.trial.models import Centre, Participant, Sex
from exonc.platform.trial.protocols import active_protocol

#: Tests done on a machine the lesion register can forbid (a CPET is a medical test).
MACHINE_TESTS = {"multiple_rm": ex.Component.RESISTANCE, "steep_ramp": ex.Component.AEROBIC}


def user_name(user: User) -> str:
    """How a user is named on engine records (clearances, overrides, session logs)."""
    return user.get_full_name() or user.username


def store_version(
    participant: Participant, prescription: ex.Prescription, trigger: str, user: User
) -> PrescriptionVersion:
    """Append one prescription version (inside the caller's transaction)."""
    row = PrescriptionVersion(
        participant=participant,
        version=prescription.version,
        effective=prescription.effective,
        reason=prescription.reason,
        trigger=trigger,
        basis=convert.basis(prescription),
        created_by=user,
    )
    row.save()
    return row


def start_programme(
    user: User, participant: Participant, *, start_date: dt.date, height_cm: float, today: dt.date
) -> ExerciseProfile:
    """Start an exercise-arm participant's programme and store prescription version 1."""
    access.require_role(user, Role.PHYSIOTHERAPIST, Role.COORDINATOR)
    access.require_centre(user, participant.centre)
    state.require_exercise_arm(participant)
    profile = ExerciseProfile(
        participant=participant,
        programme=active_protocol().programme,
        start_date=start_date,
        height_cm=height_cm,
        started_by=user,
    )
    _check_start(participant, profile, today)
    with transaction.atomic():
        if ExerciseProfile.objects.filter(participant=participant).exists():
            raise TrialStateError(f"{participant.study_id}'s programme has already started")
        audit.save(profile, user, "programme started")
        context = state.load(participant, start_date, profile)
        current = ex.prescribe(context.state, start_date, equation=context.equation)
        store_version(participant, current, "start", user)
        later = sorted({t.context.date for t in context.state.tests if t.context.date > start_date})
        for day in later:
            revised = ex.revise(current, context.state, day, equation=context.equation)
            if revised is not current:
                store_version(participant, revised, "test", user)
                current = revised
    return profile


def _check_start(participant: Participant, profile: ExerciseProfile, today: dt.date) -> None:
    if profile.start_date > today + dt.timedelta(days=366):
        raise ExerciseInputError(
            "is more than a year ahead", column="start_date", value=str(profile.start_date)
        )
    ex.ParticipantState(  # validates height and that the start follows the birth year
        participant_id=participant.study_id,
        centre=participant.centre.code,
        start_date=profile.start_date,
        sex=ex.Sex.MALE if participant.sex == Sex.MALE else ex.Sex.FEMALE,
        birth_date=dt.date(participant.birth_year, *state.MID_YEAR),
        height_cm=profile.height_cm,
    )


def record_test(
    user: User,
    participant: Participant,
    *,
    kind: str,
    tested_on: dt.date,
    tester: str,
    values: Mapping[str, Any],
    conditions: str = "",
    today: dt.date,
    confirm_reason: str = "",
) -> FitnessTest:
    """Record a fitness test; a new prescription version follows if it changes the basis.

    A main measure that moved beyond :mod:`exonc.exercise.plausibility`'s limits since the
    previous comparable test is stored only with *confirm_reason* (kept in the audit trail).
    """
    access.require_role(user, Role.PHYSIOTHERAPIST)
    access.require_centre(user, participant.centre)
    context_ = ex.TestContext(tested_on, tester.strip() or user_name(user), conditions)
    context_.check_not_future(today)
    test, stored = convert.fitness_test(kind, context_, values)
    why = f"{kind} test recorded" + _confirmed(participant, test, confirm_reason)
    _check_machine(participant, test, tested_on)
    row = FitnessTest(
        participant=participant,
        kind=kind,
        tested_on=tested_on,
        tester=context_.tester,
        conditions=conditions,
        values=stored,
        recorded_by=user,
    )
    with transaction.atomic():
        audit.save(row, user, why)
        _revise(user, participant, tested_on)
    return row


def _confirmed(participant: Participant, test: ex.FitnessTest, reason: str) -> str:
    """``""``, or ``"; confirmed: <reason>"`` when a big jump was confirmed; refuse an
    unconfirmed big jump."""
    earlier = [convert.domain_test(t) for t in participant.fitness_tests.filter(kind=test.kind)]
    found = jump(test, earlier)
    if found is None:
        return ""
    if not reason.strip():
        message = gettext(found.template) % found.values  # the domain's N_-marked sentence
        raise NeedsConfirmation(message, column="confirm_reason", hint=None)
    return f"; {found.label} change confirmed: {reason.strip()}"


def _check_machine(participant: Participant, test: ex.FitnessTest, day: dt.date) -> None:
    """A test on a machine loads it: the lesion register applies as to a session."""
    component = MACHINE_TESTS.get(test.kind)
    if component is None:
        return
    profile = ExerciseProfile.objects.filter(participant=participant).first()
    programme = config.programme(profile.programme if profile else active_protocol().programme)
    name = test.exercise if isinstance(test, ex.MultipleRMTest) else "cycle_ergometer"
    lesions, overrides = state.register(participant, day)
    restrictions = ex.assess_lesions(lesions, config.rules(participant.centre), day)
    safety.check_exercise(name, component, programme, restrictions, overrides, day)


def _revise(user: User, participant: Participant, tested_on: dt.date) -> None:
    """Store a new version when the saved test changes the basis of the latest one."""
    profile = ExerciseProfile.objects.filter(participant=participant).first()
    if profile is None:
        return  # the first prescription is made when the programme starts
    context = state.load(participant, tested_on, profile)
    latest = context.latest_prescription()
    on = max(tested_on, latest.effective)
    revised = ex.revise(latest, context.state, on, equation=context.equation)
    if revised is not latest:
        store_version(participant, revised, "test", user)


def configure_equipment(
    user: User,
    centre: Centre,
    *,
    default_increment_kg: float,
    ergometer_increment_w: float,
    increments_kg: Mapping[str, float],
    minimum_kg: Mapping[str, float],
    reason: str = "",
) -> CentreConfiguration:
    """Set a centre's machine and ergometer steps (a change needs a reason)."""
    access.require_role(user, Role.PHYSIOTHERAPIST, Role.COORDINATOR)
    access.require_centre(user, centre)
    ex.Equipment(  # validates every step
        centre=centre.code,
        default_increment_kg=default_increment_kg,
        increments_kg=dict(increments_kg),
        minimum_kg=dict(minimum_kg),
        ergometer_increment_w=ergometer_increment_w,
    )
    with transaction.atomic():
        row, why = _configuration(centre, reason, "equipment")
        row.default_increment_kg = default_increment_kg
        row.ergometer_increment_w = ergometer_increment_w
        row.increments_kg = dict(increments_kg)
        row.minimum_kg = dict(minimum_kg)
        audit.save(row, user, why)
    return row


def configure_rules(
    user: User, centre: Centre, *, safety_rules: str, wpeak_equation: str, reason: str
) -> CentreConfiguration:
    """Store a centre's reviewed rule table and SRT→Wpeak equation (clinicians only)."""
    require_clinician(user)
    access.require_centre(user, centre)
    reason = audit.require_reason(reason, f"{centre.code}'s rule table and equation")
    if safety_rules.strip():
        config.parse_rules(safety_rules, centre.code)
    if wpeak_equation.strip():
        config.parse_equation(wpeak_equation, centre.code)
    with transaction.atomic():
        row, _ = _configuration(centre, reason, "rules")
        row.safety_rules = safety_rules
        row.wpeak_equation = wpeak_equation
        audit.save(row, user, reason)
    return row


def _configuration(centre: Centre, reason: str, what: str) -> tuple[CentreConfiguration, str]:
    row = CentreConfiguration.objects.select_for_update().filter(centre=centre).first()
    if row is None:
        return CentreConfiguration(centre=centre), f"{what} configured"
    return row, audit.require_reason(reason, f"{centre.code}'s {what}")


def require_clinician(user: User) -> None:
    """Clinical decisions need a user with the clinician role — administrators included
    (decision 0001): nobody else may clear a lesion, override a rule or set the rules."""
    access.require_role(user, Role.CLINICIAN)
    if user.role != Role.CLINICIAN:
        raise AccessDenied(
            f"only a clinician may make this clinical decision; you are signed in as {user.role}"
        )
