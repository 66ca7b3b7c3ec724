"""Daily activity per participant and local date, and the valid-day and goal rules.

A day is the participant's local calendar date (the local wall clock decides, so a day on
which clocks change has 23 or 25 hours). For each day with at least one recorded minute:

``wear_minutes``
    minutes worn, by the :class:`~exonc.trackers.wear.WearRule`;
``sedentary_minutes`` … ``vigorous_minutes``
    worn minutes in each intensity class (the source's own class; otherwise derived from
    METs or step cadence, see :mod:`exonc.trackers.intensity`);
``active_minutes``
    moderate + vigorous minutes;
``steps``
    all steps recorded that day (empty when the source records no steps);
``valid_day``
    ``wear_minutes >= valid_day_minutes`` (default 600, i.e. 10 hours);
``goal_met``
    ``active_minutes >= goal_minutes`` (default 30), whether or not the day is valid —
    adherence counts only valid days (see :mod:`exonc.trackers.summaries`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

import numpy as np
import numpy.typing as npt
import polars as pl

from exonc.trackers.grid import MinuteGrid, to_grid
from exonc.trackers.intensity import CADENCE_CUT_POINTS, MET_CUT_POINTS, CutPoints
from exonc.trackers.wear import WearRule, wear_mask

__all__ = [
    "DAILY_COLUMNS",
    "DAILY_SCHEMA",
    "DailyRules",
    "classify_minutes",
    "daily_from_grid",
    "daily_summary",
]

MINUTES_PER_DAY: Final = 1440

DAILY_SCHEMA: Final = pl.Schema(
    {
        "participant_id": pl.String,
        "date": pl.Date,
        "wear_minutes": pl.Int32,
        "sedentary_minutes": pl.Int32,
        "light_minutes": pl.Int32,
        "moderate_minutes": pl.Int32,
        "vigorous_minutes": pl.Int32,
        "active_minutes": pl.Int32,
        "steps": pl.Int64,
        "valid_day": pl.Boolean,
        "goal_met": pl.Boolean,
    }
)
DAILY_COLUMNS: Final = tuple(DAILY_SCHEMA.names())


@dataclass(frozen=True)
class DailyRules:
    """Wear rule, valid-day threshold, activity goal and the cut-points for derived classes."""

    wear: WearRule = field(default_factory=WearRule)
    valid_day_minutes: int = 600
    goal_minutes: int = 30
    mets_cut_points: CutPoints = MET_CUT_POINTS
    cadence_cut_points: CutPoints = CADENCE_CUT_POINTS

    def __post_init__(self) -> None:
        if not 0 <= self.valid_day_minutes <= MINUTES_PER_DAY + 60:
            raise ValueError("valid_day_minutes must lie between 0 and 1500")
        if self.goal_minutes < 0:
            raise ValueError("goal_minutes cannot be negative")


def classify_minutes(grid: MinuteGrid, rules: DailyRules) -> npt.NDArray[np.int8]:
    """Intensity class per slot: recorded, else from METs, else from step cadence; -1 if none."""
    recorded = np.nan_to_num(grid.intensity, nan=-1.0).astype(np.int8)
    missing = recorded < 0
    if missing.any():
        from_mets = rules.mets_cut_points.classify(grid.mets)
        recorded = np.where(missing, from_mets, recorded)
        missing = recorded < 0
    if missing.any():
        from_steps = rules.cadence_cut_points.classify(grid.steps)
        recorded = np.where(missing, from_steps, recorded)
    return recorded


def daily_from_grid(
    grid: MinuteGrid, rules: DailyRules, *, with_coverage: bool = False
) -> pl.DataFrame:
    """Daily summary of one participant's grid (see the module documentation)."""
    if grid.size == 0 or not grid.present.any():
        return _empty(with_coverage=with_coverage)
    # every slot recorded (the usual case): whole arrays instead of copies of the recorded
    present = slice(None) if grid.present.all() else np.flatnonzero(grid.present)
    classes = classify_minutes(grid, rules)
    worn = wear_mask(grid, classes, rules.wear)[present]
    days = grid.local_minutes()[present] // MINUTES_PER_DAY
    first = int(days.min())
    index = days - first
    width = int(index.max()) + 1
    # one count per day and category: 0 not worn, 1 worn without a class, 2-5 classes 0-3
    category = classes[present] + np.int8(2)
    category[~worn] = 0
    key = index * 6
    key += category
    counts = np.bincount(key, minlength=width * 6).reshape(width, 6)
    steps = grid.steps[present]
    has_steps = ~np.isnan(steps)
    step_sums = np.bincount(index[has_steps], weights=steps[has_steps], minlength=width).astype(
        np.float64
    )
    step_days = np.bincount(index[has_steps], minlength=width) > 0
    frame = _frame(grid.participant_id, first, counts, step_sums, step_days)
    recorded = counts.sum(axis=1)
    if with_coverage:
        frame = frame.with_columns(
            pl.Series("recorded_minutes", recorded, dtype=pl.Int32),
            pl.Series("day_minutes", _day_lengths(grid, present, index, width), dtype=pl.Int32),
        )
    return _rules(frame.filter(pl.Series(recorded > 0)), rules)


