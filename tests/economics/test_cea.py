"""The cost-utility analysis against the independent numpy reference (1e-9 relative)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from exonc.economics import (
    Dominance,
    PatientData,
    PmmImputer,
    analyse_cea,
)
from exonc.errors import EconomicsInputError

REL = 1e-9  # tests/reference/economics/PROVENANCE.md


def _analyse(patients: PatientData, **options: Any) -> Any:
    return analyse_cea(patients, reference="control", wtp=[20_000, 50_000, 80_000], **options)


@pytest.mark.parametrize(
    "key",
    ["delta_qaly_unadjusted", "delta_qaly_adjusted", "delta_cost", "icer"],
)
def test_deterministic_results_match_the_reference(
    patients: PatientData, expected: dict[str, Any], key: str
) -> None:
    # cea_public_expected.json[key], plain numpy (see PROVENANCE.md)
    assert getattr(_analyse(patients), key) == pytest.approx(expected[key], rel=REL)


@pytest.mark.parametrize("field", ["n", "mean_qaly", "mean_cost"])
def test_per_arm_values_match_the_reference(
    patients: PatientData, expected: dict[str, Any], field: str
) -> None:
    got = getattr(_analyse(patients), field)
    assert got.keys() == expected[field].keys()
    for arm, value in expected[field].items():
        assert got[arm] == pytest.approx(value, rel=REL)


def test_inmb_matches_the_reference_at_each_threshold(
    patients: PatientData, expected: dict[str, Any]
) -> None:
    result = _analyse(patients)
    assert result.to_dict()["inmb"] == pytest.approx(expected["inmb"], rel=REL)


def test_result_vocabulary_and_dominance(patients: PatientData) -> None:
    result = _analyse(patients)
    summary = result.summary()
    assert {"estimate", "se", "ci_lower", "ci_upper"} <= set(summary.columns)
    assert result.dominance is Dominance.MORE_COSTLY_MORE_EFFECTIVE
    assert "inmb@50000" in summary.index
    assert result.render("html").startswith("<table")


def test_bootstrap_is_reproducible_with_the_same_generator(patients: PatientData) -> None:
    first = _analyse(patients, bootstrap=500, rng=np.random.default_rng(7))
    second = _analyse(patients, bootstrap=500, rng=np.random.default_rng(7))
    assert first.bootstrap is not None
    assert second.bootstrap is not None
    np.testing.assert_array_equal(first.bootstrap.replicates, second.bootstrap.replicates)
    assert first.to_dict()["ceac"] == second.to_dict()["ceac"]


def test_wrong_reference_and_a_third_arm_are_refused(patients: PatientData) -> None:
    with pytest.raises(EconomicsInputError, match="has no patients"):
        analyse_cea(patients, reference="placebo")
    arms = tuple("other" if i < 3 else a for i, a in enumerate(patients.arm))
    three = PatientData(
        patients.ids,
        arms,
        patients.months,
        patients.utilities,
        patients.cost_names,
        patients.costs,
        patients.death_months,
    )
    with pytest.raises(EconomicsInputError, match="exactly one arm besides"):
        analyse_cea(three, reference="control")


def _with_holes(patients: PatientData, rows: list[int]) -> PatientData:
    utilities = patients.utilities.copy()
    utilities[rows, 2] = np.nan
    return patients.with_values(utilities, patients.costs)


def test_missing_utilities_are_refused_by_default(patients: PatientData) -> None:
    with pytest.raises(EconomicsInputError, match=r"row 5, column u_m6: is missing"):
        _analyse(_with_holes(patients, [4, 9]))


def test_complete_case_drops_patients_and_says_so(patients: PatientData) -> None:
    result = _analyse(_with_holes(patients, [4, 9]), missing="complete-case")
    assert sum(result.n.values()) == patients.n - 2
    assert result.warnings == ("complete-case analysis: 2 patients with missing values dropped",)


def test_multiple_imputation_pools_with_rubins_rules(patients: PatientData) -> None:
    # 10 % of month-6 utilities missing completely at random. The pooled estimate stays
    # within one full-data SE of the full-data estimate (the information of 36 values is
    # lost), and Rubin's total variance is at least the within-imputation variance, so the
    # pooled SE is not below the full-data SE by more than Monte Carlo noise.
    full = _analyse(patients)
    holes = np.random.default_rng(11).choice(patients.n, size=36, replace=False)
    imputed = _analyse(
        _with_holes(patients, list(holes)),
        missing="impute",
        rng=np.random.default_rng(3),
        imputer=PmmImputer(imputations=10),
    )
    assert imputed.imputations == 10
    gap = abs(imputed.delta_qaly_adjusted - full.delta_qaly_adjusted)
    assert gap < full.se_delta_qaly_adjusted
    assert imputed.se_delta_qaly_adjusted >= full.se_delta_qaly_adjusted * 0.98


def test_imputation_and_bootstrap_need_a_generator(patients: PatientData) -> None:
    with pytest.raises(EconomicsInputError, match="random generator"):
        _analyse(patients, bootstrap=10)


def test_deaths_count_as_zero_utility(patients: PatientData) -> None:
    # Patient 1 (control) dies at month 4.5: utilities at 6 and 9 are not recorded.
    utilities = patients.utilities.copy()
    utilities[0, 2:] = np.nan
    deaths = patients.death_months.copy()
    deaths[0] = 4.5
    died = PatientData(
        patients.ids,
        patients.arm,
        patients.months,
        utilities,
        patients.cost_names,
        patients.costs,
        deaths,
    )
    before, after = _analyse(patients), _analyse(died)
    # u = 0.701, 0.612 at months 0, 3; 0 at 4.5. QALY = 3/12 × (0.701 + 0.612)/2
    # + 1.5/12 × 0.612/2 = 0.1641250 + 0.03825 = 0.2023750 (was 0.4934 over 9 months).
    old = 3 / 12 * (0.701 + 0.612) / 2 + 3 / 12 * (0.612 + 0.584) / 2 + 3 / 12 * (0.584 + 0.691) / 2
    change = (0.2023750 - old) / 179
    assert after.mean_qaly["control"] == pytest.approx(
        before.mean_qaly["control"] + change, rel=1e-12
    )


@pytest.mark.parametrize("wtp", [[], [-1.0], [float("nan")]])
def test_bad_willingness_to_pay(patients: PatientData, wtp: list[float]) -> None:
    with pytest.raises(EconomicsInputError, match="willingness-to-pay"):
        analyse_cea(patients, reference="control", wtp=wtp)


def test_complete_case_that_empties_an_arm(patients: PatientData) -> None:
    control = [i for i, a in enumerate(patients.arm) if a == "control"]
    with pytest.raises(EconomicsInputError, match="an arm is empty"):
        _analyse(_with_holes(patients, control), missing="complete-case")


def test_icer_is_null_in_json_when_qalys_do_not_differ() -> None:
    # Two identical patients per arm: ΔE = 0 exactly, so no ICER exists.
    months = np.array([0.0, 6.0])
    utilities = np.array([[0.5, 0.7], [0.6, 0.8], [0.5, 0.7], [0.6, 0.8]])
    data = PatientData(
        ("1", "2", "3", "4"),
        ("x", "x", "y", "y"),
        months,
        utilities,
        ("cost",),
        np.array([[10.0], [20.0], [0.0], [0.0]]),
        np.full(4, np.nan),
    )
    result = analyse_cea(data, reference="y", wtp=[1000])
    assert result.to_dict()["icer"] is None
    assert result.dominance is Dominance.DOMINATED
