"""``exonc report`` on a small synthetic trial: the same numbers as ``exonc analyse plan``
and ``exonc economics cea`` on the same data (to the last digit), report.json's structure,
Table 1 against an independent pandas computation, and a PDF whose pages render."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from exonc.cli import app
from exonc.cli.synth import write_trial
from exonc.synthetic import generate_trial

RUNNER = CliRunner()
pytestmark = pytest.mark.slow  # a synthetic trial, mixed models, figures and a PDF: ~30 s

PLAN = """
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
covariates = ["line_of_treatment"]
df = "kenward-roger-linear"
[primary]
visit = "m6"
multiplicity = "holm"
[[outcomes]]
name = "fa12_physical"
label = "QLQ-FA12 physical fatigue"
instrument = "qlq-fa12"
scale = "PHYSICAL"
role = "primary"
[[outcomes]]
name = "c30_summary"
label = "QLQ-C30 summary score"
instrument = "qlq-c30"
scale = "C30_SUMMARY"
role = "primary"
[[outcomes]]
name = "c30_ef"
label = "QLQ-C30 emotional functioning"
instrument = "qlq-c30"
scale = "EF"
[[subgroups]]
name = "bone metastases"
column = "bone_metastases"
[sensitivity]
imputations = 2
seed = 5
per_protocol = "per_protocol"
"""


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(trial folder, plan file, report folder), the report written once."""
    root = tmp_path_factory.mktemp("report")
    data = root / "trial"
    write_trial(generate_trial(seed=3, participants_n=90), data)
    plan = root / "small.toml"
    plan.write_text(PLAN, encoding="utf-8")
    out = root / "out"
    result = RUNNER.invoke(app, ["report", str(data), "-o", str(out), "--plan", str(plan)])
    assert result.exit_code == 0, result.output
    return data, plan, out


@pytest.fixture(scope="module")
def report(folders: tuple[Path, Path, Path]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folders[2] / "report.json").read_text("utf-8"))
    return data


def test_the_report_folder_holds_every_file(folders: tuple[Path, Path, Path]) -> None:
    out = folders[2]
    for name in ("report.html", "report.pdf", "report.json", "economics.csv"):
        assert (out / name).is_file()
    names = {p.stem for p in (out / "figures").glob("*.svg")}
    assert names == {
        "consort",
        "change",
        "forest",
        "adherence",
        "activity",
        "ce_plane",
        "ceac",
        "evpi",
    }
    html = (out / "report.html").read_text("utf-8")
    assert '<img src="data:image/svg+xml;base64,' in html
    assert 'src="http' not in html
    assert 'href="http' not in html


def test_effects_equal_exonc_analyse_plan(
    folders: tuple[Path, Path, Path], report: dict[str, Any]
) -> None:
    data, plan, _ = folders
    result = RUNNER.invoke(app, ["analyse", "plan", str(plan), str(data), "--format", "json"])
    assert result.exit_code == 0, result.output
    command = json.loads(result.stdout)
    for key in ("effects", "subgroups", "interactions", "sensitivity"):
        assert report[key] == command[key], key  # exact: the same floats


def test_cost_effectiveness_equals_exonc_economics_cea(
    folders: tuple[Path, Path, Path], report: dict[str, Any]
) -> None:
    out = folders[2]
    args = report["cost_effectiveness_command"]
    assert args[:4] == ["exonc", "economics", "cea", "economics.csv"]
    result = RUNNER.invoke(app, [*args[1:3], str(out / "economics.csv"), *args[4:]])
    assert result.exit_code == 0, result.output
    command = json.loads(result.stdout)
    command.pop("seed", None)
    assert report["cost_effectiveness"] == command


def test_report_json_structure(report: dict[str, Any]) -> None:
    consort = report["consort"]
    assert consort["assessed"] == consort["randomised"] + consort["excluded_total"]
    assert set(consort["allocated"]) == set(consort["analysed"]) == {"exercise", "control"}
    assert sum(consort["allocated"].values()) == consort["randomised"] == 90
    fields = {
        "variable",
        "level",
        "arm",
        "n",
        "mean",
        "sd",
        "median",
        "q1",
        "q3",
        "count",
        "percent",
    }
    assert all(set(row) == fields for row in report["table1"])
    bone = [r for r in report["table1"] if r["variable"] == "bone_metastases"]
    assert {r["level"] for r in bone} == {"true", "false"}
    assert all(r["mean"] is None and r["count"] is not None for r in bone)
    for key in ("data_sha256", "exonc_version", "plan_sha256", "seeds"):
        assert report["provenance"][key]
    assert report["provenance"]["seeds"]["synthetic_trial"] == 3
    assert report["provenance"]["seeds"]["multiple_imputation"] == 5


def test_table1_matches_an_independent_pandas_computation(
    folders: tuple[Path, Path, Path], report: dict[str, Any]
) -> None:
    """Reference: pandas on the participants CSV read with default types (numbers parsed),
    grouped by arm; tolerance 1e-12 (the same arithmetic in another order)."""
    people = pd.read_csv(folders[0] / "participants.csv")
    rows = {(r["variable"], r["level"], r["arm"]): r for r in report["table1"]}
    for arm, group in people.groupby("arm"):
        age = rows[("age", None, arm)]
        assert age["n"] == group["age"].count()
        assert age["mean"] == pytest.approx(group["age"].mean(), abs=1e-12)
        assert age["sd"] == pytest.approx(group["age"].std(), abs=1e-12)
        assert age["median"] == pytest.approx(group["age"].median())
        assert (age["q1"], age["q3"]) == pytest.approx(tuple(group["age"].quantile([0.25, 0.75])))
        bone = rows[("bone_metastases", "true", arm)]
        assert bone["count"] == int(group["bone_metastases"].sum())
        assert bone["percent"] == pytest.approx(100 * group["bone_metastases"].mean(), abs=1e-12)
        for level, count in group["line_of_treatment"].value_counts().items():
            assert rows[("line_of_treatment", level, arm)]["count"] == count


def test_provisional_scales_are_labelled(report: dict[str, Any]) -> None:
    labels = {r["outcome"]: r["label"] for r in report["effects"]}
    assert labels["fa12_physical"].endswith("(provisional item map)")
    assert "provisional" not in labels["c30_summary"]


def test_consort_counts_follow_the_tables(
    folders: tuple[Path, Path, Path], report: dict[str, Any]
) -> None:
    screening = pd.read_csv(folders[0] / "screening.csv")
    consort = report["consort"]
    assert consort["assessed"] == len(screening)
    excluded = screening["exclusion_reason"].value_counts().to_dict()
    assert consort["excluded"] == excluded
    visits = pd.read_csv(folders[0] / "visits.csv")
    people = pd.read_csv(folders[0] / "participants.csv").set_index("participant_id")["arm"]
    done = visits.dropna(subset=["completed_on"])
    for row in consort["follow_up"]:
        at = done[done["visit"] == row["visit"]]
        assert row["completed"] == int((at["participant_id"].map(people) == row["arm"]).sum())


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_the_pdf_pages_render(folders: tuple[Path, Path, Path], tmp_path: Path) -> None:
    subprocess.run(
        ["pdftoppm", "-png", "-r", "30", str(folders[2] / "report.pdf"), str(tmp_path / "p")],
        check=True,
    )
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) >= 5
