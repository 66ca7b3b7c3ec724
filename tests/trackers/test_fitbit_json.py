"""Fitbit account-archive and Web API JSON files (fixtures: see PROVENANCE.md)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from exonc.errors import ImportFormatError
from exonc.trackers import ReadOptions, daily_from_files
from tests.trackers.builders import TRACKERS

FOLDER = TRACKERS / "fitbit_json"
OPTIONS = ReadOptions(participant_id="P01", timezone="Europe/Amsterdam")


def test_the_archive_steps_and_heart_rate_files() -> None:
    files = [FOLDER / "steps-2024-03-30.json", FOLDER / "heart_rate-2024-03-30.json"]
    run = daily_from_files(files, "fitbit-json", options=OPTIONS)
    day = run.daily.row(0, named=True)
    # steps: 30 minutes × 110 + 5 × 140 = 4,000; cadence 110 is moderate, 140 vigorous
    assert (day["steps"], day["moderate_minutes"], day["vigorous_minutes"]) == (4000, 30, 5)
    # heart rate (UTC 07:00-07:59 = 08:00-08:59 CET) marks all 60 minutes worn
    assert (day["wear_minutes"], day["sedentary_minutes"]) == (60, 25)
    # one reading of 400 bpm is rejected before the minute's mean is taken
    assert run.report.files[1].reasons == {"heart rate outside the physiological range": 1}
    assert run.report.files[1].examples[0].row == 8


def test_an_api_day_on_the_spring_clock_change() -> None:
    run = daily_from_files([FOLDER / "api-2024-03-31.json"], "fitbit-json", options=OPTIONS)
    day = run.daily.row(0, named=True)
    assert day["date"] == dt.date(2024, 3, 31)
    # 03:10-03:19: level 2 (moderate), 100 steps a minute
    assert (day["moderate_minutes"], day["steps"]) == (10, 1000)
    # 01:00-01:59 CET and 03:00-03:09 CEST are one 70-minute idle run (not worn); the
    # 40 idle minutes after 03:19 are too short a run: 10 + 40 worn minutes
    assert day["wear_minutes"] == 50


def test_heart_rate_in_utc_needs_the_time_zone() -> None:
    with pytest.raises(ImportFormatError, match="needs the time zone"):
        daily_from_files(
            [FOLDER / "heart_rate-2024-03-30.json"],
            "fitbit-json",
            options=ReadOptions(participant_id="P01", keep_going=False),
        )


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "steps-2024-01-01.json",
            '[{"dateTime": "01/01/24 00:00:00", "value": "1"',
            "not valid JSON",
        ),
        ("sleep-2024-01-01.json", "[]", "not a supported Fitbit archive file"),
        ("steps-2024-01-01.json", '"hello"', "not a Fitbit export file"),
        ("day.json", '{"activities-steps-intraday": {"dataset": []}}', "has no date"),
    ],
)
def test_files_that_are_not_fitbit_exports(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportFormatError, match=message):
        daily_from_files(
            [path], "fitbit-json", options=ReadOptions(participant_id="P1", keep_going=False)
        )


def test_bad_entries_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "steps-2024-01-01.json"
    entries = [
        {"dateTime": "01/01/24 10:00:00", "value": "5"},
        {"dateTime": "2024-01-01 10:01", "value": "5"},
        {"dateTime": "01/01/24 10:02:00", "value": "lots"},
        {"dateTime": "01/01/24 10:03:00", "value": "-4"},
    ]
    path.write_text(json.dumps(entries), encoding="utf-8")
    run = daily_from_files([path], "fitbit-json", options=ReadOptions(participant_id="P1"))
    (report,) = run.report.files
    assert (report.rows_read, report.accepted, report.rejected) == (4, 1, 3)
    assert {e.row for e in report.examples} == {2, 3, 4}


def test_the_participant_must_be_given() -> None:
    with pytest.raises(ImportFormatError, match="do not name the participant"):
        daily_from_files(
            [FOLDER / "steps-2024-03-30.json"], "fitbit-json", options=ReadOptions(keep_going=False)
        )
