"""Text packs: the wording of items and answer options, installed by the user.

exonc ships scoring rules, never licensed wording. Patient-facing forms take their texts
from a text pack, a TOML file the user writes from the questionnaire they license (see
``docs/instruments/text-packs.md``). Loading a pack checks it against the instrument
definitions: every item of every instrument it covers has a text, every choice item has
one label per answer value, in the order the form prints them, and the instrument
version matches. exonc ships one pack, ``placeholder``, with neutral wording clearly
marked as placeholder text, for the demo and for tests.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from exonc import _toml
from exonc._toml import Table
from exonc.errors import InstrumentDataError
from exonc.questionnaires.definition import Instrument, Item
from exonc.questionnaires.registry import INSTRUMENTS, package_text

__all__ = [
    "PLACEHOLDER_LANGUAGES",
    "InstrumentText",
    "ItemText",
    "TextPack",
    "parse_text_pack",
    "placeholder_text_pack",
    "read_text_pack",
]


@dataclass(frozen=True)
class ItemText:
    """An item's wording; ``options`` pairs each answer value with its label, in printed order."""

    code: str
    text: str
    options: tuple[tuple[int, str], ...] = ()
    anchors: tuple[str, str] | None = None


@dataclass(frozen=True)
class InstrumentText:
    """The wording of one instrument in one language."""

    instrument: str
    version: str
    title: str
    instructions: str
    items: tuple[ItemText, ...]

    def item(self, code: str) -> ItemText:
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)


@dataclass(frozen=True)
class TextPack:
    """A validated text pack: who made it, under which licence, and the texts."""

    name: str
    language: str
    placeholder: bool
    licence: str
    instruments: Mapping[str, InstrumentText]

    def for_instrument(self, name: str) -> InstrumentText:
        if name not in self.instruments:
            raise InstrumentDataError(
                f"text pack {self.name} has no texts for {name}",
                hint=f"it covers {', '.join(self.instruments) or 'no instrument'}",
            )
        return self.instruments[name]


def parse_text_pack(
    text: str, *, source: str, instruments: Mapping[str, Instrument] = INSTRUMENTS
) -> TextPack:
    """Read a text pack (TOML text) and check it against the instrument definitions."""
    root = _toml.root(text, source=source, error=InstrumentDataError)
    pack, covered = root.table("pack"), root.table("instruments")
    result = TextPack(
        name=pack.text("name"),
        language=pack.text("language"),
        placeholder=pack.flag("placeholder"),
        licence=pack.text("licence"),
        instruments={
            name: _instrument_text(name, table, instruments) for name, table in covered.subtables()
        },
    )
    pack.done()
    root.done()
    return result


def read_text_pack(path: Path, *, instruments: Mapping[str, Instrument] = INSTRUMENTS) -> TextPack:
    """Read and check the text pack file at *path*."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InstrumentDataError("cannot be read", file=str(path), hint=str(exc)) from exc
    return parse_text_pack(text, source=str(path), instruments=instruments)


#: The languages of the shipped placeholder packs (the trial's languages).
PLACEHOLDER_LANGUAGES = ("en", "de", "nl", "es", "pl", "sv")


def placeholder_text_pack(language: str = "en") -> TextPack:
    """The shipped pack of neutral placeholder wording (not the licensed texts) in
    *language* (a primary language subtag, e.g. ``de``); English for other languages."""
    if language not in PLACEHOLDER_LANGUAGES:
        language = "en"
    name = f"textpacks/placeholder-{language}.toml"
    return parse_text_pack(package_text(name), source=name)


def _instrument_text(
    name: str, table: Table, instruments: Mapping[str, Instrument]
) -> InstrumentText:
    if name not in instruments:
        table.fail(None, "unknown instrument", name, f"choose from {', '.join(instruments)}")
    definition = instruments[name]
    version = table.text("version")
    if version != definition.version:
        table.fail(
            "version",
            f"wording is for version {version}, exonc scores version {definition.version}",
            hint="use wording of the version exonc scores",
        )
    result = InstrumentText(
        instrument=name,
        version=version,
        title=table.text("title"),
        instructions=table.text("instructions"),
        items=_item_texts(definition, table),
    )
    table.done()
    return result


def _item_texts(definition: Instrument, table: Table) -> tuple[ItemText, ...]:
    texts = table.table("items")
    labels = table.table("options", None)
    unknown = [code for code in texts.names() if code not in definition.item_codes]
    if unknown:
        texts.fail(unknown[0], f"{definition.name} has no item {unknown[0]}")
    missing = [code for code in definition.item_codes if not texts.has(code)]
    if missing:
        texts.fail(None, f"no text for item {missing[0]}", hint=f"add {missing[0]} = …")
    return tuple(_item_text(item, texts, labels) for item in definition.items)


def _item_text(item: Item, texts: Table, labels: Table | None) -> ItemText:
    """An item's entry: a string, or a table with ``text``, ``options`` and ``anchors``."""
    if isinstance(texts.raw(item.code), str):
        entry = None
        text = texts.text(item.code)
    elif isinstance(texts.raw(item.code), Mapping):
        entry = texts.table(item.code)
        text = entry.text("text")
    else:
        texts.fail(item.code, "must be a string or a table", texts.raw(item.code))
    if item.kind == "numeric":
        return _numeric_text(item, text, entry)
    options = _option_labels(item, texts, entry, labels)
    if entry is not None:
        entry.done()
    return ItemText(item.code, text, options=tuple(zip(item.options, options, strict=True)))


def _numeric_text(item: Item, text: str, entry: Table | None) -> ItemText:
    if entry is None:
        return ItemText(item.code, text)
    if entry.has("options"):
        entry.fail("options", "the item is numeric and takes anchors, not options")
    anchors = entry.texts("anchors", [])
    if anchors and len(anchors) != 2:
        entry.fail("anchors", "anchors are two labels (lowest, highest)", anchors)
    entry.done()
    return ItemText(item.code, text, anchors=(anchors[0], anchors[1]) if anchors else None)


def _option_labels(
    item: Item, texts: Table, entry: Table | None, labels: Table | None
) -> tuple[str, ...]:
    """Per-item labels, or the instrument's labels for the item's range (``"1-4"``)."""
    key = f"{item.min}-{item.max}"
    if entry is not None and entry.has("options"):
        options, where = entry.texts("options"), entry
    elif labels is not None and labels.has(key):
        options, where = labels.texts(key), labels
    else:
        texts.fail(item.code, "no option labels", hint=f"add options.{key!r}")
    if len(options) != len(item.options):
        where.fail(
            "options" if where is entry else key,
            f"{len(options)} option labels for {len(item.options)} answers ({item.min}–{item.max})",
        )
    return tuple(options)
