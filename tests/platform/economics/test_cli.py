"""``exonc economics export``: the platform's analysis table from the database."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from exonc.cli import app
from exonc.platform.economics.dataset import columns
from exonc.platform.trial.models import Participant

pytestmark = pytest.mark.django_db
runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["economics", "export", *args])
    return result.exit_code, result.stdout, result.stderr


def test_export_writes_the_table_and_the_command(
    small_trial: list[Participant], tmp_path: Path
) -> None:
    out = tmp_path / "economics.csv"
    code, text, _ = _run("--out", str(out), "--today", "2024-05-02")
    assert code == 0
    assert "wrote 16 participants" in text
    assert f"exonc economics cea {out} --arm arm --reference control" in text
    frame = pd.read_csv(out)
    assert list(frame.columns) == columns()
    assert len(frame) == 16


def test_export_json_summary_and_the_day_of_the_cut(
    small_trial: list[Participant], tmp_path: Path
) -> None:
    out = tmp_path / "economics.csv"
    code, text, _ = _run(
        "--out",
        str(out),
        "--today",
        "2023-05-01",
        "--productivity",
        "human-capital",
        "--format",
        "json",
    )
    assert code == 0
    summary = json.loads(text)
    # on 2023-05-01 nobody randomised on 2023-01-02 had finished follow-up
    assert (summary["rows"], summary["in_follow_up"]) == (0, {"exercise": 8, "control": 8})
    assert summary["columns"] == columns()
    assert summary["command"].startswith(f"exonc economics cea {out}")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--today", "yesterday"], "error: key --today: value 'yesterday': is not a date"),
        (["--productivity", "wage"], "column productivity: value 'wage': choose friction-cost"),
        (["--format", "xml"], "error: --format 'xml'; choose text or json"),
    ],
)
def test_bad_options_exit_2_with_one_line(
    tmp_path: Path, centres: dict, args: list[str], message: str
) -> None:
    out = tmp_path / "economics.csv"
    code, _, err = _run("--out", str(out), *args)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()
