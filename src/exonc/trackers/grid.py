"""One participant's minutes on a dense grid of UTC minutes, with duplicates resolved.

The grid is the per-partition working form of the minute frame: one slot per UTC minute
from the participant's first to last minute, each metric a ``float32`` array with NaN where
nothing was recorded. Building it resolves duplicate minutes — the same instant recorded
twice, by overlapping exports or by two devices — by one deterministic rule:

    For each minute and each metric, the largest recorded value is kept.

Trackers lose activity (a missed sync, a partial minute at the edge of an export) far more
often than they invent it, so the largest value is the most complete record; the rule does
not depend on the order of files or rows, and importing the same data again changes nothing.
Minutes recorded by different files for *different* metrics (Fitabase's separate intensity
and steps files) are merged, not counted as duplicates. :class:`DuplicateCounts` says how
many rows were duplicates and how many of those disagreed with the value kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Final

import numpy as np
import numpy.typing as npt
import polars as pl

from exonc.trackers.minutes import METRICS, MINUTE_SCHEMA, SOURCES, timestamp_to_minute

__all__ = [
    "DuplicateCounts",
    "MinuteGrid",
    "grid_frame",
    "grid_from_parts",
    "resolve_duplicates",
    "to_grid",
]

Floats = npt.NDArray[np.float32]
Ints = npt.NDArray[np.int64]
_MICROSECONDS_PER_MINUTE: Final = 60_000_000


@dataclass(frozen=True)
class DuplicateCounts:
    """Rows that repeated a minute already recorded for the same metric.

    ``steps`` … ``heart_rate`` count surplus rows per metric (two rows for one minute count
    as one duplicate); ``conflicting`` counts the minutes and metrics whose duplicate values
    disagreed (and were resolved to the largest); ``minutes`` the distinct minutes affected.
    """

    steps: int = 0
    intensity: int = 0
    mets: int = 0
    heart_rate: int = 0
    conflicting: int = 0
    minutes: int = 0

    @property
    def total(self) -> int:
        return self.steps + self.intensity + self.mets + self.heart_rate

    def __add__(self, other: DuplicateCounts) -> DuplicateCounts:
        return DuplicateCounts(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )


@dataclass(frozen=True, eq=False)
class MinuteGrid:
    """Dense minutes of one participant; slot *i* is UTC minute ``start + i``."""

    participant_id: str
    start: int
    present: npt.NDArray[np.bool_]
    utc_offset: Floats
    steps: Floats
    intensity: Floats
    mets: Floats
    heart_rate: Floats
    source: npt.NDArray[np.int16]
    duplicates: DuplicateCounts

    @property
    def size(self) -> int:
        return int(self.present.size)

    def local_minutes(self) -> Ints:
        """Local wall-clock minute of every slot (unknown offsets count as zero)."""
        offsets = np.nan_to_num(self.utc_offset, nan=0.0).astype(np.int64)
        return self.start + np.arange(self.size, dtype=np.int64) + offsets

    def metric(self, name: str) -> Floats:
        values: Floats = getattr(self, name)
        return values


def to_grid(minutes: pl.DataFrame) -> MinuteGrid:
    """Build the grid of one participant's minute frame (any subset of the metrics)."""
    participant = _participant(minutes)
    compact = minutes.with_columns(timestamp_to_minute(pl.col("timestamp")).alias("minute"))
    if "source" not in compact.columns or compact.height == 0:
        return grid_from_parts(participant, [(compact, None)])
    parts = compact.partition_by("source", as_dict=True, include_key=False)
    return grid_from_parts(
        participant,
        [(part, str(key[0]) if key[0] is not None else None) for key, part in parts.items()],
    )


