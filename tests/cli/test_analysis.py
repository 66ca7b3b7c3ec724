"""``exonc analyse mmrm``: the JSON contract, formats and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from exonc.cli import app
from exonc.errors import InputError

RUNNER = CliRunner()
EXONC = str(Path(sys.executable).parent / "exonc")
FEV_ARGS = [
    "--subject", "USUBJID", "--visit", "AVISIT", "--arm", "ARMCD", "--outcome", "FEV1",
    "--reference", "PBO", "--covariate", "RACE", "--covariate", "SEX", "--covariate", "FEV1_BL",
]  # fmt: skip


@pytest.fixture(scope="module")
def fev_csv(reference_dir: Path) -> Path:
    return reference_dir / "mmrm" / "fev_data.csv"


@pytest.fixture(scope="module")
def fev_expected(reference_dir: Path) -> dict[str, Any]:
    expected: dict[str, Any] = json.loads(
        (reference_dir / "mmrm" / "fev_expected.json").read_text(encoding="utf-8")
    )
    return expected


def _run(*args: str, env: dict[str, str] | None = None) -> Any:
    return RUNNER.invoke(app, ["analyse", "mmrm", *args], env=env)


def _command(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed command, so that exit codes and stderr are the user's."""
    return subprocess.run(
        [EXONC, "analyse", "mmrm", *args], capture_output=True, text=True, check=False
    )


