"""Which REDCap variables and events hold which of exonc's values: the mapping file.

A project that exonc wrote needs no mapping: its variables are exonc's field names, its
events ``<visit>_arm_1`` and its codes those of exonc's forms (:func:`default_mapping`).
Any other REDCap project is read through a mapping file (TOML; the format is in
``docs/concepts/interchange.md``)::

    [record]
    id = "study_id"                    # the variable that holds the study ID (default: first)

    [events]                           # REDCap unique event name = exonc visit
    baseline_arm_1 = "baseline"
    month_3_arm_1 = "m3"

    [fields]                           # REDCap variable = exonc table.column
    site = "participants.centre"
    c30_01 = "qlq_c30.q1"
    gp_visits = "resource_use.gp_consultation"   # the long table: table.item

    [recode.site]                      # REDCap code = exonc value
    1 = "NL-UTR"

Every target must be a column exonc exchanges, every recoded value one its field allows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from exonc import _toml
from exonc.errors import InterchangeError
from exonc.interchange.crf import Field, Forms
from exonc.interchange.redcap.dictionary import RECORD_ID, Dictionary
from exonc.interchange.values import check_value

__all__ = ["ARM_SUFFIX", "FieldMap", "ProjectMapping", "default_mapping", "read_mapping"]

ARM_SUFFIX = "_arm_1"


@dataclass(frozen=True)
class FieldMap:
    """One REDCap variable and the exonc field it fills; *recode* maps codes to values."""

    source: str
    target: Field
    recode: Mapping[str, str] = field(default_factory=dict)

    def value(self, code: str) -> str:
        return self.recode.get(code, code)


@dataclass(frozen=True)
class ProjectMapping:
    """How one REDCap project's records become exonc's casebook."""

    record_id: str | None
    events: Mapping[str, str]
    fields: tuple[FieldMap, ...]
    file: str | None = None

    def unique_event(self, event: str) -> str:
        """The REDCap unique event name of exonc's *event* (for writing a project)."""
        for unique, code in self.events.items():
            if code == event:
                return unique
        raise KeyError(event)


def default_mapping(forms: Forms) -> ProjectMapping:
    """The mapping of a project exonc wrote: exonc's names, events and codes."""
    return ProjectMapping(
        record_id=RECORD_ID,
        events={f"{event.code}{ARM_SUFFIX}": event.code for event in forms.events},
        fields=tuple(
            FieldMap(f.name, f, {c.code: c.value for c in f.choices if c.code != c.value})
            for f in forms.fields
        ),
    )


def read_mapping(path: Path, forms: Forms, dictionary: Dictionary) -> ProjectMapping:
    """Read and check a mapping file against exonc's *forms* and the project's *dictionary*."""
    data = _toml.Table(_toml.read(path, InterchangeError), file=str(path), error=InterchangeError)
    record = data.table("record", {})
    record_id = record.text("id", None) if isinstance(record, _toml.Table) else None
    if isinstance(record, _toml.Table):
        record.done()
    if record_id is not None and dictionary.get(record_id) is None:
        data.fail("record.id", "is not a variable of the data dictionary", record_id)
    events = _events(data.table("events"), forms)
    targets = {_target_key(f): f for f in forms.fields}
    recodes = data.table("recode", {})
    fields = tuple(
        _field_map(data, source, targets, recodes, dictionary)
        for source in data.table("fields").names()
    )
    if isinstance(recodes, _toml.Table):
        _check_recoded(recodes, fields)
    data.done()
    return ProjectMapping(record_id, events, fields, str(path))


def _target_key(target: Field) -> str:
    return f"{target.table}.{target.item or target.column}"


def _events(table: _toml.Table, forms: Forms) -> dict[str, str]:
    codes = {event.code for event in forms.events}
    events = {}
    for unique in table.names():
        code = table.text(unique)
        if code not in codes:
            table.fail(
                unique, "is not an exonc visit", code, f"use one of {', '.join(sorted(codes))}"
            )
        events[unique] = code
    return events


def _field_map(
    data: _toml.Table,
    source: str,
    targets: Mapping[str, Field],
    recodes: _toml.Table | dict[str, object],
    dictionary: Dictionary,
) -> FieldMap:
    fields: _toml.Table = data.table("fields")
    name: str = fields.text(source)
    declared = dictionary.get(source)
    if declared is None:
        fields.fail(source, "is not a variable of the data dictionary", hint="check the spelling")
    target = targets.get(name)
    if target is None:
        fields.fail(
            source, _unknown_target(name, targets), name, "see docs/concepts/interchange.md"
        )
    recode: dict[str, str] = {}
    if isinstance(recodes, _toml.Table) and recodes.has(source):
        recode = _recode(recodes.table(source), target, declared.codes)
    return FieldMap(source, target, recode)


def _unknown_target(name: str, targets: Mapping[str, Field]) -> str:
    table, _, column = name.partition(".")
    if not any(key.startswith(f"{table}.") for key in targets):
        return f"names no exonc table {table!r}"
    return f"{table} has no column or item {column!r}"


def _recode(table: _toml.Table, target: Field, codes: tuple[str, ...]) -> dict[str, str]:
    recode = {}
    for code in table.names():
        value = table.raw(code)
        text = str(value) if isinstance(value, int | str) and not isinstance(value, bool) else None
        if codes and code not in codes:
            table.fail(
                code,
                "is not a code of the REDCap variable",
                code,
                f"its codes are {', '.join(codes)}",
            )
        try:
            recode[code] = check_value(target, text if text is not None else "")
        except ValueError as problem:
            table.fail(code, f"{problem}", value)
    return recode


def _check_recoded(recodes: _toml.Table, fields: tuple[FieldMap, ...]) -> None:
    mapped = {f.source for f in fields}
    for source in recodes.names():
        if source not in mapped:
            recodes.fail(source, "recodes a variable that [fields] does not map")
