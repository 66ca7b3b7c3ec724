"""Typed access to a parsed TOML document that reports the file and key of every problem."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from exonc.errors import ProtocolError


@dataclass(frozen=True)
class Table:
    """One TOML table, with its dotted path for error messages."""

    data: Mapping[str, Any]
    path: str
    file: str

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def error(
        self, name: str, problem: str, value: Any = None, hint: str | None = None
    ) -> ProtocolError:
        return ProtocolError(problem, file=self.file, key=self.key(name), value=value, hint=hint)

    def _get(self, name: str, default: Any) -> Any:
        if name in self.data:
            return self.data[name]
        if default is _REQUIRED:
            raise self.error(name, "is missing", hint="add it to the file")
        return default

    def text(self, name: str, default: Any = None) -> str:
        value = self._get(name, _REQUIRED if default is None else default)
        if not isinstance(value, str) or not value.strip():
            raise self.error(name, "must be a non-empty string", value)
        return value.strip()

    def optional_text(self, name: str) -> str:
        return self.text(name) if name in self.data else ""

    def integer(self, name: str, *, minimum: int, default: int | None = None) -> int:
        value = self._get(name, _REQUIRED if default is None else default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.error(name, f"must be a whole number of at least {minimum}", value)
        return value

    def fraction(self, name: str, default: float) -> float:
        value = self._get(name, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
            raise self.error(name, "must be a number above 0 and at most 1", value)
        return float(value)

    def texts(self, name: str) -> tuple[str, ...]:
        value = self._get(name, _REQUIRED)
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.error(name, "must be a list of non-empty strings", value)
        return tuple(value)

    def integers(self, name: str) -> tuple[int, ...]:
        value = self._get(name, _REQUIRED)
        if not isinstance(value, list) or not value or not all(_is_int(v) and v > 0 for v in value):
            raise self.error(name, "must be a non-empty list of positive whole numbers", value)
        return tuple(value)

    def table(self, name: str) -> Table:
        value = self._get(name, _REQUIRED)
        if not isinstance(value, Mapping):
            raise self.error(name, "must be a table", hint=f"write it as [{self.key(name)}]")
        return Table(value, self.key(name), self.file)

    def tables(self, name: str) -> Iterator[Table]:
        value = self._get(name, _REQUIRED)
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(v, Mapping) for v in value)
        ):
            raise self.error(
                name,
                "must be a non-empty array of tables",
                hint=f"write [[{self.key(name)}]] entries",
            )
        for index, item in enumerate(value):
            yield Table(item, f"{self.key(name)}[{index}]", self.file)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _Required:
    pass


_REQUIRED: Any = _Required()
