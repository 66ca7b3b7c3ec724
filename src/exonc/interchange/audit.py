"""The audit trail that travels with exchanged values: who recorded which value, when, why.

exonc's platform keeps the history of every trial record (django-simple-history). An
export of it as the table ``audit_trail`` (one row per recorded value, oldest first) lets
CDISC ODM carry it as AuditRecords. Its columns:

``participant_id, table, visit, column, item, value, changed_at, changed_by, reason``

``table``/``column`` name the tidy table's cell (``item`` for the long resource-use table,
``visit`` for per-visit tables; both empty otherwise), ``value`` the value recorded then,
``changed_at`` an ISO 8601 date-time with its UTC offset, ``changed_by`` the user, ``reason``
the reason given for the change (empty for the first entry). The last entry of a cell
holds its current value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from exonc.errors import InterchangeError
from exonc.interchange.crf import Field, Forms
from exonc.interchange.values import check_value, text_column

__all__ = ["AUDIT_COLUMNS", "AuditEntry", "AuditTrail", "audit_frame", "audit_trail"]

AUDIT_COLUMNS = (
    "participant_id",
    "table",
    "visit",
    "column",
    "item",
    "value",
    "changed_at",
    "changed_by",
    "reason",
)
Cell = tuple[str, str, str]  # participant, event, field name


@dataclass(frozen=True)
class AuditEntry:
    """One recorded value of one exchanged field."""

    participant: str
    event: str
    field: str
    value: str
    changed_at: str
    changed_by: str
    reason: str = ""


@dataclass(frozen=True)
class AuditTrail:
    """The entries of each cell, oldest first."""

    entries: Mapping[Cell, tuple[AuditEntry, ...]]

    def of(self, participant: str, event: str, field: str) -> tuple[AuditEntry, ...]:
        return self.entries.get((participant, event, field), ())

    @property
    def users(self) -> tuple[str, ...]:
        """Everyone who recorded a value, in order of first appearance."""
        return tuple(dict.fromkeys(e.changed_by for es in self.entries.values() for e in es))


def audit_trail(frame: pd.DataFrame, forms: Forms, *, file: str = "audit_trail.csv") -> AuditTrail:
    """Read an ``audit_trail`` table (see the module's docstring) against *forms*."""
    missing = [c for c in AUDIT_COLUMNS if c not in frame.columns and c != "reason"]
    if missing:
        raise InterchangeError(f"missing column {missing[0]}", file=file)
    columns = {
        c: text_column(frame[c]) if c in frame.columns else [None] * len(frame)
        for c in AUDIT_COLUMNS
    }
    locate = _locator(forms)
    entries: dict[Cell, list[AuditEntry]] = {}
    for row in range(len(frame)):
        cells = {c: columns[c][row] for c in AUDIT_COLUMNS}
        entry = _entry(cells, forms, locate, file=file, row=row + 1)
        entries.setdefault((entry.participant, entry.event, entry.field), []).append(entry)
    return AuditTrail({cell: tuple(es) for cell, es in entries.items()})


Locator = Callable[[str, str, str | None], Field | None]


def _locator(forms: Forms) -> Locator:
    index = {(f.table, f.column, f.item): f for f in forms.fields}

    def locate(table: str, column: str, item: str | None) -> Field | None:
        return index.get((table, column, item))

    return locate


def _entry(
    cells: Mapping[str, str | None], forms: Forms, locate: Locator, *, file: str, row: int
) -> AuditEntry:
    target = locate(str(cells["table"]), str(cells["column"]), cells["item"])
    if target is None:
        raise InterchangeError(
            "names no exchanged field",
            file=file,
            row=row,
            value=f"{cells['table']}.{cells['column']}",
            hint="use a table and column of docs/concepts/interchange.md",
        )
    form = forms.form(target.form)
    event = form.events[0] if form.repeat == "participant" else str(cells["visit"])
    if event not in form.events:
        raise InterchangeError(
            f"is not a visit of {form.name}",
            file=file,
            row=row,
            column="visit",
            value=cells["visit"],
        )
    value, stamp, user = cells["value"], cells["changed_at"], cells["changed_by"]
    if value is None or user is None or cells["participant_id"] is None:
        raise InterchangeError("needs participant_id, value and changed_by", file=file, row=row)
    try:
        check_value(target, value)
    except ValueError as problem:
        raise InterchangeError(
            str(problem), file=file, row=row, column="value", value=value
        ) from None
    return AuditEntry(
        cells["participant_id"], event, target.name, value, _stamp(stamp, file, row), user,
        cells["reason"] or "",
    )  # fmt: skip


def _stamp(text: str | None, file: str, row: int) -> str:
    try:
        moment = dt.datetime.fromisoformat(str(text))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise InterchangeError(
            "is not a date-time with a UTC offset",
            column="changed_at",
            value=text,
            hint="write e.g. 2021-03-04T10:15:00+01:00",
            file=file,
            row=row,
        )
    return moment.isoformat()


def audit_frame(trail: AuditTrail, forms: Forms) -> pd.DataFrame:
    """The trail as an ``audit_trail`` table (the inverse of :func:`audit_trail`)."""
    fields = {f.name: f for f in forms.fields}
    rows = [
        _row(entry, fields[entry.field], forms) for es in trail.entries.values() for entry in es
    ]
    return pd.DataFrame(rows, columns=list(AUDIT_COLUMNS), dtype=object)


def _row(entry: AuditEntry, target: Field, forms: Forms) -> list[str | None]:
    per_visit = forms.form(target.form).repeat != "participant"
    return [
        entry.participant,
        target.table,
        entry.event if per_visit else None,
        target.column,
        target.item,
        entry.value,
        entry.changed_at,
        entry.changed_by,
        entry.reason or None,
    ]


def check_current(trail: AuditTrail, current: Iterable[tuple[Cell, str | None]]) -> None:
    """Each cell's last audited value is its current value."""
    for cell, value in current:
        entries = trail.entries.get(cell)
        if entries and entries[-1].value != value:
            raise InterchangeError(
                f"the audit trail's last value of {cell[2]} for {cell[0]} at {cell[1]} is "
                f"{entries[-1].value!r}, the table holds {value!r}",
                file="audit_trail.csv",
                hint="export the audit trail together with the tables",
            )
