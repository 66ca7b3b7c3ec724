"""Reading TOML data files with errors that name the file and the key (internal).

:class:`Table` wraps one TOML table and hands out typed values. Every value it cannot use,
every missing key and every key it does not know (a typo must not be silently ignored)
raises the caller's :class:`~exonc.errors.InputError` subclass with ``file`` and ``key``
(a dotted path such as ``lesions[2].mirels.pain``) filled in.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from exonc.errors import InputError

E = TypeVar("E", bound=enum.Enum)

_MISSING = object()


def read(path: Path, error: type[InputError]) -> dict[str, Any]:
    """Parse *path* as TOML (or JSON, by its suffix); a missing or bad file raises *error*."""
    if not path.is_file():
        raise error("file not found", file=str(path), hint="check the path")
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise error(f"not valid JSON ({exc})", file=str(path), hint="fix the JSON") from exc
        if not isinstance(data, dict):
            raise error("must hold one JSON object", file=str(path), hint="wrap the keys in {}")
        return data
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"not valid TOML ({exc})", file=str(path), hint="fix the TOML syntax") from exc


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
        if not isinstance(value, int | float) or isinstance(value, bool):
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

    def done(self) -> None:
        """Refuse keys that were never read (usually a typo)."""
        unknown = sorted(set(self._data) - self._used)
        if unknown:
            self.fail(
                unknown[0], "unknown key", hint="check the spelling; see the file format docs"
            )

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
