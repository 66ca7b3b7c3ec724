"""Questionnaire responses through the services: audit, scoping, refusals that write nothing.

Expected scores are worked out by hand from the manuals (arithmetic in the comments) or
are the domain brief's published EQ-5D-5L test vectors (tests/reference/domain.md 6.3),
and every stored
score must equal ``exonc.questionnaires.score_response`` of the stored raw answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from exonc.errors import AccessDenied, InputError, ScoringError, TrialStateError
from exonc.platform.accounts.models import Role, User
from exonc.platform.outcomes import services
from exonc.platform.outcomes.models import QuestionnaireResponse
from exonc.platform.trial import services as trial_services
from exonc.platform.trial.models import Centre, Participant, Visit
from exonc.questionnaires import score_response
from tests.platform.conftest import ELIGIBLE, TODAY
from tests.platform.outcomes_setup import (
    C30_TWOS,
    HADS_ONES,
    NOW,
    give_patient_login,
    visit,
)

pytestmark = pytest.mark.django_db

Enrol = Callable[..., Participant]


@pytest.fixture
def patient(ready: Participant, coordinator: User) -> User:
    return give_patient_login(coordinator, ready)


def test_answers_are_saved_as_she_goes_and_audited(ready: Participant, patient: User) -> None:
    m3 = visit(ready, "m3")
    first = services.save_answers(patient, m3, "qlq-c30", {"q1": 2, "q2": "3"}, now=NOW)
    later = NOW + dt.timedelta(hours=2)
    services.save_answers(patient, m3, "qlq-c30", {"q3": None, "q2": 4}, now=later)
    response = QuestionnaireResponse.objects.get()
    assert response.answers == {"q1": 2, "q2": 4, "q3": None}  # q3 seen, left unanswered
    assert (response.status, response.entry, response.mode) == ("in progress", "patient", "web")
    assert response.entered_by == patient
    assert (response.started_at, response.last_saved_at) == (first.started_at, later)
    assert response.instrument_version == "3.0"
    assert response.protocol_version.version == "1.0"
    assert response.scores is None
    entries = list(response.history.order_by("history_id"))
    assert [(h.history_user, h.history_change_reason) for h in entries] == [
        (patient, "answered online"),
        (patient, "answered online"),
    ]
    assert entries[0].answers == {"q1": 2, "q2": 3}  # the history keeps what she first said


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"q1": 5}, "column q1: value 5: is outside the range 1–4 of item q1"),
        ({"q29": 8}, "column q29: value 8: is outside the range 1–7 of item q29"),
        ({"q4": "two"}, "column q4: value 'two': is not a number"),
        ({"q4": 2.5}, "column q4: value 2.5: is not a whole number"),
        ({"q4": True}, "column q4: value True: is not a number"),
    ],
)
def test_invalid_answers_are_refused_and_nothing_is_written(
    ready: Participant, patient: User, answers: dict[str, object], message: str
) -> None:
    m3 = visit(ready, "m3")
    services.save_answers(patient, m3, "qlq-c30", {"q1": 1, "q4": 1}, now=NOW)
    with pytest.raises(ScoringError, match=message):
        services.save_answers(patient, m3, "qlq-c30", {"q2": 2, **answers}, now=NOW)
    response = QuestionnaireResponse.objects.get()
    assert response.answers == {"q1": 1, "q4": 1}
    assert response.history.count() == 1


def test_an_unknown_item_is_refused(ready: Participant, patient: User) -> None:
    with pytest.raises(ScoringError, match="qlq-c30 has no item q31"):
        services.save_answers(patient, visit(ready, "m3"), "qlq-c30", {"q31": 1}, now=NOW)
    assert not QuestionnaireResponse.objects.exists()


def test_submission_scores_the_stored_answers(ready: Participant, patient: User) -> None:
    m3 = visit(ready, "m3")
    services.save_answers(patient, m3, "qlq-c30", C30_TWOS, now=NOW)
    submitted = services.submit(patient, m3, "qlq-c30", now=NOW + dt.timedelta(minutes=5))
    assert submitted.status == "submitted"
    assert submitted.answered_on == dt.date(2024, 5, 2)
    assert (submitted.scoring_id, submitted.scoring_version) == ("qlq-c30/3.0/1", "1")
    assert submitted.value_set == ""
    scores = submitted.scores
    # items 1-28 all 2, items 29-30 both 4 (EORTC scoring manual, Fayers et al. 2001):
    # functional PF = (1 - (2 - 1) / 3) * 100; symptom FA = (2 - 1) / 3 * 100;
    # global QoL QL = (4 - 1) / 6 * 100
    assert scores["PF"] == pytest.approx(200 / 3, abs=1e-12)
    assert scores["FA"] == pytest.approx(100 / 3, abs=1e-12)
    assert scores["QL"] == pytest.approx(50.0, abs=1e-12)
    stored = QuestionnaireResponse.objects.get()
    assert stored.scores == dict(score_response("qlq-c30", stored.answers).scores)
    assert stored.history.latest("history_id").history_change_reason == "submitted online"


def test_eq5d_takes_the_value_set_of_the_centre_country(
    ready: Participant, patient: User, other_coordinator: User, enrol: Enrol
) -> None:
    m3 = visit(ready, "m3")
    services.save_answers(
        patient, m3, "eq-5d-5l", {"MO": 2, "SC": 1, "UA": 1, "PD": 1, "AD": 1}, now=NOW
    )
    done = services.submit(patient, m3, "eq-5d-5l", now=NOW)
    # Netherlands (Versteegh 2016), state 21111: 1 - 0.047 (any problem) - 0.035 (MO2)
    assert done.value_set == "NL"
    assert done.scores == {"utility": pytest.approx(0.918, abs=1e-12)}
    assert done.scores == dict(score_response("eq-5d-5l", done.answers, "NL").scores)
    hei = _heidelberg_visit(other_coordinator, enrol)
    paper = services.enter_paper_form(
        other_coordinator,
        hei,
        "eq-5d-5l",
        {"MO": 1, "SC": 2, "UA": 3, "PD": 4, "AD": 5, "VAS": 40},
        answered_on=TODAY,
        now=NOW,
    )
    # Germany (Ludwig 2018), state 12345: 1 - 0.050 - 0.049 - 0.404 - 0.356 = 0.141
    assert paper.value_set == "DE"
    assert paper.scores == {"utility": pytest.approx(0.141, abs=1e-12)}
    assert paper.answers["VAS"] == 40


def test_a_country_without_a_value_set_keeps_answers_and_leaves_the_index_empty(
    enrol: Enrol, coordinator: User
) -> None:
    centre = Centre.objects.create(
        code="FR-PAR", name="Paris", country="FR", time_zone="Europe/Paris"
    )
    coordinator.memberships.create(centre=centre)
    participant = _eligible(coordinator, enrol, "FR-PAR-001", "FR-PAR")
    trial_services.schedule_visits(coordinator, participant, randomised_on=dt.date(2024, 2, 2))
    done = services.enter_paper_form(
        coordinator,
        visit(participant, "m3"),
        "eq-5d-5l",
        {"MO": 2, "SC": 1, "UA": 1, "PD": 1, "AD": 1},
        answered_on=TODAY,
        now=NOW,
    )
    assert done.status == "submitted"
    assert (done.value_set, done.scores) == ("", {"utility": None})
    with pytest.raises(ScoringError, match="value 9: is outside the range 1–5"):
        services.enter_paper_form(
            coordinator, visit(participant, "m6"), "eq-5d-5l", {"MO": 9}, answered_on=TODAY, now=NOW
        )


def test_submitted_answers_are_final_for_the_patient(ready: Participant, patient: User) -> None:
    m3 = visit(ready, "m3")
    services.save_answers(patient, m3, "hads", HADS_ONES, now=NOW)
    services.submit(patient, m3, "hads", now=NOW)
    with pytest.raises(TrialStateError, match="already submitted"):
        services.save_answers(patient, m3, "hads", {"q1": 3}, now=NOW)
    with pytest.raises(TrialStateError, match="already submitted"):
        services.submit(patient, m3, "hads", now=NOW)
    assert QuestionnaireResponse.objects.get().answers == HADS_ONES


def test_nothing_to_submit_is_refused(ready: Participant, patient: User) -> None:
    with pytest.raises(TrialStateError, match="answer at least one question of hads first"):
        services.submit(patient, visit(ready, "m3"), "hads", now=NOW)
    assert not QuestionnaireResponse.objects.exists()


def test_a_patient_answers_only_her_own_questionnaires(
    ready: Participant, patient: User, coordinator: User, enrol: Enrol
) -> None:
    other = _eligible(coordinator, enrol, "NL-UTR-002")
    give_patient_login(coordinator, other, username="pat-2")
    with pytest.raises(AccessDenied, match="only their own questionnaires"):
        services.save_answers(patient, visit(other, "m3"), "hads", {"q1": 1}, now=NOW)
    with pytest.raises(AccessDenied, match="only a patient may do this"):
        services.save_answers(coordinator, visit(ready, "m3"), "hads", {"q1": 1}, now=NOW)
    assert not QuestionnaireResponse.objects.exists()


@pytest.mark.parametrize(
    ("code", "when", "message"),
    [
        ("baseline", NOW, "the questionnaires of visit baseline closed on 2024-02-02"),
        ("m6", NOW, "the questionnaires of visit m6 open on 2024-07-19"),
        ("m3", NOW + dt.timedelta(days=15), "the questionnaires of visit m3 closed on 2024-05-16"),
    ],
)
def test_patients_answer_only_while_the_window_is_open(
    ready: Participant, patient: User, code: str, when: dt.datetime, message: str
) -> None:
    with pytest.raises(TrialStateError, match=message):
        services.save_answers(patient, visit(ready, code), "hads", {"q1": 1}, now=when)
    assert not QuestionnaireResponse.objects.exists()


def test_an_instrument_the_protocol_does_not_list_is_refused(
    ready: Participant, patient: User, coordinator: User
) -> None:
    m3 = visit(ready, "m3")
    with pytest.raises(
        TrialStateError,
        match=r"sf-36 is not due at visit m3 \(the protocol lists: qlq-c30, qlq-fa12, eq-5d-5l, ",
    ):
        services.save_answers(patient, m3, "sf-36", {"q1": 1}, now=NOW)
    m3.code = "m12"  # a visit code the protocol does not know lists no instruments
    with pytest.raises(TrialStateError, match="hads is not due at visit m12"):
        services.enter_paper_form(coordinator, m3, "hads", HADS_ONES, answered_on=TODAY, now=NOW)
    assert not QuestionnaireResponse.objects.exists()


def test_after_leaving_follow_up_nothing_is_due(
    ready: Participant, patient: User, coordinator: User
) -> None:
    trial_services.withdraw(
        coordinator, ready, withdrawn_on=dt.date(2024, 4, 20), kind="follow-up", reason="moved away"
    )
    ready.refresh_from_db()
    with pytest.raises(TrialStateError, match="has left follow-up"):
        services.save_answers(patient, visit(ready, "m3"), "hads", {"q1": 1}, now=NOW)
    with pytest.raises(TrialStateError, match="had left follow-up by 2024-04-25"):
        services.enter_paper_form(
            coordinator,
            visit(ready, "m3"),
            "hads",
            HADS_ONES,
            answered_on=dt.date(2024, 4, 25),
            now=NOW,
        )
    assert not QuestionnaireResponse.objects.exists()


def test_paper_forms_are_entered_on_her_behalf_and_scored(
    ready: Participant, coordinator: User, physio: User
) -> None:
    trial_services.schedule_visits(coordinator, ready, randomised_on=dt.date(2024, 2, 2))
    m3 = visit(ready, "m3")
    entered = services.enter_paper_form(
        physio, m3, "hads", HADS_ONES, answered_on=dt.date(2024, 4, 30), now=NOW
    )
    assert (entered.status, entered.entry, entered.mode) == ("submitted", "staff", "paper")
    assert (entered.entered_by, entered.answered_on) == (physio, dt.date(2024, 4, 30))
    # HADS: anxiety = sum of the 7 odd items, depression of the 7 even items, all 1
    assert entered.scores == {"ANXIETY": 7.0, "DEPRESSION": 7.0}
    (row,) = entered.history.all()
    assert (row.history_user, row.history_change_reason) == (physio, "paper form entered by staff")


@pytest.mark.parametrize("role", [Role.CLINICIAN, Role.STATISTICIAN, Role.PATIENT])
def test_paper_entry_is_for_coordinators_and_physiotherapists(
    ready: Participant, coordinator: User, role: Role
) -> None:
    trial_services.schedule_visits(coordinator, ready, randomised_on=dt.date(2024, 2, 2))
    user = User.objects.create_user(username=f"u-{role}", password="x", role=role)
    if role == Role.CLINICIAN:
        user.memberships.create(centre=ready.centre)
    with pytest.raises(AccessDenied, match="only a trial coordinator, physiotherapist may do this"):
        services.enter_paper_form(
            user, visit(ready, "m3"), "hads", HADS_ONES, answered_on=TODAY, now=NOW
        )
    assert not QuestionnaireResponse.objects.exists()


def test_paper_entry_at_another_centre_is_refused(
    ready: Participant, coordinator: User, other_coordinator: User
) -> None:
    trial_services.schedule_visits(coordinator, ready, randomised_on=dt.date(2024, 2, 2))
    with pytest.raises(AccessDenied, match="coord-hei does not work at centre NL-UTR"):
        services.enter_paper_form(
            other_coordinator, visit(ready, "m3"), "hads", HADS_ONES, answered_on=TODAY, now=NOW
        )
    assert not QuestionnaireResponse.objects.exists()


def test_paper_entry_refuses_invalid_answers_and_future_dates(
    ready: Participant, coordinator: User
) -> None:
    trial_services.schedule_visits(coordinator, ready, randomised_on=dt.date(2024, 2, 2))
    m3 = visit(ready, "m3")
    with pytest.raises(
        ScoringError,
        match=r"column q3: value '7': is outside the range 0–3 of item q3; .*1 more invalid: q9",
    ):
        services.enter_paper_form(
            coordinator, m3, "hads", {**HADS_ONES, "q3": "7", "q9": "x"}, answered_on=TODAY, now=NOW
        )
    with pytest.raises(
        InputError, match="column answered_on: value '2024-05-03': is in the future"
    ):
        services.enter_paper_form(
            coordinator, m3, "hads", HADS_ONES, answered_on=dt.date(2024, 5, 3), now=NOW
        )
    assert not QuestionnaireResponse.objects.exists()


def test_paper_entry_over_an_online_draft_needs_a_reason(
    ready: Participant, patient: User, coordinator: User
) -> None:
    m3 = visit(ready, "m3")
    services.save_answers(patient, m3, "hads", {"q1": 3, "q2": 2}, now=NOW)
    with pytest.raises(
        InputError, match="changing the answers she started online to hads needs a reason"
    ):
        services.enter_paper_form(coordinator, m3, "hads", HADS_ONES, answered_on=TODAY, now=NOW)
    assert QuestionnaireResponse.objects.get().answers == {"q1": 3, "q2": 2}
    done = services.enter_paper_form(
        coordinator, m3, "hads", HADS_ONES, answered_on=TODAY, now=NOW, reason="she preferred paper"
    )
    assert (done.entry, done.mode, done.entered_by) == ("staff", "paper", coordinator)
    old, new = done.history.order_by("history_id")
    assert (old.answers, old.history_user) == ({"q1": 3, "q2": 2}, patient)
    assert (new.answers, new.history_change_reason) == (HADS_ONES, "she preferred paper")
    with pytest.raises(TrialStateError, match="already submitted; correct it with a reason"):
        services.enter_paper_form(coordinator, m3, "hads", HADS_ONES, answered_on=TODAY, now=NOW)


def test_corrections_need_a_reason_and_keep_the_old_answers(
    ready: Participant, patient: User, coordinator: User, physio: User
) -> None:
    m3 = visit(ready, "m3")
    services.save_answers(patient, m3, "hads", HADS_ONES, now=NOW)
    submitted = services.submit(patient, m3, "hads", now=NOW)
    with pytest.raises(InputError, match="changing the answers to hads needs a reason"):
        services.correct_answers(coordinator, submitted, {"q1": 3}, reason=" ", now=NOW)
    with pytest.raises(AccessDenied, match="only a trial coordinator may do this"):
        services.correct_answers(physio, submitted, {"q1": 3}, reason="typo", now=NOW)
    with pytest.raises(ScoringError, match="value 4: is outside the range 0–3"):
        services.correct_answers(coordinator, submitted, {"q1": 4}, reason="typo", now=NOW)
    with pytest.raises(InputError, match="changes no answer"):
        services.correct_answers(coordinator, submitted, {"q1": 1}, reason="typo", now=NOW)
    assert submitted.history.count() == 2
    fixed = services.correct_answers(
        coordinator, submitted, {"q1": 3}, reason="misread the form", now=NOW
    )
    # anxiety: six odd items at 1 and item 1 at 3 = 9
    assert fixed.scores == {"ANXIETY": 9.0, "DEPRESSION": 7.0}
    assert fixed.scoring_version == "1"
    latest, before = fixed.history.order_by("-history_id")[:2]
    assert (latest.history_user, latest.history_change_reason) == (coordinator, "misread the form")
    assert before.answers == HADS_ONES


def test_corrections_at_another_centre_are_refused(
    ready: Participant, patient: User, other_coordinator: User
) -> None:
    m3 = visit(ready, "m3")
    services.save_answers(patient, m3, "hads", HADS_ONES, now=NOW)
    submitted = services.submit(patient, m3, "hads", now=NOW)
    with pytest.raises(AccessDenied, match="does not work at centre NL-UTR"):
        services.correct_answers(other_coordinator, submitted, {"q1": 3}, reason="x", now=NOW)
    assert QuestionnaireResponse.objects.get().answers == HADS_ONES


def test_in_progress_answers_are_not_corrected(
    ready: Participant, patient: User, coordinator: User
) -> None:
    draft = services.save_answers(patient, visit(ready, "m3"), "hads", {"q1": 1}, now=NOW)
    with pytest.raises(TrialStateError, match="only submitted answers are corrected"):
        services.correct_answers(coordinator, draft, {"q1": 3}, reason="x", now=NOW)


def test_the_model_refuses_silent_changes_and_deletion(ready: Participant, patient: User) -> None:
    m3 = visit(ready, "m3")
    services.save_answers(patient, m3, "hads", HADS_ONES, now=NOW)
    submitted = services.submit(patient, m3, "hads", now=NOW)
    submitted.answers = {**HADS_ONES, "q1": 0}
    with pytest.raises(TrialStateError, match="only as a correction with a reason"):
        submitted.save()
    with pytest.raises(TrialStateError, match="submitted answers are kept"):
        submitted.delete()
    assert QuestionnaireResponse.objects.get().answers == HADS_ONES


def test_the_visit_is_recorded_done_once_every_questionnaire_is_submitted(
    ready: Participant, patient: User, coordinator: User
) -> None:
    m3 = visit(ready, "m3")
    services.save_answers(patient, m3, "hads", HADS_ONES, now=NOW)
    services.submit(patient, m3, "hads", now=NOW)
    with pytest.raises(TrialStateError, match="1 of 4 questionnaires of visit m3 are submitted"):
        services.record_visit_completed(coordinator, m3, now=NOW)
    for name, answers in [
        ("qlq-c30", C30_TWOS),
        ("qlq-fa12", {f"q{i}": 1 for i in range(1, 13)}),
        ("eq-5d-5l", {"MO": 1, "SC": 1, "UA": 1, "PD": 1, "AD": 1}),
    ]:
        services.enter_paper_form(
            coordinator, m3, name, answers, answered_on=dt.date(2024, 4, 29), now=NOW
        )
    done = services.record_visit_completed(coordinator, m3, now=NOW)
    assert done.completed_on == dt.date(2024, 5, 2)  # the last answered: hads, online, today
    assert done.history.latest("history_id").history_user == coordinator
    with pytest.raises(TrialStateError, match="was recorded as done on 2024-05-02"):
        services.record_visit_completed(coordinator, visit(ready, "m3"), now=NOW)


def _heidelberg_visit(coordinator: User, enrol: Enrol) -> Visit:
    participant = _eligible(coordinator, enrol, "DE-HEI-001", "DE-HEI")
    trial_services.schedule_visits(coordinator, participant, randomised_on=dt.date(2024, 2, 2))
    return visit(participant, "m3")


def _eligible(
    coordinator: User, enrol: Enrol, study_id: str, centre: str = "NL-UTR"
) -> Participant:
    participant = enrol(coordinator, study_id, centre=centre)
    trial_services.screen(coordinator, participant, ELIGIBLE, screened_on=TODAY)
    trial_services.record_consent(coordinator, participant, consented_on=TODAY)
    return participant
