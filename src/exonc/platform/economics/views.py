"""Health-economics pages. Views parse the request, call one function, render (or JSON)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exonc.economics import ProductivityMethod
from exonc.errors import ExoncError
from exonc.platform import access
from exonc.platform.accounts.models import Role, User
from exonc.platform.economics import analysis, delivery, figures, forms, pages, services
from exonc.platform.economics.models import ResourceUseReport
from exonc.platform.exercise.models import SessionLog
from exonc.platform.exports import csv_download
from exonc.platform.outcomes.schedule import require_answerable_online
from exonc.platform.trial.models import Participant, Visit
from exonc.platform.trial.services import local_today
from exonc.platform.web import page, refusals, status_for, user_of

View = Callable[..., HttpResponse]


def _today(participant: Participant) -> dt.date:
    return local_today(participant.centre, timezone.now())


# ------------------------------------------------------------------ the analysis


@login_required
@refusals
def health_economics(request: HttpRequest) -> HttpResponse:
    """The cost-utility analysis of the platform's data (statisticians, administrators)."""
    options = analysis.options_from(request.GET)
    data = analysis.health_economics(user_of(request), today=timezone.localdate(), options=options)
    return page(
        request,
        "economics/analysis.html",
        data,
        plane=figures.ce_plane(data.plane, data.wtp, data.currency),
        ceac=figures.ceac(data.curves, data.wtp, data.currency),
    )


@login_required
@refusals
def export(request: HttpRequest) -> HttpResponse:
    """The per-participant analysis table as CSV (``exonc economics cea``'s input)."""
    method = analysis.options_from(request.GET).productivity
    frame = analysis.export_table(
        user_of(request), today=timezone.localdate(), productivity=ProductivityMethod(method)
    )
    return csv_download(analysis.csv_text(frame), "economics.csv")


# ------------------------------------------------------------------ resource use


@login_required
@refusals
def resource_use(request: HttpRequest) -> HttpResponse:
    """A patient's own questionnaires; for staff, the visits whose questionnaire is due."""
    user = user_of(request)
    if user.role == Role.PATIENT:
        data = pages.my_resource_use(
            user, local_today(pages.own_participant(user).centre, timezone.now())
        )
        return page(request, "economics/mine.html", data)
    return page(request, "economics/worklist.html", pages.worklist(user, timezone.localdate()))


@login_required
@refusals
def participant(request: HttpRequest, study_id: str) -> HttpResponse:
    user = user_of(request)
    found = pages.visible_participant(user, study_id)
    data = pages.participant_economics(user, found, _today(found))
    return page(request, "economics/participant.html", data)


@login_required
@refusals
def questionnaire(request: HttpRequest, study_id: str, visit: str) -> HttpResponse:
    """Staff: enter a visit's questionnaire, or (coordinators) correct it with a reason."""
    user = user_of(request)
    found = pages.visible_participant(user, study_id)
    chosen = get_object_or_404(Visit, participant=found, code=visit)
    report = ResourceUseReport.objects.filter(visit=chosen).first()
    mode = "staff" if report is None else "correction"
    if request.method != "POST":
        return page(
            request, "economics/form.html", pages.questionnaire_form(chosen, mode, report=report)
        )
    submitted = forms.read_form(
        request.POST, chosen, report.country if report else found.centre.country
    )
    if submitted.checked.problems:
        return _form_error(request, chosen, mode, report, submitted)
    try:
        _save_staff(user, chosen, report, submitted)
    except ExoncError as error:
        return _form_error(request, chosen, mode, report, submitted, error)
    messages.success(request, _("Resource use at visit %(visit)s saved.") % {"visit": visit})
    return redirect("economics:participant", study_id)


def _save_staff(
    user: User, visit: Visit, report: ResourceUseReport | None, submitted: forms.Submitted
) -> None:
    if report is None:
        services.enter_resource_use(
            user,
            visit,
            submitted.entry,
            reported_on=forms.reported_on(submitted.values["reported_on"]),
            today=_today(visit.participant),
        )
    else:
        services.correct_resource_use(
            user, report, submitted.entry, reason=submitted.values["reason"]
        )


def _form_error(
    request: HttpRequest,
    visit: Visit,
    mode: str,
    report: ResourceUseReport | None,
    submitted: forms.Submitted,
    error: ExoncError | None = None,
) -> HttpResponse:
    errors = dict(submitted.checked.problems)
    if error is not None:
        column = getattr(error, "column", None)
        errors[column if column else "form"] = str(error)
    data = pages.questionnaire_form(
        visit, mode, report=report, submitted=submitted.values, errors=errors
    )
    response = page(request, "economics/form.html", data)
    response.status_code = 400 if error is None else status_for(error)
    return response


@login_required
@refusals
def my_questionnaire(request: HttpRequest, visit: str) -> HttpResponse:
    """A patient answers her own questionnaire of a follow-up visit."""
    user = user_of(request)
    chosen = pages.own_visit(user, visit)
    if ResourceUseReport.objects.filter(visit=chosen).exists():
        messages.info(request, _("You have already answered this questionnaire. Thank you."))
        return redirect("economics:resource-use")
    if request.method != "POST":
        require_answerable_online(chosen, _today(chosen.participant))  # refuse before typing
        return page(request, "economics/form.html", pages.questionnaire_form(chosen, "patient"))
    submitted = forms.read_form(request.POST, chosen, chosen.participant.centre.country)
    if submitted.checked.problems:
        return _form_error(request, chosen, "patient", None, submitted)
    try:
        services.report_own_resource_use(
            user, chosen, submitted.entry, today=_today(chosen.participant)
        )
    except ExoncError as error:
        return _form_error(request, chosen, "patient", None, submitted, error)
    messages.success(request, _("Thank you — your answers were submitted."))
    return redirect("economics:resource-use")


# ------------------------------------------------------------------ programme delivery


@login_required
@require_POST
@refusals
def session_delivery(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a supervised session's therapist minutes and group size."""
    user = user_of(request)
    sessions = access.scope(
        SessionLog.objects.select_related("participant__centre"), user, participant="participant"
    )
    session = get_object_or_404(sessions, pk=pk)
    try:
        delivery.record_delivery(
            user,
            session,
            therapist_minutes=request.POST.get("therapist_minutes", ""),
            group_size=request.POST.get("group_size", ""),
            reason=request.POST.get("reason", ""),
        )
        messages.success(
            request,
            _("Delivery of the session of %(day)s saved.") % {"day": f"{session.date:%Y-%m-%d}"},
        )
    except ExoncError as error:
        messages.error(request, str(error))
    return redirect("economics:participant", session.participant.study_id)


@login_required
@refusals
def centre_delivery(request: HttpRequest, code: str) -> HttpResponse:
    """A centre's usual therapist minutes and group size (coordinators set them)."""
    user = user_of(request)
    centre = get_object_or_404(access.visible_centres(user), code=code)
    if request.method == "POST":
        try:
            delivery.set_delivery_defaults(
                user,
                centre,
                therapist_minutes=request.POST.get("therapist_minutes", ""),
                group_size=request.POST.get("group_size", ""),
                reason=request.POST.get("reason", ""),
            )
        except ExoncError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Delivery defaults of %(centre)s saved.") % {"centre": centre.code}
            )
        return redirect("economics:centre-delivery", code)
    return page(request, "economics/centre.html", delivery.centre_defaults(centre))
