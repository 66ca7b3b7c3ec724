"""The trial's case report forms as exonc exchanges them: events, forms and fields.

One description serves every format. A :class:`Form` holds one tidy table of ``exonc synth``
(``participants``, ``visits``, ``withdrawals``, one table per questionnaire and
``resource_use``); each :class:`Field` is one column of that table (or, for the long
resource-use table, one item's quantity). REDCap writes the forms as instruments and the
fields as variables, ODM as FormDefs and ItemDefs, FHIR as Questionnaires. Events are the
protocol's visits plus an unscheduled ``end_of_study`` event that holds the withdrawal.

The description is built from data: the protocol (centres, arms, visits and the
instruments each visit holds), the instrument definitions (items and answer ranges), the
resource-item catalogue of :mod:`exonc.economics`, and ``data/forms.toml`` for the rest.
Questionnaire wording comes only from a text pack the caller passes (never shipped).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import Any, Literal, cast

from exonc.economics import resource_items
from exonc.errors import InterchangeError
from exonc.protocol import Protocol, load_protocol
from exonc.questionnaires import INSTRUMENTS, Instrument, Item, TextPack
from exonc.synthetic.trial import QUESTIONNAIRE_TABLES

__all__ = [
    "END_OF_STUDY",
    "Choice",
    "Event",
    "Field",
    "FieldKind",
    "Form",
    "Forms",
    "build_forms",
    "default_forms",
]

FieldKind = Literal["text", "notes", "integer", "number", "date", "choice", "multi", "yesno"]
Repeat = Literal["participant", "visit", "item"]
END_OF_STUDY = "end_of_study"
PARTICIPANT = "participant_id"
_SAFE_CODE = re.compile(r"^[A-Za-z0-9_]+$")


@dataclass(frozen=True)
class Choice:
    """One answer option: exonc's value, a label, and the code REDCap stores.

    The REDCap code is the value itself when every value of the list is letters, digits
    and underscores (what REDCap accepts as codes and in checkbox variable names), else
    the option's 1-based position in the list.
    """

    value: str
    label: str
    code: str


@dataclass(frozen=True)
class Field:
    """One exchanged variable: where it lives in exonc's tables and what it may hold.

    ``item`` is set on the fields of a long table (resource use): the value of the
    table's ``item`` column whose quantity the field holds.
    """

    name: str
    form: str
    table: str
    column: str
    kind: FieldKind
    label: str
    choices: tuple[Choice, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    unit: str | None = None
    required: bool = False
    item: str | None = None

    def choice(self, value: str) -> Choice | None:
        """The option whose exonc value is *value* (None if it has none)."""
        return self._by_value.get(value)

    @cached_property
    def _by_value(self) -> dict[str, Choice]:
        return {c.value: c for c in self.choices}


@dataclass(frozen=True)
class Form:
    """One form: the tidy table it holds, how often it repeats, and its events."""

    name: str
    label: str
    table: str
    repeat: Repeat
    fields: tuple[Field, ...]
    events: tuple[str, ...]
    instrument: str | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        """The key columns of the form's table."""
        if self.repeat == "participant":
            return (PARTICIPANT,)
        if self.repeat == "visit":
            return (PARTICIPANT, "visit")
        return (PARTICIPANT, "visit", "item")

    @property
    def columns(self) -> tuple[str, ...]:
        """The table's columns, in the order ``exonc synth`` writes them."""
        values = dict.fromkeys(f.column for f in self.fields)
        return (*self.keys, *values)


@dataclass(frozen=True)
class Event:
    """A visit of the protocol, or the unscheduled end-of-study event."""

    code: str
    name: str
    offset_months: int | None = None
    window_before_days: int = 0
    window_after_days: int = 0


@dataclass(frozen=True)
class Forms:
    """The whole description: study, events and forms (record ID first)."""

    study: str
    title: str
    version: str
    registration: str
    events: tuple[Event, ...]
    forms: tuple[Form, ...]
    wording: str | None = None

    def form(self, name: str) -> Form:
        for form in self.forms:
            if form.name == name:
                return form
        raise KeyError(name)

    def table(self, table: str) -> Form:
        """The form that holds *table*."""
        for form in self.forms:
            if form.table == table:
                return form
        raise KeyError(table)

    @property
    def fields(self) -> Iterator[Field]:
        for form in self.forms:
            yield from form.fields

    @property
    def tables(self) -> tuple[str, ...]:
        return tuple(form.table for form in self.forms)

    @property
    def visits(self) -> tuple[str, ...]:
        return tuple(e.code for e in self.events if e.code != END_OF_STUDY)


@cache
def default_forms() -> Forms:
    """The forms of the shipped protocol, without questionnaire wording."""
    return build_forms(load_protocol())


