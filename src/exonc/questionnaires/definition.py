"""Instrument definitions: items, scales and derived scores, read from data files.

A definition is declarative. Each item has a code (the column name in an export), an
integer response range and the order in which its options are printed on the form. Each
scale aggregates some items (mean or sum), needs a minimum number of answered items, and
is transformed (the EORTC linear transformations to 0–100, or none). Derived scores
combine scales (the QLQ-C30 summary score) or items through a value set (EQ-5D-5L).
One engine (:mod:`exonc.questionnaires.engine`) scores every definition. The file format
is documented in ``docs/instruments/definitions.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, get_args

from exonc.errors import InstrumentDataError
from exonc.questionnaires._tables import Table, choice, field, parse_toml, strings, tables

__all__ = [
    "DerivedScore",
    "Instrument",
    "Item",
    "Scale",
    "parse_instrument",
]

Transform = Literal["eortc-functional", "eortc-symptom", "none"]
Aggregate = Literal["mean", "sum"]
Higher = Literal["better", "worse"]
PrintedOrder = Literal["ascending", "descending"]
ItemKind = Literal["choice", "numeric"]
DerivedKind = Literal["mean-of-scales", "value-set"]
MAX_ANSWER_VALUES = 127  # the engine codes answers as int8 (0 = missing)
_VALUE_SET_ITEMS = 5  # a value set values the five EQ-5D dimensions, in their order


@dataclass(frozen=True)
class Item:
    """One question: its code, the range of its answers, and how the form prints them.

    ``reverse`` items are scored as ``min + max - answer`` before they are aggregated.
    ``printed_order`` says whether the first option on the form is ``min`` (ascending) or
    ``max`` (descending); it does not change scoring, it tells forms how to lay out the
    options. Optional items (``required = false``) may be absent from an input table.
    """

    code: str
    min: int
    max: int
    required: bool = True
    kind: ItemKind = "choice"
    printed_order: PrintedOrder = "ascending"
    reverse: bool = False

    @property
    def options(self) -> tuple[int, ...]:
        """The answer values in the order the form prints them."""
        values = tuple(range(self.min, self.max + 1))
        return values[::-1] if self.printed_order == "descending" else values


@dataclass(frozen=True)
class Scale:
    """A score computed from items: aggregate, missing-item rule, transformation."""

    code: str
    name: str
    items: tuple[str, ...]
    transform: Transform
    aggregate: Aggregate = "mean"
    min_answered: int = 1
    higher: Higher = "better"


@dataclass(frozen=True)
class DerivedScore:
    """A score computed from scales (``mean-of-scales``) or from a value set (``value-set``).

    ``mean-of-scales`` needs every listed scale; scales in ``reverse`` enter as
    ``100 - score``. ``value-set`` turns the listed items into an index value with the
    value set the caller chooses.
    """

    code: str
    name: str
    kind: DerivedKind
    scales: tuple[str, ...] = ()
    reverse: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    higher: Higher = "better"


@dataclass(frozen=True)
class Instrument:
    """A questionnaire's scoring definition (never its licensed wording)."""

    name: str
    title: str
    version: str
    scoring_version: str
    licence: str
    sources: tuple[str, ...]
    items: tuple[Item, ...]
    scales: tuple[Scale, ...]
    derived: tuple[DerivedScore, ...] = ()
    verified: bool = True
    caveat: str | None = None

    @property
    def item_codes(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.items)

    @property
    def required_items(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.items if item.required)

    @property
    def score_codes(self) -> tuple[str, ...]:
        """The output columns, in order: scales, then derived scores."""
        return tuple(s.code for s in self.scales) + tuple(d.code for d in self.derived)

    @property
    def needs_value_set(self) -> bool:
        return any(d.kind == "value-set" for d in self.derived)

    @property
    def scoring_id(self) -> str:
        """What a stored score records to be recomputable: ``name/version/scoring_version``."""
        return f"{self.name}/{self.version}/{self.scoring_version}"

    def item(self, code: str) -> Item:
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)


def parse_instrument(text: str, *, source: str) -> Instrument:
    """Read and validate a definition (TOML text); *source* names it in error messages."""
    try:
        return _validated(_instrument(parse_toml(text, source=source)))
    except InstrumentDataError as error:
        raise error.located(source) from None


def _instrument(data: Table) -> Instrument:
    where = "the definition"
    return Instrument(
        name=field(data, "name", str, where=where),
        title=field(data, "title", str, where=where),
        version=field(data, "version", str, where=where),
        scoring_version=field(data, "scoring_version", str, where=where),
        licence=field(data, "licence", str, where=where),
        sources=strings(data, "sources", where=where),
        items=tuple(i for group in tables(data, "items", where=where) for i in _items(group)),
        scales=tuple(_scale(t) for t in tables(data, "scales", where=where)),
        derived=tuple(_derived(t) for t in tables(data, "derived", where=where)),
        verified=field(data, "verified", bool, where=where, default=True),
        caveat=field(data, "caveat", str, where=where, default=None),
    )


