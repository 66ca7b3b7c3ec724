"""The demo's exercise records: the synthetic tables, replayed through the engine."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from exonc.platform.accounts.models import User
from exonc.platform.demo import load_demo
from exonc.platform.exercise import safety, state
from exonc.platform.exercise.adherence import adherence_of
from exonc.platform.exercise.models import (
    ExerciseProfile,
    FitnessTest,
    Lesion,
    Notification,
    PrescriptionVersion,
    SessionLog,
    SymptomFlag,
)
from exonc.platform.exercise.patient import patient_today
from exonc.platform.exercise.snapshots import plan_from_json
from exonc.platform.trial.models import Participant
from exonc.synthetic import SyntheticTrial, as_of, generate_trial

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 3, 1)


def test_the_demo_exercise_records() -> None:
    """One load (it takes a few seconds), every check: counts, audit, safety, versions,
    adherence, notifications and the patient's plan."""
    trial = as_of(generate_trial(participants_n=24, start=dt.date(2024, 1, 8)), DAY)
    load_demo(trial)
    _every_table_is_loaded(trial)
    _no_loaded_session_breaks_a_safety_rule()
    _versions_are_in_date_order_and_progress()
    _adherence_and_flags()
    _the_demo_patient()


def _every_table_is_loaded(trial: SyntheticTrial) -> None:
    tables = trial.tables
    assert ExerciseProfile.objects.count() == len(tables["exercise_participants"])
    assert FitnessTest.objects.count() == len(tables["fitness_tests"])
    assert Lesion.objects.count() == len(tables["lesions"])
    assert SessionLog.objects.count() == len(tables["sessions"])
    assert SymptomFlag.objects.count() == len(tables["symptom_flags"])
    firsts = PrescriptionVersion.objects.filter(version=1)
    assert firsts.count() == ExerciseProfile.objects.count()
    entry = SessionLog.objects.first().history.get()
    assert (entry.history_user.username, entry.history_change_reason) == (
        "demo-loader",
        "synthetic demo data",
    )


def _no_loaded_session_breaks_a_safety_rule() -> None:
    """The same check as the service: nothing loads a restricted movement."""
    for participant in Participant.objects.filter(exercise_profile__isnull=False):
        context = state.load(participant, DAY)
        rows = {
            (r.date, r.setting): r for r in participant.session_logs.select_related("prescription")
        }
        for log in context.state.sessions:
            restrictions = context.restrictions(log.date)
            safety.check_session(log, context.programme, restrictions, context.state.overrides)
            row = rows[(log.date, log.setting.value)]
            assert plan_from_json(row.plan).prescription_version == row.prescription.version
            assert row.prescription.effective <= row.date


def _versions_are_in_date_order_and_progress() -> None:
    for participant in Participant.objects.filter(exercise_profile__isnull=False):
        versions = list(participant.prescriptions.order_by("version"))
        assert [v.version for v in versions] == list(range(1, len(versions) + 1))
        assert [v.effective for v in versions] == sorted(v.effective for v in versions)
    assert PrescriptionVersion.objects.filter(trigger="session").exists()


def _adherence_and_flags() -> None:
    table = adherence_of(Participant.objects.all()).table
    overall = table[table["level"] == "all"].iloc[0]
    assert 0.5 < overall["attendance_rate"] < 1
    assert overall["rdi_resistance"] > 0
    clinician = User.objects.get(username="clinician")
    utrecht = SymptomFlag.objects.filter(participant__centre__code="NL-UTR").count()
    assert Notification.objects.filter(recipient=clinician).count() == utrecht


def _the_demo_patient() -> None:
    patient = User.objects.get(username="patient")
    now = timezone.make_aware(dt.datetime.combine(DAY, dt.time(10)))
    today = patient_today(patient, now)
    # The most recently randomised exercise participant at Utrecht still in the programme
    # (in this small trial she may have finished it already).
    assert today.status in ("plan", "not_started", "finished")
    if today.status == "plan":
        assert today.steps
