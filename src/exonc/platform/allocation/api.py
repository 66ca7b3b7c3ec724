"""REST endpoints of allocation; each calls one service or query, with the pages' rules."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.params.functions import Query

from exonc.platform import access
from exonc.platform.allocation import services
from exonc.platform.allocation.log import allocation_log
from exonc.platform.allocation.models import Allocation
from exonc.platform.allocation.record import allocation_record
from exonc.platform.allocation.reports import allocation_report
from exonc.platform.trial.models import Participant
from exonc.platform.web import user_of
from exonc.results import jsonable

router = Router(tags=["allocation"])


class RandomiseIn(Schema):
    stratum: str | None = None


class AllocationCorrectionIn(Schema):
    kind: str
    problem: str
    action: str


def _participant(request: HttpRequest, study_id: str) -> Participant:
    visible = access.scope(Participant.objects.select_related("centre"), user_of(request))
    return get_object_or_404(visible, study_id=study_id)


@router.get("/participants/{study_id}/randomisation")
def preview(request: HttpRequest, study_id: str) -> object:
    """What randomising the participant would lock, or why it cannot be done (no arm)."""
    return jsonable(services.preview(user_of(request), _participant(request, study_id)))


@router.post("/participants/{study_id}/randomisation", response={201: dict})
def randomise(request: HttpRequest, study_id: str, body: RandomiseIn) -> Status[object]:
    """Randomise the participant (coordinators of her centre); 409 with the reason if refused.

    The body is ``{}`` or ``{"stratum": …}`` with the stratum you confirmed (from the
    preview), which refuses if her stratification data changed since.
    """
    user, participant = user_of(request), _participant(request, study_id)
    services.randomise(user, participant, now=timezone.now(), expected_stratum=body.stratum)
    return Status(201, jsonable(allocation_record(user, participant)))


@router.get("/participants/{study_id}/allocation")
def allocation(request: HttpRequest, study_id: str) -> object:
    """The participant's allocation (arm, date, stratum, corrections); never the list."""
    return jsonable(allocation_record(user_of(request), _participant(request, study_id)))


@router.post("/participants/{study_id}/allocation/corrections", response={201: dict})
def correct(request: HttpRequest, study_id: str, body: AllocationCorrectionIn) -> Status[object]:
    user, participant = user_of(request), _participant(request, study_id)
    given = get_object_or_404(Allocation, participant=participant)
    services.correct(
        user, given, kind=body.kind, problem=body.problem, action=body.action, now=timezone.now()
    )
    return Status(201, jsonable(allocation_record(user, participant)))


@router.get("/allocation/log")
def log(request: HttpRequest) -> object:
    """The allocation log (statisticians and administrators)."""
    return jsonable(allocation_log(user_of(request)))


@router.get("/allocation/report")
def report(request: HttpRequest, purpose: str | None = Query(None, min_length=1)) -> object:
    """Balance by arm and CONSORT allocation numbers (statisticians and administrators)."""
    return jsonable(allocation_report(user_of(request), purpose))