def _items(group: Table) -> list[Item]:
    """An ``[[items]]`` group: codes sharing a range; ``reverse`` and ``descending`` list
    the codes scored reversed and those whose options the form prints from max to min."""
    where = "an [[items]] group"
    codes = strings(group, "codes", where=where)
    low, high = field(group, "min", int, where=where), field(group, "max", int, where=where)
    if low >= high:
        raise InstrumentDataError(f"{where} ({codes[0]}…): min must be below max")
    if high - low >= MAX_ANSWER_VALUES:
        raise InstrumentDataError(
            f"{where} ({codes[0]}…): an item has at most {MAX_ANSWER_VALUES} answer values"
        )
    reverse = _subset(group, "reverse", codes, where=where)
    descending = _subset(group, "descending", codes, where=where)
    required = field(group, "required", bool, where=where, default=True)
    kind: ItemKind = choice(group, "kind", get_args(ItemKind), where=where, default="choice")
    return [
        Item(
            code=code,
            min=low,
            max=high,
            required=required,
            kind=kind,
            printed_order="descending" if code in descending else "ascending",
            reverse=code in reverse,
        )
        for code in codes
    ]


def _subset(group: Table, key: str, codes: tuple[str, ...], *, where: str) -> tuple[str, ...]:
    chosen = strings(group, key, where=where, default=[])
    _known(f"{where} ({key})", chosen, codes, "item of the group")
    return chosen


def _scale(table: Table) -> Scale:
    code = field(table, "code", str, where="a [[scales]] table")
    where = f"scale {code}"
    items = strings(table, "items", where=where)
    return Scale(
        code=code,
        name=field(table, "name", str, where=where),
        items=items,
        transform=choice(table, "transform", get_args(Transform), where=where),
        aggregate=choice(table, "aggregate", get_args(Aggregate), where=where, default="mean"),
        min_answered=_min_answered(table, len(items), where=where),
        higher=choice(table, "higher", get_args(Higher), where=where, default="better"),
    )


def _min_answered(table: Table, n_items: int, *, where: str) -> int:
    """``"half"`` (at least half of the items, the EORTC rule), ``"all"``, or a number."""
    rule = table.get("min_answered", "half")
    if rule == "half":
        return math.ceil(n_items / 2)
    if rule == "all":
        return n_items
    if isinstance(rule, int) and not isinstance(rule, bool) and 1 <= rule <= n_items:
        return rule
    raise InstrumentDataError(
        f"{where}: min_answered must be 'half', 'all' or a number from 1 to {n_items}",
        value=rule,
    )


def _derived(table: Table) -> DerivedScore:
    code = field(table, "code", str, where="a [[derived]] table")
    where = f"derived score {code}"
    return DerivedScore(
        code=code,
        name=field(table, "name", str, where=where),
        kind=choice(table, "kind", get_args(DerivedKind), where=where),
        scales=strings(table, "scales", where=where, default=[]),
        reverse=strings(table, "reverse", where=where, default=[]),
        items=strings(table, "items", where=where, default=[]),
        higher=choice(table, "higher", get_args(Higher), where=where, default="better"),
    )


def _validated(instrument: Instrument) -> Instrument:
    """Check the cross-references a definition's parts make to each other."""
    _unique("item", instrument.item_codes)
    _unique("score", instrument.score_codes + instrument.item_codes)
    for scale in instrument.scales:
        _check_scale(instrument, scale)
    for derived in instrument.derived:
        _check_derived(instrument, derived)
    return instrument


def _unique(what: str, codes: tuple[str, ...]) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise InstrumentDataError(f"{what} code {code} is defined twice")
        seen.add(code)


def _check_scale(instrument: Instrument, scale: Scale) -> None:
    _known("scale " + scale.code, scale.items, instrument.item_codes, "item")
    if not scale.items:
        raise InstrumentDataError(f"scale {scale.code} has no items")
    items = [instrument.item(code) for code in scale.items]
    if any(i.kind != "choice" for i in items):
        raise InstrumentDataError(f"scale {scale.code} uses a numeric item")
    ranges = {(i.min, i.max) for i in items}
    if scale.transform != "none" and len(ranges) > 1:
        raise InstrumentDataError(
            f"scale {scale.code} mixes response ranges {sorted(ranges)}",
            hint="a linear transformation needs one item range",
        )


def _check_derived(instrument: Instrument, derived: DerivedScore) -> None:
    where = "derived score " + derived.code
    scale_codes = tuple(s.code for s in instrument.scales)
    if derived.kind == "mean-of-scales":
        if not derived.scales:
            raise InstrumentDataError(f"{where} lists no scales")
        _known(where, derived.scales, scale_codes, "scale")
        _known(where, derived.reverse, derived.scales, "listed scale")
    elif len(derived.items) != _VALUE_SET_ITEMS:
        raise InstrumentDataError(
            f"{where} must list {_VALUE_SET_ITEMS} items",
            hint="the EQ-5D dimensions in the order MO SC UA PD AD",
        )
    else:
        _known(where, derived.items, instrument.item_codes, "item")


def _known(where: str, codes: tuple[str, ...], known: tuple[str, ...], what: str) -> None:
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise InstrumentDataError(f"{where} refers to unknown {what} {', '.join(unknown)}")
