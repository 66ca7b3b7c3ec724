"""Trial operations pages. Views parse the request, call one function, render.

The forms post to themselves and work without JavaScript; htmx (served from the package's
static files) swaps only the form in place and follows a success with a redirect.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from exonc.platform import access
from exonc.platform.accounts.models import Role
from exonc.platform.exports import csv_download
from exonc.platform.trial import forms, lists, services, steps
from exonc.platform.trial.dashboard import staff_home
from exonc.platform.trial.models import Participant, Visit
from exonc.platform.trial.protocols import active_protocol
from exonc.platform.trial.record import participant_record
from exonc.platform.web import form_page, page, refusals, user_of


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if user.role == Role.PATIENT:
        return redirect("hub")
    return page(request, "trial/home.html", staff_home(user, timezone.now()))


def _found(request: HttpRequest, study_id: str) -> Participant:
    visible = access.scope(Participant.objects.select_related("centre"), user_of(request))
    return get_object_or_404(visible, study_id=study_id)


@refusals
@require_GET
def participant(request: HttpRequest, study_id: str) -> HttpResponse:
    found = _found(request, study_id)
    record = participant_record(found, timezone.now())
    return page(
        request, "trial/participant.html", record, next=steps.next_steps(user_of(request), found)
    )


@refusals
@require_GET
def participants(request: HttpRequest) -> HttpResponse:
    """All participants the user may see: search, filters, sort, pages, CSV."""
    return _list(request, lists.participant_rows, "trial/participants.html", "participants.csv")


@refusals
@require_GET
def due(request: HttpRequest) -> HttpResponse:
    """Visits due now or recently missed: search, filters, sort, pages, CSV."""
    return _list(request, lists.due_rows, "trial/due.html", "due-visits.csv")


def _list(request: HttpRequest, rows_of: Any, template: str, filename: str) -> HttpResponse:
    rows, filters, choices = rows_of(user_of(request), request.GET, timezone.now())
    if request.GET.get("format") == "csv":
        return csv_download(lists.export(rows).csv_text(), filename)
    data = lists.paginate(rows, filters, choices)
    return page(request, template, data, sorts=lists.SORT_LABELS)


@refusals
def enrol(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    access.require_role(user, *services.ENROLLING)
    centres = {c.code: c for c in access.visible_centres(user)}
    form = forms.EnrolmentForm(request.POST or None, centres=centres.values())

    def run(d: dict[str, Any]) -> Participant:
        data = services.Enrolment(
            study_id=d["study_id"], centre=d["centre"], sex=d["sex"], **forms.baseline_values(d)
        )
        return services.enrol(user, data, today=services.centre_today(centres[d["centre"]]))

    suggested = {code: services.suggested_study_id(c) for code, c in centres.items()}
    return form_page(
        request,
        form,
        "trial/enrol.html",
        run,
        success=(_("Participant enrolled."), lambda p: reverse("participant", args=[p.study_id])),
        context={"suggested": suggested},
    )


@refusals
def screen(request: HttpRequest, study_id: str) -> HttpResponse:
    found, user = _found(request, study_id), user_of(request)
    today = services.centre_today(found.centre)
    form = forms.ScreeningForm(request.POST or None, initial={"screened_on": today})

    def run(d: dict[str, Any]) -> object:
        return services.screen(
            user, found, form.answers(), screened_on=d["screened_on"], today=today
        )

    return _form(request, found, form, "trial/screen.html", run, _("Screening recorded."))


@refusals
def consent(request: HttpRequest, study_id: str) -> HttpResponse:
    found, user = _found(request, study_id), user_of(request)
    today = services.centre_today(found.centre)
    initial = {"consented_on": today, "consent_version": active_protocol().consent_version}
    form = forms.ConsentForm(request.POST or None, initial=initial)

    def run(d: dict[str, Any]) -> object:
        return services.record_consent(
            user,
            found,
            consented_on=d["consented_on"],
            consent_version=d["consent_version"],
            today=today,
        )

    return _form(request, found, form, "trial/consent.html", run, _("Consent recorded."))


@refusals
def visit(request: HttpRequest, study_id: str, code: str) -> HttpResponse:
    found, user = _found(request, study_id), user_of(request)
    the_visit = get_object_or_404(Visit, participant=found, code=code)
    today = services.centre_today(found.centre)
    form = forms.VisitOutcomeForm(
        request.POST or None, initial=steps.visit_initial(the_visit, today)
    )

    def run(d: dict[str, Any]) -> object:
        return steps.record_visit_outcome(user, the_visit, d, today=today)

    context = {"visit": the_visit}
    return _form(request, found, form, "trial/visit.html", run, _("Visit recorded."), context)


@refusals
def withdraw(request: HttpRequest, study_id: str) -> HttpResponse:
    found, user = _found(request, study_id), user_of(request)
    today = services.centre_today(found.centre)
    form = forms.WithdrawalForm(request.POST or None, initial={"withdrawn_on": today})

    def run(d: dict[str, Any]) -> object:
        return services.withdraw(
            user,
            found,
            withdrawn_on=d["withdrawn_on"],
            kind=d["kind"],
            reason=d["reason"],
            today=today,
        )

    return _form(request, found, form, "trial/withdraw.html", run, _("Withdrawal recorded."))


@refusals
def baseline(request: HttpRequest, study_id: str) -> HttpResponse:
    found, user = _found(request, study_id), user_of(request)
    initial = steps.baseline_initial(found)
    form = forms.CorrectionForm(request.POST or None, initial=initial)

    def run(d: dict[str, Any]) -> object:
        changes = steps.changed(forms.baseline_values(d), found)
        return services.update_participant(user, found, changes, d["reason"])

    return _form(request, found, form, "trial/baseline.html", run, _("Baseline data corrected."))


def _form(
    request: HttpRequest,
    found: Participant,
    form: Any,
    template: str,
    run: Any,
    message: str,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    access.require_role(user_of(request), *services.ENROLLING, *steps.EXTRA_ROLES.get(template, ()))
    back = reverse("participant", args=[found.study_id])
    return form_page(
        request,
        form,
        template,
        run,
        success=(message, back),
        context={"p": found, **(context or {})},
    )
