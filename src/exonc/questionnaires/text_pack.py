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
from typing import Any

from exonc.errors import InstrumentDataError
from exonc.questionnaires._tables import Table, field, package_text, parse_toml, strings
from exonc.questionnaires.definition import Instrument, Item
from exonc.questionnaires.registry import INSTRUMENTS

__all__ = [
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
    try:
        data = parse_toml(text, source=source)
        pack = field(data, "pack", dict, where="the file")
        covered = field(data, "instruments", dict, where="the file")
        return TextPack(
            name=field(pack, "name", str, where="[pack]"),
            language=field(pack, "language", str, where="[pack]"),
            placeholder=field(pack, "placeholder", bool, where="[pack]"),
            licence=field(pack, "licence", str, where="[pack]"),
            instruments={
                name: _instrument_text(name, table, instruments) for name, table in covered.items()
            },
        )
    except InstrumentDataError as error:
        raise error.located(source) from None


def read_text_pack(path: Path, *, instruments: Mapping[str, Instrument] = INSTRUMENTS) -> TextPack:
    """Read and check the text pack file at *path*."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InstrumentDataError("cannot be read", file=str(path), hint=str(exc)) from exc
    return parse_text_pack(text, source=str(path), instruments=instruments)


def placeholder_text_pack() -> TextPack:
    """The shipped pack of neutral placeholder wording (not the licensed texts)."""
    name = "textpacks/placeholder-en.toml"
    return parse_text_pack(package_text(name), source=name)


def _instrument_text(
    name: str, table: Any, instruments: Mapping[str, Instrument]
) -> InstrumentText:
    where = f"[instruments.{name}]"
    if name not in instruments:
        raise InstrumentDataError(
            f"{where}: unknown instrument", hint=f"choose from {', '.join(instruments)}"
        )
    if not isinstance(table, dict):
        raise InstrumentDataError(f"{where} must be a table")
    definition = instruments[name]
    version = field(table, "version", str, where=where)
    if version != definition.version:
        raise InstrumentDataError(
            f"{where}: wording is for version {version}, exonc scores version {definition.version}",
            hint="use wording of the version exonc scores",
        )
    return InstrumentText(
        instrument=name,
        version=version,
        title=field(table, "title", str, where=where),
        instructions=field(table, "instructions", str, where=where),
        items=_item_texts(definition, table, where=where),
    )


def _item_texts(definition: Instrument, table: Table, *, where: str) -> tuple[ItemText, ...]:
    texts = field(table, "items", dict, where=where)
    labels = field(table, "options", dict, where=where, default={})
    unknown = [code for code in texts if code not in definition.item_codes]
    if unknown:
        raise InstrumentDataError(f"{where}: {definition.name} has no item {unknown[0]}")
    missing = [code for code in definition.item_codes if code not in texts]
    if missing:
        raise InstrumentDataError(f"{where}: no text for item {missing[0]}")
    return tuple(
        _item_text(item, texts[item.code], labels, where=f"{where} item {item.code}")
        for item in definition.items
    )


def _item_text(item: Item, entry: Any, labels: Table, *, where: str) -> ItemText:
    """An item's entry: a string, or a table with ``text``, ``options`` and ``anchors``."""
    entry = {"text": entry} if isinstance(entry, str) else entry
    if not isinstance(entry, dict):
        raise InstrumentDataError(f"{where} must be a string or a table")
    text = field(entry, "text", str, where=where)
    if item.kind == "numeric":
        if "options" in entry:
            raise InstrumentDataError(f"{where} is numeric and takes anchors, not options")
        anchors = strings(entry, "anchors", where=where, default=[])
        if anchors and len(anchors) != 2:
            raise InstrumentDataError(f"{where}: anchors are two labels (lowest, highest)")
        return ItemText(item.code, text, anchors=(anchors[0], anchors[1]) if anchors else None)
    options = _option_labels(item, entry, labels, where=where)
    return ItemText(item.code, text, options=tuple(zip(item.options, options, strict=True)))


def _option_labels(item: Item, entry: Table, labels: Table, *, where: str) -> tuple[str, ...]:
    """Per-item labels, or the instrument's labels for the item's range (``"1-4"``)."""
    key = f"{item.min}-{item.max}"
    if "options" in entry:
        options = strings(entry, "options", where=where)
    elif key in labels:
        options = strings(labels, key, where=f"{where} (options {key!r})")
    else:
        raise InstrumentDataError(f"{where}: no option labels", hint=f"add options.{key!r}")
    if len(options) != len(item.options):
        raise InstrumentDataError(
            f"{where}: {len(options)} option labels for {len(item.options)} answers "
            f"({item.min}–{item.max})"
        )
    return options
