"""Predictive mean matching within arm: donors, reproducibility, and removal of MAR bias."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from exonc.analysis.imputation import impute_by_arm
from exonc.economics import PatientData, PmmImputer, missing_mask
from exonc.errors import EconomicsInputError


def _mar_holes(patients: PatientData) -> tuple[PatientData, np.ndarray]:
    """Month-6 utility missing for 60 % of patients with a below-median month-3 utility."""
    u3 = patients.utilities[:, 1]
    drop = (u3 < np.median(u3)) & (np.random.default_rng(5).random(patients.n) < 0.6)
    utilities = patients.utilities.copy()
    utilities[drop, 2] = np.nan
    return patients.with_values(utilities, patients.costs), drop


def test_imputed_values_are_observed_values_of_the_same_arm(patients: PatientData) -> None:
    holed, drop = _mar_holes(patients)
    arm = np.asarray(patients.arm)
    for completed in PmmImputer(imputations=3)(holed, np.random.default_rng(1)):
        assert not missing_mask(completed).any()
        for level in ("control", "exercise"):
            donors = set(patients.utilities[~drop & (arm == level), 2])
            assert set(completed.utilities[drop & (arm == level), 2]) <= donors


def test_imputation_removes_the_bias_of_complete_cases_under_mar(patients: PatientData) -> None:
    # Missingness depends on the observed month-3 utility (MAR): the complete-case mean of
    # the month-6 utility is biased upwards by about 0.06; imputing from the other months
    # brings the mean back to within 0.01 of the full-data mean (0.7326).
    holed, drop = _mar_holes(patients)
    full_mean = patients.utilities[:, 2].mean()
    complete_case = patients.utilities[~drop, 2].mean()
    imputed = PmmImputer(imputations=10)(holed, np.random.default_rng(1))
    pooled = np.mean([c.utilities[:, 2].mean() for c in imputed])
    assert complete_case - full_mean > 0.04
    assert abs(pooled - full_mean) < 0.01


def test_same_generator_same_imputations(patients: PatientData) -> None:
    holed, _ = _mar_holes(patients)
    first = PmmImputer(imputations=2)(holed, np.random.default_rng(9))
    second = PmmImputer(imputations=2)(holed, np.random.default_rng(9))
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a.utilities, b.utilities)


def test_utilities_after_death_stay_structural(patients: PatientData) -> None:
    utilities = patients.utilities.copy()
    utilities[0, 2:] = np.nan  # died at month 4.5
    utilities[1, 3] = np.nan  # alive, month-9 utility missing
    deaths = patients.death_months.copy()
    deaths[0] = 4.5
    data = PatientData(
        patients.ids,
        patients.arm,
        patients.months,
        utilities,
        patients.cost_names,
        patients.costs,
        deaths,
    )
    assert missing_mask(data)[:, :4].sum() == 1
    (completed,) = PmmImputer(imputations=1)(data, np.random.default_rng(2))
    assert np.isnan(completed.utilities[0, 2:]).all()
    assert not np.isnan(completed.utilities[1, 3])


def test_an_arm_without_observed_values_cannot_be_imputed(patients: PatientData) -> None:
    utilities = patients.utilities.copy()
    utilities[np.asarray(patients.arm) == "control", 3] = np.nan
    with pytest.raises(EconomicsInputError, match="fewer than two observed"):
        PmmImputer(imputations=1)(
            patients.with_values(utilities, patients.costs), np.random.default_rng(0)
        )


def test_tiny_arms_fall_back_to_an_intercept_model(patients: PatientData) -> None:
    # Three observed month-9 utilities in the control arm: too few for 6 predictors, so the
    # donors are matched on the intercept alone (any observed value of that arm).
    arm = np.asarray(patients.arm)
    control = np.flatnonzero(arm == "control")
    utilities = patients.utilities.copy()
    utilities[control[3:], 3] = np.nan
    (completed,) = PmmImputer(imputations=1, iterations=2)(
        patients.with_values(utilities, patients.costs), np.random.default_rng(4)
    )
    assert set(completed.utilities[control, 3]) <= set(patients.utilities[control[:3], 3])


def test_imputer_settings_are_checked(patients: PatientData) -> None:
    with pytest.raises(EconomicsInputError, match="at least 1"):
        PmmImputer(imputations=0)(patients, np.random.default_rng(0))


def test_the_imputer_is_the_analysis_engine(patients: PatientData) -> None:
    """One imputation engine in exonc: PmmImputer only adapts the patient data to
    exonc.analysis.imputation.impute_by_arm(method="pmm") (validated against statsmodels'
    MICE in tests/analysis/test_imputation.py)."""
    holed, _ = _mar_holes(patients)
    names = [*holed.utility_names, *holed.cost_names]
    frame = pd.DataFrame(np.hstack([holed.utilities, holed.costs]), columns=names)
    frame["__arm__"] = list(holed.arm)
    engine = impute_by_arm(
        frame, arm="__arm__", columns=names, n_imputations=2, rng=np.random.default_rng(3),
        method="pmm",
    )  # fmt: skip
    imputer = PmmImputer(imputations=2)(holed, np.random.default_rng(3))
    for a, b in zip(engine, imputer, strict=True):
        np.testing.assert_array_equal(a[list(holed.utility_names)].to_numpy(), b.utilities)
