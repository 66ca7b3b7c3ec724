"""Activity pages: the centre overview, a participant's activity, uploads and their reports,
the per-visit-window export, and the patient's "your week".

Views parse the request, call one function and render it — or the same data as JSON
(``?format=json``); the export also as CSV (``?format=csv``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import IO, cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from exonc.errors import AccessDenied, AlreadyImported, ExoncError, InputError
from exonc.platform.accounts.models import Role, User
from exonc.platform.activity import services
from exonc.platform.activity.charts import day_chart
from exonc.platform.activity.overview import centre_overview
from exonc.platform.activity.participant import (
    WEEK_CHOICES,
    participant_activity,
    visible_participant,
)
from exonc.platform.activity.uploads import import_detail, upload_form
from exonc.platform.activity.week import your_week
from exonc.platform.activity.windows import window_summaries
from exonc.platform.exports import csv_download
from exonc.platform.trial.models import Participant
from exonc.platform.web import message, page, refusals, user_of

View = Callable[..., HttpResponse]


@refusals
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """Staff: participants tracking now, flags first. Patients go to their week."""
    user = user_of(request)
    if user.role == Role.PATIENT:
        return redirect("activity-week")
    data = centre_overview(user, timezone.now(), centre=request.GET.get("centre") or None)
    return page(request, "activity/overview.html", data)


@refusals
@require_GET
def participant(request: HttpRequest, study_id: str) -> HttpResponse:
    user = user_of(request)
    found = visible_participant(user, study_id)
    data = participant_activity(
        user,
        found,
        timezone.now(),
        weeks=_number(request.GET.get("weeks"), "weeks", 8),
        until=_date(request.GET.get("until"), "until"),
    )
    chart = day_chart(data.first, data.last, data.days, data.goal_minutes, data.valid_day_minutes)
    return page(request, "activity/participant.html", data, chart=chart, week_choices=WEEK_CHOICES)


@refusals
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """GET: the upload form. POST: import the files, then show the import report."""
    user = user_of(request)
    if request.method != "POST":
        chosen = request.GET.get("participant") or None
        return page(request, "activity/upload.html", upload_form(user, chosen=chosen))
    given = request.POST
    try:
        record = services.import_exports(
            user,
            _chosen_participant(user, given.get("participant", "")),
            services.Upload(
                format=given.get("format", ""),
                files=[
                    services.ExportFile(f.name or "", cast(IO[bytes], f))
                    for f in request.FILES.getlist("files")
                ],
                time_zone=given.get("time_zone", ""),
                tracker_id=given.get("tracker_id", ""),
            ),
            now=timezone.now(),
        )
    except AccessDenied:
        raise
    except AlreadyImported as repeat:  # nothing new: show the import that stored them
        messages.info(request, str(repeat))
        return redirect("activity-import", pk=repeat.earlier.pk)
    except ExoncError as error:
        form = upload_form(
            user,
            chosen=given.get("participant"),
            format=given.get("format", ""),
            time_zone=given.get("time_zone", ""),
            tracker_id=given.get("tracker_id", ""),
        )
        response = page(request, "activity/upload.html", form, error=message(error))
        response.status_code = 400 if isinstance(error, InputError) else 409
        return response
    return redirect("activity-import", pk=record.pk)


@refusals
@require_GET
def import_report(request: HttpRequest, pk: int) -> HttpResponse:
    return page(request, "activity/import.html", import_detail(user_of(request), pk))


@refusals
@require_GET
def windows(request: HttpRequest) -> HttpResponse:
    """Per-visit-window summaries: a page, ``?format=json`` or ``?format=csv`` (a download)."""
    data = window_summaries(user_of(request))
    if request.GET.get("format") == "csv":
        return csv_download(data.csv_text(), "activity-windows.csv")
    return page(request, "activity/windows.html", data)


@refusals
@require_GET
def week(request: HttpRequest) -> HttpResponse:
    return page(request, "activity/week.html", your_week(user_of(request), timezone.now()))


def _chosen_participant(user: User, study_id: str) -> Participant:
    """The participant picked on the upload form; an empty choice is a form error, not a 404."""
    if not study_id.strip():
        raise InputError("is not chosen", column="participant", hint="choose the participant")
    return visible_participant(user, study_id)


def _number(value: str | None, name: str, default: int) -> int:
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise InputError("must be a whole number", column=name, value=value) from None


def _date(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError("must be a date (YYYY-MM-DD)", column=name, value=value) from None
