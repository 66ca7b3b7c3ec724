"""Apple Health export.xml, streamed (fixture: see PROVENANCE.md)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from exonc.errors import ImportFormatError
from exonc.trackers import ReadOptions, daily_from_files, pieces_to_frame
from exonc.trackers.readers import apple_health
from tests.trackers.builders import TRACKERS

EXPORT = TRACKERS / "apple_health" / "export.xml"
OPTIONS = ReadOptions(participant_id="P03")


def test_the_export() -> None:
    run = daily_from_files([EXPORT], "apple-health", options=OPTIONS)
    first, second = run.daily.iter_rows(named=True)
    # iPhone (100/min) and Watch (110/min) recorded the same 10 minutes: the larger is kept
    assert (first["date"], first["steps"]) == (dt.date(2024, 3, 30), 1100)
    # the 10 exercise minutes are moderate; heart rate marks them worn
    assert (first["moderate_minutes"], first["wear_minutes"]) == (10, 10)
    assert run.report.duplicates.steps == 10
    assert run.report.duplicates.conflicting == 10
    # 250 steps over 03:30:00-03:32:30: 100, 100 and 50 (half a minute): 2 moderate, 1 light
    assert (second["steps"], second["moderate_minutes"], second["light_minutes"]) == (250, 2, 1)
    # one heart-rate record of 400 bpm is rejected; the body-mass record is not used
    assert run.report.files[0].reasons == {"heart rate outside the physiological range": 1}


def test_local_time_comes_from_each_record_and_heart_rate_is_a_mean() -> None:
    batches = list(apple_health.read(EXPORT, OPTIONS))
    minutes = pieces_to_frame([p for b in batches for p in b.pieces])
    heart = minutes.filter(pl.col("heart_rate").is_not_null())
    assert heart.select("timestamp", "utc_offset", "heart_rate").rows() == [
        (dt.datetime(2024, 3, 30, 10, 5), 60, 100.0)  # mean of 95 and 105
    ]
    late = minutes.filter(pl.col("timestamp") >= dt.datetime(2024, 3, 31))
    assert late["utc_offset"].unique().to_list() == [120]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('<HealthData><Record type="x"', "not well-formed XML"),
        ("<HealthData><ExportDate value='2024'/></HealthData>", "no Record elements"),
    ],
)
def test_broken_exports(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "export.xml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportFormatError, match=message):
        list(apple_health.read(path, OPTIONS))


def test_bad_records_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "export.xml"
    record = '<Record type="HKQuantityTypeIdentifierStepCount" sourceName="iPhone" {}/>'
    path.write_text(
        "<HealthData>"
        + record.format(
            'startDate="2024-01-01 10:00:00 +0100" endDate="2024-01-01 10:01:00 +0100" value="-3"'
        )
        + record.format('startDate="yesterday" endDate="2024-01-01 10:01:00 +0100" value="3"')
        + record.format(
            'startDate="2024-01-01 10:00:00 +0100" endDate="2024-01-01 10:01:00 +0100" value="n/a"'
        )
        + "</HealthData>",
        encoding="utf-8",
    )
    run = daily_from_files([path], "apple-health", options=OPTIONS)
    assert run.report.files[0].reasons == {
        "steps cannot be negative": 1,
        "unparsable or reversed start/end dates": 1,
        "not a number": 1,
    }
