"""REST endpoints of the exercise programme (``/api/exercise/…``); each calls one service
or query, so the API refuses exactly what the pages refuse."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.params.functions import Query

from exonc import exercise as ex
from exonc.platform import access
from exonc.platform.exercise import convert, plans, services
from exonc.platform.exercise import safety_services as register
from exonc.platform.exercise import session_services as sessions
from exonc.platform.exercise.adherence import adherence_of
from exonc.platform.exercise.models import Lesion, Notification, SymptomFlag
from exonc.platform.exercise.patient import patient_today
from exonc.platform.exercise.record import STAFF, exercise_record
from exonc.platform.exercise.worklist import exercise_home
from exonc.platform.trial.models import Centre, Participant
from exonc.platform.trial.services import local_today
from exonc.platform.web import user_of
from exonc.results import jsonable

router = Router(tags=["exercise"])


class ProgrammeStart(Schema):
    start_date: dt.date
    height_cm: float


class FitnessTestBody(Schema):
    kind: str
    tested_on: dt.date
    tester: str = ""
    conditions: str = ""
    values: dict[str, Any]
    confirm_reason: str = ""


class LesionIn(Schema):
    site: str
    laterality: str
    lesion_type: str
    imaging_date: dt.date
    label: str = ""
    mirels_site: str = ""
    mirels_size: str = ""
    mirels_pain: str = ""
    sins_level: str = ""
    sins_pain: str = ""
    sins_alignment: str = ""
    sins_collapse: str = ""
    sins_posterolateral: str = ""


class ClearanceIn(Schema):
    cleared_on: dt.date
    note: str = ""


class OverrideIn(Schema):
    exercise: str
    reason: str = ""
    starts_on: dt.date
    until: dt.date | None = None


class SessionIn(Schema):
    """A session log: ``resistance`` items are ``{exercise, sets: [{reps, load_kg}], rpe,
    pain, modification, modification_reason}``; ``aerobic`` is ``{exercise, bouts,
    bout_seconds, watts, rpe, pain, …}``; ``balance`` is ``{exercise, minutes, …}``;
    ``check_in`` maps each symptom to true/false, plus a ``note``."""

    date: dt.date
    setting: str = "supervised"
    attendance: str = "attended"
    missed_reason: str = ""
    aerobic: dict[str, Any] | None = None
    resistance: list[dict[str, Any]] = Field(default_factory=list)
    balance: dict[str, Any] | None = None
    check_in: dict[str, Any] | None = None


class CloseFlagIn(Schema):
    closed_on: dt.date
    reason: str = ""


class AdverseEventIn(Schema):
    onset: dt.date
    description: str
    grade: int
    serious: bool
    relatedness: str
    outcome: str
    session_date: dt.date | None = None


class EquipmentIn(Schema):
    default_increment_kg: float = 2.5
    ergometer_increment_w: float = 5.0
    increments_kg: dict[str, float] = Field(default_factory=dict)
    minimum_kg: dict[str, float] = Field(default_factory=dict)
    reason: str = ""


class RulesIn(Schema):
    safety_rules: str = ""
    wpeak_equation: str = ""
    reason: str = ""


def _participant(request: HttpRequest, study_id: str) -> Participant:
    visible = access.scope(Participant.objects.select_related("centre"), user_of(request))
    return get_object_or_404(visible, study_id=study_id)


def _today(participant: Participant) -> dt.date:
    return local_today(participant.centre, timezone.now())


def _lesion(request: HttpRequest, lesion_id: int) -> Lesion:
    rows = Lesion.objects.select_related("participant__centre")
    return get_object_or_404(access.scope(rows, user_of(request), "participant"), pk=lesion_id)


@router.get("/exercise/home")
def home(request: HttpRequest) -> object:
    """Today's programme participants, notifications, open flags, lesions waiting."""
    return jsonable(exercise_home(user_of(request), timezone.now()))


@router.get("/exercise/me/today")
def my_plan(request: HttpRequest) -> object:
    """The signed-in patient's plan for today, in plain language."""
    return jsonable(patient_today(user_of(request), timezone.now()))


@router.get("/exercise/adherence")
def adherence(request: HttpRequest, level: str | None = Query(None, min_length=1)) -> object:
    """Adherence of the visible participants (every level, or one)."""
    user = user_of(request)
    access.require_role(user, *STAFF)
    table = adherence_of(access.scope(Participant.objects.all(), user)).table
    return jsonable(table if level is None else table[table["level"] == level])


@router.get("/exercise/participants/{study_id}")
def record(request: HttpRequest, study_id: str) -> object:
    found = _participant(request, study_id)
    return jsonable(exercise_record(user_of(request), found, timezone.now()))


@router.get("/exercise/participants/{study_id}/plan")
def plan(
    request: HttpRequest,
    study_id: str,
    date: dt.date | None = None,
    setting: str = Query("supervised", min_length=1),
) -> object:
    """The session plan of a date (default: today at her centre)."""
    found = _participant(request, study_id)
    chosen = convert.member(ex.Setting, setting, "setting")
    page = plans.plan_page(user_of(request), found, date or _today(found), chosen)
    return jsonable(page.plan)


