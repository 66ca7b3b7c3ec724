"""``exonc economics cea`` and ``psa``: the JSON contracts and one-line errors with exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from exonc.cli import app

REL = 1e-9  # tests/reference/economics/PROVENANCE.md
UTILITY = [
    "--utility",
    "u_m0@0",
    "--utility",
    "u_m3@3",
    "--utility",
    "u_m6@6",
    "--utility",
    "u_m9@9",
]
COSTS = ["--cost", "cost_intervention", "--cost", "cost_healthcare", "--cost", "cost_productivity"]


@pytest.fixture(scope="module")
def folder(reference_dir: Path) -> Path:
    return reference_dir / "economics"


@pytest.fixture(scope="module")
def expected(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / "cea_public_expected.json").read_text())
    return data


def _run(*args: str) -> Any:
    return CliRunner().invoke(app, ["economics", *args])


def _cea(path: Path, *extra: str) -> Any:
    return _run(
        "cea", str(path), "--arm", "arm", "--reference", "control", "--id", "pid", *UTILITY,
        *COSTS, *extra,
    )  # fmt: skip


def test_cea_json_matches_the_reference(folder: Path, expected: dict[str, Any]) -> None:
    result = _cea(
        folder / "cea_public_patients.csv", "--wtp", "20000,50000,80000", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    for key in ("n", "mean_qaly", "mean_cost", "inmb"):
        assert out[key] == pytest.approx(expected[key], rel=REL), key
    for key in ("delta_qaly_unadjusted", "delta_qaly_adjusted", "delta_cost", "icer"):
        assert out[key] == pytest.approx(expected[key], rel=REL), key
    assert "ceac" not in out


def test_wtp_keys_are_kept_as_written(folder: Path) -> None:
    result = _cea(folder / "cea_public_patients.csv", "--wtp", "2e4, 50000.0", "--format", "json")
    out = json.loads(result.stdout)
    assert list(out["inmb"]) == ["2e4", "50000.0"]


def test_cea_bootstrap_ceac(folder: Path) -> None:
    # cea_public_bootstrap_ceac.json (independent loop, 100,000 replicates): ±0.02
    reference = json.loads((folder / "cea_public_bootstrap_ceac.json").read_text())
    expected = {row["wtp"]: row["probability"] for row in reference["ceac"]}
    result = _cea(
        folder / "cea_public_patients.csv",
        *("--wtp", "20000,50000,80000", "--bootstrap", "5000", "--seed", "42", "--format", "json"),
    )
    out = json.loads(result.stdout)
    assert [row["wtp"] for row in out["ceac"]] == [20000, 50000, 80000]
    for row in out["ceac"]:
        assert row["probability"] == pytest.approx(expected[row["wtp"]], abs=0.02)
    assert out["seed"] == 42
    assert set(out["evpi"]) == {"20000", "50000", "80000"}


def test_unadjusted_bootstrap_on_request(folder: Path) -> None:
    result = _cea(
        folder / "cea_public_patients.csv",
        *("--bootstrap", "300", "--bootstrap-qaly", "unadjusted", "--format", "json"),
    )
    assert json.loads(result.stdout)["bootstrap"]["adjusted"] is False


def test_cea_text_and_figure_files(folder: Path, tmp_path: Path) -> None:
    plane, curves = tmp_path / "plane.csv", tmp_path / "curves.csv"
    result = _cea(
        folder / "cea_public_patients.csv",
        *("--bootstrap", "200", "--plane", str(plane), "--curves", str(curves)),
    )
    assert result.exit_code == 0, result.output
    assert "exercise vs control" in result.stdout
    assert "P(cost-effective at 80000)" in result.stdout
    assert list(pd.read_csv(plane).columns) == ["replicate", "delta_qaly", "delta_cost"]
    assert list(pd.read_csv(curves).columns) == [
        "wtp",
        "strategy",
        "ceac",
        "ceaf",
        "optimal",
        "evpi",
    ]
    assert len(pd.read_csv(curves)) == 100


def test_psa_json_matches_the_reference(folder: Path, expected: dict[str, Any]) -> None:
    result = _run(
        "psa",
        str(folder / "cea_public_psa.csv"),
        "--reference",
        "usual_care",
        "--wtp",
        "20000,50000,80000",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert list(out) == ["20000", "50000", "80000"]
    for k, reference in expected["psa"].items():
        assert out[k]["enb"] == pytest.approx(reference["enb"], rel=REL)
        assert out[k]["evpi"] == pytest.approx(reference["evpi"], rel=REL)
        assert out[k]["best"] == reference["best"]
        for strategy, values in reference["vs_usual_care"].items():
            assert out[k]["vs_reference"][strategy] == pytest.approx(values, rel=REL)


def test_psa_text(folder: Path) -> None:
    result = _run("psa", str(folder / "cea_public_psa.csv"), "--reference", "usual_care")
    assert result.exit_code == 0, result.output
    assert "best group_1to4" in result.stdout


def _bad_copy(folder: Path, tmp_path: Path, row: int, column: str, value: str) -> Path:
    frame = pd.read_csv(folder / "cea_public_patients.csv", dtype=str, keep_default_na=False)
    frame.loc[row - 1, column] = value
    path = tmp_path / "bad.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (
            4,
            "cost_healthcare",
            "-12.5",
            "row 4, column cost_healthcare: value '-12.5': cost is negative",
        ),
        (
            7,
            "u_m3",
            "1.5",
            "row 7, column u_m3: value '1.5': utility outside the value set's range",
        ),
        (9, "u_m9", "-0.9", "row 9, column u_m9: value '-0.9': utility outside"),
        (2, "arm", "", "row 2, column arm: is empty"),
        (3, "u_m6", "", "row 3, column u_m6: is missing"),
        (
            5,
            "cost_productivity",
            "n/a",
            "row 5, column cost_productivity: value 'n/a': is not a cost",
        ),
    ],
)
def test_bad_cells_exit_2_with_one_line(
    folder: Path, tmp_path: Path, row: int, column: str, value: str, message: str
) -> None:
    result = _cea(_bad_copy(folder, tmp_path, row, column, value))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert message in result.stderr
    assert "bad.csv" in result.stderr


def test_empty_arm_exits_2(folder: Path, tmp_path: Path) -> None:
    frame = pd.read_csv(folder / "cea_public_patients.csv", dtype=str)
    path = tmp_path / "one_arm.csv"
    frame[frame["arm"] == "control"].to_csv(path, index=False)
    result = _cea(path)
    assert result.exit_code == 2
    assert "no other arm (it is empty)" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--reference", "placebo"], "reference arm 'placebo' has no patients"),
        (["--utility", "u_m3"], "is not COLUMN@MONTHS"),
        (["--wtp", "20000,lots"], "willingness to pay 'lots' is not a number"),
        (["--missing", "guess"], "--missing 'guess'"),
        (["--bootstrap-qaly", "both"], "--bootstrap-qaly 'both'"),
        (["--format", "xml"], "--format 'xml'"),
        (["--plane", "x.csv"], "--plane and --curves need --bootstrap N"),
    ],
)
def test_bad_options_exit_2(folder: Path, args: list[str], message: str) -> None:
    result = _cea(folder / "cea_public_patients.csv", *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_months_out_of_order_exit_2(folder: Path) -> None:
    result = _run(
        "cea",
        str(folder / "cea_public_patients.csv"),
        "--arm",
        "arm",
        "--reference",
        "control",
        *("--id", "pid"),
        *("--utility", "u_m0@0", "--utility", "u_m6@6", "--utility", "u_m3@3"),
        *COSTS,
    )
    assert result.exit_code == 2
    assert "months out of order: u_m3@3 comes after u_m6@6" in result.stderr


def test_psa_bad_input_exit_2(folder: Path, tmp_path: Path) -> None:
    result = _run("psa", str(folder / "cea_public_psa.csv"), "--reference", "nobody")
    assert result.exit_code == 2
    assert "unknown strategy 'nobody'" in result.stderr
    lonely = tmp_path / "draws.csv"
    lonely.write_text("e.a,c.a,e.b\n1,2,3\n")
    result = _run("psa", str(lonely), "--reference", "a")
    assert result.exit_code == 2
    assert "column e.b has no matching c.b" in result.stderr


def test_installed_command_exits_2(folder: Path, tmp_path: Path) -> None:
    bad = _bad_copy(folder, tmp_path, 4, "cost_healthcare", "-1")
    exonc = Path(sys.executable).parent / "exonc"
    args = [
        "economics",
        "cea",
        str(bad),
        "--arm",
        "arm",
        "--reference",
        "control",
        *("--id", "pid"),
        *UTILITY,
        *COSTS,
    ]
    done = subprocess.run([str(exonc), *args], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert done.stderr.startswith("error: ")
    assert "cost is negative" in done.stderr
