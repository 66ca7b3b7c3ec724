"""The Parquet minute store: partitioned, append-only, re-import safe, crash safe."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import polars as pl
import pytest

from exonc.trackers import MinuteStore, daily_from_files
from tests.trackers.builders import FITABASE, write_csv

WHEN = dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.UTC)
HOURS = 1500  # rows taken from each wide file: the first three participants


def _head(name: str, folder: Path) -> Path:
    lines = (FITABASE / name).read_text(encoding="utf-8").splitlines()[: HOURS + 1]
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def intensity(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _head("minuteIntensitiesWide_merged.csv", tmp_path_factory.mktemp("fitabase"))


@pytest.fixture(scope="module")
def steps(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _head("minuteStepsWide_merged.csv", tmp_path_factory.mktemp("fitabase"))


@pytest.fixture
def store(tmp_path: Path) -> MinuteStore:
    return MinuteStore(tmp_path / "store")


def test_an_import_writes_one_file_per_participant_and_a_manifest(
    store: MinuteStore, intensity: Path
) -> None:
    report = store.import_files([intensity], "fitabase", imported_at=WHEN)
    assert report.import_id is not None
    assert report.import_id.startswith("000001-")
    assert len(store.participants()) == 3
    assert len(store.files()) == 3
    assert all(f.parent.parent.name == "minutes" for f in store.files())
    (stored,) = store.imports()
    assert stored.imported_at == WHEN.isoformat()
    assert stored.report["files"][0]["rows_read"] == HOURS * 60


def test_the_same_file_imported_twice_is_detected(
    store: MinuteStore, tmp_path: Path, intensity: Path, steps: Path
) -> None:
    first = store.import_files([intensity], "fitabase")
    copy = tmp_path / "renamed.csv"
    copy.write_bytes(intensity.read_bytes())
    second = store.import_files([copy, steps], "fitabase")
    assert [f.status for f in second.files] == ["already imported", "imported"]
    assert second.files[0].duplicate_of == first.import_id
    assert second.files[0].rows_read == 0
    assert len(store.files()) == 6  # nothing was written for the copy


def test_a_file_listed_twice_in_one_import_is_read_once(
    store: MinuteStore, intensity: Path
) -> None:
    report = store.import_files([intensity, intensity], "fitabase")
    assert [f.status for f in report.files] == ["imported", "already imported"]
    assert report.files[1].duplicate_of == report.import_id


def test_overlapping_exports_are_stored_and_counted_as_duplicates(
    store: MinuteStore, tmp_path: Path
) -> None:
    first = write_csv(
        tmp_path / "a.csv",
        """
        Id,ActivityMinute,Steps
        1,4/12/2016 7:00:00 AM,5
        1,4/12/2016 7:01:00 AM,6
        """,
    )
    second = write_csv(
        tmp_path / "b.csv",
        """
        Id,ActivityMinute,Steps
        1,4/12/2016 7:01:00 AM,8
        1,4/12/2016 7:02:00 AM,9
        """,
    )
    store.import_files([first], "fitabase")
    report = store.import_files([second], "fitabase")
    assert (report.duplicates.steps, report.duplicates.conflicting) == (1, 1)
    assert store.minutes("1").height == 4  # append-only: every row kept
    day = store.daily().daily.row(0, named=True)
    assert day["steps"] == 5 + 8 + 9  # the overlapping minute resolved to the larger


def test_the_store_gives_the_same_days_as_the_files(
    store: MinuteStore, intensity: Path, steps: Path
) -> None:
    store.import_files([intensity, steps], "fitabase")
    assert store.daily().daily.equals(daily_from_files([intensity, steps], "fitabase").daily)


def test_queries_with_duckdb_and_polars(store: MinuteStore, intensity: Path) -> None:
    store.import_files([intensity], "fitabase")
    connection = duckdb.connect()
    store.register(connection)
    ((count,),) = connection.sql(
        "SELECT count(*) FROM minutes WHERE participant_id = '1503960366'"
    ).fetchall()
    lazy = store.scan().filter(pl.col("participant_id") == "1503960366").select(pl.len())
    assert count == lazy.collect().item() == store.minutes("1503960366").height


def test_an_interrupted_import_leaves_the_store_as_it_was(
    store: MinuteStore, tmp_path: Path, intensity: Path
) -> None:
    store.import_files([intensity], "fitabase")
    before = (store.root / "manifest.json").read_text()
    # an import that died after moving a file but before committing the manifest
    orphan = store.root / "minutes" / "1503960366" / "000002-deadbeef.parquet"
    orphan.write_bytes(b"half written")
    (store.root / "staging" / "000002-deadbeef").mkdir(parents=True)
    assert orphan not in store.files()
    assert (store.root / "manifest.json").read_text() == before
    assert store.vacuum() == [orphan]
    assert not (store.root / "staging").exists()


def test_a_failed_file_in_an_import_writes_nothing_for_it(
    store: MinuteStore, tmp_path: Path, intensity: Path
) -> None:
    broken = tmp_path / "broken.csv"
    broken.write_text("Id,Day,Steps\n1,x,1\n", encoding="utf-8")
    report = store.import_files([broken, intensity], "fitabase")
    assert [f.status for f in report.files] == ["failed", "imported"]
    manifest = json.loads((store.root / "manifest.json").read_text())
    assert manifest["imports"][0]["report"]["files"][0]["status"] == "failed"
    assert len(store.files()) == 3


def test_an_empty_store() -> None:
    store = MinuteStore(Path("/nonexistent/exonc-store"))
    assert store.participants() == []
    assert store.scan().collect().height == 0
    assert store.daily().daily.height == 0
