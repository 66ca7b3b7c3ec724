"""Weekly and per-visit-window activity, and adherence to the activity goal.

All three work on daily summaries (:mod:`exonc.trackers.daily`) and count the same way:

``days_recorded``
    days with any tracker data;
``valid_days``
    days meeting the valid-day rule (default 10 hours of wear);
``goal_days``
    valid days on which the goal was met;
``adherence``
    ``goal_days / valid_days`` — the share of valid days meeting the goal (empty when
    there is no valid day);
``active_minutes_mean``, ``wear_minutes_mean``, ``steps_mean``
    means over valid days.

Weeks run Monday to Sunday (ISO weeks). Visit windows are intervals relative to each
participant's randomisation date: by default the 14 days before randomisation (baseline)
and months 0–3, 3–6 and 6–9 after it, the assessment schedule of PREFERABLE-EFFECT.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import polars as pl

from exonc.errors import InputError

__all__ = [
    "DEFAULT_WINDOWS",
    "VisitWindow",
    "goal_adherence",
    "visit_window_summary",
    "weekly_summary",
]


@dataclass(frozen=True)
class VisitWindow:
    """Days from ``start`` (inclusive) to ``end`` (exclusive) relative to randomisation.

    Offsets are polars duration strings: ``"-14d"``, ``"0d"``, ``"3mo"``; months are
    calendar months (randomised 31 January: three months later is 30 April).
    """

    label: str
    start: str
    end: str


DEFAULT_WINDOWS: Final = (
    VisitWindow("baseline", "-14d", "0d"),
    VisitWindow("0-3 months", "0d", "3mo"),
    VisitWindow("3-6 months", "3mo", "6mo"),
    VisitWindow("6-9 months", "6mo", "9mo"),
)


def _counts() -> list[pl.Expr]:
    valid = pl.col("valid_day")
    return [
        pl.len().cast(pl.Int32).alias("days_recorded"),
        valid.sum().cast(pl.Int32).alias("valid_days"),
        (valid & pl.col("goal_met")).sum().cast(pl.Int32).alias("goal_days"),
        pl.col("active_minutes").filter(valid).mean().alias("active_minutes_mean"),
        pl.col("wear_minutes").filter(valid).mean().alias("wear_minutes_mean"),
        pl.col("steps").filter(valid).mean().alias("steps_mean"),
    ]


def _adherence(frame: pl.DataFrame) -> pl.DataFrame:
    share = pl.col("goal_days") / pl.col("valid_days")
    return frame.with_columns(
        pl.when(pl.col("valid_days") > 0).then(share).otherwise(None).alias("adherence")
    )


_COUNTED: Final = ("days_recorded", "valid_days", "goal_days")


def goal_adherence(daily: pl.DataFrame) -> pl.DataFrame:
    """Per participant: days recorded, valid days, goal days, adherence and means."""
    frame = daily.group_by("participant_id").agg(_counts()).sort("participant_id")
    return _adherence(frame)


def weekly_summary(daily: pl.DataFrame) -> pl.DataFrame:
    """Per participant and ISO week (``week_start`` is the Monday)."""
    week = pl.col("date").dt.truncate("1w").alias("week_start")
    frame = daily.group_by("participant_id", week).agg(_counts())
    return _adherence(frame.sort("participant_id", "week_start"))


def visit_window_summary(
    daily: pl.DataFrame,
    randomisation: pl.DataFrame,
    windows: Sequence[VisitWindow] = DEFAULT_WINDOWS,
) -> pl.DataFrame:
    """Per participant and visit window, for every randomised participant and window.

    *randomisation* has ``participant_id`` and ``randomisation_date`` (a date); windows
    without tracker data appear with zero days.
    """
    dates = _randomisation_dates(randomisation)
    spans = pl.concat(
        [
            dates.select(
                "participant_id",
                pl.lit(window.label).alias("window"),
                pl.col("randomisation_date").dt.offset_by(window.start).alias("window_start"),
                pl.col("randomisation_date").dt.offset_by(window.end).alias("window_end"),
            )
            for window in windows
        ]
    )
    inside = (pl.col("date") >= pl.col("window_start")) & (pl.col("date") < pl.col("window_end"))
    counted = (
        spans.join(daily, on="participant_id", how="inner")
        .filter(inside)
        .group_by("participant_id", "window")
        .agg(_counts())
    )
    frame = spans.join(counted, on=["participant_id", "window"], how="left").with_columns(
        pl.col(c).fill_null(0) for c in _COUNTED
    )
    order = {window.label: i for i, window in enumerate(windows)}
    frame = frame.with_columns(pl.col("window").replace_strict(order).alias("_order"))
    return _adherence(frame.sort("participant_id", "_order").drop("_order"))


def _randomisation_dates(randomisation: pl.DataFrame) -> pl.DataFrame:
    missing = [c for c in ("participant_id", "randomisation_date") if c not in randomisation]
    if missing:
        raise InputError(
            f"missing column {missing[0]}",
            hint="the randomisation table needs participant_id and randomisation_date",
        )
    dates = randomisation.select(
        pl.col("participant_id").cast(pl.String),
        pl.col("randomisation_date").cast(pl.String).str.to_date("%Y-%m-%d", strict=False)
        if randomisation.schema["randomisation_date"] == pl.String
        else pl.col("randomisation_date").cast(pl.Date),
    )
    bad = dates.filter(pl.col("randomisation_date").is_null())
    if bad.height:
        row = int(dates.with_row_index().filter(pl.col("randomisation_date").is_null())[0, 0])
        raise InputError(
            "randomisation date missing or not a date",
            row=row + 1,
            column="randomisation_date",
            value=randomisation["randomisation_date"][row],
            hint="write dates as YYYY-MM-DD",
        )
    repeated = dates.filter(pl.col("participant_id").is_duplicated())
    if repeated.height:
        raise InputError(
            "participant randomised twice",
            column="participant_id",
            value=repeated["participant_id"][0],
            hint="give one randomisation date per participant",
        )
    return dates
