"""Which minutes the tracker was worn.

Two documented rules, chosen by :class:`WearRule` (``method="auto"`` picks, for each of
the participant's local days, the first that the day's data allow):

``heart-rate``
    A minute is worn when it has a heart-rate reading, or records activity (a step, or an
    intensity above sedentary). Optical heart rate needs skin contact, so it is the most
    direct evidence of wear; activity without heart rate (a lost signal during exercise)
    still counts. Used on days whose data contain any heart rate.
``activity``
    A minute is worn unless it lies in a run of at least ``non_wear_minutes`` (default 60)
    consecutive minutes without a step and without intensity above sedentary — the
    non-wear window of Troiano et al. 2008 (Med Sci Sports Exerc 40:181) applied to step
    and intensity data. Missing minutes extend a run but are never counted as worn. Sleep
    usually forms such a run, so with this rule wear time is *waking* wear time, which is
    what the 10-hour valid-day rule was defined for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from exonc.trackers.grid import MinuteGrid

__all__ = ["WearMethod", "WearRule", "long_runs", "wear_mask"]

WearMethod = Literal["auto", "heart-rate", "activity"]
Bools = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class WearRule:
    """How wear is decided; see the module documentation for the two methods."""

    method: WearMethod = "auto"
    non_wear_minutes: int = 60

    def __post_init__(self) -> None:
        if self.method not in ("auto", "heart-rate", "activity"):
            raise ValueError("wear method must be 'auto', 'heart-rate' or 'activity'")
        if self.non_wear_minutes < 1:
            raise ValueError("non_wear_minutes must be at least 1")

    def heart_rate_slots(self, grid: MinuteGrid) -> Bools:
        """Slots judged by the heart-rate rule: all, none, or (auto) those of local days
        with any heart-rate reading."""
        if self.method != "auto":
            return np.full(grid.size, self.method == "heart-rate", dtype=np.bool_)
        reading = ~np.isnan(grid.heart_rate)
        if not reading.any():
            return np.zeros(grid.size, dtype=np.bool_)
        days = grid.local_minutes() // 1440
        first = int(days.min())
        with_heart_rate = np.bincount(days[reading] - first, minlength=int(days.max()) - first + 1)
        chosen: Bools = with_heart_rate[days - first] > 0
        return chosen


def wear_mask(grid: MinuteGrid, intensity: npt.NDArray[np.int8], rule: WearRule) -> Bools:
    """Worn minutes of *grid*, given the minutes' intensity classes (-1 when unknown)."""
    active: Bools = (intensity >= 1) | (np.nan_to_num(grid.steps, nan=0.0) > 0)
    by_heart_rate = rule.heart_rate_slots(grid)
    worn: Bools = grid.present & (~np.isnan(grid.heart_rate) | active)
    if by_heart_rate.all():
        return worn
    by_activity = grid.present & ~long_runs(~active, rule.non_wear_minutes)
    chosen: Bools = np.where(by_heart_rate, worn, by_activity)
    return chosen


def long_runs(mask: Bools, min_length: int) -> Bools:
    """Mark the elements of *mask* that lie in runs of at least *min_length* True values."""
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    long = (ends - starts) >= min_length
    marks = np.zeros(mask.size + 1, dtype=np.int32)
    marks[starts[long]] += 1
    marks[ends[long]] -= 1
    runs: Bools = np.cumsum(marks[:-1]) > 0
    return runs
