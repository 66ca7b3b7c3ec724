"""REDCap's flat records: writing a casebook as them, and reading them back through a mapping.

The flat format has one row per record and event: ``record_id``, ``redcap_event_name``,
then every variable of the data dictionary in its order — a checkbox variable as one
column per option (``name___code``, 1 checked, 0 not) — and after each form's variables
its ``<form>_complete`` status (2 = complete). Cells of forms an event does not hold are
empty. Reading checks every cell against the project's own dictionary first (an unknown
column or a code outside a variable's choices stops the import), then maps it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from exonc.errors import InterchangeError
from exonc.interchange.casebook import Casebook
from exonc.interchange.crf import Field, Form, Forms
from exonc.interchange.redcap.dictionary import RECORD_ID, Dictionary, DictionaryField
from exonc.interchange.redcap.mapping import FieldMap, ProjectMapping
from exonc.interchange.values import MULTI_SEPARATOR, check_value

__all__ = ["EVENT", "RecordsReader", "records_header", "records_rows"]

EVENT = "redcap_event_name"
COMPLETE = "2"
REPEAT_COLUMNS = ("redcap_repeat_instrument", "redcap_repeat_instance")
IGNORED_COLUMNS = ("redcap_data_access_group", "redcap_survey_identifier")
Designation = Mapping[str, frozenset[str]]  # unique event name -> forms it holds


def _columns(target: Field) -> list[str]:
    if target.kind == "multi":
        return [f"{target.name}___{c.code}" for c in target.choices]
    return [target.name]


def records_header(forms: Forms) -> list[str]:
    header = [RECORD_ID, EVENT]
    for form in forms.forms:
        header += [c for f in form.fields for c in _columns(f)]
        header.append(f"{form.name}_complete")
    return header


def records_rows(
    book: Casebook, mapping: ProjectMapping, designation: Designation
) -> Iterator[list[str]]:
    """One row per participant and event that holds any value."""
    codes = {f.name: {c.value: c.code for c in f.choices} for f in book.forms.fields}
    for participant, events in book.records.items():
        for event in (e.code for e in book.forms.events if e.code in events):
            unique = mapping.unique_event(event)
            row = [participant, unique]
            for form in book.forms.forms:
                values = events[event].get(form.name)
                held = form.name in designation.get(unique, frozenset())
                row += _form_cells(form, values if held else None, codes)
            yield row


def _form_cells(
    form: Form, values: Mapping[str, str] | None, codes: Mapping[str, Mapping[str, str]]
) -> list[str]:
    if not values:
        return [""] * (sum(len(_columns(f)) for f in form.fields) + 1)
    cells: list[str] = []
    for target in form.fields:
        value = values.get(target.name)
        if target.kind == "multi":
            chosen = set(value.split(MULTI_SEPARATOR)) if value else set()
            cells += ["1" if c.value in chosen else "0" for c in target.choices]
        elif value is None:
            cells.append("")
        else:
            cells.append(codes[target.name].get(value, value))
    cells.append(COMPLETE)
    return cells


@dataclass(frozen=True)
class _Place:
    """Where in records.csv a value was read."""

    file: str
    row: int
    record: str

    def error(self, problem: str, **details: Any) -> InterchangeError:
        return InterchangeError(
            problem, file=self.file, row=self.row, record=self.record, **details
        )


@dataclass(frozen=True)
class _Column:
    """What one column of records.csv holds."""

    kind: str  # "field", "checkbox", "complete", "repeat", "ignored"
    field: DictionaryField | None = None
    code: str = ""


_INTEGER = re.compile(r"^-?[0-9]+$")
_NUMBER = re.compile(r"^-?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_DATETIME = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}(:[0-9]{2})?$")


class RecordsReader:
    """Reads records.csv: checks it against the dictionary, then fills a casebook."""

    def __init__(
        self, dictionary: Dictionary, mapping: ProjectMapping, forms: Forms, file: str
    ) -> None:
        self.dictionary = dictionary
        self.mapping = mapping
        self.forms = forms
        self.file = file
        self.ignored_events: dict[str, int] = {}

    def read(self, header: Sequence[str], rows: Sequence[Sequence[str | None]]) -> Casebook:
        record_id = self.mapping.record_id or self.dictionary.record_id
        columns = [self._column(name, header, rows) for name in header]
        index = {name: i for i, name in enumerate(header)}
        for key in (record_id, EVENT):
            if key not in index:
                raise InterchangeError(
                    f"has no column {key}",
                    file=self.file,
                    hint="export the records of a longitudinal project in REDCap's flat format",
                )
        book = Casebook(self.forms)
        for number, row in enumerate(rows, start=1):
            self._row(book, row, columns, index, record_id, number)
        return book

    def _column(
        self, name: str, header: Sequence[str], rows: Sequence[Sequence[str | None]]
    ) -> _Column:
        if name == EVENT:
            return _Column("ignored")
        declared = self.dictionary.get(name)
        if declared is not None and declared.field_type != "checkbox":
            return _Column("field", declared)
        stem, sep, code = name.partition("___")
        box = self.dictionary.get(stem) if sep else None
        if box is not None and box.field_type == "checkbox":
            match = next((c for c in box.codes if c.lower() == code.lower()), None)
            if match is not None:
                return _Column("checkbox", box, match)
        if name in REPEAT_COLUMNS:
            return _Column("repeat")
        if name in IGNORED_COLUMNS or self._form_column(name, "_timestamp"):
            return _Column("ignored")
        if self._form_column(name, "_complete"):
            return _Column("complete")
        raise self._unknown(name, header, rows)

    def _form_column(self, name: str, suffix: str) -> bool:
        return name.endswith(suffix) and name.removesuffix(suffix) in self.dictionary.forms

    def _unknown(
        self, name: str, header: Sequence[str], rows: Sequence[Sequence[str | None]]
    ) -> InterchangeError:
        position = list(header).index(name)
        first = next((n for n, r in enumerate(rows, 1) if r[position] is not None), None)
        record = None if first is None else _record(rows[first - 1], header)
        return InterchangeError(
            f"is not a field of {self.dictionary.file}",
            file=self.file,
            row=first,
            record=record,
            column=name,
            hint="export records and data dictionary of the same project",
        )

    def _row(
        self,
        book: Casebook,
        row: Sequence[str | None],
        columns: Sequence[_Column],
        index: Mapping[str, int],
        record_id: str,
        number: int,
    ) -> None:
        participant, unique = row[index[record_id]], row[index[EVENT]]
        where = _Place(self.file, number, f"{participant} (event {unique})")
        if participant is None or unique is None:
            raise where.error(f"has no {record_id} or {EVENT}")
        for name, column, cell in zip(index, columns, row, strict=True):
            if cell is not None:
                _check_cell(column, cell, name, where)
        event = self.mapping.events.get(unique)
        if event is None:
            self.ignored_events[unique] = self.ignored_events.get(unique, 0) + 1
            return
        for field_map in self.mapping.fields:
            value = self._value(field_map, row, index)
            if value is not None:
                _put(book, participant, event, field_map, value, where)

    def _value(
        self,
        field_map: FieldMap,
        row: Sequence[str | None],
        index: Mapping[str, int],
    ) -> str | None:
        declared = self.dictionary.get(field_map.source)
        if declared is not None and declared.field_type == "checkbox":
            checked = (
                [
                    field_map.value(code)
                    for code in declared.codes
                    if row[index[f"{declared.name}___{code}"]] == "1"
                ]
                if all(f"{declared.name}___{c}" in index for c in declared.codes)
                else []
            )
            return MULTI_SEPARATOR.join(checked) or None
        position = index.get(field_map.source)
        cell = None if position is None else row[position]
        return None if cell is None else field_map.value(cell)


def _record(row: Sequence[str | None], header: Sequence[str]) -> str:
    event = row[list(header).index(EVENT)] if EVENT in header else None
    return f"{row[0]} (event {event})" if event else str(row[0])


def _check_cell(column: _Column, cell: str, name: str, where: _Place) -> None:
    problem = _problem(column, cell)
    if problem is not None:
        raise where.error(problem, column=name, value=cell)


def _problem(column: _Column, cell: str) -> str | None:
    if column.kind in ("checkbox",):
        return None if cell in ("0", "1") else "a checkbox column holds 1 or 0"
    if column.kind == "complete":
        return None if cell in ("0", "1", "2") else "a form status is 0, 1 or 2"
    if column.kind == "repeat":
        return "exonc does not import repeating instruments or events"
    if column.kind != "field" or column.field is None:
        return None
    return _field_problem(column.field, cell)


def _field_problem(declared: DictionaryField, cell: str) -> str | None:
    kind = declared.field_type
    if kind in ("radio", "dropdown"):
        if cell in declared.codes:
            return None
        return f"is not one of the choices {', '.join(declared.codes)} of {declared.name}"
    if kind in ("yesno", "truefalse"):
        return None if cell in ("0", "1") else f"{declared.name} is {kind}: 1 or 0"
    validation = declared.validation
    patterns = {"integer": _INTEGER, "number": _NUMBER}
    if validation in patterns and not patterns[validation].match(cell):
        return f"is not a valid {validation} for {declared.name}"
    if validation.startswith("date_") and not _DATE.match(cell):
        return f"is not a date (YYYY-MM-DD, as REDCap exports {validation}) for {declared.name}"
    if validation.startswith("datetime_") and not _DATETIME.match(cell):
        return f"is not a date-time (YYYY-MM-DD HH:MM) for {declared.name}"
    return None


def _put(
    book: Casebook,
    participant: str,
    event: str,
    field_map: FieldMap,
    value: str,
    where: _Place,
) -> None:
    target = field_map.target
    form = book.forms.form(target.form)
    at = form.events[0] if form.repeat == "participant" else event
    if at not in form.events:
        raise where.error(
            f"exonc collects {form.label} at {', '.join(form.events)}, not at {event}",
            column=field_map.source,
            value=value,
            hint="map the event to another visit, or leave the field out of the mapping",
        )
    try:
        value = check_value(target, value)
    except ValueError as problem:
        raise where.error(
            str(problem),
            column=field_map.source,
            value=value,
            hint=f"recode it in the mapping ([recode.{field_map.source}])",
        ) from None
    values = book.values(participant, at, form.name)
    previous = values.get(target.name)
    if previous is not None and previous != value:
        raise where.error(
            f"{target.table}.{target.column} already holds {previous!r} from another event",
            column=field_map.source,
            value=value,
        )
    values[target.name] = value
