"""The upload form's choices and the import records staff may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from exonc.platform import access
from exonc.platform.accounts.models import User
from exonc.platform.activity.models import ActivityImport
from exonc.platform.activity.participant import VIEWERS
from exonc.platform.activity.reports import ImportSummary, import_summary
from exonc.platform.activity.services import UPLOADERS
from exonc.platform.activity.tracking import NAMING_FORMATS, tracker_id_of
from exonc.platform.trial.models import Participant
from exonc.trackers import FORMATS


@dataclass(frozen=True)
class UploadChoice:
    study_id: str
    centre: str
    time_zone: str
    tracker_id: str | None  # None until her first import stores minutes


@dataclass(frozen=True)
class UploadForm:
    formats: list[str]
    naming_formats: list[str]  # formats whose files name the participant (need her tracker id)
    participants: list[UploadChoice]
    chosen: str | None
    format: str
    time_zone: str
    tracker_id: str


def upload_form(
    user: User,
    *,
    chosen: str | None = None,
    format: str = "fitabase",
    time_zone: str = "",
    tracker_id: str = "",
) -> UploadForm:
    """The participants *user* may upload for, with their centre's time zone and tracker id."""
    access.require_role(user, *UPLOADERS)
    related = ("centre", "tracker_account")
    participants = access.scope(Participant.objects.select_related(*related), user)
    return UploadForm(
        formats=list(FORMATS),
        naming_formats=sorted(NAMING_FORMATS),
        participants=[
            UploadChoice(
                p.study_id,
                p.centre.code,
                p.centre.time_zone,
                tracker_id_of(p) if hasattr(p, "tracker_account") else None,
            )
            for p in participants
        ],
        chosen=chosen,
        format=format,
        time_zone=time_zone,
        tracker_id=tracker_id,
    )


def visible_import(user: User, pk: int) -> ActivityImport:
    access.require_role(user, *VIEWERS)
    imports = ActivityImport.objects.select_related("participant__centre", "imported_by")
    return get_object_or_404(access.scope(imports, user, participant="participant"), pk=pk)


def import_detail(user: User, pk: int) -> ImportSummary:
    return import_summary(visible_import(user, pk), user)