@dataclass
class _Merge:
    """Running largest value, smallest value (once duplicates appear) and hits per slot."""

    values: Floats
    hits: npt.NDArray[np.int32]
    lowest: Floats | None = None
    conflicts: bool = True  # keep the smallest value too, to count disagreements

    @classmethod
    def empty(cls, size: int, *, conflicts: bool = True) -> _Merge:
        values = np.full(size, np.nan, dtype=np.float32)
        return cls(values, np.zeros(size, dtype=np.int32), conflicts=conflicts)

    def add(self, at: Ints, values: Floats) -> None:
        """Merge one part's values; *at* holds each slot once when it strictly increases."""
        if at.size > 1 and not bool(np.all(at[1:] > at[:-1])):
            self._add_repeated(at, values)
            return
        if at.size and int(at[-1]) - int(at[0]) + 1 == at.size:  # consecutive minutes
            self._add_slice(slice(int(at[0]), int(at[-1]) + 1), values)
            return
        seen = self.hits[at] > 0
        if seen.any():
            if self.lowest is None and self.conflicts:
                self.lowest = self.values.copy()
            self.values[at] = np.fmax(self.values[at], values)
            if self.lowest is not None:
                self.lowest[at] = np.fmin(self.lowest[at], values)
        else:
            self.values[at] = values
            if self.lowest is not None:
                self.lowest[at] = values
        self.hits[at] += 1

    def _add_slice(self, at: slice, values: Floats) -> None:
        """:meth:`add` for consecutive slots (the usual case): slices are views, not copies."""
        if self.hits[at].any():
            if self.lowest is None and self.conflicts:
                self.lowest = self.values.copy()
            np.fmax(self.values[at], values, out=self.values[at])
            if self.lowest is not None:
                np.fmin(self.lowest[at], values, out=self.lowest[at])
        else:
            self.values[at] = values
            if self.lowest is not None:
                self.lowest[at] = values
        self.hits[at] += 1

    def _add_repeated(self, at: Ints, values: Floats) -> None:
        """The slow path, for a part that records some slot more than once."""
        if self.lowest is None:
            self.lowest = self.values.copy()
        np.fmax.at(self.values, at, values)
        np.fmin.at(self.lowest, at, values)
        self.hits += np.bincount(at, minlength=self.hits.size)

    def surplus(self) -> int:
        return int(self.hits.sum() - np.count_nonzero(self.hits))

    def disagreeing(self) -> int:
        if self.lowest is None:
            return 0
        return int(np.count_nonzero((self.hits > 1) & (self.lowest != self.values)))


def grid_from_parts(
    participant_id: str, parts: Sequence[tuple[pl.DataFrame, str | None]]
) -> MinuteGrid:
    """Build a grid from compact parts (``minute``, ``utc_offset``, metrics) and their source."""
    parts = [(frame, source) for frame, source in parts if frame.height]
    if not parts:
        return _empty_grid(participant_id)
    utc = [_utc(frame) for frame, _ in parts]
    start = min(int(u[0].min()) for u in utc)
    size = max(int(u[0].max()) for u in utc) - start + 1
    recorded = [m for m in METRICS if any(m in frame.columns for frame, _ in parts)]
    merges = {name: _Merge.empty(size) for name in recorded}
    offsets = _Merge.empty(size, conflicts=False)
    present = np.zeros(size, dtype=np.bool_)
    source = np.full(size, len(SOURCES), dtype=np.int16)
    for (frame, name), (minutes, offset) in zip(parts, utc, strict=True):
        slots = minutes - start
        at = _as_slice(slots)
        present[at] = True
        code = SOURCES.index(name) if name in SOURCES else len(SOURCES)
        source[at] = np.minimum(source[at], code)
        offsets.add(slots, offset)
        for metric in recorded:
            if metric in frame.columns:
                _add_metric(merges[metric], slots, frame[metric])
    affected = np.zeros(size, dtype=np.bool_)
    for merge in merges.values():
        affected |= merge.hits > 1
    duplicates = DuplicateCounts(
        **{name: merge.surplus() for name, merge in merges.items()},
        conflicting=sum(merge.disagreeing() for merge in merges.values()),
        minutes=int(np.count_nonzero(affected)),
    )
    values = {
        name: merges[name].values if name in merges else np.full(size, np.nan, np.float32)
        for name in METRICS
    }
    return MinuteGrid(
        participant_id,
        start,
        present,
        offsets.values,
        **values,
        source=source,
        duplicates=duplicates,
    )


