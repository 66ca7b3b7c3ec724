"""Use cases of the resource-use questionnaire: staff entry, the patient's own report, and
corrections with a reason.

Every function checks the user's role and centre (or, for a patient, that the visit is
her own), checks every answer against the centre country's item list and the visit's
period before writing anything, and saves in one transaction through
:func:`exonc.platform.audit.save`, so the history row records who and why.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from exonc.errors import AccessDenied, EconomicsInputError, TrialStateError
from exonc.platform import access, audit
from exonc.platform.accounts.models import Role, User
from exonc.platform.economics.models import ResourceUseReport, Source
from exonc.platform.economics.questionnaire import (
    CheckedEntry,
    ResourceUseEntry,
    check_entry,
    period_of,
)
from exonc.platform.outcomes.schedule import in_follow_up, require_answerable_online
from exonc.platform.trial.models import Visit
from exonc.platform.trial.protocols import protocol_version

STAFF_ENTRY = (Role.COORDINATOR, Role.PHYSIOTHERAPIST)
CORRECTING = (Role.COORDINATOR,)


def enter_resource_use(
    user: User,
    visit: Visit,
    entry: ResourceUseEntry,
    *,
    reported_on: dt.date,
    today: dt.date,
) -> ResourceUseReport:
    """Record the answers a patient gave at (or after) a follow-up visit (site staff)."""
    access.require_role(user, *STAFF_ENTRY)
    access.require_centre(user, visit.participant.centre)
    checked = _checked(visit, entry, visit.participant.centre.country)
    _check_reported_on(visit, reported_on, today)
    return _create(user, visit, checked, Source.STAFF, reported_on, "entered by staff")


def report_own_resource_use(
    user: User, visit: Visit, entry: ResourceUseEntry, *, today: dt.date
) -> ResourceUseReport:
    """A patient reports her own resource use while the visit's window is open."""
    access.require_role(user, Role.PATIENT)
    if visit.participant.user_id != user.pk:
        raise AccessDenied(_("patients report only their own resource use"))
    checked = _checked(visit, entry, visit.participant.centre.country)
    require_answerable_online(visit, today)
    return _create(user, visit, checked, Source.PATIENT, today, "reported online")


def correct_resource_use(
    user: User, report: ResourceUseReport, entry: ResourceUseEntry, *, reason: str
) -> ResourceUseReport:
    """Correct a report (e.g. a transcription error); every answer is given again."""
    access.require_role(user, *CORRECTING)
    access.require_centre(user, report.visit.participant.centre)
    reason = audit.require_reason(reason, "resource use")
    checked = _checked(report.visit, entry, report.country)
    with transaction.atomic():
        fresh = ResourceUseReport.objects.select_for_update().get(pk=report.pk)
        before = _answers(fresh)
        _fill(fresh, checked)
        if _answers(fresh) == before:
            raise EconomicsInputError("changes no answer", hint="give the corrected answers")
        audit.save(fresh, user, reason)
    return fresh


def _checked(visit: Visit, entry: ResourceUseEntry, country: str) -> CheckedEntry:
    checked = check_entry(entry, country, period_of(visit.code))
    if (error := checked.error()) is not None:
        raise error
    return checked


def _check_reported_on(visit: Visit, reported_on: dt.date, today: dt.date) -> None:
    if reported_on > today:
        raise EconomicsInputError("is in the future", column="reported_on", value=str(reported_on))
    if reported_on < visit.window_start:
        raise EconomicsInputError(
            f"is before visit {visit.code}'s window opened ({visit.window_start})",
            column="reported_on",
            value=str(reported_on),
            hint="the questionnaire asks about the months up to this visit",
        )
    if not in_follow_up(visit.participant, reported_on):
        raise TrialStateError(
            _("%(participant)s had left follow-up by %(reported_on)s")
            % {"participant": visit.participant, "reported_on": reported_on}
        )


def _create(
    user: User,
    visit: Visit,
    checked: CheckedEntry,
    source: Source,
    reported_on: dt.date,
    reason: str,
) -> ResourceUseReport:
    report = ResourceUseReport(
        visit=visit,
        protocol_version=protocol_version(),
        country=visit.participant.centre.country,
        source=source,
        reported_on=reported_on,
        entered_by=user,
    )
    _fill(report, checked)
    try:
        with transaction.atomic():
            if ResourceUseReport.objects.filter(visit=visit).exists():
                raise _already(visit)
            audit.save(report, user, reason)
    except IntegrityError as exc:  # a concurrent report of the same visit
        raise _already(visit) from exc
    return report


def _already(visit: Visit) -> TrialStateError:
    return TrialStateError(
        f"resource use at {visit.participant}'s visit {visit.code} is already recorded; "
        "a coordinator corrects it with a reason"
    )


def _fill(report: ResourceUseReport, checked: CheckedEntry) -> None:
    report.quantities = checked.quantities
    report.paid_work = checked.paid_work
    report.absence_days = checked.absence_days
    report.work_hours_per_week = checked.work_hours_per_week
    report.absence_continued = checked.absence_continued
    report.presenteeism_hours = checked.presenteeism_hours


def _answers(report: ResourceUseReport) -> tuple[object, ...]:
    return (
        report.quantities,
        report.paid_work,
        report.absence_days,
        report.work_hours_per_week,
        report.absence_continued,
        report.presenteeism_hours,
    )