def build_forms(
    protocol: Protocol,
    *,
    text_pack: TextPack | None = None,
    instruments: Mapping[str, Instrument] = INSTRUMENTS,
) -> Forms:
    """Describe *protocol*'s forms; questionnaire wording from *text_pack* if given."""
    forms = [*_static_forms(protocol)]  # enrolment first: its fields follow the record ID
    for name, table in QUESTIONNAIRE_TABLES.items():
        events = tuple(v.code for v in protocol.visits if name in v.instruments)
        if events:
            forms.append(_questionnaire(instruments[name], table, events, text_pack))
    follow_ups = tuple(v.code for v in protocol.visits if v.offset_months > 0)
    forms.append(_resource_use(follow_ups))
    described = Forms(
        study=protocol.name,
        title=protocol.title,
        version=protocol.version,
        registration=protocol.registration,
        events=_events(protocol),
        forms=tuple(forms),
        wording=None if text_pack is None else text_pack.name,
    )
    _check_names(described)
    return described


def _events(protocol: Protocol) -> tuple[Event, ...]:
    visits = tuple(
        Event(v.code, v.name, v.offset_months, v.window_before_days, v.window_after_days)
        for v in protocol.visits
    )
    return (*visits, Event(END_OF_STUDY, "End of study"))


def _static_forms(protocol: Protocol) -> Iterator[Form]:
    text = resources.files("exonc.interchange").joinpath("data/forms.toml").read_text("utf-8")
    visits = tuple(v.code for v in protocol.visits)
    for table in tomllib.loads(text)["forms"]:
        repeat = cast(Repeat, table["repeat"])
        if table["name"] == "withdrawal":
            events: tuple[str, ...] = (END_OF_STUDY,)
        else:
            events = visits[:1] if repeat == "participant" else visits
        fields = tuple(_static_field(table, f, protocol) for f in table["fields"])
        yield Form(table["name"], table["label"], table["table"], repeat, fields, events)


def _static_field(form: Mapping[str, Any], entry: Mapping[str, Any], protocol: Protocol) -> Field:
    column = entry["column"]
    kind = cast(FieldKind, entry["kind"])
    return Field(
        name=entry.get("name", _field_name(form["name"], column)),
        form=form["name"],
        table=form["table"],
        column=column,
        kind=kind,
        label=entry["label"],
        choices=_choices(entry.get("choices", []), protocol),
        minimum=entry.get("min"),
        maximum=entry.get("max"),
        unit=entry.get("unit"),
        required=entry.get("required", False),
    )


def _field_name(form: str, column: str) -> str:
    """Enrolment fields keep their column's name; other forms prefix it with the form's."""
    return column if form == "enrolment" else f"{form}_{column}"


def _choices(spec: str | list[list[str]], protocol: Protocol) -> tuple[Choice, ...]:
    if isinstance(spec, str):
        pairs = _protocol_choices(spec, protocol)
    else:
        pairs = [(value, label) for value, label in spec]
    return _coded(pairs)


def _protocol_choices(name: str, protocol: Protocol) -> list[tuple[str, str]]:
    if name == "centres":
        return [(c.code, f"{c.code}: {c.name}") for c in protocol.centres]
    if name == "arms":
        return [(a.code, a.name) for a in protocol.arms]
    if name == "countries":
        return [
            (country, country) for country in dict.fromkeys(c.country for c in protocol.centres)
        ]
    factors = {f.code: f for f in protocol.randomisation.factors}
    return [(level, level) for level in factors[name].levels]


def _coded(pairs: list[tuple[str, str]]) -> tuple[Choice, ...]:
    safe = all(_SAFE_CODE.match(value) for value, _ in pairs)
    return tuple(
        Choice(value, label, value if safe else str(position))
        for position, (value, label) in enumerate(pairs, start=1)
    )


def _questionnaire(
    instrument: Instrument, table: str, events: tuple[str, ...], pack: TextPack | None
) -> Form:
    texts = pack.instruments.get(instrument.name) if pack is not None else None
    date = Field(
        f"{table}_date", table, table, "completed_on", "date", f"{instrument.title}: date completed"
    )
    items = tuple(
        _item_field(instrument, item, table, None if texts is None else texts.item(item.code))
        for item in instrument.items
    )
    return Form(table, instrument.title, table, "visit", (date, *items), events, instrument.name)


def _item_field(instrument: Instrument, item: Item, table: str, text: Any) -> Field:
    label = text.text if text is not None else f"{instrument.title} item {item.code}"
    name = f"{table}_{item.code.lower()}"
    if item.kind == "numeric":
        return Field(
            name, table, table, item.code, "integer", label,
            minimum=item.min, maximum=item.max, required=item.required,
        )  # fmt: skip
    labels = dict(text.options) if text is not None else {}
    choices = tuple(Choice(str(v), labels.get(v, str(v)), str(v)) for v in item.options)
    return Field(name, table, table, item.code, "choice", label, choices=choices)


def _resource_use(events: tuple[str, ...]) -> Form:
    fields = tuple(
        Field(
            name=f"ru_{item.code}",
            form="resource_use",
            table="resource_use",
            column="quantity",
            kind="number",
            label=item.label,
            minimum=0,
            unit=item.unit,
            item=item.code,
        )
        for item in resource_items()
    )
    return Form("resource_use", "Resource use", "resource_use", "item", fields, events)


def _check_names(forms: Forms) -> None:
    """Field names are unique across the forms (REDCap and ODM need it)."""
    seen: set[str] = set()
    for field in forms.fields:
        if field.name in seen:
            raise InterchangeError(f"two fields are named {field.name}")
        seen.add(field.name)
