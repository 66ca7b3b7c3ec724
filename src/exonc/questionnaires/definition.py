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

from exonc import _toml
from exonc._toml import Table
from exonc.errors import InstrumentDataError

__all__ = [
    "PROVISIONAL_ITEM_MAP",
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
PROVISIONAL_ITEM_MAP = "provisional item map"
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
    """A score computed from items: aggregate, missing-item rule, transformation.

    ``provisional`` marks a scale whose item map could not be verified against the
    instrument's scoring manual (``provisional = true`` in the definition file): every
    output that shows the scale labels it :data:`PROVISIONAL_ITEM_MAP`. Correcting the
    map is one edit of the definition file — its ``items`` and this flag; nothing else
    in exonc knows which items a scale holds.
    """

    code: str
    name: str
    items: tuple[str, ...]
    transform: Transform
    aggregate: Aggregate = "mean"
    min_answered: int = 1
    higher: Higher = "better"
    provisional: bool = False


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
    caveat: str | None = None

    @property
    def provisional_scores(self) -> tuple[str, ...]:
        """Codes of the scores whose item map is provisional: the scales marked so (see
        :class:`Scale`) and the derived scores computed from them."""
        scales = {s.code for s in self.scales if s.provisional}
        derived = [d.code for d in self.derived if scales.intersection(d.scales)]
        return (*(s.code for s in self.scales if s.code in scales), *derived)

    @property
    def verified(self) -> bool:
        """Whether every score's item map is verified against the scoring manual."""
        return not self.provisional_scores

    @property
    def provisional_warning(self) -> str | None:
        """The warning every output of these scores carries (None if none is provisional)."""
        if not self.provisional_scores:
            return None
        codes = ", ".join(self.provisional_scores)
        return f"{self.title} {codes}: {PROVISIONAL_ITEM_MAP} ({self.caveat or 'unverified'})"

    def score_label(self, code: str) -> str:
        """The name of score *code*, marked ``(provisional item map)`` where it applies."""
        names = {s.code: s.name for s in self.scales} | {d.code: d.name for d in self.derived}
        if code in self.provisional_scores:
            return f"{names[code]} ({PROVISIONAL_ITEM_MAP})"
        return names[code]

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
    root = _toml.root(text, source=source, error=InstrumentDataError)
    with root.located():
        return _validated(_instrument(root))


def _instrument(root: Table) -> Instrument:
    instrument = Instrument(
        name=root.text("name"),
        title=root.text("title"),
        version=root.text("version"),
        scoring_version=root.text("scoring_version"),
        licence=root.text("licence"),
        sources=tuple(root.texts("sources")),
        items=tuple(i for group in root.tables("items") for i in _items(group)),
        scales=tuple(_scale(t) for t in root.tables("scales")),
        derived=tuple(_derived(t) for t in root.tables("derived")),
        caveat=root.text("caveat", None),
    )
    root.done()
    return instrument


def _items(group: Table) -> list[Item]:
    """An ``[[items]]`` group: codes sharing a range; ``reverse`` and ``descending`` list
    the codes scored reversed and those whose options the form prints from max to min."""
    codes = tuple(group.texts("codes"))
    low, high = group.whole("min"), group.whole("max")
    if low >= high:
        group.fail("max", "min must be below max", high)
    if high - low >= MAX_ANSWER_VALUES:
        group.fail("max", f"an item has at most {MAX_ANSWER_VALUES} answer values", high)
    reverse = _subset(group, "reverse", codes)
    descending = _subset(group, "descending", codes)
    required = group.flag("required", True)
    kind: ItemKind = group.one_of("kind", get_args(ItemKind), "choice")
    group.done()
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


def _subset(group: Table, key: str, codes: tuple[str, ...]) -> tuple[str, ...]:
    chosen = tuple(group.texts(key, []))
    with group.located(key):
        _known("the group", chosen, codes, "item of the group")
    return chosen


def _scale(table: Table) -> Scale:
    items = tuple(table.texts("items"))
    scale = Scale(
        code=table.text("code"),
        name=table.text("name"),
        items=items,
        transform=table.one_of("transform", get_args(Transform)),
        aggregate=table.one_of("aggregate", get_args(Aggregate), "mean"),
        min_answered=_min_answered(table, len(items)),
        higher=table.one_of("higher", get_args(Higher), "better"),
        provisional=table.flag("provisional", False),
    )
    table.done()
    return scale


def _min_answered(table: Table, n_items: int) -> int:
    """``"half"`` (at least half of the items, the EORTC rule), ``"all"``, or a number."""
    rule = table.raw("min_answered", "half")
    if rule == "half":
        return math.ceil(n_items / 2)
    if rule == "all":
        return n_items
    if isinstance(rule, int) and not isinstance(rule, bool) and 1 <= rule <= n_items:
        return rule
    table.fail("min_answered", f"must be 'half', 'all' or a number from 1 to {n_items}", rule)


def _derived(table: Table) -> DerivedScore:
    derived = DerivedScore(
        code=table.text("code"),
        name=table.text("name"),
        kind=table.one_of("kind", get_args(DerivedKind)),
        scales=tuple(table.texts("scales", [])),
        reverse=tuple(table.texts("reverse", [])),
        items=tuple(table.texts("items", [])),
        higher=table.one_of("higher", get_args(Higher), "better"),
    )
    table.done()
    return derived


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
