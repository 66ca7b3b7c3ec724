"""Recomputing stored scores: identical by default, audited when they change, scoped."""

from __future__ import annotations

import datetime as dt

import pytest

from exonc.errors import AccessDenied, InputError, UnknownCentre
from exonc.platform.accounts.models import User
from exonc.platform.outcomes import rescoring, services
from exonc.platform.outcomes.models import QuestionnaireResponse
from exonc.platform.trial import services as trial_services
from exonc.platform.trial.models import Participant
from exonc.questionnaires import score_response
from tests.platform.conftest import TODAY
from tests.platform.outcomes_setup import (
    C30_TWOS,
    HADS_ONES,
    NOW,
    RANDOMISED,
    give_patient_login,
    visit,
)

pytestmark = pytest.mark.django_db

LATER = NOW + dt.timedelta(days=1)


@pytest.fixture
def entered(ready: Participant, coordinator: User) -> list[QuestionnaireResponse]:
    """Four submitted paper forms at Utrecht (3-month visit)."""
    trial_services.schedule_visits(coordinator, ready, randomised_on=RANDOMISED)
    m3 = visit(ready, "m3")
    forms = {
        "qlq-c30": C30_TWOS | {"q5": 4, "q11": None},
        "qlq-fa12": {f"q{i}": 1 + i % 4 for i in range(1, 13)},
        "eq-5d-5l": {"MO": 2, "SC": 3, "UA": 1, "PD": 4, "AD": 2, "VAS": 65},
        "hads": HADS_ONES,
    }
    return [
        services.enter_paper_form(coordinator, m3, name, answers, answered_on=TODAY, now=NOW)
        for name, answers in forms.items()
    ]


def test_recomputing_gives_identical_scores_and_writes_nothing(
    entered: list[QuestionnaireResponse], coordinator: User
) -> None:
    before = {r.pk: r.scores for r in QuestionnaireResponse.objects.all()}
    report = rescoring.rescore(coordinator, reason="yearly check", now=LATER)
    assert (report.examined, report.changed, report.unchanged) == (4, 0, 4)
    assert {r.pk: r.scores for r in QuestionnaireResponse.objects.all()} == before
    assert all(r.history.count() == 1 for r in QuestionnaireResponse.objects.all())
    for r in QuestionnaireResponse.objects.select_related("visit"):
        expected = score_response(r.instrument, r.answers, r.value_set or None)
        assert r.scores == dict(expected.scores)
        assert r.scoring_id == expected.scoring_id


def test_altered_scores_are_restored_from_the_raw_answers_with_the_reason(
    entered: list[QuestionnaireResponse], coordinator: User
) -> None:
    hads = entered[3]
    QuestionnaireResponse.objects.filter(pk=hads.pk).update(
        scores={"ANXIETY": 1.0, "DEPRESSION": 7.0}
    )
    dry = rescoring.rescore(coordinator, reason="", now=LATER, dry_run=True)
    assert dry.changed == 1
    assert QuestionnaireResponse.objects.get(pk=hads.pk).scores["ANXIETY"] == 1.0
    report = rescoring.rescore(coordinator, reason="restore after a faulty import", now=LATER)
    (change,) = report.changes
    assert (change.study_id, change.visit, change.instrument) == ("NL-UTR-001", "m3", "hads")
    assert change.scores == {"ANXIETY": (1.0, 7.0)}
    fixed = QuestionnaireResponse.objects.get(pk=hads.pk)
    assert fixed.scores == {"ANXIETY": 7.0, "DEPRESSION": 7.0}
    assert fixed.scored_at == LATER
    row = fixed.history.latest("history_id")
    assert (row.history_user, row.history_change_reason) == (
        coordinator,
        "restore after a faulty import",
    )


def test_latest_uses_the_current_value_set_of_the_country(
    entered: list[QuestionnaireResponse], coordinator: User
) -> None:
    eq5d = entered[2]
    QuestionnaireResponse.objects.filter(pk=eq5d.pk).update(value_set="", scores={"utility": None})
    assert rescoring.rescore(coordinator, reason="x", now=LATER).changed == 0  # stored: none
    report = rescoring.rescore(
        coordinator, reason="NL value set chosen", now=LATER, latest=True, instrument="eq-5d-5l"
    )
    assert report.examined == 1
    assert report.changes[0].value_set == ("", "NL")
    # Netherlands, state 23142: 1 - 0.047 - 0.035 (MO2) - 0.061 (SC3) - 0.360 (PD4) - 0.070 (AD2)
    assert QuestionnaireResponse.objects.get(pk=eq5d.pk).scores == {
        "utility": pytest.approx(0.427, abs=1e-12)
    }


def test_rescoring_is_scoped_to_the_users_centres(
    entered: list[QuestionnaireResponse],
    other_coordinator: User,
    physio: User,
    statistician: User,
    administrator: User,
) -> None:
    QuestionnaireResponse.objects.update(scores={})
    assert rescoring.rescore(other_coordinator, reason="x", now=LATER).examined == 0
    with pytest.raises(AccessDenied, match="coord-hei does not work at centre NL-UTR"):
        rescoring.rescore(other_coordinator, reason="x", now=LATER, centre="NL-UTR")
    with pytest.raises(UnknownCentre, match="unknown centre 'XX'"):
        rescoring.rescore(administrator, reason="x", now=LATER, centre="XX")
    for user in (physio, statistician):
        with pytest.raises(AccessDenied, match="only a trial coordinator may do this"):
            rescoring.rescore(user, reason="x", now=LATER)
    with pytest.raises(InputError, match="changing stored scores needs a reason"):
        rescoring.rescore(administrator, reason="", now=LATER)
    assert all(r.scores == {} for r in QuestionnaireResponse.objects.all())
    assert rescoring.rescore(administrator, reason="x", now=LATER, centre="NL-UTR").changed == 4


def test_in_progress_responses_are_not_scored(ready: Participant, coordinator: User) -> None:
    patient = give_patient_login(coordinator, ready)
    services.save_answers(patient, visit(ready, "m3"), "hads", {"q1": 2}, now=NOW)
    assert rescoring.rescore(coordinator, reason="x", now=LATER).examined == 0
