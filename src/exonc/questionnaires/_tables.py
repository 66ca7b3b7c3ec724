"""Typed access to the tables of exonc's TOML data files, with located errors.

Instrument definitions, interpretation metadata and text packs are TOML documents; these
helpers read one field at a time and raise :class:`~exonc.errors.InstrumentDataError`
naming the file and the field when a value is missing or of the wrong type.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from importlib import resources
from typing import Any, TypeVar

from exonc.errors import InstrumentDataError

T = TypeVar("T")
L = TypeVar("L")

Table = Mapping[str, Any]

_MISSING = object()


def package_text(name: str) -> str:
    """The text of a data file shipped in ``exonc/questionnaires/data``."""
    return resources.files("exonc.questionnaires").joinpath("data", name).read_text("utf-8")


def parse_toml(text: str, *, source: str) -> dict[str, Any]:
    """Parse TOML text, turning a syntax error into a located one-line error."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InstrumentDataError(f"is not valid TOML ({exc})", file=source) from exc


def field(table: Table, key: str, kind: type[T], *, where: str, default: Any = _MISSING) -> T:
    """``table[key]`` checked to be a *kind*; *where* names the table in messages."""
    if key not in table:
        if default is _MISSING:
            raise InstrumentDataError(f"{where} has no {key!r}", hint=f"add {key} = …")
        return default  # type: ignore[no-any-return]
    value = table[key]
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise InstrumentDataError(
            f"{where}: {key} must be a {kind.__name__}, not {type(value).__name__}",
            value=value,
        )
    return value


def strings(table: Table, key: str, *, where: str, default: Any = _MISSING) -> tuple[str, ...]:
    """A list of strings as a tuple."""
    values = field(table, key, list, where=where, default=default)
    if not all(isinstance(v, str) for v in values):
        raise InstrumentDataError(f"{where}: {key} must be a list of strings", value=values)
    return tuple(values)


def tables(table: Table, key: str, *, where: str) -> list[Table]:
    """An array of tables (``[[key]]``); absent means empty."""
    values = field(table, key, list, where=where, default=[])
    if not all(isinstance(v, dict) for v in values):
        raise InstrumentDataError(f"{where}: {key} must be an array of tables ([[{key}]])")
    return values


def choice(
    table: Table, key: str, allowed: tuple[L, ...], *, where: str, default: Any = _MISSING
) -> L:
    """A string that must be one of *allowed* (pass ``typing.get_args`` of a ``Literal``)."""
    value: Any = field(table, key, str, where=where, default=default)
    if value not in allowed:
        raise InstrumentDataError(
            f"{where}: {key} must be one of {', '.join(map(str, allowed))}", value=value
        )
    return value  # type: ignore[no-any-return]
