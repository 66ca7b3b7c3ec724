"""Streaming CSV tables through DuckDB, every cell read as text and parsed explicitly.

DuckDB reads the file in parallel and in bounded memory, so a file larger than memory
streams through in record batches. Cells are read as VARCHAR and converted with ``TRY_CAST``
/ ``TRY_STRPTIME`` in the query, so that a value that does not parse arrives as a null with
its original text beside it and can be rejected with a reason, rather than stopping DuckDB.

Lines with the wrong number of cells are the one thing DuckDB itself must reject. With
``keep_going`` it records them (``store_rejects``) and the scan continues; their data rows
are reported at the end (:meth:`CsvScan.structural_rejects`). Without it, DuckDB stops at
the first such line and the error names the line.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import queue
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, TypeVar

import duckdb
import numpy as np
import numpy.typing as npt
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from exonc.errors import ImportFormatError
from exonc.trackers.minutes import REJECT_SCHEMA as REJECTS

__all__ = [
    "SOURCE",
    "TIMESTAMP_FORMATS",
    "Cell",
    "CsvScan",
    "StructuralReject",
    "cell_rejects",
    "first_row",
    "parse_query",
    "prefetched",
    "quote_identifier",
    "quote_literal",
    "read_header",
    "sniff_timestamp_format",
    "split_failures",
]

TIMESTAMP_FORMATS: Final = (
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
)
T = TypeVar("T")
SOURCE: Final = "__SOURCE__"  # where the table goes in a CsvScan query
_LINE: Final = re.compile(r"CSV Error on Line: (\d+)")
_CAST: Final = re.compile(
    r'converting column "(?P<column>.*?)"\. Could not convert string "(?P<value>.*?)" to'
)


@dataclass(frozen=True)
class StructuralReject:
    """A line DuckDB rejected: wrong number of cells, or a cell its column's type refuses.

    ``column`` and ``value`` name the refused cell (for a wrong number of cells: none, and
    the line's text).
    """

    row: int
    problem: str
    text: str
    column: str | None = None
    value: str | None = None


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _open_text(path: Path) -> io.TextIOBase:
    if path.suffix.lower() == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
    return open(path, encoding="utf-8-sig", newline="")


def read_header(path: Path) -> list[str]:
    """The header row of a CSV file; a one-line error for a missing or empty file."""
    return _first_lines(path)[0]


def first_row(path: Path) -> list[str] | None:
    """The first data row with as many cells as the header (rows before it are left to the
    reader, which rejects them), or None when the file has only a header."""
    lines = _first_lines(path, _SAMPLE_ROWS)
    width = len(lines[0])
    whole = next((row for row in lines[1:] if len(row) == width), None)
    if whole is None and len(lines) > 1:
        raise ImportFormatError(
            f"no data line has the header's {width} cells (looked at {len(lines) - 1})",
            file=str(path),
            row=1,
            hint="check the quotes and separators (an unbalanced quote joins lines)",
        )
    return whole


_SAMPLE_ROWS: Final = 100


def _first_lines(path: Path, rows: int = 1) -> list[list[str]]:
    name = str(path)
    if not path.is_file():
        raise ImportFormatError("file not found", file=name, hint="check the path")
    try:
        with _open_text(path) as handle:
            reader = csv.reader(handle)
            lines = [row for _, row in zip(range(rows + 1), reader, strict=False)]
    except (OSError, UnicodeDecodeError, EOFError, csv.Error) as exc:
        raise ImportFormatError(
            f"cannot be read as CSV ({exc})", file=name, hint="give a UTF-8 CSV file"
        ) from exc
    if not lines or not any(cell.strip() for cell in lines[0]):
        raise ImportFormatError("the file is empty", file=name, hint="export the file again")
    lines[0] = [cell.strip() for cell in lines[0]]
    _unique_columns(lines[0], name)
    return lines


def _unique_columns(header: list[str], file: str) -> None:
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise ImportFormatError(
                "the header names this column twice",
                file=file,
                column=name,
                hint="remove or rename the repeated column",
            )
        seen.add(name)


def sniff_timestamp_format(text: str, *, file: str, column: str) -> str:
    """The first of :data:`TIMESTAMP_FORMATS` that parses *text* (a one-line error if none)."""
    for candidate in TIMESTAMP_FORMATS:
        try:
            dt.datetime.strptime(text.strip(), candidate)
        except ValueError:
            continue
        return candidate
    raise ImportFormatError(
        "timestamp in an unknown format",
        file=file,
        row=1,
        column=column,
        value=text,
        hint="use e.g. 2024-01-31 13:05:00 or Fitabase's 1/31/2024 1:05:00 PM",
    )


_DONE: Final = object()


def prefetched(batches: Iterable[T], ahead: int = 2) -> Iterator[T]:
    """Iterate *batches* in a worker thread, at most *ahead* items in advance.

    The producer's exception is re-raised in the consumer. When the consumer stops early,
    the worker is released and finishes the item it is producing.
    """
    found: queue.Queue[object] = queue.Queue(maxsize=ahead)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in batches:
                while not stop.is_set():
                    try:
                        found.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            found.put(_DONE)
        except BaseException as exc:
            found.put(exc)

    worker = threading.Thread(target=produce, name="exonc-csv-prefetch", daemon=True)
    worker.start()
    try:
        while (item := found.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        worker.join()


class CsvScan:
    """One pass over a CSV file in record batches; *select* names the file ``__SOURCE__``.

    *types* gives DuckDB's reader the SQL type of columns (VARCHAR otherwise), with
    *timestamp_format* for TIMESTAMP columns; a cell its type refuses rejects its line, with
    the reason *invalid* names for its column ("not a number" otherwise).
    """

    def __init__(
        self,
        path: Path,
        header: Sequence[str],
        select: str,
        *,
        batch_rows: int,
        keep_going: bool,
        types: dict[str, str] | None = None,
        timestamp_format: str | None = None,
        invalid: dict[str, str] | None = None,
    ) -> None:
        self.path = path
        self.header = list(header)
        self.types = types or {}
        self.select = select
        self.batch_rows = batch_rows
        self.keep_going = keep_going
        self.timestamp_format = timestamp_format
        self.invalid = invalid or {}
        self._connection: duckdb.DuckDBPyConnection | None = None

    def _source(self) -> str:
        columns = ", ".join(
            f"{quote_literal(name)}: {quote_literal(self.types.get(name, 'VARCHAR'))}"
            for name in self.header
        )
        options = [
            "auto_detect = false",
            "header = true",
            "delim = ','",
            "quote = '\"'",
            "escape = '\"'",
            f"columns = {{{columns}}}",
            "null_padding = true",
        ]
        if self.timestamp_format is not None:
            options.append(f"timestampformat = {quote_literal(self.timestamp_format)}")
        if self.keep_going:
            options.append("store_rejects = true")
        return f"read_csv({quote_literal(str(self.path))}, {', '.join(options)})"

    def batches(self) -> Iterator[pa.RecordBatch]:
        """The record batches, fetched one ahead in a worker thread so that DuckDB parses
        the next batch while the caller converts this one."""
        connection = duckdb.connect()
        self._connection = connection
        query = self.select.replace(SOURCE, self._source())
        try:
            yield from prefetched(connection.sql(query).to_arrow_reader(self.batch_rows))
        except (
            duckdb.IOException,
            duckdb.InvalidInputException,
            duckdb.ConversionException,
        ) as exc:
            raise self._error(exc) from exc

    def structural_rejects(self) -> list[StructuralReject]:
        """Lines rejected by DuckDB (with ``keep_going``), once :meth:`batches` is done."""
        if self._connection is None or not self.keep_going:
            return []
        rows = self._connection.sql(
            "SELECT line, error_type::VARCHAR, error_message, csv_line FROM reject_errors "
            "ORDER BY line"
        ).fetchall()
        self._connection.close()
        return [
            _structural(int(line) - 1, str(kind), str(message), str(text), self.invalid)
            for line, kind, message, text in rows
        ]

    def _error(self, exc: duckdb.Error) -> ImportFormatError:
        text = str(exc)
        match = _LINE.search(text)
        cast = _CAST.search(text)
        if match and cast:
            return ImportFormatError(
                self.invalid.get(cast.group("column"), "not a number"),
                file=str(self.path),
                row=int(match.group(1)) - 1,
                column=cast.group("column"),
                value=cast.group("value"),
                hint="correct the file, or read on with rejection (--on-error reject)",
            )
        detail = [line.strip() for line in text.splitlines() if line.startswith("Expected")]
        if match:
            return ImportFormatError(
                detail[0] if detail else "line cannot be read",
                file=str(self.path),
                row=int(match.group(1)) - 1,
                hint="repair or remove the line (a truncated or hand-edited file?)",
            )
        first = text.splitlines()[0] if text else type(exc).__name__
        return ImportFormatError(
            f"cannot be read ({first})",
            file=str(self.path),
            hint="the file may be truncated or not a CSV export; export it again",
        )


def _structural(
    row: int, kind: str, message: str, text: str, invalid: dict[str, str]
) -> StructuralReject:
    cast = _CAST.search(message) if kind == "CAST" else None
    if cast is None:
        return StructuralReject(row, message, text)
    column = cast.group("column")
    return StructuralReject(
        row, invalid.get(column, "not a number"), text, column, cast.group("value")
    )


@dataclass(frozen=True)
class Cell:
    """One CSV column parsed in SQL: ``parse`` uses ``{x}`` for the quoted column.

    A required cell that is empty or does not parse rejects its row; an optional cell
    rejects only text that does not parse (an empty optional cell is a missing value).
    """

    output: str
    column: str
    parse: str
    required: bool = True
    invalid: str = "not a number"
    label: str = ""

    @property
    def what(self) -> str:
        return self.label or self.output.replace("_", " ")


def parse_query(cells: Sequence[Cell], *, key: int = 0, time: int = 1) -> str:
    """SELECT the parsed cells and ``bad``: the raw key and time texts and failing cells."""
    inner = ", ".join(
        [f"{c.parse.replace('{x}', quote_identifier(c.column))} AS {c.output}" for c in cells]
        + [f"{quote_identifier(c.column)} AS r{i}" for i, c in enumerate(cells)]
    )
    tests = [
        f"{c.output} IS NULL"
        if c.required
        else f"({c.output} IS NULL AND NULLIF(TRIM(r{i}), '') IS NOT NULL)"
        for i, c in enumerate(cells)
    ]
    listed = ", ".join(
        f"{{'i': {i}, 'ok': NOT ({test}), 't': CAST(r{i} AS VARCHAR)}}"
        for i, test in enumerate(tests)
    )
    outputs = ", ".join(c.output for c in cells)
    return (
        f"SELECT {outputs}, CASE WHEN {' OR '.join(tests)} THEN "
        f"{{'id': CAST(r{key} AS VARCHAR), 'time': CAST(r{time} AS VARCHAR), "
        f"'cells': list_filter([{listed}], lambda x: NOT x.ok)}} END AS bad "
        f"FROM (SELECT {inner} FROM {SOURCE})"
    )


def cell_rejects(
    rows: Sequence[int],
    failures: Sequence[dict[str, Any]],
    cells: Sequence[Cell],
    *,
    row_level: int = 2,
    width: int = 1,
) -> pl.DataFrame:
    """Rejects for the failing rows: their data *rows* and their ``bad`` values.

    A failing cell among the first *row_level* (participant, time) rejects the *width*
    minute values its row holds; a failing value cell rejects its own minute.
    """
    found: list[dict[str, object]] = []
    for row, failure in zip(rows, failures, strict=True):
        entry = {"row": row, "participant_id": failure["id"], "timestamp": failure["time"]}
        failing = failure["cells"]
        if failing[0]["i"] < row_level:
            found.extend([{**entry, **_problem(cells[failing[0]["i"]], failing[0]["t"])}] * width)
            continue
        found.extend({**entry, **_problem(cells[c["i"]], c["t"])} for c in failing)
    return pl.DataFrame(found, schema=REJECTS, orient="row")


def split_failures(
    batch: pa.RecordBatch, first_row: int
) -> tuple[pa.RecordBatch, npt.NDArray[np.int64], pa.BooleanArray | None, list[dict[str, Any]]]:
    """The batch without its ``bad`` column, the data row of each line, the mask of failing
    lines (None when all parsed) and their ``bad`` values."""
    bad = batch.column("bad")
    rest = batch.drop_columns(["bad"])
    rows = np.arange(first_row, first_row + batch.num_rows, dtype=np.int64)
    if bad.null_count == len(bad):
        return rest, rows, None, []
    failing = pc.is_valid(bad)
    return rest, rows, failing, bad.filter(failing).to_pylist()


def _problem(cell: Cell, text: str | None) -> dict[str, object]:
    missing = text is None or not text.strip()
    return {
        "column": cell.column,
        "value": text,
        "reason": f"missing {cell.what}" if missing else cell.invalid,
    }
