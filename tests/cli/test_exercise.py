"""``exonc exercise``: plan, adherence and the calculators, through the Typer app.

The reference participant (tests/reference/exercise/participant.toml) is planned for
2024-02-08, programme week 5 (6–8 reps at 80–85 % h1RM, 8 × 1 min at 100 % Wpeak):

* leg curl: h1RM 20 / (1.0278 − 0.278) = 26.6738; 0.80 × 26.6738 = 21.339, plus one step of
  2.5 kg earned on 2024-01-10 (3 × 12 at 17.5 kg, RPE 6: top of 10–12) = 23.839 → 25.0 kg;
* leg extension: 0.80 × 33.3422 = 26.674 → 27.5 kg; seated row: 0.80 × 37.2486 = 29.799 → 30.0;
* pelvic lesion L1 → leg press replaced by seated calf raise (no h1RM: no load);
* thoracic lesion L2 → chest press replaced by triceps extension, lat pulldown by biceps curl;
  seated row kept by Dr C. de Vries's override.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from exonc.cli import app

REFERENCE = Path(__file__).parents[1] / "reference" / "exercise"
PARTICIPANT = REFERENCE / "participant.toml"
TODAY = ["--today", "2024-12-31"]
runner = CliRunner()


def _plan_json(*extra: str) -> dict[str, object]:
    result = runner.invoke(
        app,
        [
            "exercise",
            "plan",
            "-f",
            str(PARTICIPANT),
            "--date",
            "2024-02-08",
            *TODAY,
            "--format",
            "json",
            *extra,
        ],
    )
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_plan_prints_the_session_plan_as_json() -> None:
    plan = _plan_json()
    assert (plan["week"], plan["phase"], plan["prescription_version"]) == (5, "intervals-8x1min", 2)
    items = {r["replaces"] or r["exercise"]: r for r in plan["resistance"]}  # type: ignore[attr-defined]
    assert items["leg_curl"]["load_kg"] == 25.0
    assert items["leg_extension"]["load_kg"] == 27.5
    assert (items["seated_row"]["status"], items["seated_row"]["load_kg"]) == ("overridden", 30.0)
    assert (items["leg_press"]["exercise"], items["leg_press"]["load_kg"]) == (
        "seated_calf_raise",
        None,
    )
    assert items["chest_press"]["exercise"] == "triceps_extension"
    assert items["lat_pulldown"]["exercise"] == "biceps_curl"
    assert plan["aerobic"]["main"]["work_watts"] == [160.0, 160.0]  # type: ignore[index]


def test_plan_prints_a_table_with_numbered_notes() -> None:
    result = runner.invoke(
        app, ["exercise", "plan", "-f", str(PARTICIPANT), "--date", "2024-02-08", *TODAY]
    )
    assert result.exit_code == 0, result.output
    assert "P001 · 2024-02-08 · week 5 · supervised · preferable-effect" in result.stdout
    assert "allowed by override of Dr C. de Vries (2024-01-05)" in result.stdout
    assert "restriction L1 (site_rule): pelvis lesion: site rule" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2023-12-01"], "runs for weeks 1–36"),
        (["--date", "08-02-2024"], "key --date: value '08-02-2024': not a date"),
        (["--date", "2024-02-08", "--today", "2024-01-05"], "the session is dated after today"),
        (["--date", "2024-02-08", "--setting", "home"], "no home sessions in week 5"),
        (["--date", "2024-02-08", "--programme", "nope.toml"], "nope.toml: file not found"),
    ],
)
def test_plan_refuses_bad_input_with_one_line_and_exit_2(args: list[str], message: str) -> None:
    today = [] if "--today" in args else TODAY
    result = runner.invoke(app, ["exercise", "plan", "-f", str(PARTICIPANT), *args, *today])
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.startswith("error: ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_adherence_writes_the_table(tmp_path: Path) -> None:
    out = tmp_path / "adherence.csv"
    result = runner.invoke(
        app, ["exercise", "adherence", str(REFERENCE / "sessions.csv"), "-o", str(out), *TODAY]
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    row = table[(table["level"] == "participant") & (table["participant_id"] == "A")].iloc[0]
    assert row["attendance_rate"] == pytest.approx(2 / 3)
    assert row["rdi_resistance"] == pytest.approx(4680 / 6750)


def test_adherence_takes_prescribed_doses_from_exported_plans(tmp_path: Path) -> None:
    plan_file = tmp_path / "p001-2024-02-08.json"
    plan_file.write_text(json.dumps(_plan_json()), encoding="utf-8")
    sessions = tmp_path / "sessions.csv"
    sessions.write_text(
        "participant_id,centre,session_date,week,setting,attendance,component,exercise,sets_reps,load_kg\n"
        "P001,UMCU,2024-02-08,5,supervised,attended,resistance,leg_curl,8/8/8,25\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["exercise", "adherence", str(sessions), str(plan_file), *TODAY, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    row = next(r for r in rows if r["level"] == "participant")
    # delivered 3 × 8 × 25 = 600 kg; prescribed (kg items only) 3·6·25 + 3·6·27.5 + 3·6·30
    # = 450 + 495 + 540 = 1485 kg; aerobic 8 × 60 s × 160 W = 76.8 kJ prescribed, 0 delivered
    assert row["rdi_resistance"] == pytest.approx(600 / 1485)
    assert (row["compliance_resistance"], row["rdi_aerobic"], row["compliance_aerobic"]) == (
        0.0,
        0.0,
        0.0,
    )


def test_adherence_refuses_a_bad_export(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "participant_id,centre,session_date,week,setting,attendance\nP001,UMCU,2025-02-08,5,supervised,attended\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["exercise", "adherence", str(bad), *TODAY])
    assert result.exit_code == 2
    assert (
        "bad.csv, row 1, column session_date: value '2025-02-08': is after today" in result.stderr
    )
    missing = runner.invoke(app, ["exercise", "adherence", str(tmp_path / "none.csv"), *TODAY])
    assert missing.exit_code == 2
    assert "file not found" in missing.stderr


def test_h1rm_calculator() -> None:
    result = runner.invoke(
        app, ["exercise", "h1rm", "--load", "50", "--reps", "8", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    brzycki, epley = json.loads(result.stdout)
    # Brzycki 50 / 0.8054 = 62.08 → 70 % = 43.46 → 42.5; Epley 63.33 → 70 % = 44.33 → 45.0
    assert (brzycki["h1rm_kg"], brzycki["load_70_kg"]) == (62.1, 42.5)
    assert (epley["h1rm_kg"], epley["load_70_kg"]) == (63.3, 45.0)
    refused = runner.invoke(app, ["exercise", "h1rm", "--load", "50", "--reps", "12"])
    assert refused.exit_code == 2
    assert (
        "key --reps: value 12: the Brzycki equation is valid for 2–10 repetitions" in refused.stderr
    )


def test_srt_calculator_gives_the_watts_of_every_phase() -> None:
    result = runner.invoke(
        app, ["exercise", "srt", "--msec", "250", "--wpeak", "160", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    rows = {r["phase"]: r for r in json.loads(result.stdout)}
    assert rows["mict"]["work_watts"] == "80–95 W"
    assert rows["intervals-3x3min"]["work_watts"] == "110 W"
    assert (rows["intervals-8x30s"]["work_watts"], rows["intervals-8x30s"]["rest_watts"]) == (
        "165 W",
        "75 W",
    )
    unknown = runner.invoke(app, ["exercise", "srt", "--msec", "250", "--format", "json"])
    assert json.loads(unknown.stdout)[1]["work_watts"] == "? (100 % WPEAK)"


def test_programme_shows_the_weeks_and_validates_the_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["exercise", "programme", "--format", "json"])
    assert result.exit_code == 0, result.output
    weeks = json.loads(result.stdout)
    assert len(weeks) == 36
    assert (weeks[26]["supervised"], weeks[26]["home"]) == (1, 1)
    broken = tmp_path / "broken.toml"
    broken.write_text('[programme]\nname = "x"\n', encoding="utf-8")
    refused = runner.invoke(app, ["exercise", "programme", str(broken)])
    assert refused.exit_code == 2
    assert "broken.toml, key exercises: missing key" in refused.stderr


EQUATION = """
name = "test fixture (not clinical)"
citation = "none: a test fixture"
population = "none"
[coefficients]
intercept = 10.0
msec_w = 0.5
age_years = -0.5
height_cm = 0.2
female = -10.0
[validity]
msec_w = [100, 500]
age_years = [30, 80]
height_cm = [150, 200]
"""


def test_srt_with_a_configured_equation(tmp_path: Path) -> None:
    equation = tmp_path / "equation.toml"
    equation.write_text(EQUATION, encoding="utf-8")
    args = ["exercise", "srt", "--msec", "250", "--equation", str(equation), "--format", "json"]
    result = runner.invoke(app, [*args, "--sex", "female", "--age", "25", "--height", "165"])
    assert result.exit_code == 0, result.output
    # Wpeak = 10 + 0.5·250 − 0.5·25 + 0.2·165 − 10 = 145.5 W; 100 % Wpeak rounded to the
    # 5 W step: 145.5 / 5 = 29.1 → 29 steps = 145 W
    assert json.loads(result.stdout)[1]["work_watts"] == "145 W"
    assert "age 25 years is outside the range" in result.stderr
    missing = runner.invoke(app, args)
    assert missing.exit_code == 2
    assert "the equation needs --msec, --sex, --age and --height" in missing.stderr


def test_table_output_of_the_calculators() -> None:
    result = runner.invoke(
        app, ["exercise", "h1rm", "--load", "50", "--reps", "8", "--formula", "epley"]
    )
    assert result.exit_code == 0, result.output
    assert "63.3" in result.stdout
    assert "brzycki" not in result.stdout
    weeks = runner.invoke(app, ["exercise", "programme"])
    assert weeks.exit_code == 0
    assert "intervals-8x30s" in weeks.stdout


def test_adherence_refuses_two_plans_for_one_session(tmp_path: Path) -> None:
    plan = _plan_json()
    plans = tmp_path / "plans.json"
    plans.write_text(json.dumps([plan, plan]), encoding="utf-8")
    result = runner.invoke(
        app, ["exercise", "adherence", str(REFERENCE / "sessions.csv"), str(plans), *TODAY]
    )
    assert result.exit_code == 2
    assert "a second plan for P001 on 2024-02-08" in result.stderr
    plans.write_text(json.dumps({"not": "a plan"}), encoding="utf-8")
    result = runner.invoke(
        app, ["exercise", "adherence", str(REFERENCE / "sessions.csv"), str(plans), *TODAY]
    )
    assert result.exit_code == 2
    assert "not a session plan" in result.stderr