def _day_lengths(
    grid: MinuteGrid,
    present: npt.NDArray[np.int64] | slice,
    index: npt.NDArray[np.int64],
    width: int,
) -> npt.NDArray[np.int64]:
    """Minutes in each local day: 1440, or 1380/1500 when the offset changes within it."""
    offsets = np.nan_to_num(grid.utc_offset[present], nan=0.0).astype(np.int64)
    lengths = np.full(width, MINUTES_PER_DAY, dtype=np.int64)
    days, first = np.unique(index, return_index=True)
    last = index.size - 1 - np.unique(index[::-1], return_index=True)[1]
    lengths[days] += offsets[first] - offsets[last]
    return lengths


def daily_summary(
    minutes: pl.DataFrame, rules: DailyRules | None = None, *, with_coverage: bool = False
) -> pl.DataFrame:
    """Daily summaries of a minute frame (any number of participants), sorted by participant
    and date. ``with_coverage`` adds ``recorded_minutes`` (minutes with any data) and
    ``day_minutes`` (minutes in the local day: 1440, or 1380/1500 when clocks change)."""
    chosen = rules or DailyRules()
    frames = [
        daily_from_grid(to_grid(part), chosen, with_coverage=with_coverage)
        for part in minutes.partition_by("participant_id", maintain_order=True)
    ]
    if not frames:
        return _empty(with_coverage=with_coverage)
    return pl.concat(frames).sort("participant_id", "date")


def _frame(
    participant: str,
    first_day: int,
    counts: npt.NDArray[np.int64],
    step_sums: npt.NDArray[np.float64],
    has_steps: npt.NDArray[np.bool_],
) -> pl.DataFrame:
    width = step_sums.size
    wear = counts[:, 1:].sum(axis=1)
    frame = pl.DataFrame(
        {
            "date": pl.Series(np.arange(first_day, first_day + width, dtype=np.int32)).cast(
                pl.Date
            ),
            "wear_minutes": pl.Series(wear, dtype=pl.Int32),
            "sedentary_minutes": pl.Series(counts[:, 2], dtype=pl.Int32),
            "light_minutes": pl.Series(counts[:, 3], dtype=pl.Int32),
            "moderate_minutes": pl.Series(counts[:, 4], dtype=pl.Int32),
            "vigorous_minutes": pl.Series(counts[:, 5], dtype=pl.Int32),
            "steps": pl.Series(np.rint(step_sums).astype(np.int64)),
        }
    )
    return frame.with_columns(
        pl.lit(participant, dtype=pl.String).alias("participant_id"),
        (pl.col("moderate_minutes") + pl.col("vigorous_minutes")).alias("active_minutes"),
        pl.when(pl.Series(has_steps)).then(pl.col("steps")).otherwise(None).alias("steps"),
    )


def _rules(frame: pl.DataFrame, rules: DailyRules) -> pl.DataFrame:
    extra = [c for c in frame.columns if c not in DAILY_SCHEMA]
    return frame.with_columns(
        (pl.col("wear_minutes") >= rules.valid_day_minutes).alias("valid_day"),
        (pl.col("active_minutes") >= rules.goal_minutes).alias("goal_met"),
    ).select(*DAILY_COLUMNS, *extra)


def _empty(*, with_coverage: bool) -> pl.DataFrame:
    frame = pl.DataFrame(schema=DAILY_SCHEMA)
    if with_coverage:
        frame = frame.with_columns(
            pl.lit(None, dtype=pl.Int32).alias("recorded_minutes"),
            pl.lit(None, dtype=pl.Int32).alias("day_minutes"),
        )
    return frame
