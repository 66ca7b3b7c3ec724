"""What every reader takes and yields."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import polars as pl

from exonc.errors import ImportFormatError
from exonc.trackers.intensity import FREEDSON_1998, CutPoints
from exonc.trackers.minutes import (
    REJECT_SCHEMA,
    Limits,
    Piece,
    Source,
    empty_rejects,
    minute_to_timestamp,
)
from exonc.trackers.timezones import FileClock, zone

__all__ = [
    "Batch",
    "ColumnMapping",
    "ReadOptions",
    "Reader",
    "localise",
    "rejects_frame",
    "runs",
    "split_participants",
]

MICROSECONDS_PER_MINUTE: Final = 60_000_000


@dataclass(frozen=True)
class ColumnMapping:
    """Which columns of a generic CSV hold what; unused metrics stay ``None``.

    ``mets_scale`` divides the METs column (10 for Fitbit's METs × 10 integers);
    ``timestamp_format`` is a ``strptime`` format (detected from the first row when omitted).
    """

    participant_id: str = "participant_id"
    timestamp: str = "timestamp"
    steps: str | None = None
    intensity: str | None = None
    mets: str | None = None
    heart_rate: str | None = None
    utc_offset: str | None = None
    timestamp_format: str | None = None
    mets_scale: float = 1.0

    def metrics(self) -> dict[str, str]:
        """Metric name → CSV column, for the metrics this mapping uses."""
        chosen = {
            "steps": self.steps,
            "intensity": self.intensity,
            "mets": self.mets,
            "heart_rate": self.heart_rate,
        }
        return {metric: column for metric, column in chosen.items() if column}


@dataclass(frozen=True)
class ReadOptions:
    """Options every reader understands; a reader ignores those that do not apply.

    ``timezone`` (IANA name) is the zone the participant's device followed: sources with
    local times get their UTC offsets from it, sources with UTC times their local times.
    ``participant_id`` names the participant for formats whose files do not (Fitbit JSON,
    Garmin FIT, Apple Health; ActiGraph files carry a subject name used otherwise).
    ``keep_going`` rejects bad rows with reasons and reads on; otherwise the first bad row
    stops the read with a one-line error. ``limits`` are the plausible values (readers that
    average several samples into a minute check each sample against them first).
    ``fitbit_heart_rate_utc``: heart-rate times in a Fitbit account archive are UTC (the
    other files' are local); set it to false for archives that write local times.
    """

    timezone: str | None = None
    participant_id: str | None = None
    mapping: ColumnMapping = field(default_factory=ColumnMapping)
    count_cut_points: CutPoints = FREEDSON_1998
    limits: Limits = field(default_factory=Limits)
    batch_rows: int = 1_000_000
    keep_going: bool = True
    fitbit_heart_rate_utc: bool = True

    def participant(self, file: str, what: str) -> str:
        """The participant id, required for formats whose files do not name one."""
        if not self.participant_id:
            raise ImportFormatError(
                f"{what} files do not name the participant",
                file=file,
                hint="give the participant's id (--participant)",
            )
        return self.participant_id

    def clock(self) -> FileClock:
        return FileClock(zone(self.timezone) if self.timezone else None)


@dataclass(frozen=True)
class Batch:
    """Pieces read from a file and the rows rejected while reading them.

    ``structural_rows`` lists data rows the CSV parser skipped (their rejects carry exact
    rows); row numbers of the other rejects count parsed rows and are corrected with it.
    """

    pieces: tuple[Piece, ...] = ()
    rejects: pl.DataFrame = field(default_factory=empty_rejects)
    structural_rows: tuple[int, ...] = ()


Reader = Callable[[Path, ReadOptions], Iterator[Batch]]


def rejects_frame(
    rows: object,
    participant_id: object,
    timestamp: object,
    column: object,
    value: object,
    reason: object,
) -> pl.DataFrame:
    """A reject frame from columns (sequences) or scalars broadcast to the longest column."""
    data = {
        "row": rows,
        "participant_id": participant_id,
        "timestamp": timestamp,
        "column": column,
        "value": value,
        "reason": reason,
    }
    frame = pl.DataFrame(
        {name: v for name, v in data.items() if isinstance(v, pl.Series | list | np.ndarray)}
    )
    scalars = {name: v for name, v in data.items() if name not in frame.columns}
    frame = frame.with_columns(pl.lit(v).alias(name) for name, v in scalars.items())
    return frame.select(empty_rejects().columns).cast(dict(empty_rejects().schema))  # type: ignore[arg-type]


def runs(keys: npt.NDArray[Any]) -> tuple[npt.NDArray[np.int64] | None, list[tuple[int, int]]]:
    """Runs of equal *keys*: an order that groups them (None when already grouped in
    sorted order) and the (start, end) of each run in that order."""
    order = None
    if keys.size > 1 and not bool(np.all(keys[1:] >= keys[:-1])):
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
    changes = np.concatenate(([True], keys[1:] != keys[:-1])) if keys.size else np.zeros(0, bool)
    bounds = [*np.flatnonzero(changes).tolist(), int(keys.size)]
    return order, list(itertools.pairwise(bounds))


def split_participants(frame: pl.DataFrame, key: str) -> Iterator[tuple[str, pl.DataFrame]]:
    """(participant, rows) per participant of *frame*, in sorted participant order."""
    if frame.height == 0:
        return
    order, spans = runs(frame[key].to_numpy())
    if order is not None:
        frame = frame[order]
    keys = frame[key]
    for start, end in spans:
        yield str(keys[start]), frame.slice(start, end - start)


def localise(
    participant_id: str, source: Source, rows: pl.DataFrame, clock: FileClock
) -> tuple[Piece, pl.DataFrame]:
    """Give *rows* (local ``minute``) their UTC offsets; reject nonexistent local times.

    Rows that already carry a ``utc_offset`` keep it; without a zone the others stay null.
    """
    if "utc_offset" in rows.columns and rows["utc_offset"].null_count() == 0:
        return Piece(participant_id, source, rows), empty_rejects()
    found = clock.offsets(participant_id, rows["minute"].to_numpy().astype(np.int64))
    if found is None:
        if "utc_offset" not in rows.columns:
            rows = rows.with_columns(pl.lit(None, dtype=pl.Int16).alias("utc_offset"))
        return Piece(participant_id, source, rows), empty_rejects()
    zoned = pl.Series("utc_offset", found.offsets)
    given = rows["utc_offset"] if "utc_offset" in rows.columns else None
    rows = rows.with_columns(given.fill_null(zoned) if given is not None else zoned)
    gap = pl.Series(found.nonexistent)
    if given is not None:
        gap = gap & given.is_null()
    if not gap.any():
        return Piece(participant_id, source, rows), empty_rejects()
    bad = rows.filter(gap)
    stamp = minute_to_timestamp(pl.col("minute")).dt.strftime("%Y-%m-%d %H:%M")
    zone = clock.zone.name if clock.zone else ""
    rejects = bad.select(
        (pl.col("row") if "row" in bad.columns else pl.lit(None, pl.Int64)).alias("row"),
        pl.lit(participant_id).alias("participant_id"),
        stamp.alias("timestamp"),
        pl.lit("timestamp").alias("column"),
        stamp.alias("value"),
        pl.lit(
            f"local time does not exist in {zone} (skipped by the daylight-saving change)"
        ).alias("reason"),
    ).cast(dict(REJECT_SCHEMA))  # type: ignore[arg-type]
    return Piece(participant_id, source, rows.filter(~gap)), rejects
