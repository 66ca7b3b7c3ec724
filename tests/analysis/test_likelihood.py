"""The REML/ML criterion: exact derivatives and the identities between the two."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from exonc.analysis import CovarianceStructure, parse_formula
from exonc.analysis.dataset import prepare
from exonc.analysis.likelihood import PatternStats, evaluate

VISITS = ["VIS1", "VIS2", "VIS3", "VIS4"]
STEP = 1e-5


@pytest.fixture(scope="module")
def fev_stats(fev_data: pd.DataFrame) -> PatternStats:
    formula = parse_formula("FEV1 ~ RACE + ARMCD * AVISIT + FEV1_BL")
    prepared = prepare(
        fev_data,
        formula,
        subject="USUBJID",
        visit="AVISIT",
        arm="ARMCD",
        levels={"AVISIT": VISITS, "ARMCD": ["PBO", "TRT"]},
    )
    return PatternStats.from_subjects(prepared.x, prepared.y, prepared.observed)


def _theta(structure: CovarianceStructure) -> np.ndarray:
    rng = np.random.default_rng(3)
    theta = structure.standard_start() + rng.normal(0, 0.2, structure.n_params)
    theta[: (4 if structure.heterogeneous else 1)] += 1.5  # standard deviations near the data's
    if structure.kind != "us":
        theta[-1] = abs(theta[-1])  # a positive correlation keeps every structure valid
    return theta


@pytest.mark.parametrize("reml", [True, False])
@pytest.mark.parametrize("kind", ["us", "cs", "ar1h", "toep", "adh"])
def test_gradient_and_hessian_match_central_differences(
    fev_stats: PatternStats, kind: str, reml: bool
) -> None:
    structure = CovarianceStructure(kind, 4)  # type: ignore[arg-type]
    theta = _theta(structure)
    exact = evaluate(fev_stats, structure, theta, reml=reml, order=2)
    assert exact is not None
    assert exact.gradient is not None
    assert exact.hessian is not None
    for i in range(theta.size):
        shift = np.eye(theta.size)[i] * STEP
        up = evaluate(fev_stats, structure, theta + shift, reml=reml, order=1)
        down = evaluate(fev_stats, structure, theta - shift, reml=reml, order=1)
        assert up is not None
        assert down is not None
        assert up.gradient is not None
        assert down.gradient is not None
        numeric = (up.value - down.value) / (2 * STEP)
        assert exact.gradient[i] == pytest.approx(numeric, rel=1e-6, abs=1e-6)
        np.testing.assert_allclose(
            exact.hessian[i], (up.gradient - down.gradient) / (2 * STEP), rtol=1e-5, atol=1e-5
        )


def test_reml_is_ml_plus_the_coefficient_term(fev_stats: PatternStats) -> None:
    """-2 REML loglik = -2 ML loglik (at the GLS beta) + log|X'WX| - p log(2 pi)."""
    structure = CovarianceStructure("us", 4)
    theta = _theta(structure)
    reml = evaluate(fev_stats, structure, theta, reml=True)
    ml = evaluate(fev_stats, structure, theta, reml=False)
    assert reml is not None
    assert ml is not None
    log_det = np.linalg.slogdet(np.linalg.inv(reml.vcov))[1]
    p = fev_stats.n_coef
    assert reml.value - ml.value == pytest.approx(0.5 * log_det - 0.5 * p * math.log(2 * math.pi))
    np.testing.assert_allclose(reml.beta, ml.beta)


def test_non_positive_definite_covariance_is_refused(fev_stats: PatternStats) -> None:
    structure = CovarianceStructure("toep", 4)
    theta = np.array([0.0, -10.0, -10.0, -10.0])  # every lag close to -1: not positive definite
    assert evaluate(fev_stats, structure, theta) is None
