"""``exonc exercise plan --participant`` and ``exonc exercise adherence --database``."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from exonc.cli import app
from exonc.platform.accounts.models import User
from exonc.platform.exercise import session_services as sessions
from exonc.platform.exercise.models import ExerciseProfile
from exonc.platform.trial.models import Participant
from tests.platform.conftest import TODAY
from tests.platform.exercise.conftest import leg_press, session

pytestmark = pytest.mark.django_db
runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["exercise", *args])
    return result.exit_code, result.stdout, result.stderr


def test_plan_from_the_database(started: ExerciseProfile) -> None:
    code, out, _ = _run(
        "plan", "--participant", "NL-UTR-001", "--date", "2024-05-02", "--format", "json"
    )
    assert code == 0
    plan = json.loads(out)
    # Week 9, 10-12 reps at 70 % of 74.497 kg → 52.5 kg (see test_services.py).
    assert (plan["week"], plan["prescription_version"]) == (9, 1)
    assert next(r for r in plan["resistance"] if r["exercise"] == "leg_press")["load_kg"] == 52.5
    code, table, _ = _run("plan", "--participant", "NL-UTR-001", "--date", "2024-05-02")
    assert code == 0
    assert "NL-UTR-001 · 2024-05-02 · week 9" in table


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--participant", "NL-UTR-999"], "no participant with this study ID"),
        (["--participant", "NL-UTR-002"], "not the exercise arm"),
        (
            ["--participant", "NL-UTR-001", "--rules", "x.toml"],
            "cannot be combined with --participant",
        ),
        (["--participant", "NL-UTR-001", "--setting", "home"], "no home sessions in week 9"),
        ([], "give a participant file or a study ID"),
    ],
)
def test_plan_refusals_are_one_line(
    started: ExerciseProfile, control: Participant, args: list[str], message: str
) -> None:
    code, _, err = _run("plan", "--date", "2024-05-02", *args)
    assert code == 2
    assert message in err
    assert err.count("\n") == 1


def test_adherence_from_the_database(started: ExerciseProfile, physio: User) -> None:
    participant = started.participant
    sessions.log_session(
        physio, participant, session(resistance=[leg_press(10, 52.5)]), today=TODAY
    )
    missed = session(TODAY.replace(day=1), attendance="missed", missed_reason="ill")
    sessions.log_session(physio, participant, missed, today=TODAY)
    code, out, _ = _run("adherence", "--database")
    assert code == 0
    table = pd.read_csv(io.StringIO(out), dtype={"phase": str})
    overall = table[table["level"] == "all"].iloc[0]
    assert (overall["supervised_scheduled"], overall["supervised_attended"]) == (2, 1)
    assert overall["attendance_rate"] == 0.5
    # Week 9 prescribes 3 × 10 at 70 % h1RM, rounded to 2.5 kg (hand calculation):
    # leg press 52.5, leg curl 0.7 × 26.674 = 18.67 → 17.5, leg extension 0.7 × 33.342 =
    # 23.34 → 22.5, chest press (Epley) 0.7 × 33.333 → 22.5, seated row and lat pulldown
    # 0.7 × 37.249 = 26.07 → 25.0: volume-load 30 × (52.5 + 17.5 + 22.5 + 22.5 + 25 + 25)
    # = 4950 kg per session, both sessions (the missed one counts 0 delivered). Delivered:
    # the leg press only, 3 × 10 × 52.5 = 1575 kg.
    assert overall["rdi_resistance"] == pytest.approx(1575 / 9900, abs=1e-12)
    assert overall["compliance_resistance"] == 0.0
    code, out, _ = _run("adherence", "--database", "--centre", "DE-HEI", "--format", "json")
    assert code == 0
    assert json.loads(out) == []
    code, _, err = _run("adherence", "--database", "--centre", "XX")
    assert code == 2
    assert "unknown centre" in err
    code, _, err = _run("adherence")
    assert code == 2
    assert "give a session-log export" in err
