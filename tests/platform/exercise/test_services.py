"""Starting the programme, recording fitness tests, prescription versions, centre settings."""

from __future__ import annotations

import datetime as dt

import pytest

from exonc.errors import AccessDenied, ExerciseInputError, InputError, TrialStateError
from exonc.platform.accounts.models import User
from exonc.platform.exercise import services, state
from exonc.platform.exercise.models import (
    CentreConfiguration,
    ExerciseProfile,
    FitnessTest,
    PrescriptionVersion,
)
from exonc.platform.trial.models import Centre, Participant
from tests.platform.conftest import TODAY
from tests.platform.exercise.conftest import BASELINE, START, record_baseline

pytestmark = pytest.mark.django_db


def _versions(participant: Participant) -> list[tuple[int, dt.date, str]]:
    return [
        (v.version, v.effective, v.trigger)
        for v in PrescriptionVersion.objects.filter(participant=participant)
    ]


def test_start_stores_version_one_from_the_baseline_tests(
    started: ExerciseProfile, physio: User
) -> None:
    participant = started.participant
    [v1] = PrescriptionVersion.objects.filter(participant=participant)
    assert (v1.version, v1.effective, v1.created_by) == (1, START, physio)
    assert v1.reason == "initial prescription from the tests up to 2024-03-04"
    # Brzycki: 60 kg × 8 → 60 / (1.0278 − 0.0278 × 8) = 74.497 kg (hand calculation).
    leg_press = next(s for s in v1.basis["strength"] if s["exercise"] == "leg_press")
    assert leg_press["h1rm_kg"] == pytest.approx(74.497, abs=1e-3)
    assert v1.basis["aerobic"]["wpeak_w"] == 160
    history = started.history.get()
    assert (history.history_user, history.history_change_reason) == (physio, "programme started")


def test_the_plan_of_the_day_comes_from_the_version_in_force(started: ExerciseProfile) -> None:
    plan = state.load(started.participant, TODAY).plan(TODAY)
    # 2024-05-02 is in week 9 (day 59 from 2024-03-04): weeks 9-12 take the first scheme again
    # (10-12 reps at 70-75 %), and weeks 4-14 are 8 × 1 min at 100 % Wpeak.
    assert (plan.week, plan.phase, plan.scheme) == (
        9,
        "intervals-8x1min",
        "10-12 reps at 70-75 % h1RM",
    )
    leg_press = next(r for r in plan.resistance if r.exercise == "leg_press")
    # 74.497 × 0.70 = 52.15 kg → nearest 2.5 kg step: 52.5 kg.
    assert leg_press.load_kg == 52.5
    assert plan.aerobic.main.work_watts == (160.0, 160.0)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("who", "participant", "error"),
    [
        ("physio", "control", TrialStateError),  # not in the exercise arm
        ("physio", "ready", TrialStateError),  # not randomised
        ("other_physio", "member", AccessDenied),  # another centre
        ("clinician", "member", AccessDenied),  # role
    ],
)
def test_start_refusals_write_nothing(
    request: pytest.FixtureRequest, who: str, participant: str, error: type[Exception]
) -> None:
    user = request.getfixturevalue(who)
    target = request.getfixturevalue(participant)
    with pytest.raises(error):
        services.start_programme(user, target, start_date=START, height_cm=165, today=TODAY)
    assert not ExerciseProfile.objects.exists()
    assert not PrescriptionVersion.objects.exists()


def test_start_twice_and_impossible_height_are_refused(member: Participant, physio: User) -> None:
    with pytest.raises(ExerciseInputError, match="height_cm"):
        services.start_programme(physio, member, start_date=START, height_cm=40, today=TODAY)
    services.start_programme(physio, member, start_date=START, height_cm=165, today=TODAY)
    with pytest.raises(TrialStateError, match="already started"):
        services.start_programme(physio, member, start_date=START, height_cm=165, today=TODAY)
    assert ExerciseProfile.objects.count() == 1


