"""The one CSV writer of exonc: every export, download and output file goes through it.

It writes UTF-8 text with ``\\n`` line ends, the standard library's quoting, missing values
as empty cells, and neutralises *formula injection*: a text cell that begins with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written with a leading single
quote (``'=HYPERLINK(…)``), so that a spreadsheet shows it as text instead of running it
(OWASP, "CSV Injection"). Numbers are left alone — a float or integer, and a text cell that
is a plain number such as ``-1.5`` or ``-3`` or ``1e-05``, is written as it is.

Readers are not changed: a quoted cell reads back with its quote, which is the point.

``text`` functions return the CSV as a string; ``write_`` functions write a file (the caller
chooses the path, usually a staging folder). ``frame_`` functions take a pandas DataFrame
and keep pandas' own number formatting (floats round-trip exactly).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "FORMULA_STARTS",
    "frame_text",
    "rows_text",
    "safe_cell",
    "write_frame",
    "write_rows",
]

#: First characters a spreadsheet may read as the start of a formula (OWASP).
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
_NUMBER: Final = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """*value* as a spreadsheet may open it: formula-like text gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return f"'{value}"
    return value


def _cells(row: Iterable[Any]) -> list[Any]:
    return ["" if v is None else safe_cell(v) for v in row]


def _write(handle: Any, header: Sequence[str], rows: Iterable[Iterable[Any]]) -> None:
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(_cells(header))
    writer.writerows(_cells(row) for row in rows)


def rows_text(header: Sequence[str], rows: Iterable[Iterable[Any] | Mapping[str, Any]]) -> str:
    """CSV text of *header* and *rows* (sequences in header order, or mappings by name)."""
    buffer = io.StringIO()
    _write(buffer, header, (_ordered(header, row) for row in rows))
    return buffer.getvalue()


def write_rows(
    path: Path, header: Sequence[str], rows: Iterable[Iterable[Any] | Mapping[str, Any]]
) -> None:
    """Write *header* and *rows* to the CSV file *path* (as :func:`rows_text`)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        _write(handle, header, (_ordered(header, row) for row in rows))


def _ordered(header: Sequence[str], row: Iterable[Any] | Mapping[str, Any]) -> Iterable[Any]:
    if isinstance(row, Mapping):
        return [row.get(name) for name in header]
    return row


def frame_text(frame: pd.DataFrame) -> str:
    """CSV text of *frame* without its index (pandas' float formatting, NaN empty)."""
    return str(_neutralised(frame).to_csv(index=False, lineterminator="\n"))


def write_frame(path: Path, frame: pd.DataFrame) -> None:
    """Write *frame* to the CSV file *path* (as :func:`frame_text`)."""
    _neutralised(frame).to_csv(path, index=False, lineterminator="\n")


def _neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """*frame* with formula-like text cells and column names quoted (numbers untouched)."""
    text = [i for i in range(frame.shape[1]) if not _is_numeric(frame.iloc[:, i])]
    columns = [safe_cell(name) for name in frame.columns]
    if not text and columns == list(frame.columns):
        return frame
    out = frame.copy()
    for i in text:
        out.isetitem(i, frame.iloc[:, i].map(safe_cell, na_action="ignore").array)
    out.columns = columns
    return out


def _is_numeric(column: pd.Series[Any]) -> bool:
    from pandas.api.types import is_bool_dtype, is_datetime64_any_dtype, is_numeric_dtype

    dtype = column.dtype
    return bool(is_numeric_dtype(dtype) or is_bool_dtype(dtype) or is_datetime64_any_dtype(dtype))
