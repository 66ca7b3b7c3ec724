"""What the resource-use pages show: the staff worklist, a participant's reports and
programme delivery, the questionnaire form, and a patient's own questionnaires."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from exonc.errors import AccessDenied
from exonc.platform import access
from exonc.platform.accounts.models import Role, User
from exonc.platform.economics.delivery import Delivered, delivered
from exonc.platform.economics.forms import WORK_FIELDS
from exonc.platform.economics.models import ResourceUseReport
from exonc.platform.economics.questionnaire import (
    UNITS,
    Period,
    item_limit,
    items_of,
    period_of,
    periods,
)
from exonc.platform.exercise.models import SessionLog
from exonc.platform.outcomes.schedule import in_follow_up, window_open
from exonc.platform.trial.models import Participant, Visit

RECENT_DAYS = 60
STAFF = (Role.COORDINATOR, Role.PHYSIOTHERAPIST, Role.CLINICIAN, Role.STATISTICIAN, Role.MONITOR)


@dataclass(frozen=True)
class DueLine:
    study_id: str
    centre: str
    visit: str
    window_start: dt.date
    window_end: dt.date
    status: str  # "due" (window open) or "missed" (closed in the last 60 days)


@dataclass(frozen=True)
class Worklist:
    today: dt.date
    due: list[DueLine]


def status_of(visit: Visit, report: ResourceUseReport | None, today: dt.date) -> str:
    """``recorded``, ``not yet`` (window not open), ``not asked`` (left follow-up),
    ``due`` (window open) or ``missed`` (window closed, nothing recorded)."""
    if report is not None:
        return "recorded"
    if today < visit.window_start:
        return "not yet"
    if not in_follow_up(visit.participant, visit.window_start):
        return "not asked"
    return "due" if window_open(visit, today) else "missed"


def worklist(user: User, today: dt.date) -> Worklist:
    """Follow-up visits of the user's centres whose questionnaire is due or recently missed."""
    access.require_role(user, *STAFF)
    since = today - dt.timedelta(days=RECENT_DAYS)
    visits = access.scope(
        Visit.objects.filter(
            code__in=list(periods()),
            window_start__lte=today,
            window_end__gte=since,
            resource_use__isnull=True,
        ).select_related("participant__centre", "participant__withdrawal"),
        user,
        participant="participant",
    ).order_by("window_end", "participant__study_id")
    lines = [
        DueLine(
            v.participant.study_id,
            v.participant.centre.code,
            v.code,
            v.window_start,
            v.window_end,
            status_of(v, None, today),
        )
        for v in visits
    ]
    return Worklist(today, [line for line in lines if line.status in ("due", "missed")])


@dataclass(frozen=True)
class ReportLine:
    visit: str
    name: str
    months: str
    window_start: dt.date
    window_end: dt.date
    status: str
    source: str = ""
    reported_on: dt.date | None = None
    entered_by: str = ""
    used: dict[str, float] = field(default_factory=dict)
    paid_work: bool | None = None
    absence_days: float = 0.0
    history: list[dict[str, object]] = field(default_factory=list)


@dataclass(frozen=True)
class ParticipantEconomics:
    study_id: str
    centre: str
    country: str
    today: dt.date
    reports: list[ReportLine]
    sessions: list[Delivered]
    can_enter: bool
    can_correct: bool
    can_record_delivery: bool


def visible_participant(user: User, study_id: str) -> Participant:
    """A participant the (staff) user may see; 404 otherwise."""
    access.require_role(user, *STAFF)
    found = access.scope(Participant.objects.select_related("centre"), user)
    return get_object_or_404(found, study_id=study_id)


def participant_economics(
    user: User, participant: Participant, today: dt.date
) -> ParticipantEconomics:
    """Her resource-use questionnaires per follow-up visit, and her programme delivery."""
    visits = {v.code: v for v in participant.visits.all()}
    reports = {
        r.visit.code: r
        for r in ResourceUseReport.objects.filter(visit__participant=participant).select_related(
            "visit", "entered_by"
        )
    }
    lines = [
        _report_line(visits[code], period, reports.get(code), today)
        for code, period in periods().items()
        if code in visits
    ]
    sessions = delivered(SessionLog.objects.filter(participant=participant))
    staff = user.role in (Role.COORDINATOR, Role.PHYSIOTHERAPIST, Role.ADMINISTRATOR)
    return ParticipantEconomics(
        participant.study_id,
        participant.centre.code,
        participant.centre.country,
        today,
        lines,
        sessions,
        can_enter=staff,
        can_correct=user.role in (Role.COORDINATOR, Role.ADMINISTRATOR),
        can_record_delivery=staff,
    )


