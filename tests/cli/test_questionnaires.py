"""``exonc score``: files in, scores out, one-line errors with exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from exonc.cli import main

HADS_HEADER = "id," + ",".join(f"q{i}" for i in range(1, 15))


def run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    """Run the console entry point in-process: (exit code, stdout, stderr)."""
    monkeypatch.setattr(sys, "argv", ["exonc", *args])
    try:
        main()
        code = 0
    except SystemExit as stop:
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def hads_csv(tmp_path: Path) -> Path:
    path = tmp_path / "hads.csv"
    path.write_text(
        f"{HADS_HEADER}\nA,0,1,2,3,0,1,2,3,0,1,2,3,0,1\nB,3,3,3,3,3,3,3,3,3,3,3,3,3,\n",
        encoding="utf-8",
    )
    return path


def test_scores_a_csv_keeping_every_input_column(monkeypatch, capsys, hads_csv, tmp_path) -> None:
    output = tmp_path / "out" / "scores.csv"
    code, out, err = run(monkeypatch, capsys, "score", "hads", str(hads_csv), "-o", str(output))
    assert (code, out, err) == (0, "", "")
    scored = pd.read_csv(output, dtype=str, keep_default_na=False)
    assert list(scored.columns) == [*HADS_HEADER.split(","), "ANXIETY", "DEPRESSION"]
    # row A: odd items 0+2+0+2+0+2+0 = 6, even items 1+3+1+3+1+3+1 = 13; row B: q14 empty
    assert scored[["id", "ANXIETY", "DEPRESSION"]].values.tolist() == [
        ["A", "6.0", "13.0"],
        ["B", "21.0", ""],
    ]
    assert scored["q14"].tolist() == ["1", ""]


def test_fa12_subscales_are_named_provisional(monkeypatch, capsys, tmp_path) -> None:
    path = tmp_path / "fa12.csv"
    header = ",".join(f"q{i}" for i in range(1, 13))
    path.write_text(f"{header}\n{','.join(['1'] * 12)}\n", encoding="utf-8")
    code, out, err = run(monkeypatch, capsys, "score", "qlq-fa12", str(path), "--format", "json")
    assert code == 0
    assert "PHYSICAL, EMOTIONAL, COGNITIVE: provisional item map" in err
    document = json.loads(out)
    assert document["provisional"] == ["PHYSICAL", "EMOTIONAL", "COGNITIVE"]
    assert "provisional item map" in document["warnings"][0]
    # (instruments without provisional scores print nothing: the first test's err == "")


def test_scores_reference_answers_to_stdout(monkeypatch, capsys, reference_dir) -> None:
    reference = reference_dir / "questionnaires" / "eq5d_5l_public.csv"
    code, out, _ = run(
        monkeypatch, capsys, "score", "eq-5d-5l", str(reference), "--value-set", "DE"
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0].endswith(",England,utility")
    assert lines[2].startswith("5,5,5,5,5,")
    assert float(lines[2].rsplit(",", 1)[1]) == pytest.approx(-0.661, abs=0.0005)


def test_a_json_output_name_writes_the_document(monkeypatch, capsys, hads_csv, tmp_path) -> None:
    output = tmp_path / "scores.json"
    code, _, _ = run(monkeypatch, capsys, "score", "hads", str(hads_csv), "-o", str(output))
    assert code == 0
    assert json.loads(output.read_text())["instrument"] == "hads"


def test_json_is_one_document(monkeypatch, capsys, hads_csv) -> None:
    code, out, _ = run(monkeypatch, capsys, "score", "hads", str(hads_csv), "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["scoring_id"] == "hads/1983/1"
    assert document["n_rows"] == 2
    assert document["scores"][1]["DEPRESSION"] is None
    assert document["scores"][0]["id"] == "A"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("C,0,1,2,5,0,1,2,3,0,1,2,3,0,1", "row 3, column q4: value '5': is outside the range 0–3"),
        ("C,0,1,2,3,0,1,two,3,0,1,2,3,0,1", "row 3, column q7: value 'two': is not a number"),
    ],
)
def test_invalid_answers_exit_2_with_one_line(monkeypatch, capsys, hads_csv, row, message) -> None:
    hads_csv.write_text(hads_csv.read_text() + row + "\n", encoding="utf-8")
    code, out, err = run(monkeypatch, capsys, "score", "hads", str(hads_csv))
    assert code == 2
    assert out == ""
    assert err.startswith(f"error: {hads_csv}, {message}")
    assert err.count("\n") == 1


def test_invalid_missing_reports_the_count(monkeypatch, capsys, hads_csv) -> None:
    hads_csv.write_text(
        hads_csv.read_text() + "C,0,1,2,5,0,1,two,3,0,1,2,3,0,1\n", encoding="utf-8"
    )
    code, out, err = run(monkeypatch, capsys, "score", "hads", str(hads_csv), "--invalid=missing")
    assert code == 0
    assert out.splitlines()[3].endswith(",,")  # both scores missing for row C
    assert err.startswith(f"note: {hads_csv}: 2 invalid answers scored as missing (first: row 3")


def test_missing_column_exits_2(monkeypatch, capsys, tmp_path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("MO,SC,UA,PD\n1,1,1,1\n", encoding="utf-8")
    code, _, err = run(monkeypatch, capsys, "score", "eq-5d-5l", str(path), "--value-set", "NL")
    assert code == 2
    assert err == f"error: {path}: missing column AD; eq-5d-5l needs the columns MO SC UA PD AD\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["score", "sf-36", "x.csv"], "error: unknown instrument 'sf-36'"),
        (["score", "hads"], "error: no INPUT file given"),
        (["score", "hads", "absent.csv"], "error: absent.csv: file not found"),
        (["score", "hads", "--list-value-sets"], "error: hads has no value sets"),
    ],
)
def test_usage_problems_exit_2(monkeypatch, capsys, args, message) -> None:
    code, _, err = run(monkeypatch, capsys, *args)
    assert code == 2
    assert err.startswith(message)


def test_eq_5d_without_a_value_set_exits_2(monkeypatch, capsys, reference_dir) -> None:
    reference = reference_dir / "questionnaires" / "eq5d_5l_public.csv"
    code, _, err = run(monkeypatch, capsys, "score", "eq-5d-5l", str(reference))
    assert code == 2
    assert "eq-5d-5l needs a value set; choose one with --value-set" in err


def test_lists_value_sets_with_publications(monkeypatch, capsys) -> None:
    code, out, _ = run(monkeypatch, capsys, "score", "eq-5d-5l", "--list-value-sets")
    assert code == 0
    for code_ in ("NL", "DE", "ES", "PL", "SE", "SE2020", "AU", "ENG"):
        assert f" {code_} " in f" {out} "
    assert "Versteegh" in out
    code, out, _ = run(
        monkeypatch, capsys, "score", "eq-5d-5l", "--list-value-sets", "--format", "json"
    )
    listed = json.loads(out)
    assert listed[0] == {
        "code": "NL",
        "name": "Netherlands",
        "country": "Netherlands",
        "year": 2016,
        "publication": "Versteegh et al. 2016, Value Health",
        "doi": "10.1016/j.jval.2016.01.003",
    }


def test_parquet_in_and_out(monkeypatch, capsys, tmp_path) -> None:
    frame = pd.DataFrame({f"q{i}": [1, 4] for i in range(1, 13)} | {"pid": ["a", "b"]})
    frame.loc[1, "q12"] = None
    source, target = tmp_path / "fa12.parquet", tmp_path / "scores.parquet"
    frame.to_parquet(source)
    code, _, _ = run(monkeypatch, capsys, "score", "qlq-fa12", str(source), "-o", str(target))
    assert code == 0
    scored = pd.read_parquet(target)
    assert scored["pid"].tolist() == ["a", "b"]
    assert scored["TOTAL"].tolist() == [0.0, 100.0]
    assert scored["SOCIAL"].isna().tolist() == [False, True]


EXONC = Path(sys.executable).with_name("exonc")


@pytest.mark.slow  # starts a Python process (several seconds on a loaded machine)
@pytest.mark.skipif(not EXONC.exists(), reason="the console script is not installed")
def test_the_console_script_exits_2_on_bad_input(hads_csv: Path) -> None:
    hads_csv.write_text(hads_csv.read_text() + "C,9,1,2,3,0,1,2,3,0,1,2,3,0,1\n", encoding="utf-8")
    done = subprocess.run(
        [str(EXONC), "score", "hads", str(hads_csv)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "row 3, column q1: value '9'" in done.stderr