def test_a_repeated_test_stores_a_new_version_with_its_reason(
    started: ExerciseProfile, physio: User
) -> None:
    participant = started.participant
    day = dt.date(2024, 4, 29)
    test = services.record_test(
        physio,
        participant,
        kind="multiple_rm",
        tested_on=day,
        tester="",
        values={"exercise": "leg_press", "load_kg": 70, "reps": 8},
        today=TODAY,
    )
    assert test.tester == "physio-utr"  # blank: the user who recorded it
    entry = test.history.get()
    assert (entry.history_user, entry.history_change_reason) == (
        physio,
        "multiple_rm test recorded",
    )
    assert _versions(participant) == [(1, START, "start"), (2, day, "test")]
    v2 = PrescriptionVersion.objects.get(participant=participant, version=2)
    # 70 / 0.8054 = 86.91 kg
    assert v2.reason == ("tests repeated: leg_press h1RM 74.5 kg → 86.9 kg (test of 2024-04-29)")
    assert v2.created_by == physio


def test_tests_done_before_the_latest_version_take_effect_with_it(
    started: ExerciseProfile, physio: User
) -> None:
    """A test entered late never rewrites the past: it takes effect no earlier than the
    latest version (versions stay in date order)."""
    services.record_test(
        physio,
        started.participant,
        kind="steep_ramp",
        tested_on=BASELINE + dt.timedelta(days=1),
        tester="J. Smit",
        values={"msec_w": 270},
        today=TODAY,
    )
    assert _versions(started.participant)[-1] == (2, START, "test")


def test_tests_before_the_programme_make_no_version(member: Participant, physio: User) -> None:
    record_baseline(physio, member)
    assert FitnessTest.objects.filter(participant=member).count() == 8
    assert not PrescriptionVersion.objects.exists()


@pytest.mark.parametrize(
    ("kind", "values", "tested_on", "message"),
    [
        # Brzycki and Epley are valid for 2-10 repetitions (docs/concepts/fitness-tests.md).
        ("multiple_rm", {"exercise": "leg_press", "load_kg": 40, "reps": 12}, BASELINE, "2–10"),
        ("multiple_rm", {"exercise": "leg_press", "load_kg": 40, "reps": 1}, BASELINE, "2–10"),
        ("multiple_rm", {"exercise": "leg_press", "load_kg": 650, "reps": 5}, BASELINE, "load"),
        ("multiple_rm", {"exercise": "leg_press", "load_kg": -5, "reps": 5}, BASELINE, "load"),
        ("multiple_rm", {"exercise": "leg_press", "reps": 5}, BASELINE, "load_kg: is missing"),
        ("steep_ramp", {"msec_w": "fast"}, BASELINE, "msec_w: value 'fast'"),
        ("steep_ramp", {"msec_w": 250, "rpm": 80}, BASELINE, "column rpm"),
        ("steep_ramp", {"msec_w": 250}, TODAY + dt.timedelta(days=1), "after today"),
        ("sit_and_reach", {}, BASELINE, "unknown fitness test"),
        ("multiple_rm", {"exercise": "squat", "load_kg": 40, "reps": 5}, BASELINE, "squat"),
    ],
)
def test_bad_tests_are_refused_and_nothing_is_written(
    member: Participant,
    physio: User,
    kind: str,
    values: dict[str, object],
    tested_on: dt.date,
    message: str,
) -> None:
    with pytest.raises(InputError, match=message):
        services.record_test(
            physio,
            member,
            kind=kind,
            tested_on=tested_on,
            tester="J. Smit",
            values=values,
            today=TODAY,
        )
    assert not FitnessTest.objects.exists()


def test_tests_are_recorded_by_physiotherapists_of_the_centre(
    member: Participant, coordinator: User, other_physio: User
) -> None:
    for user in (coordinator, other_physio):
        with pytest.raises(AccessDenied):
            services.record_test(
                user,
                member,
                kind="steep_ramp",
                tested_on=BASELINE,
                tester="x",
                values={"msec_w": 250},
                today=TODAY,
            )
    assert not FitnessTest.objects.exists()


