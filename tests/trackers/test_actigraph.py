"""ActiGraph .agd and .gt3x files (fixtures: see PROVENANCE.md)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from exonc.errors import ImportFormatError
from exonc.trackers import TROIANO_2008, ReadOptions, daily_from_files
from tests.trackers.builders import TRACKERS

FOLDER = TRACKERS / "actigraph"


def test_an_agd_file_with_freedson_cut_points() -> None:
    run = daily_from_files([FOLDER / "P04.agd"], "actigraph")
    day = run.daily.row(0, named=True)
    # 15-s epochs summed per minute: 4 × 600 = 2,400 counts/min for 10 minutes (moderate,
    # Freedson 1952-5724), 4 × 1,500 = 6,000 for 5 minutes (vigorous, >= 5725), 40 otherwise
    assert day["participant_id"] == "P04"  # the file's subject name
    assert (day["moderate_minutes"], day["vigorous_minutes"], day["sedentary_minutes"]) == (
        10,
        5,
        15,
    )
    assert day["steps"] == 10 * 4 * 25 + 5 * 4 * 35  # 1,700


def test_troiano_cut_points_are_an_option() -> None:
    options = ReadOptions(count_cut_points=TROIANO_2008)
    day = daily_from_files([FOLDER / "P04.agd"], "actigraph", options=options).daily.row(
        0, named=True
    )
    # 6,000 counts/min is vigorous for Troiano (>= 5999) too; 2,400 moderate (>= 2020)
    assert (day["moderate_minutes"], day["vigorous_minutes"]) == (10, 5)


def test_the_zone_gives_offsets_for_the_device_clock() -> None:
    options = ReadOptions(timezone="Europe/Stockholm", participant_id="SE-01")
    run = daily_from_files([FOLDER / "P04.agd"], "actigraph", options=options)
    assert run.daily["participant_id"].to_list() == ["SE-01"]
    assert run.daily["date"].to_list() == [dt.date(2024, 1, 15)]


def test_a_gt3x_file_through_actigraphs_counts() -> None:
    pytest.importorskip("pygt3x")
    pytest.importorskip("agcounts")
    day = daily_from_files([FOLDER / "P05.gt3x"], "actigraph").daily.row(0, named=True)
    # one still minute (no counts: sedentary), two minutes of a 0.8 g swing at 2 Hz
    assert (day["participant_id"], day["sedentary_minutes"], day["vigorous_minutes"]) == (
        "P05",
        1,
        2,
    )


def test_a_damaged_agd_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.agd"
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 50)
    with pytest.raises(ImportFormatError, match=r"not a readable \.agd database"):
        daily_from_files([path], "actigraph", options=ReadOptions(keep_going=False))


def test_an_agd_file_with_a_bad_epoch_length(tmp_path: Path) -> None:
    path = tmp_path / "odd.agd"
    with sqlite3.connect(path) as connection:
        connection.execute(
            "CREATE TABLE settings (settingID INTEGER, settingName TEXT, settingValue TEXT)"
        )
        connection.execute("INSERT INTO settings VALUES (1, 'epochlength', '7')")
        connection.execute("CREATE TABLE data (dataTimestamp INTEGER, axis1 INTEGER)")
    with pytest.raises(ImportFormatError, match="epoch length"):
        daily_from_files([path], "actigraph", options=ReadOptions(keep_going=False))


def test_other_files_are_not_actigraph(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("x\n", encoding="utf-8")
    with pytest.raises(ImportFormatError, match="not an ActiGraph file"):
        daily_from_files([path], "actigraph", options=ReadOptions(keep_going=False))
