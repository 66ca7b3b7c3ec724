"""Locked datasets (``exonc.reports.lock``, ``exonc export dataset``): the tables and the
derived ones, the data dictionary, the SHA-256 manifest, pseudonymisation, the cut-off,
read-only files, never writing over a lock, and the report reading a lock."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from exonc.cli import app
from exonc.cli.synth import write_trial
from exonc.errors import InputError
from exonc.reports.data import read_folder
from exonc.reports.lock import LockInfo, cut_at, lock_tables, write_lock
from exonc.synthetic import generate_trial

RUNNER = CliRunner()


@pytest.fixture(scope="module")
def trial(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("trial")
    write_trial(generate_trial(seed=4, participants_n=16), folder)
    return folder


@pytest.fixture(scope="module")
def locked(trial: Path) -> dict[str, pd.DataFrame]:
    return lock_tables(_tables(trial))


def _tables(folder: Path) -> dict[str, pd.DataFrame]:
    return {
        p.stem: pd.read_csv(p, dtype=str, keep_default_na=False, na_values=[""])
        for p in folder.glob("*.csv")
    }


def test_lock_writes_tables_dictionary_and_manifest(trial: Path, tmp_path: Path) -> None:
    out = tmp_path / "lock"
    result = RUNNER.invoke(
        app, ["export", "dataset", "--data-dir", str(trial), "-o", str(out), "--by", "stat"]
    )
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "MANIFEST.json").read_text("utf-8"))
    assert manifest["lock"]["locked_by"] == "stat"
    assert "protocol" in manifest["lock"]["versions"]
    for name in ("participants", "qlq_c30_scores", "adherence", "activity_windows", "economics"):
        assert (out / "csv" / f"{name}.csv").is_file()
        assert (out / "parquet" / f"{name}.parquet").is_file()
    for relative, digest in manifest["files"].items():
        assert hashlib.sha256((out / relative).read_bytes()).hexdigest() == digest
    assert not os.access(out / "csv" / "participants.csv", os.W_OK) or os.geteuid() == 0
    assert not (out / "csv" / "participants.csv").stat().st_mode & 0o222
    dictionary = pd.read_csv(out / "DICTIONARY.csv", keep_default_na=False)
    assert list(dictionary.columns) == [
        "table",
        "column",
        "type",
        "unit",
        "allowed_values",
        "source",
    ]
    age = dictionary[(dictionary["table"] == "participants") & (dictionary["column"] == "age")]
    assert age[["type", "unit"]].values.tolist() == [["integer", "years"]]
    pf = dictionary[(dictionary["table"] == "qlq_c30_scores") & (dictionary["column"] == "PF")]
    assert pf["source"].iloc[0].startswith("derived:")
    parquet = pd.read_parquet(out / "parquet" / "participants.parquet")
    assert len(parquet) == 16
    assert str(parquet["age"].dtype) == "Int64"
    assert parquet["randomised_on"].map(type).eq(str).all()  # ISO dates, as in the CSV


def test_lock_is_pseudonymised_and_keeps_the_synth_columns(
    trial: Path, locked: dict[str, pd.DataFrame]
) -> None:
    tables = _tables(trial)
    assert "birth_year" not in locked["participants"].columns
    assert "tester" not in locked["fitness_tests"].columns
    kept = [c for c in tables["participants"].columns if c != "birth_year"]
    assert list(locked["participants"].columns) == kept


def test_a_lock_is_never_written_over(locked: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    tables = locked
    info = LockInfo("stat", dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    write_lock(tables, tmp_path / "lock", info)
    before = (tmp_path / "lock" / "MANIFEST.json").read_bytes()
    with pytest.raises(InputError, match="never written over"):
        write_lock(tables, tmp_path / "lock", info)
    assert (tmp_path / "lock" / "MANIFEST.json").read_bytes() == before


def test_cut_off_keeps_only_what_was_known(trial: Path) -> None:
    tables = _tables(trial)
    day = sorted(tables["participants"]["randomised_on"])[8]
    cut = cut_at(tables, dt.date.fromisoformat(day))
    assert (cut["participants"]["randomised_on"] <= day).all()
    assert (cut["sessions"]["date"] <= day).all()
    done = cut["visits"]["completed_on"].dropna()
    assert (done <= day).all()


def test_the_report_reads_a_lock(locked: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    out = tmp_path / "lock"
    write_lock(locked, out, LockInfo("stat", dt.datetime.now(dt.UTC)))
    read = read_folder(out)
    assert set(read.tables) >= {"participants", "qlq_c30", "screening", "visits"}
    expected = hashlib.sha256((out / "MANIFEST.json").read_bytes()).hexdigest()
    assert read.sha256 == expected
    assert read.metadata["locked_by"] == "stat"
