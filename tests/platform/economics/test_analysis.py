"""The health-economics page's analysis: who may run it, its options, and — the contract —
that the export run through ``exonc economics cea`` gives exactly the page's numbers."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from django.test import Client
from typer.testing import CliRunner

from exonc.cli import app
from exonc.economics import ProductivityMethod
from exonc.errors import AccessDenied, EconomicsInputError
from exonc.platform.accounts.models import User
from exonc.platform.economics import analysis
from exonc.platform.trial.models import Participant
from tests.platform.conftest import TODAY

pytestmark = pytest.mark.django_db
runner = CliRunner()


def test_only_statisticians_and_administrators_run_it(
    small_trial: list[Participant], coordinator: User, statistician: User, administrator: User
) -> None:
    options = analysis.Options(bootstrap=0)
    with pytest.raises(AccessDenied, match="only a statistician"):
        analysis.health_economics(coordinator, today=TODAY, options=options)
    for user in (statistician, administrator):
        result = analysis.health_economics(user, today=TODAY, options=options)
        assert result.base_case["n"] == {"exercise": 8, "control": 7}  # one without u_m6


def test_the_result_carries_arms_scenarios_and_curves(
    small_trial: list[Participant], statistician: User
) -> None:
    result = analysis.health_economics(
        statistician, today=TODAY, options=analysis.Options(bootstrap=500, seed=3)
    )
    assert (result.reference, result.intervention) == ("control", "exercise")
    assert result.wtp == [20_000, 50_000, 80_000]  # the Dutch reference values
    assert [s.name for s in result.scenarios] == [
        "as logged, societal",
        "as logged, healthcare",
        "1:1, healthcare",
        "1:1, societal",
        "1:4, healthcare",
        "1:4, societal",
    ]
    assert result.scenarios[0].delta_cost == result.base_case["delta_cost"]
    # every session in the data was one-to-one: the 1:1 scenario is the logged one
    assert result.scenarios[3].delta_cost == pytest.approx(result.scenarios[0].delta_cost)
    assert result.scenarios[5].delta_cost < result.scenarios[3].delta_cost
    control = next(a for a in result.arms if a.arm == "control")
    assert control.programme == pytest.approx(32.5)  # the tracker only
    assert len(result.plane) == 500
    assert len(result.curves) == 100
    assert result.curves[-1]["wtp"] == pytest.approx(120_000)
    assert "complete-case analysis: 1 patients with missing values dropped" in result.warnings
    assert "--bootstrap 500 --seed 3" in result.command


@pytest.mark.parametrize(
    ("query", "column"),
    [
        ({"bootstrap": "many"}, "bootstrap"),
        ({"bootstrap": "20001"}, "bootstrap"),
        ({"seed": "-1"}, "seed"),
        ({"missing": "drop"}, "missing"),
        ({"productivity": "wage"}, "productivity"),
    ],
)
def test_bad_options_are_refused(query: dict[str, str], column: str) -> None:
    with pytest.raises(EconomicsInputError) as caught:
        analysis.options_from(query)
    assert caught.value.column == column


def test_default_options() -> None:
    assert analysis.options_from({}) == analysis.Options(
        5_000, 0, "complete-case", ProductivityMethod.FRICTION_COST
    )


def _rerun(command: str, file: Path, costs: list[str]) -> dict[str, object]:
    """Run the page's command on *file*, with *costs* as the --cost columns."""
    words = shlex.split(command)[1:]  # without "exonc"
    args: list[str] = []
    skip = False
    for word in words:
        if skip:
            skip = False
            continue
        if word == "--cost":
            skip = True
            continue
        args.append(str(file) if word == "economics.csv" else word)
    for cost in costs:
        args += ["--cost", cost]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


@pytest.mark.parametrize("missing", ["complete-case", "impute"])
def test_the_export_rerun_from_the_command_line_gives_the_page_numbers(
    small_trial: list[Participant], statistician: User, tmp_path: Path, missing: str
) -> None:
    client = Client()
    client.force_login(statistician)
    query = f"bootstrap=400&seed=11&missing={missing}&productivity=human-capital"
    page = client.get(f"/economics/?format=json&{query}").json()
    export = client.get("/economics/export.csv?productivity=human-capital")
    file = tmp_path / "economics.csv"
    file.write_bytes(export.content)
    scenarios = page["scenarios"] if missing == "complete-case" else page["scenarios"][:1]
    for scenario in scenarios:
        cli = _rerun(page["command"], file, scenario["costs"])
        assert cli["delta_cost"] == scenario["delta_cost"], scenario["name"]
        assert cli["delta_qaly_adjusted"] == scenario["delta_qaly"], scenario["name"]
        assert cli["icer"] == scenario["icer"], scenario["name"]
        assert cli["inmb"] == scenario["inmb"], scenario["name"]
        ceac = {str(c["wtp"]): c["probability"] for c in cli["ceac"]}  # type: ignore[attr-defined]
        assert ceac == scenario["ceac"], scenario["name"]
    base = _rerun(page["command"], file, page["scenarios"][0]["costs"])
    for key in ("n", "mean_qaly", "mean_cost", "se_delta_cost", "evpi", "ceaf", "imputations"):
        assert base[key] == page["base_case"][key], key