def test_json_contract_matches_r_mmrm(fev_csv: Path, fev_expected: dict[str, Any]) -> None:
    result = _run(str(fev_csv), *FEV_ARGS, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    expected = fev_expected["Kenward-Roger"]
    for contrast in data["contrasts"]:
        reference = expected["treatment_contrasts"][contrast["visit"]]
        assert contrast["estimate"] == pytest.approx(reference["estimate"], rel=1e-6)
        assert contrast["se"] == pytest.approx(reference["se"], rel=1e-5)
        assert contrast["df"] == pytest.approx(reference["df"], rel=1e-3)
        assert contrast["p"] == pytest.approx(reference["p"], rel=1e-5)
        assert contrast["ci_lower"] < contrast["estimate"] < contrast["ci_upper"]
    assert {row["arm"] for row in data["lsmeans"]} == {"PBO", "TRT"}
    assert {"arm", "visit", "estimate", "se", "df"} <= set(data["lsmeans"][0])
    assert data["log_likelihood"] == pytest.approx(expected["logLik"], abs=1e-6)
    np.testing.assert_allclose(data["covariance"], expected["covariance"], rtol=1e-6)
    assert data["n_subjects"] == 197
    assert data["n_observations"] == 537
    assert data["converged"] is True
    assert data["warnings"] == []


def test_csv_keeps_arm_and_visit(fev_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "contrasts.csv"
    result = _run(str(fev_csv), *FEV_ARGS, "--format", "csv", "--output", str(out))
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert list(table.columns[:3]) == ["ARMCD", "reference", "AVISIT"]
    assert list(table["AVISIT"]) == ["VIS1", "VIS2", "VIS3", "VIS4", "overall"]


def test_table_output(fev_csv: Path) -> None:
    result = _run(str(fev_csv), *FEV_ARGS)
    assert result.exit_code == 0, result.output
    assert "Treatment contrasts" in result.stdout
    assert "LS means" in result.stdout


def test_visit_order_and_structure_options(fev_csv: Path) -> None:
    result = _run(
        str(fev_csv), *FEV_ARGS, "--visit-order", "VIS4,VIS3,VIS2,VIS1",
        "--covariance", "ar1", "--df", "satterthwaite", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [c["visit"] for c in data["contrasts"]] == ["VIS4", "VIS3", "VIS2", "VIS1"]
    assert data["visit_order_source"] == "given"
    assert data["model"]["covariance_type"] == "ar1"


def test_visit_order_is_printed_with_the_results(fev_csv: Path) -> None:
    result = _run(str(fev_csv), *FEV_ARGS, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Visits: VIS1 < VIS2 < VIS3 < VIS4 (natural order of the labels)" in result.stdout


def test_protocol_orders_the_visits(tmp_path: Path, fev_csv: Path) -> None:
    """The shipped protocol's schedule (baseline, m3, m6, m9) orders the visits it names."""
    from exonc.protocol import default_protocol_path

    months = {"VIS1": "m9", "VIS2": "m6", "VIS3": "m3", "VIS4": "baseline"}
    data = pd.read_csv(fev_csv)
    data["AVISIT"] = data["AVISIT"].map(months)
    path = tmp_path / "fev.csv"
    data.to_csv(path, index=False)
    args = [str(path), *FEV_ARGS, "--protocol", str(default_protocol_path()), "--format", "json"]
    result = _run(*args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["visits"] == ["baseline", "m3", "m6", "m9"]
    both = _run(*args, "--visit-order", "m9,m6,m3,baseline")
    assert isinstance(both.exception, InputError)  # exit 2 in exonc.cli.main
    assert "give only one of them" in str(both.exception)


@pytest.mark.slow
def test_bad_input_is_one_line_and_exit_2(fev_csv: Path) -> None:
    result = _command(str(fev_csv), *FEV_ARGS[:-2], "--covariate", "WEIGHTX")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "fev_data.csv, column WEIGHTX: missing column WEIGHTX" in result.stderr


@pytest.mark.slow
def test_non_convergence_prints_results_and_exits_3(tmp_path: Path) -> None:
    rows = [
        {"id": str(i), "visit": visit, "arm": "a" if i % 2 else "b", "y": base + shift}
        for i, base in enumerate([0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0])
        for visit, shift in [("v1", 0.0), ("v2", 1.58 + 0.1 * (i % 2))]
    ]  # the second visit is the first plus a constant per arm: correlation 1
    path = tmp_path / "degenerate.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    result = _command(
        str(path), "--subject", "id", "--visit", "visit", "--arm", "arm", "--outcome", "y",
        "--reference", "b", "--format", "json",
    )  # fmt: skip
    assert result.returncode == 3
    assert json.loads(result.stdout)["converged"] is False
    assert "did not converge" in result.stderr


SMALL_PLAN = """
name = "small"
title = "Small plan"
[data]
participants = "participants.csv"
subject = "participant_id"
arm = "arm"
reference = "control"
visit = "visit"
baseline = "baseline"
visits = ["m3", "m6", "m9"]
[data.instruments]
"qlq-c30" = "qlq_c30.csv"
"qlq-fa12" = "qlq_fa12.csv"
[model]
covariates = ["line_of_treatment", "centre"]
[primary]
visit = "m6"
[[outcomes]]
name = "fa12_physical"
instrument = "qlq-fa12"
scale = "PHYSICAL"
role = "primary"
[[outcomes]]
name = "c30_summary"
label = "QLQ-C30 summary score"
instrument = "qlq-c30"
scale = "C30_SUMMARY"
role = "primary"
[[subgroups]]
name = "age"
column = "age"
below = 50
[sensitivity]
imputations = 3
per_protocol = "per_protocol"
"""


@pytest.fixture
def trial_dir(tmp_path: Path) -> Path:
    from tests.analysis.trial import write_trial

    write_trial(tmp_path)
    return tmp_path


def test_plan_command_writes_tables_and_json(trial_dir: Path) -> None:
    plan = trial_dir / "small.toml"
    plan.write_text(SMALL_PLAN, encoding="utf-8")
    out = trial_dir / "results"
    args = ["analyse", "plan", str(plan), str(trial_dir), "--out", str(out), "--format", "json"]
    result = RUNNER.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["plan"] == "small"
    for name in ("effects", "subgroups", "interactions", "sensitivity"):
        assert (out / f"{name}.csv").exists()
    effects = pd.read_csv(out / "effects.csv")
    assert effects["p_adjusted"].notna().sum() == 2


def test_plan_command_prints_the_primary_visit(trial_dir: Path) -> None:
    plan = trial_dir / "small.toml"
    plan.write_text(SMALL_PLAN, encoding="utf-8")
    args = ["analyse", "plan", str(plan), str(trial_dir)]
    result = RUNNER.invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "QLQ-C30 summary score *" in result.stdout


@pytest.mark.slow
def test_shipped_plan_on_the_synthetic_trial(tmp_path: Path) -> None:
    """`exonc synth` output straight into the plan: item answers are scored on the way."""
    synth = subprocess.run(
        [EXONC, "synth", "--out", str(tmp_path)], capture_output=True, check=False
    )
    assert synth.returncode == 0, synth.stderr
    out = tmp_path / "results"
    result = _plan_command(
        "preferable-effect", str(tmp_path), "--format", "json", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    effects = pd.DataFrame(json.loads(result.stdout)["effects"])
    assert len(effects) == 17 * 3
    month_6 = effects[effects["visit"] == "m6"].set_index("outcome")
    assert -10.0 < month_6.loc["fa12_physical", "estimate"] < -0.6  # published 95% CI
    assert 2.2 < month_6.loc["c30_summary", "estimate"] < 7.4
    assert (out / "results.json").exists()


@pytest.mark.slow
def test_missing_plan_file(trial_dir: Path) -> None:
    missing = _plan_command("no-such-plan.toml", str(trial_dir))
    assert missing.returncode == 2
    assert "no-such-plan.toml: no such plan" in missing.stderr


@pytest.mark.slow
def test_misspelt_plan_exits_2_naming_file_and_key(trial_dir: Path) -> None:
    plan = trial_dir / "typo.toml"
    plan.write_text(
        SMALL_PLAN.replace("[primary]", '[primary]\nmultiplicty = "bonferroni"')
    )  # codespell:ignore
    result = _plan_command(str(plan), str(trial_dir))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert f"{plan}, key primary.multiplicty: unknown key" in result.stderr  # codespell:ignore


def _plan_command(*args: str) -> subprocess.CompletedProcess[str]:
    command = [EXONC, "analyse", "plan", *args]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_the_command_offers_every_structure_and_df_method() -> None:
    """The command declares its choices without importing the numerical stack; they must
    be the analysis package's lists (one home: exonc.analysis.covariance / inference)."""
    from exonc.analysis.covariance import COVARIANCE_TYPES
    from exonc.analysis.inference import DF_METHODS
    from exonc.cli.analysis import Covariance, DegreesOfFreedom

    assert tuple(c.value for c in Covariance) == COVARIANCE_TYPES
    assert tuple(d.value for d in DegreesOfFreedom) == DF_METHODS
