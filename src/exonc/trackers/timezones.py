"""Local wall-clock time, UTC offsets and daylight-saving changes, handled explicitly.

Trackers record either local wall-clock time without an offset (Fitabase, Fitbit account
exports, ActiGraph) or UTC (Garmin FIT) or both (Apple Health). exonc keeps the local
timestamp, which decides the participant's *day*, and the UTC offset in force, which
decides which minutes are the same instant when exports overlap.

A :class:`Zone` turns an IANA time-zone name into the list of its offset changes and
converts whole columns at once (``numpy.searchsorted`` over the transitions), in both
directions:

* UTC → local is always unique.
* local → UTC has two special cases around a daylight-saving change. A local time that does
  not exist (the hour skipped in spring) cannot have been recorded by a device that follows
  the zone: such rows are rejected with a reason. A local time that exists twice (the hour
  repeated in autumn) takes the earlier (summer) offset the first time a participant's file
  shows it and the later (winter) offset the second time, which is the order in which a
  device writes the repeated hour.

All times here are integers: minutes since 1970-01-01 00:00 (UTC or local wall clock).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from functools import cache
from typing import Final

import numpy as np
import numpy.typing as npt

from exonc.errors import ImportFormatError

__all__ = ["FileClock", "Localised", "Zone", "minutes_since_epoch", "zone"]

_EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_HOUR: Final = 60
_SAMPLE_STEP: Final = 6 * 60  # minutes between probes; offset changes are months apart

Int64s = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


def minutes_since_epoch(moment: dt.datetime) -> int:
    """Minutes since 1970-01-01 00:00 of a naive (wall clock) or aware (UTC) datetime."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
    return int((aware - _EPOCH).total_seconds() // 60)


@dataclass(frozen=True)
class Localised:
    """Offsets for a column of local times, in minutes.

    ``offsets`` gives ambiguous times the earlier (summer) offset and ``later`` the later
    (winter) one; for every other time the two agree. ``nonexistent`` marks local times
    skipped by a clock change (their offsets are meaningless).
    """

    offsets: npt.NDArray[np.int16]
    later: npt.NDArray[np.int16]
    nonexistent: Bools
    ambiguous: Bools


@dataclass(frozen=True)
class _Transitions:
    """Offset periods of one zone over a span: period *i* starts at ``utc_starts[i]``."""

    utc_starts: Int64s
    offsets: Int64s

    @property
    def local_starts(self) -> Int64s:
        return self.utc_starts + self.offsets

    @property
    def local_ends(self) -> Int64s:
        ends = np.append(self.utc_starts[1:], np.iinfo(np.int64).max // 2)
        return ends + self.offsets


@dataclass(frozen=True)
class Zone:
    """An IANA time zone, with its offset changes computed per calendar year on demand."""

    name: str
    _info: zoneinfo.ZoneInfo = field(repr=False, compare=False)

    def utc_to_local(self, utc: Int64s) -> tuple[Int64s, npt.NDArray[np.int16]]:
        """Local wall-clock minutes and offsets for UTC minutes."""
        if utc.size == 0:
            return utc.copy(), np.zeros(0, np.int16)
        periods = self._periods(int(utc.min()), int(utc.max()))
        index = np.searchsorted(periods.utc_starts, utc, side="right") - 1
        offsets = periods.offsets[index]
        return utc + offsets, offsets.astype(np.int16)

    def local_offsets(self, local: Int64s) -> Localised:
        """Offsets for local wall-clock minutes (see :class:`Localised`)."""
        if local.size == 0:
            empty = np.zeros(0, np.bool_)
            return Localised(np.zeros(0, np.int16), np.zeros(0, np.int16), empty, empty)
        low, high = int(local.min()), int(local.max())
        periods = self._periods(low - 24 * _HOUR, high + 24 * _HOUR)
        starts, ends = periods.local_starts, periods.local_ends
        steady = _steady_offset(starts, ends, periods.offsets, low, high)
        if steady is not None:  # no clock change within the span: one offset for all
            fine = np.zeros(local.size, np.bool_)
            same = np.full(local.size, steady, np.int16)
            return Localised(same, same, fine, fine)
        index = np.searchsorted(starts, local, side="right") - 1
        np.maximum(index, 0, out=index)
        later = periods.offsets.astype(np.int16)[index]
        offsets = later
        nonexistent = np.zeros(local.size, np.bool_)
        ambiguous = np.zeros(local.size, np.bool_)
        # only the few local hours next to a change are special: test those ranges alone
        for change in range(1, starts.size):
            first, last = sorted((int(ends[change - 1]), int(starts[change])))
            if last <= low or first > high:
                continue
            hit = (local >= first) & (local < last)
            if ends[change - 1] < starts[change]:  # clocks go forward: the skipped hour
                nonexistent |= hit
            elif hit.any():  # clocks go back: the repeated hour, first seen in summer time
                ambiguous |= hit
                offsets = offsets.copy() if offsets is later else offsets
                offsets[hit] = periods.offsets[change - 1]
        return Localised(offsets, later, nonexistent, ambiguous)

    def _periods(self, first: int, last: int) -> _Transitions:
        return _span_transitions(self.name, _year(first) - 1, _year(last) + 1)


def _steady_offset(
    starts: Int64s, ends: Int64s, offsets: Int64s, low: int, high: int
) -> int | None:
    """The offset when every local time in [low, high] lies in one unambiguous period."""
    index = int(np.searchsorted(starts, low, side="right")) - 1
    if (
        index < 0
        or high >= ends[index]
        or int(np.searchsorted(starts, high, side="right")) - 1 != index
    ):
        return None
    if index > 0 and low < ends[index - 1]:
        return None
    return int(offsets[index])


@cache
def _span_transitions(name: str, first_year: int, last_year: int) -> _Transitions:
    parts = [_year_transitions(name, year) for year in range(first_year, last_year + 1)]
    utc_starts = np.concatenate([p.utc_starts for p in parts])
    offsets = np.concatenate([p.offsets for p in parts])
    keep = np.concatenate([[True], np.diff(offsets) != 0])
    return _Transitions(utc_starts[keep], offsets[keep])


def zone(name: str) -> Zone:
    """The :class:`Zone` called *name*; a one-line error names an unknown zone."""
    try:
        info = zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ImportFormatError(
            "unknown time zone",
            value=name,
            hint="give an IANA name such as Europe/Amsterdam or Australia/Brisbane",
        ) from exc
    return Zone(name, info)


def _year(minute: int) -> int:
    return (_EPOCH + dt.timedelta(minutes=minute)).year


@cache
def _year_transitions(name: str, year: int) -> _Transitions:
    """The offset periods that start within *year* (UTC), found by probing and bisection."""
    info = zoneinfo.ZoneInfo(name)
    start = minutes_since_epoch(dt.datetime(year, 1, 1, tzinfo=dt.UTC))
    end = minutes_since_epoch(dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC))
    probes = np.arange(start, end + 1, _SAMPLE_STEP, dtype=np.int64)
    offsets = np.array([_offset(info, int(m)) for m in probes], dtype=np.int64)
    changes = np.flatnonzero(np.diff(offsets) != 0)
    utc_starts = [start] + [_bisect(info, int(probes[i]), int(probes[i + 1])) for i in changes]
    period_offsets = [int(offsets[0])] + [int(offsets[i + 1]) for i in changes]
    return _Transitions(np.array(utc_starts, np.int64), np.array(period_offsets, np.int64))


def _offset(info: zoneinfo.ZoneInfo, utc_minute: int) -> int:
    delta = (_EPOCH + dt.timedelta(minutes=utc_minute)).astimezone(info).utcoffset()
    return int(delta.total_seconds() // 60) if delta is not None else 0


def _bisect(info: zoneinfo.ZoneInfo, before: int, after: int) -> int:
    """The first UTC minute in (before, after] whose offset differs from *before*'s."""
    old = _offset(info, before)
    while after - before > 1:
        middle = (before + after) // 2
        if _offset(info, middle) == old:
            before = middle
        else:
            after = middle
    return after


class FileClock:
    """Offsets for the rows of one file, read in order, batch after batch.

    Remembers which repeated (ambiguous) local times each participant has already shown, so
    that the second occurrence of the autumn hour gets the winter offset even when the two
    occurrences fall in different batches. Without a zone, offsets are unknown (null).
    """

    def __init__(self, zone: Zone | None) -> None:
        self.zone = zone
        self._seen: set[tuple[str, int]] = set()

    def offsets(self, participant_id: str, local: Int64s) -> Localised | None:
        if self.zone is None:
            return None
        found = self.zone.local_offsets(local)
        if not found.ambiguous.any():
            return found
        offsets = found.offsets.copy()
        for position in np.flatnonzero(found.ambiguous):
            key = (participant_id, int(local[position]))
            if key in self._seen:
                offsets[position] = found.later[position]
            self._seen.add(key)
        return Localised(offsets, found.later, found.nonexistent, found.ambiguous)
