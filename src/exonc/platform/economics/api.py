"""REST endpoints of health economics (``/api/economics/…``): each calls one service or
query, so the API refuses exactly what the pages refuse."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.params.functions import Query

from exonc.errors import TrialStateError
from exonc.platform import access
from exonc.platform.economics import analysis, delivery, pages, services
from exonc.platform.economics.models import ResourceUseReport
from exonc.platform.economics.questionnaire import UNITS, ResourceUseEntry, items_of
from exonc.platform.exercise.models import SessionLog
from exonc.platform.trial.models import Visit
from exonc.platform.trial.services import local_today
from exonc.platform.web import user_of
from exonc.results import jsonable

router = Router(tags=["economics"])


class ResourceUseIn(Schema):
    """Every item of the country's questionnaire with its quantity, and paid work."""

    quantities: dict[str, Any]
    paid_work: Any = None
    absence_days: Any = 0
    work_hours_per_week: Any = 0
    absence_continued: Any = False
    presenteeism_hours: Any = 0

    def entry(self) -> ResourceUseEntry:
        return ResourceUseEntry(
            self.quantities,
            self.paid_work,
            self.absence_days,
            self.work_hours_per_week,
            self.absence_continued,
            self.presenteeism_hours,
        )


class StaffEntryIn(ResourceUseIn):
    reported_on: dt.date


class ResourceUseCorrectionIn(ResourceUseIn):
    reason: str


class DeliveryIn(Schema):
    therapist_minutes: Any
    group_size: Any
    reason: str = ""


def report_json(report: ResourceUseReport) -> dict[str, Any]:
    """What a write returns (and the JSON twin lists)."""
    data: dict[str, Any] = jsonable(
        {
            "study_id": report.visit.participant.study_id,
            "visit": report.visit.code,
            "country": report.country,
            "quantities": report.quantities,
            "paid_work": report.paid_work,
            "absence_days": report.absence_days,
            "work_hours_per_week": report.work_hours_per_week,
            "absence_continued": report.absence_continued,
            "presenteeism_hours": report.presenteeism_hours,
            "source": report.source,
            "reported_on": report.reported_on,
            "entered_by": report.entered_by.username,
        }
    )
    return data


def _visit(request: HttpRequest, study_id: str, visit: str) -> Visit:
    participant = pages.visible_participant(user_of(request), study_id)
    return get_object_or_404(
        Visit.objects.select_related("participant__centre"), participant=participant, code=visit
    )


#: An optional query value: left out for the default, never empty (``?seed=`` is refused).
_GIVEN = Query(None, min_length=1)
Productivity = Literal["friction-cost", "human-capital"]


@router.get("/economics/analysis")
def health_economics(
    request: HttpRequest,
    bootstrap: str | None = _GIVEN,
    seed: str | None = _GIVEN,
    missing: Literal["complete-case", "impute"] | None = None,
    productivity: Productivity | None = None,
) -> object:
    """The cost-utility analysis (statisticians, administrators); the page's JSON twin."""
    given = {"bootstrap": bootstrap, "seed": seed, "missing": missing, "productivity": productivity}
    query = {name: value or "" for name, value in given.items()}
    options = analysis.options_from(query)
    data = analysis.health_economics(user_of(request), today=timezone.localdate(), options=options)
    return jsonable(data)


@router.get("/economics/export")
def export(request: HttpRequest, productivity: Productivity | None = None) -> HttpResponse:
    """The per-participant analysis table as CSV (the input of ``exonc economics cea``)."""
    method = analysis.options_from({"productivity": productivity or ""}).productivity
    frame = analysis.export_table(user_of(request), today=timezone.localdate(), productivity=method)
    return HttpResponse(analysis.csv_text(frame), content_type="text/csv; charset=utf-8")


@router.get("/economics/items")
def items(request: HttpRequest, country: str = Query(..., min_length=1)) -> object:
    """The items of *country*'s resource-use questionnaire, with unit and whether whole."""
    user_of(request)
    return [
        {
            "code": i.code,
            "category": i.category.value,
            "unit": i.unit,
            "label": i.label,
            "whole": UNITS[i.unit].whole,
        }
        for i in items_of(country)
    ]


