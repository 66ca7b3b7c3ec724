"""The dense minute grid and the duplicate rule (largest value kept)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exonc.trackers import DuplicateCounts, resolve_duplicates, to_grid
from tests.trackers.builders import minutes

START = dt.datetime(2024, 1, 10, 8, 0)


def test_a_minute_recorded_twice_keeps_the_larger_value_and_is_counted() -> None:
    # two exports of 08:00: 10 and 12 steps; 08:01 recorded once
    frame = pl.concat([minutes(START, steps=[10, 5]), minutes(START, steps=[12])], how="vertical")
    resolved, counts = resolve_duplicates(frame)
    assert resolved["steps"].to_list() == [12, 5]
    assert counts == DuplicateCounts(steps=1, conflicting=1, minutes=1)


def test_equal_duplicates_are_counted_but_do_not_conflict() -> None:
    frame = pl.concat([minutes(START, steps=[7]), minutes(START, steps=[7])])
    _, counts = resolve_duplicates(frame)
    assert counts == DuplicateCounts(steps=1, conflicting=0, minutes=1)


def test_separate_metric_files_for_the_same_minutes_merge_without_duplicates() -> None:
    # Fitabase writes intensity and steps to separate files for the same minutes
    frame = pl.concat(
        [minutes(START, intensity=[2, 0]), minutes(START, steps=[110, 0], source="fitabase")]
    )
    resolved, counts = resolve_duplicates(frame)
    assert resolved.select("intensity", "steps").rows() == [(2, 110), (0, 0)]
    assert counts.total == 0


def test_the_same_instant_written_in_two_offsets_is_one_minute() -> None:
    # 10:00 at +01:00 and 11:00 at +02:00 are both 09:00 UTC
    frame = pl.concat(
        [
            minutes(START.replace(hour=10), steps=[3], utc_offset=60),
            minutes(START.replace(hour=11), steps=[4], utc_offset=120),
        ]
    )
    grid = to_grid(frame)
    assert grid.size == 1
    assert grid.duplicates.steps == 1


def test_to_grid_takes_one_participant() -> None:
    frame = pl.concat([minutes(START, steps=[1]), minutes(START, steps=[1], participant="P2")])
    with pytest.raises(ValueError, match="one participant"):
        to_grid(frame)


rows = st.lists(
    st.tuples(st.integers(0, 30), st.integers(0, 200), st.sampled_from(["csv", "fitabase"])),
    min_size=1,
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(rows=rows, seed=st.randoms(use_true_random=False))
def test_the_resolution_does_not_depend_on_the_order_of_rows(rows, seed) -> None:  # type: ignore[no-untyped-def]
    frame = _frame(rows)
    shuffled = list(rows)
    seed.shuffle(shuffled)
    first, first_counts = resolve_duplicates(frame)
    second, second_counts = resolve_duplicates(_frame(shuffled))
    assert first.sort("timestamp").equals(second.sort("timestamp"))
    assert first_counts == second_counts


@settings(max_examples=60, deadline=None)
@given(rows=rows)
def test_importing_the_same_rows_twice_changes_no_value(rows) -> None:  # type: ignore[no-untyped-def]
    once, _ = resolve_duplicates(_frame(rows))
    twice, counts = resolve_duplicates(_frame(rows + rows))
    assert once.select("timestamp", "steps").equals(twice.select("timestamp", "steps"))
    assert counts.steps >= len(rows)


@settings(max_examples=60, deadline=None)
@given(rows=rows)
def test_each_minute_keeps_its_largest_value(rows) -> None:  # type: ignore[no-untyped-def]
    resolved, counts = resolve_duplicates(_frame(rows))
    largest: dict[int, int] = {}
    for minute, steps, _ in rows:
        largest[minute] = max(largest.get(minute, 0), steps)
    assert resolved["steps"].to_list() == [largest[m] for m in sorted(largest)]
    assert counts.steps == len(rows) - len(largest)


def _frame(rows: list[tuple[int, int, str]]) -> pl.DataFrame:
    return pl.concat(
        [minutes(START + dt.timedelta(minutes=m), steps=[s], source=src) for m, s, src in rows]
    )