def _as_slice(slots: Ints) -> Ints | slice:
    """*slots* as a slice when they are consecutive (cheaper to index), else unchanged."""
    spans = slots.size > 0 and int(slots[-1]) - int(slots[0]) + 1 == slots.size
    if spans and (slots.size < 3 or bool(np.all(np.diff(slots) == 1))):
        return slice(int(slots[0]), int(slots[-1]) + 1)
    return slots


def _utc(frame: pl.DataFrame) -> tuple[Ints, Floats]:
    """UTC minutes of a compact part (unknown offsets count as zero) and the offsets."""
    minutes = frame["minute"].to_numpy().astype(np.int64)
    if "utc_offset" not in frame.columns or frame["utc_offset"].null_count() == frame.height:
        return minutes, np.full(frame.height, np.nan, dtype=np.float32)
    given = frame["utc_offset"]
    if given.null_count() == 0:  # every offset known: no NaN to replace
        known = given.to_numpy()
        return minutes - known, known.astype(np.float32)
    offset = given.cast(pl.Float32).fill_null(np.nan).to_numpy()
    return minutes - np.nan_to_num(offset, nan=0.0).astype(np.int64), offset


def _add_metric(merge: _Merge, slots: Ints, column: pl.Series) -> None:
    if column.null_count() == column.len():
        return
    values = column.cast(pl.Float32).to_numpy()
    if column.null_count():
        known = column.is_not_null().to_numpy()
        slots, values = slots[known], values[known]
    merge.add(slots, values)


def resolve_duplicates(minutes: pl.DataFrame) -> tuple[pl.DataFrame, DuplicateCounts]:
    """One row per participant and minute, duplicates resolved by the largest value."""
    frames: list[pl.DataFrame] = []
    total = DuplicateCounts()
    for part in minutes.partition_by("participant_id", maintain_order=True):
        grid = to_grid(part)
        frames.append(grid_frame(grid))
        total = total + grid.duplicates
    if not frames:
        return minutes.clear(), total
    return pl.concat(frames), total


def grid_frame(grid: MinuteGrid) -> pl.DataFrame:
    """The grid's recorded minutes as a minute frame (one row per minute)."""
    slots = np.flatnonzero(grid.present)
    local = grid.local_minutes()[slots] * _MICROSECONDS_PER_MINUTE
    data = {
        "timestamp": pl.Series(local).cast(pl.Datetime("us")),
        "utc_offset": pl.Series(grid.utc_offset[slots]).fill_nan(None),
        **{name: pl.Series(grid.metric(name)[slots]).fill_nan(None) for name in METRICS},
        "source": pl.Series(grid.source[slots]).replace_strict(
            dict(enumerate(SOURCES)), default=None, return_dtype=pl.String
        ),
    }
    frame = pl.DataFrame(data).with_columns(pl.lit(grid.participant_id).alias("participant_id"))
    return frame.select(MINUTE_SCHEMA.names()).cast(dict(MINUTE_SCHEMA))  # type: ignore[arg-type]


def _participant(minutes: pl.DataFrame) -> str:
    if "participant_id" not in minutes.columns or minutes.height == 0:
        return ""
    ids = minutes["participant_id"].unique()
    if ids.len() > 1:
        raise ValueError("to_grid takes one participant's minutes; partition the frame first")
    return str(ids[0])


def _empty_grid(participant: str) -> MinuteGrid:
    empty = np.zeros(0, dtype=np.float32)
    return MinuteGrid(
        participant,
        0,
        np.zeros(0, dtype=np.bool_),
        empty,
        empty,
        empty,
        empty,
        empty,
        np.zeros(0, dtype=np.int16),
        DuplicateCounts(),
    )
