"""Fitabase exports of Fitbit data.

Minute files, one metric per file, in two layouts (the header decides):

* narrow — ``Id, ActivityMinute, <metric>``: ``minuteIntensitiesNarrow`` (``Intensity``
  0–3), ``minuteStepsNarrow`` (``Steps``), ``minuteMETsNarrow`` (``METs``, Fitbit's METs
  × 10);
* wide — ``Id, ActivityHour, <metric>00 … <metric>59``: one row per participant and hour.

Times are the device's local wall clock without an offset (``4/12/2016 7:21:00 AM``); give
the participant's time zone to record offsets (see :mod:`exonc.trackers.timezones`).
Fitabase's ``Id`` is the participant identifier.

Hourly (``hourlySteps``, ``hourlyIntensities``) and daily (``dailyActivity``,
``dailySteps``, ``dailyIntensities``) files hold Fitbit's own totals, not minutes: read them
with :func:`read_hourly_totals` and :func:`read_daily_totals` and compare them with the
minute-derived summaries (:func:`exonc.trackers.vendor_agreement`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from exonc.errors import ImportFormatError
from exonc.trackers.minutes import Piece, empty_rejects
from exonc.trackers.readers._base import (
    MICROSECONDS_PER_MINUTE,
    Batch,
    ReadOptions,
    localise,
    rejects_frame,
    runs,
)
from exonc.trackers.readers._tables import (
    SOURCE,
    CsvScan,
    first_row,
    quote_identifier,
    read_header,
    sniff_timestamp_format,
)
from exonc.trackers.timezones import FileClock, zone

__all__ = ["read", "read_daily_totals", "read_hourly_totals"]

# metric column (narrow) or prefix (wide) → (minute-frame metric, SQL type, scale)
_METRICS: Final = {
    "Intensity": ("intensity", "SMALLINT", 1.0),
    "Steps": ("steps", "INTEGER", 1.0),
    "METs": ("mets", "DOUBLE", 10.0),
}
_NOT_MINUTES: Final = {
    "TotalIntensity": "an hourly intensities file",
    "StepTotal": "an hourly or daily steps file",
    "TotalSteps": "a daily activity file",
    "SedentaryMinutes": "a daily intensities file",
    "Calories": "a calories file",
    "TotalMinutesAsleep": "a daily sleep file",
    "logId": "a minute sleep file",
}


@dataclass(frozen=True)
class _Layout:
    wide: bool
    column: str  # narrow: the metric column; wide: the metric prefix
    time_column: str
    metric: str
    sql_type: str
    scale: float

    @property
    def value_columns(self) -> list[str]:
        if self.wide:
            return [f"{self.column}{minute:02d}" for minute in range(60)]
        return [self.column]


def read(path: Path, options: ReadOptions) -> Iterator[Batch]:
    """Stream a Fitabase minute file (narrow or wide) as minute pieces."""
    header = read_header(path)
    layout = _layout(header, path)
    sample = first_row(path)
    if sample is None:
        yield Batch()
        return
    time_format = sniff_timestamp_format(
        sample[header.index(layout.time_column)], file=str(path), column=layout.time_column
    )
    clock = FileClock(zone(options.timezone) if options.timezone else None)
    scan = CsvScan(
        path,
        header,
        _query(layout),
        batch_rows=max(1, options.batch_rows // (60 if layout.wide else 1)),
        keep_going=options.keep_going,
        types=_types(layout),
        timestamp_format=time_format,
        invalid={
            "Id": "participant Id is not a number",
            layout.time_column: f"unparsable timestamp (expected {time_format})",
        },
    )
    seen = 0
    for record_batch in scan.batches():
        yield _convert(record_batch, seen, layout, clock)
        seen += record_batch.num_rows
    yield _structural(scan, layout)


def _layout(header: list[str], path: Path) -> _Layout:
    name = str(path)
    if "Id" not in header:
        raise _wrong_columns(name, header)
    for column, (metric, sql_type, scale) in _METRICS.items():
        if "ActivityMinute" in header and column in header:
            return _Layout(False, column, "ActivityMinute", metric, sql_type, scale)
        if "ActivityHour" in header and f"{column}00" in header:
            layout = _Layout(True, column, "ActivityHour", metric, sql_type, scale)
            missing = [c for c in layout.value_columns if c not in header]
            if missing:
                raise ImportFormatError(
                    f"wide minute file without column {missing[0]}",
                    file=name,
                    hint=f"a wide file needs {column}00 … {column}59",
                )
            return layout
    for column, kind in _NOT_MINUTES.items():
        if column in header:
            raise ImportFormatError(
                f"this is {kind}, not a minute file",
                file=name,
                hint="give the minute files (minuteIntensities…, minuteSteps…, minuteMETs…, "
                "narrow or wide); compare daily totals with exonc.trackers.vendor_agreement",
            )
    raise _wrong_columns(name, header)


def _wrong_columns(name: str, header: list[str]) -> ImportFormatError:
    return ImportFormatError(
        f"columns {', '.join(header[:4])}{' …' if len(header) > 4 else ''} are not a "
        "Fitabase minute file",
        file=name,
        hint="expected Id, ActivityMinute, Intensity|Steps|METs or Id, ActivityHour, "
        "Intensity00…59|Steps00…59",
    )


def _query(layout: _Layout) -> str:
    """Every cell is typed in DuckDB's reader: a number or time that does not parse rejects
    its line there (with its text); an empty cell arrives as a null and is rejected here."""
    values = ", ".join(
        f"{quote_identifier(column)} AS v{i}" for i, column in enumerate(layout.value_columns)
    )
    return (
        f"SELECT {quote_identifier('Id')} AS id, "
        f"{quote_identifier(layout.time_column)} AS timestamp, {values} FROM {SOURCE}"
    )


def _types(layout: _Layout) -> dict[str, str]:
    return {
        "Id": "BIGINT",
        layout.time_column: "TIMESTAMP",
        **{column: layout.sql_type for column in layout.value_columns},
    }


def _convert(batch: pa.RecordBatch, seen: int, layout: _Layout, clock: FileClock) -> Batch:
    """Minute pieces of one record batch (narrow or wide), and its empty cells rejected."""
    rows = np.arange(seen + 1, seen + 1 + batch.num_rows, dtype=np.int64)
    table, rejects = _without_empty_cells(batch, rows, layout)
    if table.num_rows < batch.num_rows:
        rows = rows[_kept_rows(batch)]
    ids = table.column("id").to_numpy()
    minutes = table.column("timestamp").cast(pa.int64()).to_numpy() // MICROSECONDS_PER_MINUTE
    if layout.wide:
        return _wide(table, ids, rows, minutes, layout, clock, rejects)
    values = table.column("v0").to_numpy()  # no nulls: rows with a missing value failed
    if layout.scale != 1.0:
        values = values / layout.scale
    return _pieces(
        ids,
        rows,
        minutes,
        values.astype(_DTYPES[layout.metric], copy=False),
        layout,
        clock,
        rejects,
    )


def _kept_rows(batch: pa.RecordBatch) -> npt.NDArray[np.bool_]:
    """Lines with their participant and time (a wide line keeps its other minutes)."""
    kept = pc.and_(batch.column("id").is_valid(), batch.column("timestamp").is_valid())
    if batch.num_columns == 3:  # narrow: the one value is required too
        kept = pc.and_(kept, batch.column("v0").is_valid())
    mask: npt.NDArray[np.bool_] = kept.to_numpy(zero_copy_only=False)
    return mask


def _without_empty_cells(
    batch: pa.RecordBatch, rows: npt.NDArray[np.int64], layout: _Layout
) -> tuple[pa.RecordBatch, pl.DataFrame]:
    """The lines that can be used, and a reject per minute value an empty cell loses."""
    if not any(column.null_count for column in batch.columns):
        return batch, empty_rejects()
    frame = pl.from_arrow(batch)
    assert isinstance(frame, pl.DataFrame)
    key_missing = frame["id"].is_null() | frame["timestamp"].is_null()
    found = [_key_rejects(frame, rows, key_missing, layout)]
    for i, column in enumerate(layout.value_columns):
        hit = frame[f"v{i}"].is_null() & ~key_missing
        if hit.any():
            found.append(_cell_rejects(frame, rows, hit, column, f"missing {layout.metric}"))
    return batch.filter(pa.array(_kept_rows(batch))), pl.concat(found)


def _key_rejects(
    frame: pl.DataFrame, rows: npt.NDArray[np.int64], missing: pl.Series, layout: _Layout
) -> pl.DataFrame:
    """A line without participant or time loses each of its minute values."""
    if not missing.any():
        return empty_rejects()
    no_id = frame["id"].is_null()
    column = pl.Series(np.where(no_id.to_numpy(), "Id", layout.time_column))
    reason = pl.Series(np.where(no_id.to_numpy(), "missing id", "missing timestamp"))
    one = _cell_rejects(frame, rows, missing, column.filter(missing), reason.filter(missing))
    width = len(layout.value_columns)
    return one if width == 1 else one.select(pl.all().repeat_by(width).explode())


def _cell_rejects(
    frame: pl.DataFrame,
    rows: npt.NDArray[np.int64],
    hit: pl.Series,
    column: object,
    reason: object,
) -> pl.DataFrame:
    chosen = frame.filter(hit)
    stamp = chosen["timestamp"].dt.strftime("%Y-%m-%d %H:%M")
    return rejects_frame(
        pl.Series(rows[hit.to_numpy()]),
        chosen["id"].cast(pl.String),
        stamp,
        column,
        None,
        reason,
    )


def _wide(
    table: pa.RecordBatch,
    ids: npt.NDArray[np.int64],
    rows: npt.NDArray[np.int64],
    hours: npt.NDArray[np.int64],
    layout: _Layout,
    clock: FileClock,
    rejects: pl.DataFrame,
) -> Batch:
    """Sixty minutes per row; an empty cell (already rejected) is left out."""
    values = (
        np.column_stack(
            [
                table.column(f"v{i}").cast(pa.float64()).to_numpy(zero_copy_only=False)
                for i in range(60)
            ]
        ).ravel()
        / layout.scale
    )
    minutes = (hours[:, None] + np.arange(60, dtype=np.int64)[None, :]).ravel()
    ids, rows = np.repeat(ids, 60), np.repeat(rows, 60)
    recorded = ~np.isnan(values)
    if not recorded.all():
        ids, rows, minutes, values = (
            ids[recorded],
            rows[recorded],
            minutes[recorded],
            values[recorded],
        )
    return _pieces(
        ids, rows, minutes, values.astype(_DTYPES[layout.metric]), layout, clock, rejects
    )


_DTYPES: Final = {"intensity": np.int16, "steps": np.int32, "mets": np.float32}


def _pieces(
    ids: npt.NDArray[np.int64],
    rows: npt.NDArray[np.int64],
    minutes: npt.NDArray[np.int64],
    values: npt.NDArray[Any],
    layout: _Layout,
    clock: FileClock,
    rejects: pl.DataFrame,
) -> Batch:
    order, spans = runs(ids)
    if order is not None:
        ids, rows, minutes, values = ids[order], rows[order], minutes[order], values[order]
    pieces: list[Piece] = []
    found = [rejects] if rejects.height else []
    for start, end in spans:
        part = pl.DataFrame(
            {
                "minute": minutes[start:end].astype(np.int32),
                "row": rows[start:end],
                layout.metric: values[start:end],
            }
        )
        piece, gaps = localise(str(ids[start]), "fitabase", part, clock)
        pieces.append(piece)
        if gaps.height:
            found.append(gaps)
    return Batch(tuple(pieces), pl.concat(found) if found else empty_rejects())


def _structural(scan: CsvScan, layout: _Layout) -> Batch:
    """Lines DuckDB rejected: every minute value of the line is rejected with it."""
    skipped = scan.structural_rejects()
    if not skipped:
        return Batch()
    width = len(layout.value_columns)
    rejects = rejects_frame(
        [s.row for s in skipped for _ in range(width)],
        None,
        None,
        [s.column for s in skipped for _ in range(width)],
        [s.value if s.column else s.text for s in skipped for _ in range(width)],
        [s.problem for s in skipped for _ in range(width)],
    )
    return Batch((), rejects, tuple(s.row for s in skipped))


def read_daily_totals(path: Path) -> pl.DataFrame:
    """Fitbit's own daily totals from ``dailyActivity`` / ``dailyIntensities`` / ``dailySteps``.

    Returns ``participant_id, date`` and whichever of ``steps``, ``sedentary_minutes``,
    ``light_minutes``, ``moderate_minutes``, ``vigorous_minutes`` the file holds.
    """
    header = read_header(path)
    date_column = next((c for c in ("ActivityDate", "ActivityDay") if c in header), None)
    if "Id" not in header or date_column is None:
        raise ImportFormatError(
            "not a Fitabase daily file",
            file=str(path),
            hint="expected Id, ActivityDate (dailyActivity) or Id, ActivityDay",
        )
    renames = {
        "TotalSteps": "steps",
        "StepTotal": "steps",
        "SedentaryMinutes": "sedentary_minutes",
        "LightlyActiveMinutes": "light_minutes",
        "FairlyActiveMinutes": "moderate_minutes",
        "VeryActiveMinutes": "vigorous_minutes",
    }
    frame = pl.read_csv(path, infer_schema=False)
    chosen = {old: new for old, new in renames.items() if old in frame.columns}
    return frame.select(
        pl.col("Id").alias("participant_id"),
        pl.col(date_column).str.strptime(pl.Date, "%m/%d/%Y").alias("date"),
        *(pl.col(old).cast(pl.Int64).alias(new) for old, new in chosen.items()),
    )


def read_hourly_totals(path: Path) -> pl.DataFrame:
    """Fitbit's hourly totals: ``participant_id, hour`` and ``steps`` / ``total_intensity``."""
    header = read_header(path)
    if "Id" not in header or "ActivityHour" not in header:
        raise ImportFormatError(
            "not a Fitabase hourly file",
            file=str(path),
            hint="expected Id, ActivityHour, StepTotal or TotalIntensity",
        )
    renames = {"StepTotal": "steps", "TotalIntensity": "total_intensity"}
    frame = pl.read_csv(path, infer_schema=False)
    sample = frame["ActivityHour"][0] if frame.height else "1/1/2000 12:00:00 AM"
    fmt = sniff_timestamp_format(sample, file=str(path), column="ActivityHour")
    chosen = {old: new for old, new in renames.items() if old in frame.columns}
    return frame.select(
        pl.col("Id").alias("participant_id"),
        pl.col("ActivityHour").str.strptime(pl.Datetime("us"), fmt).alias("hour"),
        *(pl.col(old).cast(pl.Int64).alias(new) for old, new in chosen.items()),
    )
