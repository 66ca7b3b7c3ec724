"""The participant list and the "due now" list: search, filters, sort, 50 rows a page, and
the filtered list as CSV.

Search, centre and arm are filtered in the database; stage and visit status are computed
per participant (they depend on today at her centre) from four prefetched queries, so a
page costs the same handful of queries at 50 participants or 5,000.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from exonc.platform import access
from exonc.platform.accounts.models import User
from exonc.platform.exports import ExportTable
from exonc.platform.trial.dashboard import (
    DueVisit,
    ParticipantRow,
    due_visits,
    participant_row,
    with_stage,
)
from exonc.platform.trial.models import Participant, Visit
from exonc.platform.trial.protocols import active_protocol
from exonc.protocol import VisitStatus

PAGE_SIZE = 50
STAGES = ("enrolled", "not eligible", "eligible", "consented", "randomised", "withdrawn")
VISIT_STATUSES = tuple(s.value for s in VisitStatus)

T = TypeVar("T")


@dataclass(frozen=True)
class Filters:
    """What the user asked for; every value is optional and checked against its choices."""

    q: str = ""
    centre: str = ""
    arm: str = ""
    stage: str = ""
    visit: str = ""
    sort: str = ""
    page: int = 1

    @classmethod
    def parse(cls, given: Mapping[str, str], choices: Mapping[str, Sequence[str]]) -> Filters:
        """Filters from a query string; unknown choices are dropped rather than refused."""
        values = {
            name: given.get(name, "").strip() for name in ("q", "centre", "arm", "stage", "visit")
        }
        values = {k: v if k == "q" or v in choices.get(k, ()) else "" for k, v in values.items()}
        sort = given.get("sort", "")
        page = given.get("page", "1")
        return cls(
            **values,
            sort=sort if sort in choices.get("sort", ()) else "",
            page=int(page) if page.isdigit() and int(page) > 0 else 1,
        )

    def query(self, **override: object) -> str:
        """The query string of these filters (with *override*); empty values and page 1
        left out."""
        values: dict[str, object] = {**asdict(self), **override}
        if values["page"] == 1:
            del values["page"]
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    total: int
    number: int
    pages: int
    filters: Filters
    choices: dict[str, list[str]] = field(default_factory=dict)

    @property
    def previous(self) -> str | None:
        return self.filters.query(page=self.number - 1) if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.filters.query(page=self.number + 1) if self.number < self.pages else None

    @property
    def csv(self) -> str:
        return self.filters.query(page=1, format="csv")


PARTICIPANT_SORTS: dict[str, Callable[[ParticipantRow], Any]] = {
    "study_id": lambda r: r.study_id,
    "centre": lambda r: (r.centre, r.study_id),
    "stage": lambda r: (STAGES.index(r.stage.split(" (")[0]), r.study_id),
    "next_due": lambda r: (r.next_due or dt.date.max, r.study_id),
}
DUE_SORTS: dict[str, Callable[[DueVisit], Any]] = {
    "window_end": lambda d: (d.status != VisitStatus.MISSED, d.window_end, d.study_id),
    "study_id": lambda d: (d.study_id, d.due),
    "due": lambda d: (d.due, d.study_id),
    "centre": lambda d: (d.centre, d.window_end, d.study_id),
}


def choices(user: User, sorts: Sequence[str], visits: Sequence[str]) -> dict[str, list[str]]:
    return {
        "centre": [c.code for c in access.visible_centres(user)],
        "arm": [*active_protocol().arm_codes, "none"],
        "stage": list(STAGES),
        "visit": list(visits),
        "sort": list(sorts),
    }


def participant_rows(
    user: User, given: Mapping[str, str], now: dt.datetime
) -> tuple[list[ParticipantRow], Filters, dict[str, list[str]]]:
    """Every participant row the filters keep (all pages), the filters and their choices."""
    options = choices(user, list(PARTICIPANT_SORTS), VISIT_STATUSES)
    filters = Filters.parse(given, options)
    rows = []
    for p, statuses in _participants(user, filters, now):
        row = participant_row(p, statuses)
        if filters.stage and row.stage.split(" (")[0] != filters.stage:
            continue
        if filters.visit and filters.visit not in {str(s) for _, s in statuses}:
            continue
        rows.append(row)
    rows.sort(key=PARTICIPANT_SORTS[filters.sort or "study_id"])
    return rows, filters, options


def due_rows(
    user: User, given: Mapping[str, str], now: dt.datetime
) -> tuple[list[DueVisit], Filters, dict[str, list[str]]]:
    """Every visit due or recently missed that the filters keep (all pages)."""
    options = choices(user, list(DUE_SORTS), (VisitStatus.DUE.value, VisitStatus.MISSED.value))
    filters = Filters.parse(given, options)
    due = [
        d
        for p, statuses in _participants(user, filters, now)
        for d in due_visits(p, statuses, now)
        if not filters.visit or d.status == filters.visit
    ]
    due.sort(key=DUE_SORTS[filters.sort or "window_end"])
    return due, filters, options


def _participants(
    user: User, filters: Filters, now: dt.datetime
) -> list[tuple[Participant, list[tuple[Visit, VisitStatus]]]]:
    from exonc.platform.trial.services import local_today

    found = with_stage(_filtered(access.scope(Participant.objects.all(), user), filters))
    found = found.prefetch_related(Prefetch("visits", queryset=Visit.objects.order_by("due_date")))
    result = []
    for p in found:
        today = local_today(p.centre, now)
        result.append((p, [(v, v.status(today)) for v in p.visits.all()]))
    return result


def _filtered(found: QuerySet[Participant], filters: Filters) -> QuerySet[Participant]:
    if filters.q:
        found = found.filter(study_id__icontains=filters.q)
    if filters.centre:
        found = found.filter(centre__code=filters.centre)
    if filters.arm == "none":
        found = found.filter(allocation__isnull=True)
    elif filters.arm:
        found = found.filter(allocation__arm=filters.arm)
    return found


def paginate(rows: list[T], filters: Filters, options: dict[str, list[str]]) -> Page:
    """The page of *rows* the filters ask for (the last one if they ask beyond it)."""
    pages = max(1, math.ceil(len(rows) / PAGE_SIZE))
    number = min(filters.page, pages)
    start = (number - 1) * PAGE_SIZE
    return Page(rows[start : start + PAGE_SIZE], len(rows), number, pages, filters, options)


def export(rows: Sequence[ParticipantRow | DueVisit]) -> ExportTable:
    """Every filtered row (not only one page) as a table for CSV."""
    if not rows:
        return ExportTable(columns=["study_id"], rows=[])
    columns = list(rows[0].__dataclass_fields__)
    return ExportTable(columns=columns, rows=[{c: getattr(r, c) for c in columns} for r in rows])


SORT_LABELS = {
    "study_id": _("Study ID"),
    "centre": _("Centre"),
    "stage": _("Stage"),
    "next_due": _("Next visit due"),
    "window_end": _("Window closes"),
    "due": _("Due date"),
}