@router.get("/economics/resource-use")
def worklist(request: HttpRequest) -> object:
    """Staff: follow-up visits whose questionnaire is due or was missed recently."""
    return jsonable(pages.worklist(user_of(request), timezone.localdate()))


@router.get("/economics/participants/{study_id}")
def participant(request: HttpRequest, study_id: str) -> object:
    """Her questionnaires per follow-up visit and her supervised sessions' delivery."""
    user = user_of(request)
    found = pages.visible_participant(user, study_id)
    return jsonable(
        pages.participant_economics(user, found, local_today(found.centre, timezone.now()))
    )


@router.post("/economics/participants/{study_id}/resource-use/{visit}", response={201: dict})
def enter(
    request: HttpRequest, study_id: str, visit: str, body: StaffEntryIn
) -> Status[dict[str, Any]]:
    """Staff: record the answers the patient gave."""
    chosen = _visit(request, study_id, visit)
    report = services.enter_resource_use(
        user_of(request),
        chosen,
        body.entry(),
        reported_on=body.reported_on,
        today=local_today(chosen.participant.centre, timezone.now()),
    )
    return Status(201, report_json(report))


@router.post("/economics/participants/{study_id}/resource-use/{visit}/corrections")
def correct(
    request: HttpRequest, study_id: str, visit: str, body: ResourceUseCorrectionIn
) -> object:
    """Coordinator: correct a report with a reason (every answer is given again)."""
    chosen = _visit(request, study_id, visit)
    report = ResourceUseReport.objects.filter(visit=chosen).first()
    if report is None:
        raise TrialStateError(
            _("no resource use is recorded at visit %(visit)s to correct") % {"visit": visit}
        )
    fixed = services.correct_resource_use(
        user_of(request), report, body.entry(), reason=body.reason
    )
    return report_json(fixed)


@router.get("/economics/me/resource-use")
def mine(request: HttpRequest) -> object:
    """A patient's questionnaires that are open now or answered."""
    user = user_of(request)
    today = local_today(pages.own_participant(user).centre, timezone.now())
    return jsonable(pages.my_resource_use(user, today))


@router.post("/economics/me/resource-use/{visit}", response={201: dict})
def report_mine(request: HttpRequest, visit: str, body: ResourceUseIn) -> Status[dict[str, Any]]:
    """A patient reports her own resource use while the visit's window is open."""
    user = user_of(request)
    chosen = pages.own_visit(user, visit)
    today = local_today(chosen.participant.centre, timezone.now())
    report = services.report_own_resource_use(user, chosen, body.entry(), today=today)
    return Status(201, report_json(report))


@router.put("/economics/sessions/{pk}/delivery")
def session_delivery(request: HttpRequest, pk: int, body: DeliveryIn) -> object:
    """Record a supervised session's therapist minutes and group size."""
    user = user_of(request)
    sessions = access.scope(
        SessionLog.objects.select_related("participant__centre"), user, participant="participant"
    )
    session = get_object_or_404(sessions, pk=pk)
    record = delivery.record_delivery(
        user,
        session,
        therapist_minutes=body.therapist_minutes,
        group_size=body.group_size,
        reason=body.reason,
    )
    return {
        "session": session.pk,
        "date": session.date.isoformat(),
        "therapist_minutes": record.therapist_minutes,
        "group_size": record.group_size,
    }


@router.put("/economics/centres/{code}/delivery")
def centre_delivery(request: HttpRequest, code: str, body: DeliveryIn) -> object:
    """Coordinator: a centre's usual therapist minutes and group size."""
    user = user_of(request)
    centre = get_object_or_404(access.visible_centres(user), code=code)
    delivery.set_delivery_defaults(
        user,
        centre,
        therapist_minutes=body.therapist_minutes,
        group_size=body.group_size,
        reason=body.reason,
    )
    return jsonable(delivery.centre_defaults(centre))
