"""Session logs, check-ins, flags and adverse events refuse what cannot be true."""

from __future__ import annotations

import datetime as dt

import pytest

from exonc.errors import ExerciseInputError
from exonc.exercise import (
    AdverseEvent,
    AdverseEventOutcome,
    Attendance,
    DeliveredAerobic,
    DeliveredBalance,
    DeliveredResistance,
    DeliveredSet,
    Relatedness,
    SessionLog,
    Setting,
    SymptomCheckIn,
    SymptomFlag,
    SymptomKind,
    flags_from_check_in,
)

DAY = dt.date(2024, 2, 6)


def _press(**kwargs: object) -> DeliveredResistance:
    return DeliveredResistance(
        "leg_press", (DeliveredSet(12, 50.0), DeliveredSet(10, 50.0)), **kwargs
    )  # type: ignore[arg-type]


def test_delivered_doses() -> None:
    press = _press(rpe=6.5, pain=1)
    assert press.volume_load_kg == 1100.0  # 12 × 50 + 10 × 50
    assert press.total_reps == 22
    bike = DeliveredAerobic("cycle_ergometer", 8, 60, 150.0)
    assert bike.work_kj == pytest.approx(72.0)  # 8 × 60 s × 150 W


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: _press(pain=11), "pain must be a whole number from 0 to 10"),
        (lambda: _press(pain=2.5), "pain must be a whole number"),
        (lambda: _press(rpe=12.0), "RPE is on the CR-10 scale"),
        (lambda: _press(modification="half range"), "a modification needs its reason"),
        (lambda: DeliveredSet(12, -5.0), "load_kg must be a number from 0 to 500"),
        (lambda: DeliveredSet(12, 800.0), "load_kg must be a number from 0 to 500"),
        (lambda: DeliveredSet(-1, 20.0), "repetitions must be a whole number"),
        (lambda: DeliveredAerobic("cycle_ergometer", 8, 60, 5000.0), "watts must be a number"),
        (lambda: DeliveredBalance("balance_training", -1.0), "minutes must be a number"),
    ],
)
def test_impossible_delivered_values_are_refused(make: object, message: str) -> None:
    with pytest.raises(ExerciseInputError, match=message):
        make()  # type: ignore[operator]


def test_a_missed_session_needs_a_reason_and_no_delivered_exercise() -> None:
    with pytest.raises(ExerciseInputError, match="a missed session needs its reason"):
        SessionLog("P001", DAY, Setting.SUPERVISED, Attendance.MISSED)
    with pytest.raises(ExerciseInputError, match="cannot have delivered exercise"):
        SessionLog(
            "P001", DAY, Setting.SUPERVISED, Attendance.MISSED, "ill", resistance=(_press(),)
        )
    missed = SessionLog("P001", DAY, Setting.SUPERVISED, Attendance.MISSED, "hospital visit")
    assert not missed.took_place


def test_attendance_must_fit_the_setting() -> None:
    with pytest.raises(ExerciseInputError, match="a home session is home_done or home_not_done"):
        SessionLog("P001", DAY, Setting.HOME, Attendance.ATTENDED)
    with pytest.raises(ExerciseInputError, match="a supervised session is attended or missed"):
        SessionLog("P001", DAY, Setting.SUPERVISED, Attendance.HOME_DONE)


def test_a_session_logged_for_a_future_date_is_refused() -> None:
    log = SessionLog("P001", DAY, Setting.SUPERVISED, Attendance.ATTENDED, resistance=(_press(),))
    log.check_not_future(DAY)
    with pytest.raises(
        ExerciseInputError, match=r"the session is dated after today \(2024-02-05\)"
    ):
        log.check_not_future(DAY - dt.timedelta(days=1))


def test_a_check_in_opens_one_flag_per_symptom() -> None:
    check_in = SymptomCheckIn(new_or_worse_bone_pain=True, dizziness=True, note="pain at night")
    flags = flags_from_check_in(check_in, DAY)
    assert [f.kind for f in flags] == [SymptomKind.BONE_PAIN, SymptomKind.DIZZINESS]
    assert all(f.open_on(DAY) and f.note == "pain at night" for f in flags)
    assert flags_from_check_in(SymptomCheckIn(), DAY) == ()


def test_a_flag_is_open_from_its_opening_until_the_day_it_is_closed() -> None:
    flag = SymptomFlag(SymptomKind.FEVER, DAY, DAY + dt.timedelta(days=3))
    assert [flag.open_on(DAY + dt.timedelta(days=d)) for d in (-1, 0, 2, 3)] == [
        False,
        True,
        True,
        False,
    ]
    with pytest.raises(ExerciseInputError, match="closed before it was opened"):
        SymptomFlag(SymptomKind.FEVER, DAY, DAY - dt.timedelta(days=1))


def _event(**kwargs: object) -> AdverseEvent:
    values: dict[str, object] = {
        "participant_id": "P001",
        "onset": DAY,
        "description": "fracture of the left wrist after a fall at home",
        "grade": 3,
        "serious": True,
        "relatedness": Relatedness.NOT_RELATED,
        "outcome": AdverseEventOutcome.RECOVERING,
    }
    values.update(kwargs)
    return AdverseEvent(**values)  # type: ignore[arg-type]


def test_adverse_events_are_graded_with_ctcae() -> None:
    assert _event().grade == 3
    for grade in (0, 6):
        with pytest.raises(
            ExerciseInputError, match="CTCAE grade must be a whole number from 1 to 5"
        ):
            _event(grade=grade)
    with pytest.raises(ExerciseInputError, match="grade 5 \\(death\\) goes with outcome 'fatal'"):
        _event(grade=5, outcome=AdverseEventOutcome.RECOVERED)
    with pytest.raises(ExerciseInputError, match="grade 5"):
        _event(grade=2, outcome=AdverseEventOutcome.FATAL)
    with pytest.raises(ExerciseInputError, match="grade 5"):
        _event(grade=5, serious=False, outcome=AdverseEventOutcome.FATAL)
    with pytest.raises(ExerciseInputError, match="description must not be empty"):
        _event(description=" ")
    with pytest.raises(ExerciseInputError, match="the adverse event is dated after today"):
        _event().check_not_future(DAY - dt.timedelta(days=1))
