"""``exonc trackers``: export files in, daily / weekly / window tables out, one-line errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import pytest

from exonc.cli import main
from exonc.trackers import DAILY_COLUMNS

REFERENCE = Path(__file__).resolve().parents[1] / "reference" / "trackers"
FITABASE = REFERENCE / "fitabase"


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
def narrow(tmp_path: Path) -> Path:
    path = tmp_path / "minuteStepsNarrow_merged.csv"
    rows = [
        f"7,4/12/2016 {h}:{m:02d}:00 AM,{110 if m < 40 else 0}"
        for h in range(7, 12)
        for m in range(60)
    ]
    path.write_text("Id,ActivityMinute,Steps\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_daily_writes_exactly_the_documented_columns(monkeypatch, capsys, narrow, tmp_path) -> None:  # type: ignore[no-untyped-def]
    output = tmp_path / "out" / "daily.csv"
    code, out, err = run(
        monkeypatch,
        capsys,
        "trackers",
        "daily",
        "--format",
        "fitabase",
        str(narrow),
        "-o",
        str(output),
    )
    assert (code, out) == (0, "")
    assert err.startswith("1 file: 300 rows read, 300 accepted, 0 rejected")
    daily = pd.read_csv(output, dtype=str)
    assert list(daily.columns) == list(DAILY_COLUMNS)
    # five hours of 40 minutes at 110 steps (moderate by cadence) and 20 idle minutes
    assert daily.iloc[0].to_dict() == {
        "participant_id": "7",
        "date": "2016-04-12",
        "wear_minutes": "300",
        "sedentary_minutes": "100",
        "light_minutes": "0",
        "moderate_minutes": "200",
        "vigorous_minutes": "0",
        "active_minutes": "200",
        "steps": "22000",
        "valid_day": "False",
        "goal_met": "True",
    }


def test_daily_as_json_carries_the_report(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    files = [str(FITABASE / "minuteIntensitiesWide_merged.csv")]
    code, out, _ = run(
        monkeypatch,
        capsys,
        "trackers",
        "daily",
        "-f",
        "fitabase",
        *files,
        "--output-format",
        "json",
        "--valid-day-hours",
        "8",
        "--goal-minutes",
        "20",
    )
    document = json.loads(out)
    assert code == 0
    assert document["report"]["files"][0]["rows_read"] == 21_645 * 60
    assert len(document["daily"]) == 919
    assert set(document["daily"][0]) == set(DAILY_COLUMNS)
    assert len(document["daily"][0]["date"]) == 10  # YYYY-MM-DD, as in the CSV


def test_a_folder_of_json_files_with_a_participant(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(
        monkeypatch,
        capsys,
        "trackers",
        "daily",
        "-f",
        "fitbit-json",
        str(REFERENCE / "fitbit_json"),
        "--participant",
        "P01",
        "--timezone",
        "Europe/Amsterdam",
        "--on-error",
        "reject",
    )
    assert code == 0
    assert out.splitlines()[1].startswith("P01,2024-03-30,60,25,0,30,5,35,4000")


def test_a_bad_row_stops_with_one_line_and_exit_code_2(monkeypatch, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "steps.csv"
    path.write_text("Id,ActivityMinute,Steps\n7,4/12/2016 7:00:00 AM,-3\n", encoding="utf-8")
    output = tmp_path / "daily.csv"
    code, _, err = run(
        monkeypatch, capsys, "trackers", "daily", "-f", "fitabase", str(path), "-o", str(output)
    )
    assert code == 2
    assert (
        err == f"error: {path}, row 1, column steps: value '-3': steps cannot be negative "
        "(7 2016-04-12 07:00); correct the file, or read on with rejection "
        "(--on-error reject) and review the report\n"
    )
    assert not output.exists()


def test_rejection_writes_the_report(monkeypatch, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "steps.csv"
    path.write_text(
        "Id,ActivityMinute,Steps\n7,4/12/2016 7:00:00 AM,-3\n7,4/12/2016 7:01:00 AM,3\n",
        encoding="utf-8",
    )
    report = tmp_path / "report.json"
    code, _out, err = run(
        monkeypatch,
        capsys,
        "trackers",
        "daily",
        "-f",
        "fitabase",
        str(path),
        "--on-error",
        "reject",
        "--report",
        str(report),
    )
    assert code == 0
    assert "1 rejected" in err
    written = json.loads(report.read_text())
    assert written["files"][0]["reasons"] == {"steps cannot be negative": 1}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-f", "polar", "x.csv"], "unknown tracker format"),
        (["-f", "fitabase", "missing.csv"], "missing.csv: file not found"),
        (
            ["-f", "garmin-fit", str(REFERENCE / "garmin" / "activity.fit")],
            "do not name the participant",
        ),
        (
            [
                "-f",
                "fitabase",
                str(FITABASE / "minuteStepsWide_merged.csv"),
                "--timezone",
                "Europe/Nowhere",
            ],
            "unknown time zone",
        ),
    ],
)
def test_usage_errors_are_one_line(monkeypatch, capsys, args, message) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(monkeypatch, capsys, "trackers", "daily", *args)
    assert code == 2
    assert message in err
    assert err.count("\n") == 1


def test_a_mapping_file_for_plain_csv(monkeypatch, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "export.csv"
    data.write_text("subject,time,hr,steps\nS1,2024-05-02 09:00,80,120\n", encoding="utf-8")
    mapping = tmp_path / "map.toml"
    mapping.write_text(
        'participant_id = "subject"\ntimestamp = "time"\nheart_rate = "hr"\nsteps = "steps"\n',
        encoding="utf-8",
    )
    code, out, _ = run(
        monkeypatch, capsys, "trackers", "daily", "-f", "csv", str(data), "--mapping", str(mapping)
    )
    assert code == 0
    assert out.splitlines()[1] == "S1,2024-05-02,1,0,0,1,0,1,120,False,False"
    mapping.write_text('colour = "red"\n', encoding="utf-8")
    code, _, err = run(
        monkeypatch, capsys, "trackers", "daily", "-f", "csv", str(data), "--mapping", str(mapping)
    )
    assert code == 2
    assert "map.toml, key colour: unknown key" in err


def test_weekly_and_windows_from_a_daily_file(monkeypatch, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    daily = tmp_path / "daily.csv"
    run(
        monkeypatch,
        capsys,
        "trackers",
        "daily",
        "-f",
        "fitabase",
        str(FITABASE / "minuteIntensitiesWide_merged.csv"),
        str(FITABASE / "minuteStepsWide_merged.csv"),
        "-o",
        str(daily),
    )
    code, out, _ = run(monkeypatch, capsys, "trackers", "weekly", str(daily))
    assert code == 0
    assert out.splitlines()[1].startswith("1503960366,2016-04-11,5,5,5,")
    randomised = tmp_path / "rand.csv"
    randomised.write_text(
        "participant_id,randomisation_date\n1503960366,2016-04-20\n", encoding="utf-8"
    )
    code, out, _ = run(
        monkeypatch, capsys, "trackers", "windows", str(daily), "--randomisation", str(randomised)
    )
    lines = out.splitlines()
    assert code == 0
    assert len(lines) == 5
    # baseline: 6-19 April holds 13-19 April (the export starts on the 13th), all 7 valid
    assert lines[1].startswith("1503960366,baseline,2016-04-06,2016-04-20,7,7,7,")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'Id,ActivityMinute,Steps\n"7,4/12/2016 7:00:00 AM,3\n7,4/12/2016 7:01:00 AM,4\n',
            "row 1: no data line has the header's 3 cells (looked at 1)",
        ),
        (
            "Id,Id,ActivityMinute,Steps\n7,7,4/12/2016 7:00:00 AM,3\n",
            "column Id: the header names this column twice",
        ),
    ],
    ids=["unbalanced-quote", "repeated-id-column"],
)
def test_fitabase_files_that_cannot_be_split_stop_with_one_line(  # type: ignore[no-untyped-def]
    monkeypatch, capsys, tmp_path, text, message
) -> None:
    # issue 16 item 8: these were an IndexError and a DuckDB BinderException
    path = tmp_path / "minuteStepsNarrow_merged.csv"
    path.write_text(text, encoding="utf-8")
    code, out, err = run(monkeypatch, capsys, "trackers", "daily", "-f", "fitabase", str(path))
    assert code == 2
    assert out == ""
    assert err.startswith(f"error: {path}, {message}")
    assert err.count("\n") == 1
