"""Flags for the centre overview: low wear or low activity over the last two weeks.

For each participant, :func:`activity_flags` looks at the ``days`` days (default 14) that
end on ``as_of`` (inclusive):

``low_wear``
    fewer than ``min_valid_days`` valid days (default 8: the "at least 4 valid days a
    week" adherence criterion of Troiano et al. 2008, over two weeks). A participant with
    no tracker data at all in the window is flagged too.
``low_activity``
    at least one valid day, and the goal met on fewer than ``min_adherence`` (default
    half) of the valid days.

``flagged`` is either; ``reason`` says which, in words a coordinator can act on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

import polars as pl

__all__ = ["FlagRule", "activity_flags"]


@dataclass(frozen=True)
class FlagRule:
    """The window and thresholds of :func:`activity_flags`."""

    days: int = 14
    min_valid_days: int = 8
    min_adherence: float = 0.5

    def __post_init__(self) -> None:
        if self.days < 1:
            raise ValueError("the flag window needs at least one day")
        if not 0 <= self.min_valid_days <= self.days:
            raise ValueError("min_valid_days must lie between 0 and the window's days")
        if not 0.0 <= self.min_adherence <= 1.0:
            raise ValueError("min_adherence is a share between 0 and 1")


def activity_flags(
    daily: pl.DataFrame,
    as_of: dt.date,
    participants: Collection[str] | None = None,
    rule: FlagRule | None = None,
) -> pl.DataFrame:
    """One row per participant (those in *daily*, plus *participants* without data)."""
    chosen = rule or FlagRule()
    first = as_of - dt.timedelta(days=chosen.days - 1)
    counted = _counts(daily.filter(pl.col("date").is_between(first, as_of)))
    everyone = set(daily["participant_id"].unique().to_list()) | set(participants or ())
    frame = (
        pl.DataFrame({"participant_id": sorted(everyone)}, schema={"participant_id": pl.String})
        .join(counted, on="participant_id", how="left")
        .with_columns(pl.col("days_recorded", "valid_days", "goal_days").fill_null(0))
        .with_columns(pl.lit(first).alias("window_start"), pl.lit(as_of).alias("window_end"))
    )
    return _judge(frame, chosen).select(_COLUMNS)


_COLUMNS = (
    "participant_id",
    "window_start",
    "window_end",
    "days_recorded",
    "valid_days",
    "goal_days",
    "adherence",
    "low_wear",
    "low_activity",
    "flagged",
    "reason",
)


def _counts(window: pl.DataFrame) -> pl.DataFrame:
    return window.group_by("participant_id").agg(
        pl.len().cast(pl.Int32).alias("days_recorded"),
        pl.col("valid_day").sum().cast(pl.Int32).alias("valid_days"),
        (pl.col("valid_day") & pl.col("goal_met")).sum().cast(pl.Int32).alias("goal_days"),
    )


def _judge(frame: pl.DataFrame, rule: FlagRule) -> pl.DataFrame:
    valid, goal = pl.col("valid_days"), pl.col("goal_days")
    adherence = pl.when(valid > 0).then(goal / valid)
    frame = frame.with_columns(adherence.alias("adherence")).with_columns(
        (valid < rule.min_valid_days).alias("low_wear"),
        ((valid > 0) & (pl.col("adherence") < rule.min_adherence))
        .fill_null(value=False)
        .alias("low_activity"),
    )
    low_wear, low_activity = pl.col("low_wear"), pl.col("low_activity")
    reason = (
        pl.when(low_wear & low_activity)
        .then(pl.lit("tracker rarely worn and goal rarely met"))
        .when(low_wear)
        .then(pl.format("valid wear on {} of {} days", valid, pl.lit(rule.days)))
        .when(low_activity)
        .then(pl.format("goal met on {} of {} valid days", goal, valid))
    )
    return frame.with_columns((low_wear | low_activity).alias("flagged"), reason.alias("reason"))
