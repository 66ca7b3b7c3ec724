"""REST endpoints for questionnaires: the JSON twins of the pages, over the same services.

Patients use ``/me/questionnaires…`` (only their own); staff use
``/participants/{study_id}/questionnaires…`` (only their centres).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from exonc.errors import TrialStateError
from exonc.platform.outcomes import patient, services, staff, status
from exonc.platform.outcomes.models import QuestionnaireResponse
from exonc.platform.web import user_of
from exonc.results import jsonable

router = Router(tags=["outcomes"])


class AnswersIn(Schema):
    answers: dict[str, Any]


class PaperFormIn(Schema):
    answers: dict[str, Any]
    answered_on: dt.date
    reason: str = ""


class QuestionnaireCorrectionIn(Schema):
    answers: dict[str, Any]
    reason: str


def _saved(response: QuestionnaireResponse) -> dict[str, Any]:
    """What a write returns: the response's state and, once submitted, its scores."""
    saved: dict[str, Any] = jsonable(
        {
            "visit": response.visit.code,
            "instrument": response.instrument,
            "status": response.status,
            "answered": sum(v is not None for v in response.answers.values()),
            "entry": response.entry,
            "mode": response.mode,
            "answered_on": response.answered_on,
            "submitted_at": response.submitted_at,
            "scoring_id": response.scoring_id,
            "value_set": response.value_set,
            "scores": response.scores,
        }
    )
    return saved


@router.get("/me/questionnaires")
def my_questionnaires(request: HttpRequest) -> object:
    """The signed-in patient's questionnaires that are open now."""
    return jsonable(patient.my_questionnaires(user_of(request), timezone.now()))


@router.get("/me/questionnaires/{visit}/{instrument}")
def my_form(request: HttpRequest, visit: str, instrument: str) -> object:
    """Every question with its wording, answer options and her answers so far."""
    found = patient.own_visit(user_of(request), visit, instrument)
    return jsonable(patient.questionnaire_form(found, instrument))


@router.put("/me/questionnaires/{visit}/{instrument}/answers")
def save_answers(request: HttpRequest, visit: str, instrument: str, body: AnswersIn) -> object:
    """Save some answers (``null`` = seen and left unanswered); others stay as they were."""
    user = user_of(request)
    found = patient.own_visit(user, visit, instrument)
    saved = services.save_answers(user, found, instrument, body.answers, now=timezone.now())
    return {**_saved(saved), "scores": None}


@router.post("/me/questionnaires/{visit}/{instrument}/submit")
def submit(request: HttpRequest, visit: str, instrument: str) -> object:
    user = user_of(request)
    found = patient.own_visit(user, visit, instrument)
    submitted = services.submit(user, found, instrument, now=timezone.now())
    return {**_saved(submitted), "scores": None}  # patients are not shown scores


@router.get("/questionnaires/overview")
def overview(request: HttpRequest) -> object:
    """Staff: visits whose questionnaire window is open, with their completion."""
    return jsonable(status.overview(user_of(request), timezone.now()))


@router.get("/participants/{study_id}/questionnaires")
def participant_questionnaires(request: HttpRequest, study_id: str) -> object:
    found = staff.staff_participant(user_of(request), study_id)
    return jsonable(status.participant_questionnaires(found, timezone.now()))


# Before the {visit}/{instrument} routes, which would otherwise take 'complete-visit'.
@router.post("/participants/{study_id}/questionnaires/{visit}/complete-visit")
def complete_visit(request: HttpRequest, study_id: str, visit: str) -> object:
    """Staff: record the visit as done once all its questionnaires are submitted."""
    user = user_of(request)
    found = staff.staff_visit(user, study_id, visit)
    done = services.record_visit_completed(user, found, now=timezone.now())
    return jsonable({"visit": done.code, "completed_on": done.completed_on})


@router.get("/participants/{study_id}/questionnaires/{visit}/{instrument}")
def response_detail(request: HttpRequest, study_id: str, visit: str, instrument: str) -> object:
    found = staff.staff_visit(user_of(request), study_id, visit, instrument)
    return jsonable(staff.response_detail(found, instrument))


@router.post("/participants/{study_id}/questionnaires/{visit}/{instrument}", response={201: dict})
def enter_paper_form(
    request: HttpRequest, study_id: str, visit: str, instrument: str, body: PaperFormIn
) -> Status[dict[str, Any]]:
    """Staff: enter a paper form on the patient's behalf (submitted and scored at once)."""
    user = user_of(request)
    found = staff.staff_visit(user, study_id, visit, instrument)
    saved = services.enter_paper_form(
        user,
        found,
        instrument,
        body.answers,
        answered_on=body.answered_on,
        now=timezone.now(),
        reason=body.reason,
    )
    return Status(201, _saved(saved))


@router.post("/participants/{study_id}/questionnaires/{visit}/{instrument}/corrections")
def correct(
    request: HttpRequest,
    study_id: str,
    visit: str,
    instrument: str,
    body: QuestionnaireCorrectionIn,
) -> object:
    """Coordinator: correct submitted answers with a reason; the scores are recomputed."""
    user = user_of(request)
    found = staff.staff_visit(user, study_id, visit, instrument)
    response = staff.response_of(found, instrument)
    if response is None:
        raise TrialStateError(
            _("%(instrument)s at visit %(visit)s has no answers to correct")
            % {"instrument": instrument, "visit": visit}
        )
    corrected = services.correct_answers(
        user, response, body.answers, reason=body.reason, now=timezone.now()
    )
    return _saved(corrected)
