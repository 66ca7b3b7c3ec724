"""Files → partitions → daily summaries, and the import report's accounting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from exonc.trackers import ReadOptions, daily_from_files, summarise_partition
from tests.trackers.builders import FITABASE, minutes, write_csv

FILES = [FITABASE / "minuteIntensitiesWide_merged.csv", FITABASE / "minuteStepsWide_merged.csv"]


def test_spilling_to_disk_gives_the_same_days_as_memory(tmp_path: Path) -> None:
    in_memory = daily_from_files(FILES, "fitabase")
    spilled = daily_from_files(FILES, "fitabase", memory_budget=1 << 20, spill_dir=tmp_path)
    assert spilled.daily.equals(in_memory.daily)
    assert list(tmp_path.iterdir()) == []  # the scratch folder is removed afterwards


def test_every_row_is_accounted_for() -> None:
    run = daily_from_files(FILES, "fitabase")
    for report in run.report.files:
        assert report.rows_read == report.accepted + report.rejected
        assert report.rows_read == 21_645 * 60  # hours × minutes in each wide file
    assert len(run.report.files[0].participants) == 33


def test_progress_is_reported_in_rows(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "steps.csv",
        """
        Id,ActivityMinute,Steps
        1,4/12/2016 7:00:00 AM,5
        1,4/12/2016 7:01:00 AM,-5
        """,
    )
    seen: list[int] = []
    daily_from_files([path], "fitabase", on_rows=seen.append, options=ReadOptions(batch_rows=1))
    assert sum(seen) == 2


def test_one_partition_is_a_pure_function_of_its_minutes() -> None:
    frame = pl.concat(
        [
            minutes(dt.datetime(2024, 1, 10, 8), steps=[120] * 40),
            minutes(dt.datetime(2024, 1, 10, 8), steps=[100] * 10),  # overlapping export
        ]
    )
    daily, duplicates = summarise_partition(frame)
    assert daily.row(0, named=True)["steps"] == 40 * 120
    assert duplicates.steps == 10
    assert duplicates.conflicting == 10
    again, _ = summarise_partition(frame)
    assert again.equals(daily)
