"""REST endpoints for trial operations; each calls one service or query."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from exonc.errors import InputError
from exonc.platform import access
from exonc.platform.trial import services
from exonc.platform.trial.dashboard import staff_home
from exonc.platform.trial.models import Centre, Participant, Visit
from exonc.platform.trial.record import participant_record
from exonc.platform.web import user_of
from exonc.results import jsonable

router = Router(tags=["trial"])


class EnrolmentIn(Schema):
    centre: str
    study_id: str = Field("", description="empty: the next ID of the protocol's pattern")
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


class VisitOutcomeIn(Schema):
    completed_on: dt.date | None = Field(None, description="the date it was done, or")
    missed_reason: str = Field("", description="why it did not take place")
    reason: str = Field("", description="needed when an outcome was already recorded")


class WithdrawalIn(Schema):
    withdrawn_on: dt.date
    kind: str = Field(description="intervention, follow-up, consent, death, lost or other")
    reason: str


class BaselineIn(Schema):
    changes: dict[str, object]
    reason: str


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
    centre = Centre.objects.filter(code=body.centre).first()  # unknown: the service says so
    today = services.centre_today(centre) if centre else timezone.localdate()
    created = services.enrol(user_of(request), services.Enrolment(**body.dict()), today=today)
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


@router.post("/participants/{study_id}/visits/{code}", response={200: dict})
def visit_outcome(
    request: HttpRequest, study_id: str, code: str, body: VisitOutcomeIn
) -> dict[str, object]:
    """Record a visit as done on a date, or as not taking place with the reason."""
    found = _participant(request, study_id)
    visit = get_object_or_404(Visit, participant=found, code=code)
    user, today = user_of(request), services.centre_today(found.centre)
    if body.missed_reason.strip():
        done = services.record_missed_visit(
            user, visit, missed_reason=body.missed_reason, today=today, reason=body.reason
        )
    elif body.completed_on is not None:
        done = services.complete_visit(
            user, visit, completed_on=body.completed_on, today=today, reason=body.reason
        )
    else:
        raise InputError("give completed_on or missed_reason", column="completed_on")
    return {"visit": done.code, "status": str(done.status(today))}


@router.post("/participants/{study_id}/withdrawal", response={201: dict})
def withdraw(request: HttpRequest, study_id: str, body: WithdrawalIn) -> Status[dict[str, str]]:
    """Record that she stopped the intervention or all follow-up, when and why."""
    withdrawal = services.withdraw(
        user_of(request),
        _participant(request, study_id),
        withdrawn_on=body.withdrawn_on,
        kind=body.kind,
        reason=body.reason,
    )
    return Status(201, {"kind": withdrawal.kind, "withdrawn_on": str(withdrawal.withdrawn_on)})


@router.patch("/participants/{study_id}", response={200: dict})
def correct_baseline(request: HttpRequest, study_id: str, body: BaselineIn) -> dict[str, object]:
    """Correct baseline fields (checked as at enrolment), with the reason for the change."""
    fresh = services.update_participant(
        user_of(request), _participant(request, study_id), body.changes, body.reason
    )
    return {"study_id": fresh.study_id, "changed": sorted(body.changes)}
