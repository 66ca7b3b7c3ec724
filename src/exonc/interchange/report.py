"""What an import read, kept and left aside: the import report every import writes."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

__all__ = ["InterchangeReport", "interchange_report"]


@dataclass(frozen=True)
class InterchangeReport:
    """Counts of an import: what came in, what became which table, what was left aside.

    Nothing is rejected row by row: input exonc cannot use stops the import as a whole.
    """

    source: str
    format: str
    read: Mapping[str, int]
    tables: Mapping[str, int]
    ignored: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        """The report as lines a person reads."""
        read = ", ".join(f"{n} {what}" for what, n in self.read.items())
        lines = [f"read {self.source} ({self.format}): {read}"]
        lines += [f"  {table + '.csv':<22} {n:>8} rows" for table, n in self.tables.items()]
        lines += [f"  ignored: {note}" for note in self.ignored]
        return lines

    def to_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "format": self.format,
            "read": dict(self.read),
            "tables": dict(self.tables),
            "ignored": list(self.ignored),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2) + "\n"


def interchange_report(
    source: str,
    fmt: str,
    read: Mapping[str, int],
    tables: Mapping[str, pd.DataFrame],
    ignored: tuple[str, ...] = (),
) -> InterchangeReport:
    """The report of an import that produced *tables* (nothing is rejected: bad input stops it)."""
    return InterchangeReport(
        source, fmt, dict(read), {n: len(t) for n, t in tables.items()}, ignored
    )
