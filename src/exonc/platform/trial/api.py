"""REST endpoints for trial operations; each calls one service or query."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from exonc.platform import access
from exonc.platform.trial import services
from exonc.platform.trial.dashboard import staff_home
from exonc.platform.trial.models import Participant
from exonc.platform.trial.record import participant_record
from exonc.platform.web import user_of
from exonc.results import jsonable

router = Router(tags=["trial"])


class EnrolmentIn(Schema):
    study_id: str
    centre: str
    birth_year: int
    sex: str = "F"
    line_of_treatment: str = ""
    metastatic_sites: list[str] = Field(default_factory=list)
    bone_metastases: bool | None = None
    ecog: int | None = None
    baseline_pain: bool | None = None


class ScreeningIn(Schema):
    screened_on: dt.date
    answers: dict[str, tuple[str, str]]


class ConsentIn(Schema):
    consented_on: dt.date
    consent_version: str = ""


def _participant(request: HttpRequest, study_id: str) -> Participant:
    return get_object_or_404(
        access.scope(Participant.objects.all(), user_of(request)), study_id=study_id
    )


@router.get("/home")
def home(request: HttpRequest) -> object:
    """What is due for the signed-in user (the home page's data)."""
    return jsonable(staff_home(user_of(request), timezone.now()))


@router.get("/participants/{study_id}")
def participant(request: HttpRequest, study_id: str) -> object:
    return jsonable(participant_record(_participant(request, study_id), timezone.now()))


@router.post("/participants", response={201: dict})
def enrol(request: HttpRequest, body: EnrolmentIn) -> Status[dict[str, str]]:
    created = services.enrol(
        user_of(request), services.Enrolment(**body.dict()), today=timezone.localdate()
    )
    return Status(201, {"study_id": created.study_id})


@router.post("/participants/{study_id}/screenings", response={201: dict})
def screen(request: HttpRequest, study_id: str, body: ScreeningIn) -> Status[dict[str, object]]:
    screening = services.screen(
        user_of(request),
        _participant(request, study_id),
        body.answers,
        screened_on=body.screened_on,
    )
    return Status(201, {"eligible": screening.eligible})


@router.post("/participants/{study_id}/consents", response={201: dict})
def consent(request: HttpRequest, study_id: str, body: ConsentIn) -> Status[dict[str, str]]:
    given = services.record_consent(
        user_of(request),
        _participant(request, study_id),
        consented_on=body.consented_on,
        consent_version=body.consent_version,
    )
    return Status(201, {"consent_version": given.consent_version})
