"""What a staff member sees first: her participants and what is due, as plain data.

Both the HTML page and its JSON twin render :class:`StaffHome`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery

from exonc.platform import access
from exonc.platform.accounts.models import User
from exonc.platform.trial.models import Consent, Participant, Screening, Visit
from exonc.platform.trial.services import local_today
from exonc.protocol import VisitStatus


@dataclass(frozen=True)
class ParticipantRow:
    study_id: str
    centre: str
    arm: str | None
    stage: str
    next_visit: str | None
    next_due: dt.date | None
    next_status: str | None


@dataclass(frozen=True)
class DueVisit:
    study_id: str
    centre: str
    visit: str
    due: dt.date
    window_start: dt.date
    window_end: dt.date
    status: str


@dataclass(frozen=True)
class StaffHome:
    user: str
    role: str
    centres: list[str]
    due: list[DueVisit]
    stages: dict[str, int]
    counts: dict[str, int]


#: The home page shows the most urgent visits; the "due now" list has them all.
HOME_DUE = 10


def staff_home(user: User, now: dt.datetime) -> StaffHome:
    """How many participants *user* may see, by stage, and the most urgent visits."""
    participants = with_stage(access.scope(Participant.objects.all(), user)).prefetch_related(
        Prefetch("visits", queryset=Visit.objects.order_by("due_date"))
    )
    rows: list[ParticipantRow] = []
    due: list[DueVisit] = []
    for p in participants:
        today = local_today(p.centre, now)
        statuses = [(v, v.status(today)) for v in p.visits.all()]
        rows.append(participant_row(p, statuses))
        due.extend(due_visits(p, statuses, now))
    due.sort(key=lambda d: (d.status != VisitStatus.MISSED, d.window_end, d.study_id))
    return StaffHome(
        user=user.username,
        role=user.role,
        centres=[c.code for c in access.visible_centres(user)],
        due=due[:HOME_DUE],
        stages=_stages(rows),
        counts=_counts(rows, due),
    )


def _stages(rows: list[ParticipantRow]) -> dict[str, int]:
    stages: dict[str, int] = {}
    for row in rows:
        stage = row.stage.split(" (")[0]
        stages[stage] = stages.get(stage, 0) + 1
    return stages


def due_visits(
    p: Participant, statuses: list[tuple[Visit, VisitStatus]], now: dt.datetime
) -> list[DueVisit]:
    """*p*'s visits that need action: due now, or missed within :data:`RECENTLY_MISSED`."""
    today = local_today(p.centre, now)
    return [_due(p, v, s) for v, s in statuses if _needs_action(p, v, s, today)]


def with_stage(participants: QuerySet[Participant]) -> QuerySet[Participant]:
    """*participants* with what :func:`stage` needs, in the same query (no prefetch of
    every screening and consent)."""
    consents = Consent.objects.filter(participant=OuterRef("pk"), withdrawn_on__isnull=True)
    latest = Screening.objects.filter(participant=OuterRef("pk")).order_by("-screened_on", "-id")
    return participants.select_related("centre", "allocation", "withdrawal").annotate(
        active_consent=Exists(consents), latest_eligible=Subquery(latest.values("eligible")[:1])
    )


def stage(p: Participant) -> str:
    """Where *p* stands: enrolled, (not) eligible, consented, randomised or withdrawn."""
    if hasattr(p, "withdrawal"):
        return f"withdrawn ({p.withdrawal.kind})"
    if hasattr(p, "allocation"):
        return "randomised"
    if not hasattr(p, "active_consent"):  # not from with_stage(): ask the database
        p = with_stage(Participant.objects.filter(pk=p.pk)).get()
    if getattr(p, "active_consent", False):
        return "consented"
    eligible: bool | None = getattr(p, "latest_eligible", None)
    if eligible is not None:
        return "eligible" if eligible else "not eligible"
    return "enrolled"


def participant_row(p: Participant, statuses: list[tuple[Visit, VisitStatus]]) -> ParticipantRow:
    """One participant's line on a list: arm, stage and next visit (none once she has left
    follow-up)."""
    left = hasattr(p, "withdrawal") and p.withdrawal.kind != "intervention"
    pending = [
        (v, s) for v, s in statuses if s in (VisitStatus.DUE, VisitStatus.SCHEDULED) and not left
    ]
    visit, status = pending[0] if pending else (None, None)
    return ParticipantRow(
        study_id=p.study_id,
        centre=p.centre.code,
        arm=p.allocation.arm if hasattr(p, "allocation") else None,
        stage=stage(p),
        next_visit=visit.code if visit else None,
        next_due=visit.due_date if visit else None,
        next_status=str(status) if status else None,
    )


#: Missed visits stay on the home page this long after their window closed.
RECENTLY_MISSED = dt.timedelta(days=60)


def _needs_action(p: Participant, visit: Visit, status: VisitStatus, today: dt.date) -> bool:
    if hasattr(p, "withdrawal") and p.withdrawal.kind != "intervention":
        return False
    if status is VisitStatus.MISSED:
        return not visit.missed_reason and today - visit.window_end <= RECENTLY_MISSED
    return status is VisitStatus.DUE


def _due(p: Participant, v: Visit, status: VisitStatus) -> DueVisit:
    return DueVisit(
        study_id=p.study_id,
        centre=p.centre.code,
        visit=v.code,
        due=v.due_date,
        window_start=v.window_start,
        window_end=v.window_end,
        status=str(status),
    )


def _counts(rows: list[ParticipantRow], due: list[DueVisit]) -> dict[str, int]:
    return {
        "participants": len(rows),
        "randomised": sum(r.arm is not None for r in rows),
        "due": sum(d.status == VisitStatus.DUE for d in due),
        "missed": sum(d.status == VisitStatus.MISSED for d in due),
        "withdrawn": sum(r.stage.startswith("withdrawn") for r in rows),
    }
