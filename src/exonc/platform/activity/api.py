"""REST endpoints for activity: the JSON twins of the pages, over the same functions.

Staff use ``/activity/…`` and ``/participants/{study_id}/activity…`` (their centres only);
a patient uses ``/me/activity`` (her own week).
"""

from __future__ import annotations

import datetime as dt
from typing import IO, Literal, cast

from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Form, Router, Status, UploadedFile
from ninja.params.functions import Form as FormField
from ninja.params.functions import Query

from exonc.platform.activity import services
from exonc.platform.activity.models import Channel
from exonc.platform.activity.overview import centre_overview
from exonc.platform.activity.participant import (
    DEFAULT_WEEKS,
    participant_activity,
    visible_participant,
)
from exonc.platform.activity.reports import import_summary
from exonc.platform.activity.uploads import import_detail
from exonc.platform.activity.week import your_week
from exonc.platform.activity.windows import window_summaries
from exonc.platform.exports import csv_download
from exonc.platform.web import user_of
from exonc.results import jsonable

router = Router(tags=["activity"])


@router.get("/activity/overview")
def overview(request: HttpRequest, centre: str | None = Query(None, min_length=1)) -> object:
    """Participants tracking now, with the two-week low-wear / low-activity flags."""
    return jsonable(centre_overview(user_of(request), timezone.now(), centre=centre))


@router.get("/activity/windows")
def windows(request: HttpRequest, format: Literal["json", "csv"] = "json") -> object:
    """Per participant and visit window (baseline, 0-3, 3-6, 6-9 months); ``format=csv``."""
    data = window_summaries(user_of(request))
    if format == "csv":
        return csv_download(data.csv_text(), "activity-windows.csv")
    return jsonable(data)


@router.get("/activity/imports/{pk}")
def import_report(request: HttpRequest, pk: int) -> object:
    return jsonable(import_detail(user_of(request), pk))


@router.get("/participants/{study_id}/activity")
def participant(
    request: HttpRequest, study_id: str, weeks: int = DEFAULT_WEEKS, until: dt.date | None = None
) -> object:
    """Her days over *weeks* weeks up to *until*, her weeks, flag and imports."""
    user = user_of(request)
    found = visible_participant(user, study_id)
    return jsonable(participant_activity(user, found, timezone.now(), weeks=weeks, until=until))


@router.post("/participants/{study_id}/activity/imports", response={201: dict})
def upload(
    request: HttpRequest,
    study_id: str,
    files: File[list[UploadedFile]],
    format: str = FormField(..., min_length=1),
    time_zone: Form[str] = "",
    tracker_id: Form[str] = "",
) -> Status[object]:
    """Import export files (multipart: ``files``, ``format``, optional ``time_zone`` and
    ``tracker_id``); answers the import report."""
    user = user_of(request)
    record = services.import_exports(
        user,
        visible_participant(user, study_id),
        services.Upload(
            format=format,
            files=[services.ExportFile(f.name or "", cast(IO[bytes], f)) for f in files],
            time_zone=time_zone,
            tracker_id=tracker_id,
            channel=Channel.API,
        ),
        now=timezone.now(),
    )
    return Status(201, jsonable(import_summary(record, user)))


@router.get("/me/activity")
def my_week(request: HttpRequest) -> object:
    """The signed-in patient's last 7 days against the goal."""
    return jsonable(your_week(user_of(request), timezone.now()))
