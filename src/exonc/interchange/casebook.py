"""The casebook: every exchanged value of a trial by participant, event and form.

Each format is a different layout of the same values. The casebook is that common
content: ``records[participant][event][form][field] = text`` (exonc's values, canonical
text as :mod:`exonc.interchange.values` writes them). :func:`casebook_from_tables` builds
it from exonc's tidy tables, checking every value against its field;
:func:`tables_from_casebook` gives the tables back (rows ordered by participant, then
event, then the field's order).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from exonc.errors import InterchangeError
from exonc.interchange.audit import AuditTrail
from exonc.interchange.crf import PARTICIPANT, Field, Form, Forms
from exonc.interchange.values import check_value, text_column

__all__ = ["Casebook", "Values", "casebook_from_tables", "tables_from_casebook"]

#: ``records[participant][event][form][field name] = text``
Values = dict[str, str]
Records = dict[str, dict[str, dict[str, Values]]]


@dataclass
class Casebook:
    """Every exchanged value of a trial (and, when the source has one, its audit trail)."""

    forms: Forms
    records: Records = field(default_factory=dict)
    audit: AuditTrail | None = None

    def values(self, participant: str, event: str, form: str) -> Values:
        """The (new, empty if need be) values of *form* at *event* for *participant*."""
        events = self.records.setdefault(participant, {})
        return events.setdefault(event, {}).setdefault(form, {})

    def each_form(self) -> Iterator[tuple[str, str, str, Values]]:
        """(participant, event, form, values) in participant, event and form order."""
        order = {e.code: i for i, e in enumerate(self.forms.events)}
        forms = {f.name: i for i, f in enumerate(self.forms.forms)}
        for participant, events in self.records.items():
            for event in sorted(events, key=order.__getitem__):
                for form in sorted(events[event], key=forms.__getitem__):
                    yield participant, event, form, events[event][form]


Source = Callable[[str], str]


def casebook_from_tables(
    tables: Mapping[str, pd.DataFrame],
    forms: Forms,
    *,
    source: Source = lambda table: f"{table}.csv",
    audit: AuditTrail | None = None,
) -> Casebook:
    """The casebook of exonc's tidy *tables*; *source* names a table's file in errors.

    Tables the forms do not describe are not exchanged; a form's table may be absent.
    The participants table is needed: every other row must belong to one of its people.
    """
    if "participants" not in tables:
        raise InterchangeError(
            "missing", file=source("participants"), hint="exonc's tables start with participants"
        )
    book = Casebook(forms, audit=audit)
    for form in forms.forms:
        if form.table in tables:
            _add_table(book, form, tables[form.table], source(form.table))
    return book


def _add_table(book: Casebook, form: Form, frame: pd.DataFrame, file: str) -> None:
    missing = [key for key in form.keys if key not in frame.columns]
    if missing:
        raise InterchangeError(f"missing column {missing[0]}", file=file)
    columns = {c: text_column(frame[c]) for c in form.columns if c in frame.columns}
    known = set(book.records) if form.table != "participants" else None
    seen: set[tuple[str | None, ...]] = set()
    by_item = {f.item: f for f in form.fields}
    for row in range(len(frame)):
        cells = {c: values[row] for c, values in columns.items()}
        where = {"file": file, "row": row + 1}
        key = tuple(cells[k] for k in form.keys)
        _check_key(key, seen, known, form, where)
        event = _event(form, cells, where)
        values = book.values(str(key[0]), event, form.name)
        fields = [by_item.get(cells["item"])] if form.repeat == "item" else form.fields
        for target in fields:
            _put(values, target, cells, where)


def _check_key(
    key: tuple[str | None, ...],
    seen: set[tuple[str | None, ...]],
    known: set[str] | None,
    form: Form,
    where: dict[str, Any],
) -> None:
    if any(part is None for part in key):
        column = form.keys[key.index(None)]
        raise InterchangeError("empty key", column=column, hint="every row needs it", **where)
    if key in seen:
        raise InterchangeError(
            f"a second row for {' '.join(map(str, key))}", hint="keep one row per key", **where
        )
    seen.add(key)
    if known is not None and key[0] not in known:
        raise InterchangeError(
            "is not in the participants table",
            column=PARTICIPANT,
            value=key[0],
            hint="add the participant or remove the row",
            **where,
        )


def _event(form: Form, cells: Mapping[str, str | None], where: dict[str, Any]) -> str:
    if form.repeat == "participant":
        return form.events[0]
    visit = str(cells["visit"])
    if visit not in form.events:
        raise InterchangeError(
            f"is not a visit at which {form.label} is collected",
            column="visit",
            value=visit,
            hint=f"use one of {', '.join(form.events)}",
            **where,
        )
    return visit


def _put(
    values: Values, target: Field | None, cells: Mapping[str, str | None], where: dict[str, Any]
) -> None:
    if target is None:
        raise InterchangeError(
            "is not a resource-use item exonc knows",
            column="item",
            value=cells["item"],
            hint="see exonc.economics' resource items",
            **where,
        )
    text = cells.get(target.column)
    if text is None:
        return
    try:
        values[target.name] = check_value(target, text)
    except ValueError as problem:
        raise InterchangeError(str(problem), column=target.column, value=text, **where) from None


def tables_from_casebook(book: Casebook) -> dict[str, pd.DataFrame]:
    """exonc's tidy tables holding the casebook's values (only tables with rows)."""
    rows: dict[str, list[list[str | None]]] = {f.table: [] for f in book.forms.forms}
    forms = {f.name: f for f in book.forms.forms}
    for participant, event, name, values in book.each_form():
        form = forms[name]
        rows[form.table].extend(_rows(form, participant, event, values))
    return {
        form.table: pd.DataFrame(rows[form.table], columns=list(form.columns), dtype=object)
        for form in book.forms.forms
        if rows[form.table]
    }


def _rows(form: Form, participant: str, event: str, values: Values) -> list[list[str | None]]:
    if form.repeat == "item":
        return [
            [participant, event, f.item, values[f.name]] for f in form.fields if f.name in values
        ]
    keys: list[str | None] = [participant] if form.repeat == "participant" else [participant, event]
    return [keys + [values.get(f.name) for f in form.fields]]
