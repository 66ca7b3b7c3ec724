"""``exonc power mmrm``: JSON contract, quick designs, and bad input stopping before a run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from exonc.cli import app
from exonc.errors import DesignInputError

RUNNER = CliRunner()
EXONC = str(Path(sys.executable).parent / "exonc")
QUICK = ["--visits", "2", "--sd", "10", "--correlation", "0.5", "--effect", "3,5"]


def _run(*args: str) -> Any:
    return RUNNER.invoke(app, ["power", "mmrm", *args])


def test_shipped_design_json_contract() -> None:
    found = _run(
        "preferable-effect",
        "--sims",
        "4",
        "--seed",
        "2",
        "--scheduler",
        "serial",
        "--format",
        "json",
    )
    assert found.exit_code == 0, found.output
    data = json.loads(found.stdout)
    assert {"n_per_arm", "power", "mc_se", "sims", "failed", "seed", "design"} <= set(data)
    assert (data["n_per_arm"], data["sims"], data["seed"]) == (179, 4, 2)
    assert data["design"]["name"] == "preferable-effect"
    assert [o["outcome"] for o in data["outcomes"]][:2] == ["c30_summary", "fa12_physical"]


def test_quick_design_table_and_reproducible_json() -> None:
    args = [
        *QUICK,
        "--dropout",
        "0.1,0.2",
        "--n-per-arm",
        "30",
        "--sims",
        "6",
        "--scheduler",
        "serial",
    ]
    table = _run(*args)
    assert table.exit_code == 0, table.output
    assert "power" in table.stdout
    first = json.loads(_run(*args, "--format", "json").stdout)
    second = json.loads(_run(*args, "--format", "json").stdout)
    assert first == second
    assert first["design"]["contrast_visit"] == "visit2"


def test_target_power_searches_n() -> None:
    found = _run(
        *QUICK, "--target-power", "0.6", "--sims", "6", "--scheduler", "serial", "--format", "json"
    )
    assert found.exit_code == 0, found.output
    data = json.loads(found.stdout)
    assert data["target_power"] == 0.6
    assert data["power"] >= 0.6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--visits", "2", "--sd", "10", "--effect", "3", "--n-per-arm", "20"],
            "--effect: value '3': has 1 values for 2 visits",
        ),
        (
            [*QUICK, "--dropout", "0.1,1.0", "--n-per-arm", "20"],
            "key dropout: value 1.0: must lie in [0, 1)",
        ),
        ([*QUICK, "--n-per-arm", "20", "--target-power", "0.8"], "not both"),
        (["preferable-effect", "--visits", "3"], "--visits describes a quick design"),
        (["nope.toml", "--n-per-arm", "20"], "nope.toml: file not found"),
        ([*QUICK], "give --n-per-arm"),
    ],
)
def test_bad_input_is_refused_before_running(args: list[str], message: str) -> None:
    found = _run(*args, "--scheduler", "serial")
    assert isinstance(found.exception, DesignInputError), found.output
    assert message in str(found.exception)


def test_non_positive_definite_covariance_is_refused() -> None:
    corr = "--correlation"
    found = _run(
        "--visits",
        "3",
        "--sd",
        "1",
        "--structure",
        "cs",
        corr,
        "-0.6",
        "--effect",
        "1,1,1",
        "--n-per-arm",
        "9",
    )
    assert isinstance(found.exception, DesignInputError)
    assert "not positive definite" in str(found.exception)


@pytest.mark.slow
def test_unreachable_scheduler_exits_2_with_one_line() -> None:
    found = subprocess.run(
        [
            EXONC,
            "power",
            "mmrm",
            "preferable-effect",
            "--sims",
            "2",
            "--scheduler",
            "tcp://127.0.0.1:9",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert found.returncode == 2
    assert found.stdout == ""
    assert found.stderr.count("\n") == 1
    assert "cannot reach the Dask scheduler" in found.stderr
