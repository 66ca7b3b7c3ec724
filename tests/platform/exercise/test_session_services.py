"""Logging sessions, progression, symptom flags and notifications, adverse events."""

from __future__ import annotations

import datetime as dt

import pytest

from exonc.errors import AccessDenied, ExerciseInputError, InputError, TrialStateError
from exonc.platform.accounts.models import User
from exonc.platform.exercise import session_services as sessions
from exonc.platform.exercise import state
from exonc.platform.exercise.models import (
    AdverseEvent,
    ExerciseProfile,
    Notification,
    PrescriptionVersion,
    SessionLog,
    SymptomFlag,
)
from exonc.platform.trial import services as trial_services
from exonc.platform.trial.models import Participant
from tests.platform.conftest import TODAY
from tests.platform.exercise.conftest import leg_press, session

pytestmark = pytest.mark.django_db

WEDNESDAY = dt.date(2024, 5, 1)


def test_a_logged_session_keeps_its_plan_and_audit(started: ExerciseProfile, physio: User) -> None:
    participant = started.participant
    done = sessions.log_session(
        physio,
        participant,
        session(resistance=[leg_press(10, 52.5)], balance={"minutes": 10}),
        today=TODAY,
    )
    row = done.log
    assert (row.date, row.setting, row.attendance) == (TODAY, "supervised", "attended")
    assert row.prescription.version == 1
    assert row.plan["week"] == 9
    assert row.plan["restrictions"] == []
    assert row.resistance[0]["sets"] == [{"reps": 10, "load_kg": 52.5}] * 3
    entry = row.history.get()
    assert entry.history_user == physio
    assert entry.history_change_reason == "supervised session logged: attended"
    assert done.new_version is None  # 10 of 10-12 reps: not the top of the range


def test_every_set_at_the_top_at_rpe_7_progresses_the_next_day(
    started: ExerciseProfile, physio: User
) -> None:
    participant = started.participant
    done = sessions.log_session(
        physio,
        participant,
        session(WEDNESDAY, resistance=[leg_press(12, 52.5, rpe=7)]),
        today=TODAY,
    )
    assert done.new_version is not None
    assert (done.new_version.version, done.new_version.effective) == (2, TODAY)
    assert done.new_version.trigger == "session"
    assert done.new_version.reason.startswith("progression: leg_press")
    # One 2.5 kg step: 74.497 × 0.70 + 2.5 = 54.65 kg → 55 kg.
    plan = state.load(participant, TODAY).plan(TODAY)
    assert next(r for r in plan.resistance if r.exercise == "leg_press").load_kg == 55.0
    assert plan.prescription_version == 2


def test_a_check_in_symptom_opens_a_flag_notifies_and_holds_progression(
    started: ExerciseProfile, physio: User, clinician: User, other_clinician: User
) -> None:
    participant = started.participant
    done = sessions.log_session(
        physio,
        participant,
        session(
            WEDNESDAY,
            resistance=[leg_press(12, 52.5, rpe=6)],
            check_in={"new_or_worse_bone_pain": True, "note": "left hip at night"},
        ),
        today=TODAY,
    )
    [flag] = done.flags
    assert (flag.kind, flag.opened_on, flag.note) == (
        "new_or_worse_bone_pain",
        WEDNESDAY,
        "left hip at night",
    )
    assert done.new_version is None  # progression held by the open flag
    assert done.notified == ("clin-utr",)
    [note] = Notification.objects.all()
    assert note.recipient == clinician
    assert "NL-UTR-001" in note.message
    assert "progression is held" in note.message.lower()
    plan = state.load(participant, TODAY).plan(TODAY)
    assert any("open symptom flag: new or worse bone pain" in w for w in plan.warnings)
    # The same symptom at the next session does not open a second flag.
    again = sessions.log_session(
        physio,
        participant,
        session(TODAY, check_in={"new_or_worse_bone_pain": True}),
        today=TODAY,
    )
    assert again.flags == ()


def test_closing_a_flag_needs_a_clinician_and_a_reason(
    started: ExerciseProfile, physio: User, clinician: User, other_clinician: User
) -> None:
    done = sessions.log_session(
        physio, started.participant, session(check_in={"fever": True}), today=TODAY
    )
    flag = done.flags[0]
    with pytest.raises(AccessDenied):
        sessions.close_flag(physio, flag, closed_on=TODAY, reason="ok", today=TODAY)
    with pytest.raises(AccessDenied):
        sessions.close_flag(other_clinician, flag, closed_on=TODAY, reason="ok", today=TODAY)
    with pytest.raises(InputError, match="reason"):
        sessions.close_flag(clinician, flag, closed_on=TODAY, reason=" ", today=TODAY)
    assert SymptomFlag.objects.get().is_open
    closed = sessions.close_flag(
        clinician, flag, closed_on=TODAY, reason="afebrile, bloods normal", today=TODAY
    )
    assert (closed.closed_by, closed.close_reason) == (clinician, "afebrile, bloods normal")
    assert closed.history.first().history_change_reason == "afebrile, bloods normal"
    assert Notification.objects.get().read_at is not None
    with pytest.raises(TrialStateError, match="already closed"):
        sessions.close_flag(clinician, flag, closed_on=TODAY, reason="again", today=TODAY)


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        ({"date": TODAY + dt.timedelta(days=1)}, ExerciseInputError, "after today"),
        ({"attendance": "missed"}, ExerciseInputError, "missed session needs its reason"),
        (
            {"attendance": "home_done"},
            ExerciseInputError,
            "supervised session is attended or missed",
        ),
        (
            {"setting": "home", "attendance": "home_done"},
            ExerciseInputError,
            "no home sessions in week 9",
        ),
        ({"date": dt.date(2024, 3, 1)}, TrialStateError, "no prescription in force"),
        ({"resistance": [leg_press(10, 650)]}, ExerciseInputError, "load_kg"),
        ({"resistance": [leg_press(10, 50, rpe=12)]}, ExerciseInputError, "CR-10"),
        (
            {"resistance": [{**leg_press(10, 50), "modification": "half range"}]},
            ExerciseInputError,
            "its reason",
        ),
        ({"resistance": [{**leg_press(10, 50), "exercise": "squat"}]}, ExerciseInputError, "squat"),
        (
            {"aerobic": {"exercise": "leg_press", "bouts": 1, "bout_seconds": 60, "watts": 90}},
            ExerciseInputError,
            "not a aerobic exercise",
        ),
        (
            {"attendance": "missed", "missed_reason": "ill", "balance": {"minutes": 5}},
            ExerciseInputError,
            "did not take place",
        ),
    ],
)
def test_bad_sessions_are_refused_and_nothing_is_written(
    started: ExerciseProfile,
    physio: User,
    data: dict[str, object],
    error: type[Exception],
    message: str,
) -> None:
    with pytest.raises(error, match=message):
        sessions.log_session(physio, started.participant, session(**data), today=TODAY)
    assert not SessionLog.objects.exists()


