"""Questionnaire pages for patients (answer, resume, submit) and staff (status, paper forms).

Views parse the request, call one function and render; every page has a JSON twin
(``?format=json``). Errors a user can cause come back as a message on the page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from exonc.errors import ExoncError, ScoringError
from exonc.platform.accounts.models import Role
from exonc.platform.outcomes import patient, services, staff, status
from exonc.platform.outcomes.forms import handle_staff_form
from exonc.platform.web import page, refusals, user_of

View = Callable[..., HttpResponse]


@login_required
@refusals
def questionnaires(request: HttpRequest) -> HttpResponse:
    """A patient's due questionnaires; for staff, the visits with an open window."""
    user = user_of(request)
    if user.role == Role.PATIENT:
        data = patient.my_questionnaires(user, timezone.now())
        return page(request, "outcomes/mine.html", data)
    return page(request, "outcomes/overview.html", status.overview(user, timezone.now()))


@login_required
@refusals
def start(request: HttpRequest, visit: str, instrument: str) -> HttpResponse:
    """Resume where she stopped: the first question not yet seen, or the review."""
    found = patient.own_visit(user_of(request), visit, instrument)
    if patient.is_submitted(found, instrument):
        return redirect("questionnaire-done", visit, instrument)
    position = patient.resume_at(found, instrument)
    if position is None:
        return redirect("questionnaire-review", visit, instrument)
    return redirect("questionnaire-item", visit, instrument, position)


@login_required
@refusals
def item(request: HttpRequest, visit: str, instrument: str, position: int) -> HttpResponse:
    user = user_of(request)
    found = patient.own_visit(user, visit, instrument)
    screen = patient.item_screen(found, instrument, position)
    if request.method != "POST":
        if patient.is_submitted(found, instrument):
            return redirect("questionnaire-done", visit, instrument)
        return page(request, "outcomes/item.html", screen)
    action = request.POST.get("action", "next")
    answer = request.POST.get("answer", "").strip()
    if action == "next" and not answer:
        return _item_error(request, screen, "Choose an answer, or skip this question.")
    if answer or action == "skip":
        given = {screen.code: None if action == "skip" else answer}
        try:
            services.save_answers(user, found, instrument, given, now=timezone.now())
        except ScoringError:
            return _item_error(request, screen, "Choose one of the answers shown.")
        except ExoncError as error:
            messages.error(request, str(error))
            return redirect("questionnaires")
    return _after_item(visit, instrument, screen, action)


def _after_item(
    visit: str, instrument: str, screen: patient.ItemScreen, action: str
) -> HttpResponse:
    if action == "back" and screen.previous:
        return redirect("questionnaire-item", visit, instrument, screen.previous)
    if action == "leave":
        return redirect("questionnaires")
    if screen.position < screen.total:
        return redirect("questionnaire-item", visit, instrument, screen.position + 1)
    return redirect("questionnaire-review", visit, instrument)


def _item_error(request: HttpRequest, screen: patient.ItemScreen, error: str) -> HttpResponse:
    response = page(request, "outcomes/item.html", screen, error=error)
    response.status_code = 400
    return response


@login_required
@refusals
def review(request: HttpRequest, visit: str, instrument: str) -> HttpResponse:
    user = user_of(request)
    found = patient.own_visit(user, visit, instrument)
    if request.method == "POST":
        try:
            services.submit(user, found, instrument, now=timezone.now())
        except ExoncError as error:
            messages.error(request, str(error))
            return redirect("questionnaire-review", visit, instrument)
        return redirect("questionnaire-done", visit, instrument)
    return page(request, "outcomes/review.html", patient.review(found, instrument))


@login_required
@refusals
def done(request: HttpRequest, visit: str, instrument: str) -> HttpResponse:
    found = patient.own_visit(user_of(request), visit, instrument)
    return page(request, "outcomes/done.html", patient.review(found, instrument))


@login_required
@refusals
def participant(request: HttpRequest, study_id: str) -> HttpResponse:
    """Staff: a participant's questionnaires per visit, with completion and scores."""
    found = staff.staff_participant(user_of(request), study_id)
    data = status.participant_questionnaires(found, timezone.now())
    return page(request, "outcomes/participant.html", data)


@login_required
@require_POST
@refusals
def complete_visit(request: HttpRequest, study_id: str, visit: str) -> HttpResponse:
    """Staff: record the visit as done once all its questionnaires are submitted."""
    user = user_of(request)
    found = staff.staff_visit(user, study_id, visit)
    try:
        done_visit = services.record_visit_completed(user, found, now=timezone.now())
        messages.success(request, f"Visit {visit} recorded as done on {done_visit.completed_on}.")
    except ExoncError as error:
        messages.error(request, str(error))
    return redirect("participant-questionnaires", study_id)


@login_required
@refusals
def response(request: HttpRequest, study_id: str, visit: str, instrument: str) -> HttpResponse:
    found = staff.staff_visit(user_of(request), study_id, visit, instrument)
    return page(request, "outcomes/response.html", staff.response_detail(found, instrument))


@login_required
@refusals
def paper(request: HttpRequest, study_id: str, visit: str, instrument: str) -> HttpResponse:
    """Staff: enter a paper form (or, with ``correct``, correct submitted answers)."""
    return _staff_form(request, study_id, visit, instrument, correction=False)


@login_required
@refusals
def correct(request: HttpRequest, study_id: str, visit: str, instrument: str) -> HttpResponse:
    return _staff_form(request, study_id, visit, instrument, correction=True)


def _staff_form(
    request: HttpRequest, study_id: str, visit: str, instrument: str, *, correction: bool
) -> HttpResponse:
    user = user_of(request)
    found = staff.staff_visit(user, study_id, visit, instrument)
    if request.method != "POST":
        return page(
            request,
            "outcomes/paper.html",
            staff.paper_form(found, instrument, correction=correction),
        )
    outcome = handle_staff_form(user, found, instrument, request.POST, correction=correction)
    if outcome is None:
        messages.success(request, f"{instrument} at visit {visit} saved and scored.")
        return redirect("questionnaire-response", study_id, visit, instrument)
    response = page(request, "outcomes/paper.html", outcome)
    response.status_code = 400
    return response
