"""The demo loads the synthetic questionnaires as submitted, scored, audited responses."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from exonc.platform.accounts.models import User
from exonc.platform.demo import load_demo
from exonc.platform.outcomes.models import QuestionnaireResponse
from exonc.platform.outcomes.rescoring import rescore
from exonc.platform.outcomes.schedule import window_open
from exonc.platform.trial.models import Visit
from exonc.platform.trial.services import local_today
from exonc.questionnaires import score_response
from exonc.synthetic import as_of, generate_trial

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


#: The demo patient of this small trial is NL-UTR-010 (the last exercise participant at
#: Utrecht); on this day her 3-month window (2 to 30 September 2026) is open, and she
#: did the visit on 26 September, so the synthetic tables hold its answers.
BUILT = dt.datetime(2026, 9, 28, 10, 0, tzinfo=dt.UTC)


def test_the_demo_holds_scored_questionnaires_and_leaves_hers_open(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    trial = as_of(generate_trial(participants_n=40, start=dt.date(2024, 1, 8)), BUILT.date())
    monkeypatch.setattr(timezone, "now", lambda: BUILT)
    load_demo(trial)
    tables = {"qlq-c30": "qlq_c30", "qlq-fa12": "qlq_fa12", "eq-5d-5l": "eq5d5l", "hads": "hads"}
    patient_visits = Visit.objects.filter(participant__user__username="patient")
    left_open = {
        v.code
        for v in patient_visits
        if window_open(v, local_today(v.participant.centre, timezone.now()))
    }
    patient_id = patient_visits.first().participant.study_id
    assert patient_id == "NL-UTR-010"
    for instrument, table in tables.items():
        rows = trial.tables[table]
        skipped = rows["participant_id"].eq(patient_id) & rows["visit"].isin(left_open)
        loaded = QuestionnaireResponse.objects.filter(instrument=instrument)
        assert skipped.sum() == 1
        assert loaded.count() == (~skipped).sum()
    assert not QuestionnaireResponse.objects.filter(
        visit__in=patient_visits, visit__code__in=left_open
    ).exists()
    sample = QuestionnaireResponse.objects.select_related("visit__participant__centre").order_by(
        "?"
    )[:40]
    for r in sample:
        expected = score_response(r.instrument, r.answers, r.value_set or None)
        assert r.scores == dict(expected.scores)
        assert (r.status, r.mode, r.entry) == ("submitted", "import", "staff")
    eq5d = QuestionnaireResponse.objects.filter(instrument="eq-5d-5l")
    assert {(r.visit.participant.centre.country, r.value_set) for r in eq5d} <= {
        ("NL", "NL"),
        ("DE", "DE"),
        ("ES", "ES"),
        ("PL", "PL"),
        ("SE", "SE"),
        ("AU", "AU"),
    }
    entry = QuestionnaireResponse.objects.first().history.get()
    assert (entry.history_user.username, entry.history_change_reason) == (
        "demo-loader",
        "synthetic demo data",
    )
    admin = User.objects.get(username="admin")
    report = rescore(admin, reason="demo check", now=BUILT)
    assert (report.examined, report.changed) == (QuestionnaireResponse.objects.count(), 0)
