"""The demo's daily activity: the synthetic tracker days, bulk-loaded and audited."""

from __future__ import annotations

import datetime as dt

import pytest

from exonc.platform.accounts.models import User
from exonc.platform.activity.models import ActivityImport, DailyActivity, Origin
from exonc.platform.activity.week import your_week
from exonc.platform.demo import load_demo
from exonc.synthetic import as_of, generate_trial

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 3, 1)


@pytest.fixture
def trial():
    built = as_of(generate_trial(participants_n=60, start=dt.date(2024, 1, 8)), TODAY)
    load_demo(built)
    return built


def test_every_tracker_day_is_loaded_with_an_audited_import(trial) -> None:
    table = trial.tables["tracker_days"]
    assert DailyActivity.objects.count() == len(table)
    assert ActivityImport.objects.count() == table["participant_id"].nunique()
    record = ActivityImport.objects.first()
    entry = record.history.get()
    assert (entry.history_user.username, entry.history_change_reason) == (
        "demo-loader",
        "synthetic demo data",
    )
    assert record.days.count() == record.accepted
    assert set(DailyActivity.objects.values_list("origin", flat=True)) == {Origin.DEMO}


def test_values_are_the_synthetic_tables(trial) -> None:
    table = trial.tables["tracker_days"]
    row = table.iloc[len(table) // 2]
    stored = DailyActivity.objects.get(participant__study_id=row.participant_id, date=row.date)
    assert (stored.wear_minutes, stored.active_minutes, stored.steps, stored.valid_day) == (
        row.wear_minutes,
        row.active_minutes,
        row.steps,
        bool(row.valid_day),
    )
    # the platform's goal: 30 active minutes on any day (the table's counts valid days only)
    assert stored.goal_met == (row.active_minutes >= 30)
    assert DailyActivity.objects.filter(goal_met=True, valid_day=False).exists()


def test_the_demo_patient_has_a_week(trial) -> None:
    patient = User.objects.get(username="patient")
    now = dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC)
    assert your_week(patient, now).days_with_data >= 6