def test_sessions_only_for_the_exercise_arm_and_the_own_centre(
    started: ExerciseProfile,
    control: Participant,
    physio: User,
    other_physio: User,
    clinician: User,
) -> None:
    with pytest.raises(TrialStateError, match="not the exercise arm"):
        sessions.log_session(physio, control, session(), today=TODAY)
    with pytest.raises(AccessDenied):
        sessions.log_session(other_physio, started.participant, session(), today=TODAY)
    with pytest.raises(AccessDenied):
        sessions.log_session(clinician, started.participant, session(), today=TODAY)
    assert not SessionLog.objects.exists()


def test_a_session_is_logged_once_and_not_after_withdrawal(
    started: ExerciseProfile, physio: User, coordinator: User
) -> None:
    participant = started.participant
    sessions.log_session(physio, participant, session(WEDNESDAY), today=TODAY)
    with pytest.raises(TrialStateError, match="already logged"):
        sessions.log_session(physio, participant, session(WEDNESDAY), today=TODAY)
    trial_services.withdraw(
        coordinator, participant, withdrawn_on=TODAY, kind="intervention", reason="fatigue"
    )
    with pytest.raises(TrialStateError, match="stopped the programme"):
        sessions.log_session(physio, participant, session(TODAY), today=TODAY)
    assert SessionLog.objects.count() == 1


def test_missed_sessions_are_logged_with_their_reason(
    started: ExerciseProfile, physio: User
) -> None:
    done = sessions.log_session(
        physio,
        started.participant,
        session(attendance="missed", missed_reason="hospital appointment"),
        today=TODAY,
    )
    assert (done.log.attendance, done.log.missed_reason) == ("missed", "hospital appointment")
    assert done.log.plan["resistance"][0]["load_kg"] == 52.5  # the dose she missed


def test_adverse_events_are_graded_and_audited(
    started: ExerciseProfile, physio: User, clinician: User, other_clinician: User
) -> None:
    participant = started.participant
    entry = sessions.AdverseEventEntry(
        onset=WEDNESDAY,
        description="knee pain during leg extension",
        grade=1,
        serious=False,
        relatedness="possible",
        outcome="recovering",
        session_date=WEDNESDAY,
    )
    event = sessions.report_adverse_event(physio, participant, entry, today=TODAY)
    assert event.history.get().history_change_reason == "adverse event, CTCAE grade 1"
    updated = sessions.update_adverse_event(
        clinician, event, outcome="recovered", reason="seen at follow-up"
    )
    assert updated.outcome == "recovered"
    with pytest.raises(ExerciseInputError, match="grade 5"):
        sessions.report_adverse_event(
            physio,
            participant,
            sessions.AdverseEventEntry(WEDNESDAY, "x", 5, True, "not_related", "recovered"),
            today=TODAY,
        )
    with pytest.raises(ExerciseInputError, match="after today"):
        sessions.report_adverse_event(
            physio,
            participant,
            sessions.AdverseEventEntry(
                TODAY + dt.timedelta(days=3), "x", 1, False, "possible", "recovered"
            ),
            today=TODAY,
        )
    with pytest.raises(AccessDenied):
        sessions.report_adverse_event(other_clinician, participant, entry, today=TODAY)
    assert AdverseEvent.objects.count() == 1


def test_notifications_are_read_by_their_recipient_only(
    started: ExerciseProfile, physio: User, clinician: User
) -> None:
    sessions.log_session(
        physio, started.participant, session(check_in={"dizziness": True}), today=TODAY
    )
    note = Notification.objects.get()
    with pytest.raises(AccessDenied):
        sessions.mark_read(physio, note)
    assert sessions.mark_read(clinician, note).read_at is not None


def test_versions_are_append_only(started: ExerciseProfile) -> None:
    v1 = PrescriptionVersion.objects.get()
    v1.reason = "changed"
    with pytest.raises(TrialStateError):
        v1.save()
    with pytest.raises(TrialStateError):
        v1.delete()
