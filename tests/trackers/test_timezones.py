"""Local time ↔ UTC offsets, checked against hand-worked clock changes and Python's zoneinfo."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exonc.errors import ImportFormatError
from exonc.trackers.timezones import FileClock, minutes_since_epoch, zone


def _local(*parts: int) -> int:
    return minutes_since_epoch(dt.datetime(*parts))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("zone_name", "local", "offset", "nonexistent", "ambiguous"),
    [
        # EU rule: clocks go from 02:00 CET to 03:00 CEST on the last Sunday of March
        ("Europe/Amsterdam", (2024, 3, 31, 1, 59), 60, False, False),
        ("Europe/Amsterdam", (2024, 3, 31, 2, 0), 60, True, False),
        ("Europe/Amsterdam", (2024, 3, 31, 2, 59), 60, True, False),
        ("Europe/Amsterdam", (2024, 3, 31, 3, 0), 120, False, False),
        # ... and back from 03:00 CEST to 02:00 CET on the last Sunday of October
        ("Europe/Amsterdam", (2024, 10, 27, 1, 59), 120, False, False),
        ("Europe/Amsterdam", (2024, 10, 27, 2, 0), 120, False, True),
        ("Europe/Amsterdam", (2024, 10, 27, 2, 59), 120, False, True),
        ("Europe/Amsterdam", (2024, 10, 27, 3, 0), 60, False, False),
        # Queensland has no daylight saving: +10:00 all year
        ("Australia/Brisbane", (2024, 1, 15, 12, 0), 600, False, False),
        ("Australia/Brisbane", (2024, 7, 15, 12, 0), 600, False, False),
        # Lord Howe Island shifts by 30 minutes: 02:00 +11:00 becomes 01:30 +10:30 (7 April)
        ("Australia/Lord_Howe", (2024, 4, 7, 1, 29), 660, False, False),
        ("Australia/Lord_Howe", (2024, 4, 7, 1, 30), 660, False, True),
        ("Australia/Lord_Howe", (2024, 4, 7, 2, 0), 630, False, False),
        # ... and 02:00 +10:30 becomes 02:30 +11:00 (6 October)
        ("Australia/Lord_Howe", (2024, 10, 6, 2, 15), 630, True, False),
        ("Australia/Lord_Howe", (2024, 10, 6, 2, 30), 660, False, False),
    ],
)
def test_local_offsets_around_clock_changes(
    zone_name: str,
    local: tuple[int, ...],
    offset: int,
    nonexistent: bool,
    ambiguous: bool,
) -> None:
    found = zone(zone_name).local_offsets(np.array([_local(*local)]))
    assert found.nonexistent[0] == nonexistent
    assert found.ambiguous[0] == ambiguous
    if not nonexistent:
        assert found.offsets[0] == offset


def test_an_ambiguous_time_takes_the_summer_offset_first_and_the_winter_offset_second() -> None:
    clock = FileClock(zone("Europe/Amsterdam"))
    repeated = np.array([_local(2024, 10, 27, 2, 30)])
    first = clock.offsets("P1", repeated)
    second = clock.offsets("P1", repeated)
    other = clock.offsets("P2", repeated)
    assert first is not None
    assert second is not None
    assert other is not None
    assert (first.offsets[0], second.offsets[0], other.offsets[0]) == (120, 60, 120)


def test_a_file_clock_without_a_zone_gives_no_offsets() -> None:
    assert FileClock(None).offsets("P1", np.array([0])) is None


def test_utc_to_local_follows_the_zone() -> None:
    # 00:30 UTC on 31 March is 01:30 CET; 01:30 UTC is 03:30 CEST
    utc = np.array([_local(2024, 3, 31, 0, 30), _local(2024, 3, 31, 1, 30)])
    local, offsets = zone("Europe/Amsterdam").utc_to_local(utc)
    assert local.tolist() == [_local(2024, 3, 31, 1, 30), _local(2024, 3, 31, 3, 30)]
    assert offsets.tolist() == [60, 120]


def test_an_unknown_zone_is_a_one_line_error() -> None:
    with pytest.raises(ImportFormatError, match=r"unknown time zone.*IANA"):
        zone("Mars/Olympus_Mons")


ZONES = ["Europe/Amsterdam", "Europe/Madrid", "Australia/Sydney", "America/New_York"]


@settings(max_examples=200, deadline=None)
@given(
    name=st.sampled_from(ZONES),
    moment=st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2035, 12, 31)),
)
def test_offsets_agree_with_zoneinfo(name: str, moment: dt.datetime) -> None:
    """PEP 495: fold=0 is the earlier offset of a repeated time, fold=1 the later one; a
    time that does not survive a round trip through UTC does not exist."""
    moment = moment.replace(second=0, microsecond=0)
    info = zoneinfo.ZoneInfo(name)
    found = zone(name).local_offsets(np.array([minutes_since_epoch(moment)]))
    earlier = moment.replace(tzinfo=info, fold=0)
    round_trip = earlier.astimezone(dt.UTC).astimezone(info).replace(tzinfo=None)
    assert bool(found.nonexistent[0]) == (round_trip != moment)
    if found.nonexistent[0]:
        return
    expected_earlier = int(earlier.utcoffset().total_seconds() // 60)  # type: ignore[union-attr]
    later = moment.replace(tzinfo=info, fold=1).utcoffset()
    assert found.offsets[0] == expected_earlier
    assert found.later[0] == int(later.total_seconds() // 60)  # type: ignore[union-attr]
