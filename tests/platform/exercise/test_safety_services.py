"""The lesion register through the services: clearances, overrides and the hard stops.

No plan and no logged session may load a restricted movement at a lesion's site without a
recorded override; a hard stop (Mirels ≥ 9, SINS ≥ 13 without clearance) yields to nothing
but a clinician's clearance.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from exonc import exercise as ex
from exonc.errors import AccessDenied, ExerciseInputError, SafetyRuleViolation, TrialStateError
from exonc.platform.accounts.models import User
from exonc.platform.exercise import convert, services, state
from exonc.platform.exercise import safety_services as register
from exonc.platform.exercise import session_services as sessions
from exonc.platform.exercise.models import (
    Clearance,
    ExerciseProfile,
    FitnessTest,
    Lesion,
    Override,
    SessionLog,
)
from exonc.platform.trial.models import Participant
from tests.platform.conftest import TODAY
from tests.platform.exercise.conftest import leg_press, session

pytestmark = pytest.mark.django_db

IMAGED = dt.date(2024, 2, 1)
PELVIS = convert.LesionEntry("pelvis", "left", "lytic", IMAGED)
# Mirels: peritrochanteric 3 + over two thirds 3 + lytic 3 + functional pain 3 = 12 (high).
FEMUR = convert.LesionEntry(
    "proximal_femur",
    "right",
    "lytic",
    IMAGED,
    mirels_site="peritrochanteric",
    mirels_size="over_two_thirds",
    mirels_pain="functional",
)


def _lesion(user: User, participant: Participant, entry: convert.LesionEntry) -> Lesion:
    return register.record_lesion(user, participant, entry, today=TODAY)


def _item(plan: ex.SessionPlan, name: str) -> Any:
    return next(r for r in plan.resistance if r.exercise == name or r.replaces == name)


def test_a_site_rule_substitutes_in_the_plan_and_refuses_the_log(
    started: ExerciseProfile, physio: User
) -> None:
    participant = started.participant
    lesion = _lesion(physio, participant, PELVIS)
    assert lesion.label == "L1"
    assert lesion.history.get().history_change_reason == "lesion recorded"
    plan = state.load(participant, TODAY).plan(TODAY)
    item = _item(plan, "leg_press")
    assert (item.exercise, item.status) == ("seated_calf_raise", "substituted")
    assert [r.kind for r in plan.restrictions] == ["site_rule"]
    with pytest.raises(SafetyRuleViolation, match=r"Leg press \(leg_press\).*lesion L1"):
        sessions.log_session(
            physio, participant, session(resistance=[leg_press(10, 50)]), today=TODAY
        )
    assert not SessionLog.objects.exists()
    calf = {"exercise": "seated_calf_raise", "sets": [{"reps": 10, "load_kg": 20}] * 3}
    sessions.log_session(physio, participant, session(resistance=[calf]), today=TODAY)


def test_an_override_needs_a_clinician_and_a_reason_and_lifts_a_site_rule(
    started: ExerciseProfile, physio: User, clinician: User, administrator: User
) -> None:
    participant = started.participant
    lesion = _lesion(physio, participant, PELVIS)
    arguments: dict[str, Any] = {"exercise": "leg_press", "starts_on": TODAY, "today": TODAY}
    for user in (physio, administrator):
        with pytest.raises(AccessDenied):
            register.record_override(user, lesion, reason="stable", **arguments)
    with pytest.raises(ExerciseInputError, match="reason"):
        register.record_override(clinician, lesion, reason="  ", **arguments)
    with pytest.raises(ExerciseInputError, match="not an exercise of the programme"):
        register.record_override(clinician, lesion, reason="ok", **{**arguments, "exercise": "x"})
    assert not Override.objects.exists()
    override = register.record_override(
        clinician, lesion, reason="blastic, stable on CT; leg press allowed", **arguments
    )
    assert override.clinician_name == "Carla de Vries"
    assert override.history.get().history_user == clinician
    plan = state.load(participant, TODAY).plan(TODAY)
    item = _item(plan, "leg_press")
    assert (item.exercise, item.status) == ("leg_press", "overridden")
    assert "allowed by override of Carla de Vries" in item.notes[0]
    sessions.log_session(
        physio, participant, session(resistance=[leg_press(10, 52.5)]), today=TODAY
    )


def test_a_hard_stop_yields_only_to_a_clearance(
    started: ExerciseProfile, physio: User, clinician: User
) -> None:
    participant = started.participant
    lesion = _lesion(physio, participant, FEMUR)
    plan = state.load(participant, TODAY).plan(TODAY)
    assert "hard_stop" in {r.kind for r in plan.restrictions}
    # The pelvis/hip region is closed to hip and knee work: the ergometer and the knee
    # machines are out; the leg press gives way to the seated calf raise (ankle only).
    assert plan.aerobic.status == "omitted"
    for name in ("leg_curl", "leg_extension"):
        assert _item(plan, name).status == "omitted"
    assert _item(plan, "leg_press").exercise == "seated_calf_raise"
    with pytest.raises(SafetyRuleViolation, match="cannot lift a hard stop"):
        register.record_override(
            clinician,
            lesion,
            exercise="leg_curl",
            reason="she is fine",
            starts_on=TODAY,
            today=TODAY,
        )
    leg_curl = {"exercise": "leg_curl", "sets": [{"reps": 10, "load_kg": 15}] * 3}
    with pytest.raises(SafetyRuleViolation, match="hard stop"):
        sessions.log_session(physio, participant, session(resistance=[leg_curl]), today=TODAY)
    with pytest.raises(AccessDenied):
        register.clear_lesion(physio, lesion, cleared_on=TODAY, note="fixed", today=TODAY)
    with pytest.raises(ExerciseInputError, match="imaging date"):
        register.clear_lesion(clinician, lesion, cleared_on=IMAGED - dt.timedelta(1), today=TODAY)
    register.clear_lesion(clinician, lesion, cleared_on=TODAY, note="nailed 2024-04", today=TODAY)
    plan = state.load(participant, TODAY).plan(TODAY)
    assert {r.kind for r in plan.restrictions} == {"site_rule"}
    assert _item(plan, "leg_curl").status == "prescribed"
    sessions.log_session(physio, participant, session(resistance=[leg_curl]), today=TODAY)
    assert Clearance.objects.get().clinician_name == "Carla de Vries"


def test_a_restricted_machine_is_not_tested(started: ExerciseProfile, physio: User) -> None:
    _lesion(physio, started.participant, PELVIS)
    with pytest.raises(SafetyRuleViolation, match="leg_press"):
        services.record_test(
            physio,
            started.participant,
            kind="multiple_rm",
            tested_on=TODAY,
            tester="J. Smit",
            values={"exercise": "leg_press", "load_kg": 60, "reps": 8},
            today=TODAY,
        )
    assert FitnessTest.objects.filter(tested_on=TODAY).count() == 0


def test_lesion_refusals(member: Participant, physio: User, other_physio: User) -> None:
    with pytest.raises(AccessDenied):
        _lesion(other_physio, member, PELVIS)
    bad = convert.LesionEntry("pelvis", "left", "lytic", IMAGED, mirels_site="lower_limb")
    with pytest.raises(ExerciseInputError, match="mirels_size"):
        _lesion(physio, member, bad)
    wrong = convert.LesionEntry(
        "pelvis", "left", "lytic", IMAGED, "lower_limb", "under_one_third", "mild"
    )
    with pytest.raises(ExerciseInputError, match="pelvis is not a long bone"):
        _lesion(physio, member, wrong)
    level = convert.LesionEntry(
        "lumbar_spine",
        "midline",
        "lytic",
        IMAGED,
        sins_level="T7",
        sins_pain="pain_free",
        sins_alignment="normal",
        sins_collapse="none",
        sins_posterolateral="none",
    )
    with pytest.raises(ExerciseInputError, match="T7 is not in the lumbar spine"):
        _lesion(physio, member, level)
    with pytest.raises(ExerciseInputError, match="future"):
        _lesion(
            physio, member, convert.LesionEntry("ribs", "left", "lytic", TODAY + dt.timedelta(1))
        )
    _lesion(physio, member, PELVIS)
    with pytest.raises(TrialStateError, match="already has a lesion L1"):
        _lesion(physio, member, convert.LesionEntry("ribs", "left", "lytic", IMAGED, label="L1"))
    assert Lesion.objects.count() == 1


# Representative registers: a site rule, the thoracic rule with its shoulder movements, a
# hard stop, a SINS sign-off and a site without a rule (sign-off required until cleared).
REGISTERS = {
    "pelvis site rule": PELVIS,
    "thoracic spine site rule": convert.LesionEntry(
        "thoracic_spine",
        "midline",
        "blastic",
        IMAGED,
        sins_level="T7",
        sins_pain="pain_free",
        sins_alignment="normal",
        sins_collapse="none",
        sins_posterolateral="none",
    ),
    "proximal femur hard stop": FEMUR,
    # SINS: T12 junctional 3 + lytic 2 + occasional pain 1 + normal 0 + collapse < 50 % 2
    # + posterolateral none 0 = 8: potentially unstable, sign-off required.
    "thoracolumbar SINS sign-off": convert.LesionEntry(
        "thoracic_spine",
        "midline",
        "lytic",
        IMAGED,
        sins_level="T12",
        sins_pain="occasional",
        sins_alignment="normal",
        sins_collapse="under_half",
        sins_posterolateral="none",
    ),
    "skull without a rule": convert.LesionEntry("skull", "midline", "mixed", IMAGED),
}


@pytest.mark.parametrize("entry", REGISTERS.values(), ids=list(REGISTERS))
def test_no_plan_or_log_loads_a_restricted_movement(
    started: ExerciseProfile, physio: User, entry: convert.LesionEntry
) -> None:
    """Through the service layer: for every exercise of the library, a log is refused
    exactly when the engine's check blocks it, and the plan prescribes none of those."""
    participant = started.participant
    _lesion(physio, participant, entry)
    context = state.load(participant, TODAY)
    restrictions = context.restrictions(TODAY)
    plan = context.plan(TODAY)
    prescribed = {plan.aerobic.exercise} if plan.aerobic.status != "omitted" else set()
    prescribed |= {r.exercise for r in plan.resistance if r.status != "omitted"}
    if plan.balance is not None and plan.balance.status != "omitted":
        prescribed.add(plan.balance.exercise)
    day = TODAY
    for name, definition in context.programme.exercises.items():
        blocked = not ex.check_exercise(definition, restrictions, (), day).allowed
        assert not (blocked and name in prescribed), name
        data = _delivered(definition)
        day -= dt.timedelta(days=1)  # one log per day
        if blocked:
            with pytest.raises(SafetyRuleViolation):
                sessions.log_session(physio, participant, session(day, **data), today=TODAY)
        else:
            sessions.log_session(physio, participant, session(day, **data), today=TODAY)


def _delivered(definition: ex.ExerciseDefinition) -> dict[str, Any]:
    if definition.component is ex.Component.AEROBIC:
        return {
            "aerobic": {"exercise": definition.name, "bouts": 8, "bout_seconds": 60, "watts": 150}
        }
    if definition.component is ex.Component.BALANCE:
        return {"balance": {"exercise": definition.name, "minutes": 10}}
    return {"resistance": [{"exercise": definition.name, "sets": [{"reps": 10, "load_kg": 20}]}]}
