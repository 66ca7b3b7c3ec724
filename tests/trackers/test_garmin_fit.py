"""Garmin FIT monitoring and activity files (built with Garmin's FIT SDK; see PROVENANCE.md)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from exonc.errors import ImportFormatError
from exonc.trackers import ReadOptions, daily_from_files, pieces_to_frame
from exonc.trackers.readers import garmin_fit
from tests.trackers.builders import TRACKERS

FOLDER = TRACKERS / "garmin"
OPTIONS = ReadOptions(participant_id="P02")


def test_a_monitoring_file() -> None:
    run = daily_from_files([FOLDER / "monitoring.fit"], "garmin-fit", options=OPTIONS)
    day = run.daily.row(0, named=True)
    # cumulative walking steps rise by 100 a minute for 20 minutes: 2,000 steps and 20
    # minutes at a cadence of 100 (moderate); heart rate marks all 30 minutes worn
    assert (day["date"], day["steps"], day["moderate_minutes"]) == (dt.date(2024, 6, 1), 2000, 20)
    assert (day["wear_minutes"], day["sedentary_minutes"]) == (30, 10)


def test_timestamp_16_readings_and_the_local_offset() -> None:
    (batch,) = list(garmin_fit.read(FOLDER / "monitoring.fit", OPTIONS))
    minutes = pieces_to_frame(batch.pieces).filter(pl.col("heart_rate").is_not_null())
    # 06:00 UTC is 08:00 local (monitoring_info: +02:00); each minute has a reading of
    # 80 + minute % 3 on the minute and one of 90 thirty seconds later (timestamp_16)
    first = minutes.row(0, named=True)
    assert (first["timestamp"], first["utc_offset"]) == (dt.datetime(2024, 6, 1, 8, 0), 120)
    assert minutes["heart_rate"].to_list()[:3] == [85.0, 85.5, 86.0]


def test_an_activity_file_gives_steps_from_running_cadence() -> None:
    run = daily_from_files([FOLDER / "activity.fit"], "garmin-fit", options=OPTIONS)
    day = run.daily.row(0, named=True)
    # 85 strides a minute is 170 steps a minute (vigorous) for 10 minutes
    assert (day["steps"], day["vigorous_minutes"], day["wear_minutes"]) == (1700, 10, 10)


def test_the_zone_decides_local_time_when_given() -> None:
    options = ReadOptions(participant_id="P02", timezone="America/New_York")
    (batch,) = list(garmin_fit.read(FOLDER / "activity.fit", options))
    first = pieces_to_frame(batch.pieces).row(0, named=True)
    assert (first["timestamp"], first["utc_offset"]) == (dt.datetime(2024, 6, 2, 3, 0), -240)


def test_a_truncated_file_fails_its_checksum(tmp_path: Path) -> None:
    data = (FOLDER / "monitoring.fit").read_bytes()
    path = tmp_path / "cut.fit"
    path.write_bytes(data[: len(data) - 40])
    with pytest.raises(ImportFormatError, match="fails its checksum"):
        list(garmin_fit.read(path, OPTIONS))


def test_a_file_that_is_not_fit(tmp_path: Path) -> None:
    path = tmp_path / "notes.fit"
    path.write_text("not a fit file", encoding="utf-8")
    with pytest.raises(ImportFormatError, match="not a FIT file"):
        list(garmin_fit.read(path, OPTIONS))
