"""Analytical power against independent references and against the simulation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from statsmodels.stats.power import TTestIndPower

from exonc.design import (
    OutcomeDesign,
    TrialDesign,
    covariance_matrix,
    lu_power,
    lu_variance,
    simulate_power,
    t_test_power,
)


@pytest.mark.parametrize(("effect", "n1", "n2"), [(3.0, 30, 30), (5.0, 50, 100), (-2.0, 80, 80)])
def test_t_test_power_equals_statsmodels(effect: float, n1: int, n2: int) -> None:
    # independent reference: statsmodels TTestIndPower (noncentral t, both tails)
    expected = TTestIndPower().power(
        effect_size=abs(effect) / 10.0, nobs1=n1, alpha=0.05, ratio=n2 / n1
    )
    assert t_test_power(effect, 10.0, n1, n2) == pytest.approx(expected, abs=1e-8)


def test_lu_variance_special_cases() -> None:
    covariance = covariance_matrix("cs", 2.0, 0.5, 3)
    # complete data: the variance of a visit mean is the visit's variance
    assert lu_variance(covariance, np.ones(3), 2) == pytest.approx(4.0)
    # independent visits, dropout only before the last: sigma^2 / r_m
    independent = np.eye(3) * 4.0
    assert lu_variance(independent, np.array([1.0, 1.0, 0.8]), 2) == pytest.approx(4.0 / 0.8)
    # two visits, correlation rho, r = (1, r2): Lu et al. closed form
    # (monotone bivariate normal: var of the second mean = sigma^2 (1 - rho^2 (1 - r2)) / r2,
    # Anderson 1957's estimator with a complete first visit)
    rho, r2 = 0.5, 0.7
    two = covariance_matrix("cs", 1.0, rho, 2)
    closed = (1 - rho**2 * (1 - r2)) / r2
    assert lu_variance(two, np.array([1.0, r2]), 1) == pytest.approx(closed)


def _one_visit(effect: float, baseline_correlation: float = 0.0) -> TrialDesign:
    outcome = OutcomeDesign(
        "y",
        (effect,),
        np.array([[100.0]]),
        baseline_sd=10.0 if baseline_correlation else 0.0,
        baseline_correlation=baseline_correlation,
    )
    return TrialDesign(visits=("v1",), outcomes=(outcome,))


@pytest.mark.slow
@pytest.mark.parametrize(("effect", "rho"), [(5.0, 0.0), (4.0, 0.5)])
def test_simulated_power_agrees_with_the_t_test(effect: float, rho: float) -> None:
    design = _one_visit(effect, rho)
    found = simulate_power(design, 40, sims=300, seed=3)
    exact = t_test_power(effect, 10.0, 40, 40, baseline_correlation=rho)
    # Monte-Carlo SE sqrt(p(1-p)/300) <= 0.029; tolerance 4 SE
    assert found.power == pytest.approx(exact, abs=4 * math.sqrt(exact * (1 - exact) / 300))
    assert found.failed == 0


@pytest.mark.slow
def test_simulated_power_agrees_with_lu_luo_chen_under_dropout() -> None:
    covariance = covariance_matrix("ar1", 10.0, 0.6, 3)
    design = TrialDesign(
        visits=("v1", "v2", "v3"),
        outcomes=(OutcomeDesign("y", (1.0, 2.0, 3.0), covariance),),
        dropout=(0.1, 0.2, 0.3),
    )
    found = simulate_power(design, 100, sims=600, seed=5)
    expected = lu_power(design, 100)
    # MC SE <= 0.02; tolerance 4 SE plus 0.02 for the normal approximation and the
    # estimated covariance that Lu et al.'s formula ignores (n = 100 per arm)
    se = math.sqrt(expected * (1 - expected) / 600)
    assert found.power == pytest.approx(expected, abs=4 * se + 0.02)
