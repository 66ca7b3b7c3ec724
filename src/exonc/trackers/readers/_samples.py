"""Turning timestamped samples (seconds, records, messages) into minute pieces.

Formats that are not one-row-per-minute collect their samples as parallel lists (local
minute, UTC offset, value, source row) and hand them here: heart rate becomes the mean of
the minute's readings, steps the sum, intensity and METs the largest value. Samples whose
value is impossible are rejected before they are combined, so that one bad reading cannot
hide inside a minute's mean.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

import polars as pl

from exonc.trackers.minutes import Limits, Piece, Source, empty_rejects, minute_to_timestamp

__all__ = ["Samples", "samples_to_piece"]

_COMBINE: Final = {
    "heart_rate": lambda c: c.mean(),
    "steps": lambda c: c.sum(),
    "intensity": lambda c: c.max(),
    "mets": lambda c: c.max(),
}


@dataclass
class Samples:
    """Samples of one metric, in reading order (a mutable collector used by one reader)."""

    metric: str
    minutes: list[int] = field(default_factory=list)
    offsets: list[int | None] = field(default_factory=list)
    values: list[float] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)

    def add(self, minute: int, offset: int | None, value: float, row: int) -> None:
        self.minutes.append(minute)
        self.offsets.append(offset)
        self.values.append(value)
        self.rows.append(row)

    def __len__(self) -> int:
        return len(self.minutes)


def samples_to_piece(
    participant_id: str, source: Source, collected: Sequence[Samples], limits: Limits
) -> tuple[Piece, pl.DataFrame]:
    """One piece with a row per minute, and the rejected samples."""
    frames: list[pl.DataFrame] = []
    rejects: list[pl.DataFrame] = []
    for samples in collected:
        if not samples:
            continue
        frame = pl.DataFrame(
            {
                "minute": samples.minutes,
                "utc_offset": samples.offsets,
                samples.metric: samples.values,
                "row": samples.rows,
            },
            schema={
                "minute": pl.Int32,
                "utc_offset": pl.Int16,
                samples.metric: pl.Float64,
                "row": pl.Int64,
            },
        )
        bad = _impossible(samples.metric, limits)
        if bad is not None and frame.select(bad.any()).item():
            rejects.append(_sample_rejects(participant_id, frame.filter(bad), samples.metric))
            frame = frame.filter(~bad)
        frames.append(
            frame.group_by("minute", maintain_order=True).agg(
                pl.col("utc_offset").max(),
                _COMBINE[samples.metric](pl.col(samples.metric)),
                pl.col("row").min(),
            )
        )
    minutes = (
        pl.concat(frames, how="diagonal")
        if frames
        else pl.DataFrame(schema={"minute": pl.Int32, "utc_offset": pl.Int16})
    )
    found = pl.concat(rejects) if rejects else empty_rejects()
    return Piece(participant_id, source, minutes), found


def _impossible(metric: str, limits: Limits) -> pl.Expr | None:
    column = pl.col(metric)
    if metric == "heart_rate":
        return ~column.is_between(limits.min_heart_rate, limits.max_heart_rate)
    if metric == "steps":
        return (column < 0) | column.is_nan()
    return None


def _sample_rejects(participant_id: str, bad: pl.DataFrame, metric: str) -> pl.DataFrame:
    reasons = {
        "heart_rate": "heart rate outside the physiological range",
        "steps": "steps cannot be negative",
    }
    stamp = minute_to_timestamp(pl.col("minute")).dt.strftime("%Y-%m-%d %H:%M")
    return bad.select(
        pl.col("row"),
        pl.lit(participant_id).alias("participant_id"),
        stamp.alias("timestamp"),
        pl.lit(metric).alias("column"),
        pl.col(metric).cast(pl.String).alias("value"),
        pl.lit(reasons[metric]).alias("reason"),
    )