@router.post("/exercise/participants/{study_id}/programme", response={201: dict})
def start(request: HttpRequest, study_id: str, body: ProgrammeStart) -> Status[dict[str, object]]:
    found = _participant(request, study_id)
    profile = services.start_programme(
        user_of(request),
        found,
        start_date=body.start_date,
        height_cm=body.height_cm,
        today=_today(found),
    )
    return Status(201, {"start_date": profile.start_date.isoformat(), "version": 1})


@router.post("/exercise/participants/{study_id}/tests", response={201: dict})
def fitness_test(
    request: HttpRequest, study_id: str, body: FitnessTestBody
) -> Status[dict[str, object]]:
    found = _participant(request, study_id)
    test = services.record_test(
        user_of(request),
        found,
        kind=body.kind,
        tested_on=body.tested_on,
        tester=body.tester,
        conditions=body.conditions,
        values=body.values,
        today=_today(found),
        confirm_reason=body.confirm_reason,
    )
    latest = found.prescriptions.order_by("-version").first()
    return Status(201, {"id": test.id, "prescription_version": latest.version if latest else None})


@router.post("/exercise/participants/{study_id}/lesions", response={201: dict})
def lesion(request: HttpRequest, study_id: str, body: LesionIn) -> Status[dict[str, object]]:
    found = _participant(request, study_id)
    entry = convert.LesionEntry(**body.dict())
    row = register.record_lesion(user_of(request), found, entry, today=_today(found))
    return Status(201, {"id": row.id, "label": row.label})


@router.post("/exercise/lesions/{lesion_id}/clearances", response={201: dict})
def clear(request: HttpRequest, lesion_id: int, body: ClearanceIn) -> Status[dict[str, object]]:
    found = _lesion(request, lesion_id)
    row = register.clear_lesion(
        user_of(request),
        found,
        cleared_on=body.cleared_on,
        note=body.note,
        today=_today(found.participant),
    )
    return Status(201, {"id": row.id, "clinician": row.clinician_name})


@router.post("/exercise/lesions/{lesion_id}/overrides", response={201: dict})
def override(request: HttpRequest, lesion_id: int, body: OverrideIn) -> Status[dict[str, object]]:
    found = _lesion(request, lesion_id)
    row = register.record_override(
        user_of(request), found, today=_today(found.participant), **body.dict()
    )
    return Status(201, {"id": row.id, "clinician": row.clinician_name})


@router.post("/exercise/participants/{study_id}/sessions", response={201: dict})
def log_session(request: HttpRequest, study_id: str, body: SessionIn) -> Status[dict[str, object]]:
    """Log a session; the hard stops, the plan and the check-in apply as on the tablet."""
    found = _participant(request, study_id)
    entry = convert.session_entry(body.dict())
    done = sessions.log_session(user_of(request), found, entry, today=_today(found))
    return Status(
        201,
        {
            "id": done.log.id,
            "prescription_version": done.log.prescription.version,
            "flags": [f.kind for f in done.flags],
            "notified": list(done.notified),
            "new_version": done.new_version.version if done.new_version else None,
        },
    )


@router.post("/exercise/flags/{flag_id}/close")
def close_flag(request: HttpRequest, flag_id: int, body: CloseFlagIn) -> dict[str, object]:
    rows = SymptomFlag.objects.select_related("participant__centre")
    found = get_object_or_404(access.scope(rows, user_of(request), "participant"), pk=flag_id)
    closed = sessions.close_flag(
        user_of(request),
        found,
        closed_on=body.closed_on,
        reason=body.reason,
        today=_today(found.participant),
    )
    return {"id": closed.id, "closed_on": closed.closed_on}


@router.post("/exercise/participants/{study_id}/adverse-events", response={201: dict})
def adverse_event(
    request: HttpRequest, study_id: str, body: AdverseEventIn
) -> Status[dict[str, object]]:
    found = _participant(request, study_id)
    entry = sessions.AdverseEventEntry(**body.dict())
    row = sessions.report_adverse_event(user_of(request), found, entry, today=_today(found))
    return Status(201, {"id": row.id})


@router.get("/exercise/notifications")
def notifications(request: HttpRequest) -> object:
    return jsonable(exercise_home(user_of(request), timezone.now()).notifications)


@router.post("/exercise/notifications/{notification_id}/read")
def read(request: HttpRequest, notification_id: int) -> dict[str, object]:
    note = get_object_or_404(Notification, pk=notification_id, recipient=user_of(request))
    return {"id": sessions.mark_read(user_of(request), note).id, "read": True}


def _centre(request: HttpRequest, code: str) -> Centre:
    return get_object_or_404(access.visible_centres(user_of(request)), code=code)


@router.put("/exercise/centres/{code}/equipment")
def equipment(request: HttpRequest, code: str, body: EquipmentIn) -> dict[str, object]:
    """A centre's machine and ergometer steps (physiotherapists, coordinators)."""
    row = services.configure_equipment(user_of(request), _centre(request, code), **body.dict())
    return {"centre": code, "default_increment_kg": row.default_increment_kg}


@router.put("/exercise/centres/{code}/rules")
def rules(request: HttpRequest, code: str, body: RulesIn) -> dict[str, object]:
    """A centre's reviewed rule table and SRT→Wpeak equation, as TOML text (clinicians)."""
    row = services.configure_rules(user_of(request), _centre(request, code), **body.dict())
    return {
        "centre": code,
        "safety_rules": "local" if row.safety_rules.strip() else "shipped",
        "wpeak_equation": "configured" if row.wpeak_equation.strip() else "none",
    }