def _report_line(
    visit: Visit, period: Period, report: ResourceUseReport | None, today: dt.date
) -> ReportLine:
    line = ReportLine(
        visit.code,
        period.name,
        f"months {period.start_month}–{period.end_month}",
        visit.window_start,
        visit.window_end,
        status_of(visit, report, today),
    )
    if report is None:
        return line
    return replace(
        line,
        source=report.source,
        reported_on=report.reported_on,
        entered_by=report.entered_by.username,
        used={k: v for k, v in report.quantities.items() if v},
        paid_work=report.paid_work,
        absence_days=report.absence_days,
        history=[
            {
                "when": h.history_date,
                "who": str(h.history_user or ""),
                "reason": h.history_change_reason or "",
            }
            for h in report.history.all()
        ],
    )


@dataclass(frozen=True)
class FormItem:
    code: str
    label: str
    unit: str
    limit: float
    whole: bool
    value: str
    error: str | None


@dataclass(frozen=True)
class FormCategory:
    category: str
    items: list[FormItem]


@dataclass(frozen=True)
class QuestionnaireForm:
    """The resource-use form of one visit, filled with stored or submitted values."""

    study_id: str
    visit: str
    name: str
    months: str
    max_days: int
    country: str
    mode: str  # "staff", "correction" or "patient"
    categories: list[FormCategory]
    work: dict[str, str]
    errors: dict[str, str]
    reported_on: str
    reason: str


def questionnaire_form(
    visit: Visit,
    mode: str,
    *,
    report: ResourceUseReport | None = None,
    submitted: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
) -> QuestionnaireForm:
    """The form of *visit*: the submitted values, else the stored report, else zeros."""
    period = period_of(visit.code)
    country = report.country if report is not None else visit.participant.centre.country
    values = _form_values(report, submitted)
    errors = dict(errors or {})
    return QuestionnaireForm(
        study_id=visit.participant.study_id,
        visit=visit.code,
        name=period.name,
        months=f"months {period.start_month}–{period.end_month} after randomisation",
        max_days=period.max_days,
        country=country,
        mode=mode,
        categories=_categories(country, period, values, errors),
        work={name: values.get(name, "") for name in WORK_FIELDS},
        errors=errors,
        reported_on=values.get("reported_on", ""),
        reason=values.get("reason", ""),
    )


def _categories(
    country: str, period: Period, values: Mapping[str, str], errors: Mapping[str, str]
) -> list[FormCategory]:
    """The country's items grouped by cost category, in catalogue order."""
    grouped: dict[str, list[FormItem]] = {}
    for item in items_of(country):
        rule = UNITS[item.unit]
        grouped.setdefault(item.category.value, []).append(
            FormItem(
                item.code,
                item.label,
                rule.plural,
                item_limit(item, period),
                rule.whole,
                values.get(item.code, "0"),
                errors.get(item.code),
            )
        )
    return [FormCategory(c.replace("_", " "), items) for c, items in grouped.items()]


def _form_values(
    report: ResourceUseReport | None, submitted: Mapping[str, str] | None
) -> dict[str, str]:
    if submitted is not None:
        return {k: str(v) for k, v in submitted.items()}
    if report is None:
        return {"absence_days": "0", "work_hours_per_week": "0", "presenteeism_hours": "0"}
    values = {k: f"{v:g}" for k, v in report.quantities.items()}
    values["paid_work"] = {True: "yes", False: "no", None: ""}[report.paid_work]
    values["absence_days"] = f"{report.absence_days:g}"
    values["work_hours_per_week"] = f"{report.work_hours_per_week:g}"
    values["absence_continued"] = "yes" if report.absence_continued else "no"
    values["presenteeism_hours"] = f"{report.presenteeism_hours:g}"
    values["reported_on"] = report.reported_on.isoformat()
    return values


@dataclass(frozen=True)
class MyVisit:
    visit: str
    name: str
    months: str
    window_end: dt.date
    status: str


@dataclass(frozen=True)
class MyResourceUse:
    visits: list[MyVisit]


def own_participant(user: User) -> Participant:
    if user.role != Role.PATIENT:
        raise AccessDenied(_("these pages are for patients; staff use the participant's page"))
    found = Participant.objects.select_related("centre").filter(user=user).first()
    if found is None:
        raise AccessDenied(_("no participant record is linked to your login; ask your centre"))
    return found


def own_visit(user: User, visit_code: str) -> Visit:
    """The patient's follow-up visit *visit_code* (404 when it asks no questionnaire)."""
    if visit_code not in periods():
        raise Http404(f"visit {visit_code} has no resource-use questionnaire")
    return get_object_or_404(Visit, participant=own_participant(user), code=visit_code)


def my_resource_use(user: User, today: dt.date) -> MyResourceUse:
    """A patient's questionnaires whose window is open, and those she already answered."""
    participant = own_participant(user)
    reports = set(
        ResourceUseReport.objects.filter(visit__participant=participant).values_list(
            "visit__code", flat=True
        )
    )
    lines = []
    for code, period in periods().items():
        visit = participant.visits.filter(code=code).first()
        if visit is None:
            continue
        status = "submitted" if code in reports else status_of(visit, None, today)
        if status in ("submitted", "due"):
            months = f"months {period.start_month}–{period.end_month}"
            lines.append(MyVisit(code, period.name, months, visit.window_end, status))
    return MyResourceUse(lines)
