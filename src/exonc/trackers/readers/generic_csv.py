"""Any CSV with one row per participant and minute, read through a column mapping.

The :class:`~exonc.trackers.readers.ColumnMapping` names the participant and timestamp
columns and whichever metric columns exist (``steps``, ``intensity`` 0–3, ``mets``,
``heart_rate``); without a mapping the file must use those names itself. An empty metric
cell is a missing value; a row with no metric at all is rejected.

Timestamps are local wall-clock times. They may carry their own offset (ISO 8601 with
``+01:00`` or ``Z``), which is then kept; a ``utc_offset`` column (minutes east of UTC)
may give it instead; otherwise the reader's time zone supplies it. Seconds are dropped: a
row belongs to the minute it falls in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from exonc.errors import ImportFormatError
from exonc.trackers.minutes import Piece, empty_rejects, timestamp_to_minute
from exonc.trackers.readers._base import (
    Batch,
    ColumnMapping,
    ReadOptions,
    localise,
    rejects_frame,
    split_participants,
)
from exonc.trackers.readers._tables import (
    Cell,
    CsvScan,
    cell_rejects,
    first_row,
    parse_query,
    quote_literal,
    read_header,
    sniff_timestamp_format,
    split_failures,
)
from exonc.trackers.timezones import FileClock

__all__ = ["read"]

_OFFSET: Final = re.compile(r"^(.*?)(Z|[+-]\d{2}:?\d{2})$")
_OFFSET_SQL: Final = r"^(.*?)(Z|[+-]\d{2}:?\d{2})$"
_AND_OFFSET: Final = " and an offset"
_TYPES: Final = {
    "steps": "INTEGER",
    "intensity": "SMALLINT",
    "mets": "DOUBLE",
    "heart_rate": "DOUBLE",
}


def read(path: Path, options: ReadOptions) -> Iterator[Batch]:
    """Stream a mapped CSV file as minute pieces."""
    mapping = options.mapping
    header = read_header(path)
    _require(header, mapping, str(path))
    sample = first_row(path)
    if sample is None:
        yield Batch()
        return
    stamp = sample[header.index(mapping.timestamp)]
    with_offset = _OFFSET.match(stamp.strip()) is not None
    local_text = _OFFSET.sub(r"\1", stamp.strip()) if with_offset else stamp
    fmt = mapping.timestamp_format or sniff_timestamp_format(
        local_text, file=str(path), column=mapping.timestamp
    )
    cells = _cells(mapping, fmt, with_offset=with_offset)
    clock = options.clock()
    scan = CsvScan(
        path,
        header,
        parse_query(cells),
        batch_rows=options.batch_rows,
        keep_going=options.keep_going,
    )
    seen = 0
    for record_batch in scan.batches():
        yield _batch(record_batch, seen, cells, mapping, clock)
        seen += record_batch.num_rows
    skipped = scan.structural_rejects()
    if skipped:
        rejects = rejects_frame(
            [s.row for s in skipped],
            None,
            None,
            None,
            [s.text for s in skipped],
            [s.problem for s in skipped],
        )
        yield Batch((), rejects, tuple(s.row for s in skipped))


def _require(header: list[str], mapping: ColumnMapping, file: str) -> None:
    wanted = [mapping.participant_id, mapping.timestamp, *mapping.metrics().values()]
    if mapping.utc_offset:
        wanted.append(mapping.utc_offset)
    missing = [c for c in wanted if c not in header]
    if missing:
        raise ImportFormatError(
            f"missing column {missing[0]}",
            file=file,
            hint=f"the file has {', '.join(header)}; map the columns with a mapping file",
        )
    if not mapping.metrics():
        raise ImportFormatError(
            "the mapping names no metric column",
            file=file,
            hint="map at least one of steps, intensity, mets, heart_rate",
        )


def _cells(mapping: ColumnMapping, fmt: str, *, with_offset: bool) -> list[Cell]:
    text = f"regexp_extract({{x}}, {quote_literal(_OFFSET_SQL)}, 1)" if with_offset else "{x}"
    cells = [
        Cell("participant_id", mapping.participant_id, "NULLIF(TRIM({x}), '')"),
        Cell(
            "timestamp",
            mapping.timestamp,
            f"TRY_STRPTIME(TRIM({text}), {quote_literal(fmt)})",
            invalid=f"unparsable timestamp (expected {fmt}{_AND_OFFSET if with_offset else ''})",
        ),
    ]
    if with_offset:
        sign = f"regexp_extract({{x}}, {quote_literal(_OFFSET_SQL)}, 2)"
        cells.append(
            Cell(
                "text_offset",
                mapping.timestamp,
                f"CASE WHEN {sign} = 'Z' THEN 0 "
                f"ELSE TRY_CAST(replace({sign}, ':', '') AS INTEGER) END",
                invalid="unparsable UTC offset",
                label="UTC offset",
            )
        )
    if mapping.utc_offset:
        cells.append(
            Cell(
                "utc_offset",
                mapping.utc_offset,
                "TRY_CAST({x} AS SMALLINT)",
                required=False,
                invalid="UTC offset is not a whole number of minutes",
            )
        )
    for metric, column in mapping.metrics().items():
        cells.append(
            Cell(
                metric, column, f"TRY_CAST({{x}} AS {_TYPES[metric]})", required=False, label=metric
            )
        )
    return cells


def _batch(
    batch: pa.RecordBatch, seen: int, cells: list[Cell], mapping: ColumnMapping, clock: FileClock
) -> Batch:
    table, rows, failing, failures = split_failures(batch, seen + 1)
    rejects = [empty_rejects()]
    if failing is not None:
        rejects.append(cell_rejects(rows[failing.to_numpy(zero_copy_only=False)], failures, cells))
        table = table.filter(pc.invert(failing))
        rows = rows[~failing.to_numpy(zero_copy_only=False)]
    good = _frame(table).with_columns(pl.Series("row", rows))
    metrics = list(mapping.metrics())
    nothing = pl.all_horizontal(pl.col(m).is_null() for m in metrics)
    empty = good.filter(nothing)
    if empty.height:
        rejects.append(
            rejects_frame(
                empty["row"],
                empty["participant_id"],
                empty["timestamp"].dt.strftime("%Y-%m-%d %H:%M"),
                None,
                None,
                "row has no values",
            )
        )
        good = good.filter(~nothing)
    scale = [pl.col("mets") / mapping.mets_scale] if "mets" in metrics else []
    good = (
        _offsets(good)
        .with_columns(timestamp_to_minute(pl.col("timestamp")).alias("minute"), *scale)
        .drop("timestamp")
    )
    pieces: list[Piece] = []
    for participant, part in split_participants(good, "participant_id"):
        piece, gaps = localise(participant, "csv", part.drop("participant_id"), clock)
        pieces.append(piece)
        rejects.append(gaps)
    found = [r for r in rejects if r.height]
    return Batch(tuple(pieces), pl.concat(found) if found else empty_rejects())


def _frame(table: pa.RecordBatch) -> pl.DataFrame:
    frame = pl.from_arrow(table)
    if not isinstance(frame, pl.DataFrame):  # pragma: no cover - a record batch is a frame
        raise TypeError("expected a record batch")
    return frame


def _offsets(frame: pl.DataFrame) -> pl.DataFrame:
    """An offset written in the timestamp wins over a utc_offset column."""
    if "text_offset" not in frame.columns:
        return frame
    written = pl.col("text_offset").abs()  # +0130 arrives as 130
    minutes = pl.col("text_offset").sign() * ((written // 100) * 60 + written % 100)
    return frame.with_columns(minutes.cast(pl.Int16).alias("utc_offset")).drop("text_offset")
