"""The one reader of exonc's TOML files, with errors that name the file and the key (internal).

Every TOML file exonc reads — protocols, exercise programmes and participant files,
instrument definitions, text packs and interpretation data, analysis plans, economics
inputs (prices, resource use, thresholds, costing), the synthetic trial's model and tracker
column mappings — goes through :func:`parse` (text) or :func:`read` (a file) and is then
read key by key through :class:`Table`. Every value it cannot use, every missing key and
every key it does not know (a typo must not be silently ignored: :meth:`Table.done`)
raises the caller's :class:`~exonc.errors.InputError` subclass with ``file`` and ``key``
(a dotted path such as ``lesions[2].mirels.pain``) filled in, so the command line exits
with code 2 and one line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import enum
import json
import tomllib
import typing
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from exonc.errors import InputError

E = TypeVar("E", bound=enum.Enum)
R = TypeVar("R")

_MISSING = object()


def parse(text: str | bytes, *, source: str, error: type[InputError]) -> dict[str, Any]:
    """Parse TOML *text* (bytes must be UTF-8); *source* names it in the error."""
    try:
        decoded = text.decode("utf-8") if isinstance(text, bytes) else text
        return tomllib.loads(decoded)
    except UnicodeDecodeError as exc:
        raise error("is not UTF-8 text", file=source, hint="save the file as UTF-8") from exc
    except tomllib.TOMLDecodeError as exc:
        raise error(f"not valid TOML ({exc})", file=source, hint="fix the TOML syntax") from exc


def read(path: Path, error: type[InputError], *, source: str | None = None) -> dict[str, Any]:
    """Parse *path* as TOML (or JSON, by its suffix); a missing or bad file raises *error*."""
    name = source or str(path)
    if not path.is_file():
        raise error("file not found", file=name, hint="check the path")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise error(f"cannot be read ({exc.strerror})", file=name) from exc
    if path.suffix.lower() == ".json":
        return _json(raw, name, error)
    return parse(raw, source=name, error=error)


def root(text: str | bytes, *, source: str, error: type[InputError]) -> Table:
    """The top-level :class:`Table` of TOML *text*."""
    return Table(parse(text, source=source, error=error), file=source, error=error)


def _json(raw: bytes, source: str, error: type[InputError]) -> dict[str, Any]:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise error(f"not valid JSON ({exc})", file=source, hint="fix the JSON") from exc
    if not isinstance(data, dict):
        raise error("must hold one JSON object", file=source, hint="wrap the keys in {}")
    return data


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class Table:
    """One TOML table, read key by key with located errors."""

    def __init__(
        self, data: Mapping[str, Any], *, file: str, error: type[InputError], path: str = ""
    ) -> None:
        self._data = data
        self._file = file
        self._error = error
        self._path = path
        self._used: set[str] = set()

    @property
    def file(self) -> str:
        return self._file

    def key(self, name: str) -> str:
        return f"{self._path}.{name}" if self._path else name

    def fail(
        self, name: str | None, problem: str, value: Any = None, hint: str | None = None
    ) -> NoReturn:
        key = self.key(name) if name else (self._path or None)
        raise self._error(problem, file=self._file, key=key, value=value, hint=hint)

    def has(self, name: str) -> bool:
        return name in self._data

    def names(self) -> list[str]:
        """The keys of this table, in file order."""
        return list(self._data)

    def raw(self, name: str, default: Any = _MISSING) -> Any:
        self._used.add(name)
        if name in self._data:
            return self._data[name]
        if default is _MISSING:
            self.fail(name, "missing key", hint=f"add '{name}'")
        return default

    def text(self, name: str, default: Any = _MISSING) -> Any:
        return self._typed(name, str, "text", default)

    def flag(self, name: str, default: Any = _MISSING) -> Any:
        return self._typed(name, bool, "true or false", default)

    def whole(self, name: str, default: Any = _MISSING) -> Any:
        value = self.raw(name, default)
        if value is default and default is not _MISSING:
            return value
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(name, "must be a whole number", value)
        return value

    def number(self, name: str, default: Any = _MISSING) -> Any:
        value = self.raw(name, default)
        if value is default and default is not _MISSING:
            return value
        if not _is_number(value):
            self.fail(name, "must be a number", value)
        return float(value)

    def day(self, name: str, default: Any = _MISSING) -> Any:
        """A date: a TOML date, or (as JSON has no dates) a ``YYYY-MM-DD`` string."""
        value = self.raw(name, default)
        if value is default and default is not _MISSING:
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        self.fail(name, "must be a date", value, "write it as YYYY-MM-DD")

    def choice(self, name: str, kind: type[E], default: Any = _MISSING) -> Any:
        value = self.raw(name, default)
        if value is default and default is not _MISSING:
            return value
        try:
            return kind(value)
        except ValueError:
            allowed = ", ".join(str(member.value) for member in kind)
            self.fail(name, "not a known value", value, f"use one of {allowed}")

    def items(self, name: str, default: Any = _MISSING) -> Any:
        return self._typed(name, list, "a list", default)

    def texts(self, name: str, default: Any = _MISSING) -> Any:
        """A list of text values."""
        value = self.raw(name, default)
        if value is default and default is not _MISSING:
            return value
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(name, "must be a list of text", value, f'write e.g. {name} = ["a", "b"]')
        return value

    def one_of(self, name: str, allowed: tuple[str, ...], default: Any = _MISSING) -> Any:
        """A text value that must be one of *allowed* (``typing.get_args`` of a ``Literal``)."""
        value = self.raw(name, default)
        if value is default and default is not _MISSING:
            return value
        if value not in allowed:
            self.fail(name, "not a known value", value, f"use one of {', '.join(allowed)}")
        return value

    def text_table(self, name: str, default: Any = _MISSING) -> Any:
        """A table of text values (``{key = "text", …}``), as a plain dict."""
        return self._values(name, default, lambda v: isinstance(v, str), "text values", str)

    def number_table(self, name: str, default: Any = _MISSING) -> Any:
        """A table of numbers (``{key = 1.5, …}``), as a plain dict of floats."""
        return self._values(name, default, _is_number, "numbers", float)

    def _values(
        self,
        name: str,
        default: Any,
        check: typing.Callable[[Any], bool],
        label: str,
        convert: typing.Callable[[Any], Any],
    ) -> Any:
        value = self.raw(name, default)
        if value is default and default is not _MISSING:
            return value
        if not isinstance(value, Mapping) or not all(check(v) for v in value.values()):
            self.fail(name, f"must be a table of {label}", value)
        return {str(k): convert(v) for k, v in value.items()}

    def pair(self, name: str) -> tuple[float, float]:
        """A ``[low, high]`` list of two numbers with ``low <= high``."""
        value = self.items(name)
        if (
            len(value) != 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
            or value[0] > value[1]
        ):
            self.fail(name, "must be [low, high] with low <= high", value)
        return float(value[0]), float(value[1])

    def table(self, name: str, default: Any = _MISSING) -> Any:
        value = self.raw(name, default)
        if value is default and default is not _MISSING:
            return value
        if not isinstance(value, Mapping):
            self.fail(name, "must be a table", value)
        return Table(value, file=self._file, error=self._error, path=self.key(name))

    def tables(self, name: str, *, required: bool = False) -> list[Table]:
        """An array of tables (``[[name]]``); missing means empty unless *required*."""
        value = self.raw(name, _MISSING if required else [])
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            self.fail(name, "must be an array of tables", hint=f"write each entry as [[{name}]]")
        return [
            Table(v, file=self._file, error=self._error, path=f"{self.key(name)}[{i}]")
            for i, v in enumerate(value, start=1)
        ]

    def subtables(self) -> Iterator[tuple[str, Table]]:
        """Every value of this table as a named sub-table (``[parent.name]`` sections)."""
        for name in self._data:
            yield name, self.table(name)

    def record(self, kind: type[R], **given: Any) -> R:
        """The dataclass *kind* from this table: one key per field (those not *given*),
        checked by the field's type (``float``, ``int``, ``str``, ``bool``, ``date``,
        ``tuple`` from a list, ``dict`` from a table); unknown keys are refused."""
        hints = typing.get_type_hints(kind)
        values = dict(given)
        for f in dataclasses.fields(kind):  # type: ignore[arg-type]
            if f.name in given or not f.init:
                continue
            has_default = f.default is not dataclasses.MISSING
            default = f.default if has_default else _MISSING
            if f.default_factory is not dataclasses.MISSING:
                default = f.default_factory()
            if not self.has(f.name) and default is not _MISSING:
                self.raw(f.name, default)
                continue
            values[f.name] = self._as(f.name, hints[f.name])
        self.done()
        return kind(**values)

    def _as(self, name: str, hint: Any) -> Any:
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(options) == 1 and len(typing.get_args(hint)) == 2:  # X | None
            hint = options[0]
        origin = typing.get_origin(hint) or hint
        readers = {
            float: self.number,
            int: self.whole,
            str: self.text,
            bool: self.flag,
            dt.date: self.day,
        }
        if origin in readers:
            return readers[origin](name)
        if origin is tuple:
            return tuple(self.items(name))
        args = typing.get_args(hint)
        if origin in (dict, Mapping) and args[1:] == (float,):
            return self.number_table(name)
        if origin in (dict, Mapping) and args[1:] == (str,):
            return self.text_table(name)
        if origin in (dict, Mapping):
            return dict(self.table(name)._data)
        return self.raw(name)

    def done(self) -> None:
        """Refuse keys that were never read (usually a typo)."""
        unknown = sorted(set(self._data) - self._used)
        if unknown:
            close = difflib.get_close_matches(unknown[0], sorted(self._used), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "check the spelling"
            self.fail(unknown[0], "unknown key", hint=f"{hint} See the file format docs")

    @contextmanager
    def located(self, name: str | None = None) -> Iterator[None]:
        """Give an :class:`InputError` raised inside (e.g. by a value object) this location."""
        try:
            yield
        except InputError as exc:
            if exc.file is not None:
                raise
            inner = exc.key
            base = self.key(name) if name else self._path
            key = ".".join(part for part in (base, inner) if part) or None
            raise self._error(
                exc.problem, file=self._file, key=key, value=exc.value, hint=exc.hint
            ) from exc

    def _typed(self, name: str, kind: type, label: str, default: Any) -> Any:
        value = self.raw(name, default)
        if value is default and default is not _MISSING:
            return value
        if not isinstance(value, kind):
            self.fail(name, f"must be {label}", value)
        return value