def test_equipment_steps_change_the_loads(
    started: ExerciseProfile, physio: User, centres: dict[str, Centre]
) -> None:
    utrecht = centres["NL-UTR"]
    services.configure_equipment(
        physio,
        utrecht,
        default_increment_kg=2.5,
        ergometer_increment_w=10,
        increments_kg={"leg_press": 5.0},
        minimum_kg={},
    )
    plan = state.load(started.participant, TODAY).plan(TODAY)
    # 52.15 kg on a 5 kg leg press → 50 kg.
    assert next(r for r in plan.resistance if r.exercise == "leg_press").load_kg == 50.0
    with pytest.raises(InputError, match="reason"):
        services.configure_equipment(
            physio,
            utrecht,
            default_increment_kg=1,
            ergometer_increment_w=5,
            increments_kg={},
            minimum_kg={},
        )
    with pytest.raises(ExerciseInputError, match=r"increments_kg\.leg_press"):
        services.configure_equipment(
            physio,
            utrecht,
            default_increment_kg=1,
            ergometer_increment_w=5,
            increments_kg={"leg_press": 0},
            minimum_kg={},
            reason="new machine",
        )
    row = CentreConfiguration.objects.get(centre=utrecht)
    assert row.increments_kg == {"leg_press": 5.0}
    assert row.history.count() == 1


EQUATION = """
name = "Test equation"
citation = "hand-made for the test suite"
population = "none"
[coefficients]
intercept = 10.0
msec_w = 0.5
age_years = 0.0
height_cm = 0.0
female = 0.0
[validity]
msec_w = [100, 500]
age_years = [20, 90]
height_cm = [140, 200]
"""


def test_clinicians_set_the_rules_and_equation(
    started: ExerciseProfile,
    physio: User,
    clinician: User,
    administrator: User,
    centres: dict[str, Centre],
) -> None:
    utrecht = centres["NL-UTR"]
    for user in (physio, administrator):
        with pytest.raises(AccessDenied):
            services.configure_rules(
                user, utrecht, safety_rules="", wpeak_equation=EQUATION, reason="reviewed"
            )
    with pytest.raises(InputError, match="NL-UTR Wpeak equation"):
        services.configure_rules(
            clinician, utrecht, safety_rules="", wpeak_equation="name = 1", reason="x"
        )
    services.configure_rules(
        clinician, utrecht, safety_rules="", wpeak_equation=EQUATION, reason="reviewed"
    )
    services.record_test(
        physio,
        started.participant,
        kind="steep_ramp",
        tested_on=dt.date(2024, 4, 29),
        tester="J. Smit",
        values={"msec_w": 340},
        today=TODAY,
    )
    plan = state.load(started.participant, TODAY).plan(TODAY)
    # The SRT of 2024-04-29 is newer than the CPET (160 W): Wpeak = 10 + 0.5 × 340 = 180 W,
    # and week 9 works at 100 % Wpeak.
    assert plan.aerobic.main.work_watts == (180.0, 180.0)  # type: ignore[union-attr]
    assert "estimated from the SRT of 2024-04-29 (Test equation)" in plan.aerobic.notes[0]


# ------------------------------------------------------------------ issue 11: big jumps


def test_a_big_jump_since_the_last_test_needs_a_confirmed_reason(
    started: object, member: Participant, physio: User
) -> None:
    from exonc.errors import NeedsConfirmation
    from exonc.platform.exercise.models import FitnessTest

    previous = member.fitness_tests.filter(kind="steep_ramp").order_by("tested_on").last()
    day = previous.tested_on + dt.timedelta(days=30)
    jumped = {"msec_w": previous.values["msec_w"] * 1.64}  # +64 %, issue 11's example
    before = FitnessTest.objects.count()
    with pytest.raises(NeedsConfirmation, match=r"MSEC rose by 64% since the test of"):
        services.record_test(
            physio, member, kind="steep_ramp", tested_on=day, tester="", values=jumped, today=day
        )
    assert FitnessTest.objects.count() == before
    row = services.record_test(
        physio,
        member,
        kind="steep_ramp",
        tested_on=day,
        tester="",
        values=jumped,
        today=day,
        confirm_reason="re-tested: new bike, value confirmed",
    )
    assert row.history.get().history_change_reason == (
        "steep_ramp test recorded; MSEC change confirmed: re-tested: new bike, value confirmed"
    )
