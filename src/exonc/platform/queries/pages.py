"""What the query pages show, as plain data (each page's JSON twin renders the same)."""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from exonc.platform import access
from exonc.platform.accounts.models import User
from exonc.platform.audit import ChangeLine, change_lines
from exonc.platform.exports import ExportTable
from exonc.platform.queries import corrections, services, targets
from exonc.platform.queries.models import DataQuery, QueryStatus
from exonc.platform.trial.lists import PAGE_SIZE
from exonc.platform.trial.steps import may

STATUS_FILTERS = ("active", "open", "answered", "closed", "all")


@dataclass(frozen=True)
class QueryLine:
    id: int
    study_id: str
    centre: str
    record: str
    field: str
    value_seen: str
    question: str
    status: str
    opened_by: str
    opened_at: dt.datetime
    age_days: int
    closed_at: dt.datetime | None


@dataclass(frozen=True)
class QueryList:
    rows: list[QueryLine]
    total: int
    number: int
    pages: int
    status: str
    centre: str
    centres: list[str]
    statuses: tuple[str, ...]
    can_open: bool

    def _query(self, **override: object) -> str:
        values = {"status": self.status, "centre": self.centre, **override}
        return urlencode({k: v for k, v in values.items() if v not in ("", None, 1)})

    @property
    def previous(self) -> str | None:
        return self._query(page=self.number - 1) if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self._query(page=self.number + 1) if self.number < self.pages else None

    @property
    def csv(self) -> str:
        return self._query(format="csv")


def visible(user: User) -> QuerySet[DataQuery]:
    found = DataQuery.objects.select_related("participant__centre", "opened_by")
    return access.scope(found, user, participant="participant")


def query_lines(
    user: User, given: Mapping[str, str], now: dt.datetime
) -> tuple[list[QueryLine], str, str]:
    """Every query the filters keep, the status filter and the centre filter."""
    status = given.get("status", "active")
    status = status if status in STATUS_FILTERS else "active"
    centres = [c.code for c in access.visible_centres(user)]
    centre = given.get("centre", "")
    centre = centre if centre in centres else ""
    found = visible(user)
    if status == "active":
        found = found.exclude(status=QueryStatus.CLOSED)
    elif status != "all":
        found = found.filter(status=status)
    if centre:
        found = found.filter(participant__centre__code=centre)
    return [line(q, now) for q in found], status, centre


def query_list(user: User, given: Mapping[str, str], now: dt.datetime) -> QueryList:
    lines, status, centre = query_lines(user, given, now)
    pages = max(1, math.ceil(len(lines) / PAGE_SIZE))
    page = given.get("page", "1")
    number = min(int(page) if page.isdigit() and int(page) > 0 else 1, pages)
    rows = lines[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
    centres = [c.code for c in access.visible_centres(user)]
    can_open = may(user, services.MONITORING)
    return QueryList(
        rows, len(lines), number, pages, status, centre, centres, STATUS_FILTERS, can_open
    )


def export(lines: list[QueryLine]) -> ExportTable:
    columns = list(QueryLine.__dataclass_fields__)
    return ExportTable(columns=columns, rows=[{c: getattr(q, c) for c in columns} for q in lines])


def line(q: DataQuery, now: dt.datetime) -> QueryLine:
    end = q.closed_at or now
    return QueryLine(
        id=q.pk,
        study_id=q.participant.study_id,
        centre=q.participant.centre.code,
        record=q.record,
        field=q.field,
        value_seen=q.value_seen,
        question=q.question,
        status=q.status,
        opened_by=str(q.opened_by),
        opened_at=q.opened_at,
        age_days=(end - q.opened_at).days,
        closed_at=q.closed_at,
    )


@dataclass(frozen=True)
class CentreQueries:
    centre: str
    open: int
    answered: int
    oldest_days: int
    median_days: float


def per_centre(user: User, now: dt.datetime) -> list[CentreQueries]:
    """Queries not yet closed at each centre *user* sees, with their age in days."""
    ages: dict[str, list[tuple[str, int]]] = {}
    for q in visible(user).exclude(status=QueryStatus.CLOSED):
        ages.setdefault(q.participant.centre.code, []).append((q.status, (now - q.opened_at).days))
    return [
        CentreQueries(
            centre=code,
            open=sum(s == QueryStatus.OPEN for s, _ in rows),
            answered=sum(s == QueryStatus.ANSWERED for s, _ in rows),
            oldest_days=max(a for _, a in rows),
            median_days=statistics.median(a for _, a in rows),
        )
        for code, rows in sorted(ages.items())
    ]


@dataclass(frozen=True)
class Message:
    step: str
    text: str
    author: str
    written_at: dt.datetime


@dataclass(frozen=True)
class QueryDetail:
    query: QueryLine
    current_value: str
    messages: list[Message]
    can_answer: bool
    can_correct: bool
    can_close: bool
    can_send_back: bool
    history: list[ChangeLine]


def query_detail(user: User, pk: int, now: dt.datetime) -> tuple[DataQuery, QueryDetail]:
    query = get_object_or_404(visible(user), pk=pk)
    record = targets.find(query.participant, query.target, query.object_id)
    status = query.status
    answering = may(user, services.ANSWERING) and status == QueryStatus.OPEN
    monitoring = may(user, services.MONITORING)
    detail = QueryDetail(
        query=line(query, now),
        current_value=record.fields.get(query.field, "—"),
        messages=[
            Message(m.get_step_display(), m.text, str(m.author), m.written_at)
            for m in query.messages.select_related("author")
        ],
        can_answer=answering,
        can_correct=answering and corrections.correctable(query),
        can_close=monitoring and status != QueryStatus.CLOSED,
        can_send_back=monitoring and status == QueryStatus.ANSWERED,
        history=_history(query),
    )
    return query, detail


def _history(query: DataQuery) -> list[ChangeLine]:
    rows = [*query.history.all()]
    for message in query.messages.all():
        rows.extend(message.history.all())
    return change_lines(rows)
