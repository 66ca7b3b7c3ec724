"""Scenario analyses: supervision model × perspective, with common random numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from exonc.economics import (
    CostCategory,
    PatientData,
    Perspective,
    perspective_costs,
    run_scenarios,
    supervision_scenarios,
)
from exonc.errors import EconomicsInputError

CATEGORIES = {
    "cost_healthcare": CostCategory.HOSPITAL,
    "cost_productivity": CostCategory.PRODUCTIVITY,
}
PROGRAMME = {"1:1": "cost_intervention", "1:4": "cost_group"}


def _with_group_costs(patients: PatientData) -> PatientData:
    # a 1:4 programme cost: the 1:1 cost scaled by the trial's 609 / 1696
    # (tests/reference/domain.md §4.2)
    group = patients.costs[:, [0]] * 609 / 1696
    return PatientData(
        patients.ids,
        patients.arm,
        patients.months,
        patients.utilities,
        (*patients.cost_names, "cost_group"),
        np.hstack([patients.costs, group]),
        patients.death_months,
    )


def test_perspectives_choose_cost_categories() -> None:
    assert perspective_costs(CATEGORIES, Perspective.HEALTHCARE) == ("cost_healthcare",)
    assert perspective_costs(CATEGORIES, "societal") == ("cost_healthcare", "cost_productivity")


def test_supervision_scenarios_grid() -> None:
    names = [s.name for s in supervision_scenarios(CATEGORIES, PROGRAMME)]
    assert names == ["1:1, healthcare", "1:1, societal", "1:4, healthcare", "1:4, societal"]
    with pytest.raises(EconomicsInputError, match="programme-cost columns"):
        supervision_scenarios({"x": CostCategory.PROGRAMME}, PROGRAMME)


def test_scenario_costs_match_a_pandas_groupby(
    patients: PatientData, patients_frame: pd.DataFrame
) -> None:
    data = _with_group_costs(patients)
    scenarios = supervision_scenarios(CATEGORIES, PROGRAMME)
    result = run_scenarios(data, scenarios, reference="control", bootstrap=400, seed=5)
    frame = patients_frame.assign(
        **{
            c: patients_frame[c].astype(float)
            for c in ["cost_intervention", "cost_healthcare", "cost_productivity"]
        }
    )
    frame["cost_group"] = frame["cost_intervention"] * 609 / 1696
    summary = result.summary()
    for scenario in scenarios:
        means = (
            frame.assign(total=frame[list(scenario.costs)].sum(axis=1))
            .groupby("arm")["total"]
            .mean()
        )
        expected = means["exercise"] - means["control"]
        assert summary.loc[scenario.name, "delta_cost"] == pytest.approx(expected, rel=1e-12)
    # common random numbers: every scenario resampled the same patients
    effects = [r.bootstrap.replicates[:, 0] for r in result.results if r.bootstrap is not None]
    assert all(np.array_equal(effects[0], e) for e in effects[1:])
    assert "ceac@20000" in summary.columns


def test_bootstrap_scenarios_need_a_seed(patients: PatientData) -> None:
    with pytest.raises(EconomicsInputError, match="need a seed"):
        run_scenarios(patients, [], reference="control", bootstrap=10)
