"""Allocation pages: randomise (confirm, then the result), corrections, the log and the report.

Views parse the request, call one function and render it — or the same data as JSON.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from exonc.errors import AccessDenied, ExoncError, InputError
from exonc.platform import access
from exonc.platform.allocation import services
from exonc.platform.allocation.log import allocation_log
from exonc.platform.allocation.models import Allocation
from exonc.platform.allocation.record import allocation_record
from exonc.platform.allocation.reports import allocation_report
from exonc.platform.exports import csv_download
from exonc.platform.trial.models import Participant
from exonc.platform.web import page, refusals, user_of

View = Callable[..., HttpResponse]


def _participant(request: HttpRequest, study_id: str) -> Participant:
    visible = access.scope(Participant.objects.select_related("centre"), user_of(request))
    return get_object_or_404(visible, study_id=study_id)


def _refused(response: HttpResponse, error: ExoncError) -> HttpResponse:
    response.status_code = 400 if isinstance(error, InputError) else 409
    return response


@refusals
@require_http_methods(["GET", "POST"])
def randomise(request: HttpRequest, study_id: str) -> HttpResponse:
    """GET: what randomising will lock. POST: randomise, then show the allocation."""
    user, participant = user_of(request), _participant(request, study_id)
    if request.method == "POST":
        try:
            services.randomise(
                user,
                participant,
                now=timezone.now(),
                expected_stratum=request.POST.get("stratum") or None,
            )
        except AccessDenied:
            raise  # a 403 page
        except ExoncError as error:
            preview = services.preview(user, participant)
            return _refused(page(request, "allocation/confirm.html", preview, error=error), error)
        messages.success(request, f"{study_id} is randomised; her visits are scheduled.")
        return redirect("allocation", study_id=study_id)
    return page(request, "allocation/confirm.html", services.preview(user, participant))


@refusals
@require_GET
def allocation(request: HttpRequest, study_id: str) -> HttpResponse:
    record = allocation_record(user_of(request), _participant(request, study_id))
    return page(request, "allocation/allocation.html", record)


@refusals
@require_POST
def correct(request: HttpRequest, study_id: str) -> HttpResponse:
    user, participant = user_of(request), _participant(request, study_id)
    given = get_object_or_404(Allocation, participant=participant)
    try:
        services.correct(
            user,
            given,
            kind=request.POST.get("kind", ""),
            problem=request.POST.get("problem", ""),
            action=request.POST.get("action", ""),
            now=timezone.now(),
        )
    except InputError as error:
        record = allocation_record(user, participant)
        return _refused(page(request, "allocation/allocation.html", record, error=error), error)
    messages.success(request, "The correction is recorded; the allocation is unchanged.")
    return redirect("allocation", study_id=study_id)


@refusals
@require_GET
def log(request: HttpRequest) -> HttpResponse:
    """The allocation log: a page, ``?format=json`` or ``?format=csv`` (a download)."""
    data = allocation_log(user_of(request))
    if request.GET.get("format") == "csv":
        return csv_download(data.csv_text(), "allocation-log.csv")
    return page(request, "allocation/log.html", data)


@refusals
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    purpose = request.GET.get("purpose") if request.GET.get("purpose") in {"live", "test"} else None
    return page(request, "allocation/report.html", allocation_report(user_of(request), purpose))
