"""Covariance structures: values, exact derivatives and starting values."""

from __future__ import annotations

import numpy as np
import pytest

from exonc.analysis import COVARIANCE_TYPES, CovarianceStructure

STEP = 1e-6


def _theta(structure: CovarianceStructure, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    theta = rng.normal(0.0, 0.3, structure.n_params)
    if structure.kind == "cs":
        theta[-1] = abs(theta[-1])  # keep the compound-symmetry matrix positive definite
    return theta


@pytest.mark.parametrize("kind", COVARIANCE_TYPES)
@pytest.mark.parametrize("visits", [2, 4])
def test_first_derivatives_match_central_differences(kind: str, visits: int) -> None:
    structure = CovarianceStructure(kind, visits)  # type: ignore[arg-type]
    theta = _theta(structure, visits)
    _, first, _ = structure.matrices(theta, 1)
    assert first is not None
    for i in range(theta.size):
        shift = np.eye(theta.size)[i] * STEP
        numeric = (structure.sigma(theta + shift) - structure.sigma(theta - shift)) / (2 * STEP)
        np.testing.assert_allclose(first[i], numeric, atol=1e-8)


@pytest.mark.parametrize("kind", COVARIANCE_TYPES)
def test_second_derivatives_match_central_differences(kind: str) -> None:
    structure = CovarianceStructure(kind, 4)  # type: ignore[arg-type]
    theta = _theta(structure, 7)
    _, _, second = structure.matrices(theta, 2)
    assert second is not None
    for i in range(theta.size):
        shift = np.eye(theta.size)[i] * STEP
        up = structure.matrices(theta + shift, 1)[1]
        down = structure.matrices(theta - shift, 1)[1]
        assert up is not None
        assert down is not None
        np.testing.assert_allclose(second[i], (up - down) / (2 * STEP), atol=1e-7)


@pytest.mark.parametrize(
    ("kind", "visits", "count"),
    [
        # parameter counts of mmrm's structures (mmrm vignette "covariance")
        ("us", 4, 10),
        ("cs", 4, 2),
        ("csh", 4, 5),
        ("ar1", 4, 2),
        ("ar1h", 4, 5),
        ("toep", 4, 4),
        ("toeph", 4, 7),
        ("ad", 4, 4),
        ("adh", 4, 7),
    ],
)
def test_parameter_counts(kind: str, visits: int, count: int) -> None:
    assert CovarianceStructure(kind, visits).n_params == count  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", COVARIANCE_TYPES)
def test_standard_start_is_mmrms(kind: str) -> None:
    """mmrm's std_start: every parameter 0 (phi = 0.5 for AR(1)); identity but for ar1, cs."""
    structure = CovarianceStructure(kind, 3)  # type: ignore[arg-type]
    sigma = structure.sigma(structure.standard_start())
    np.testing.assert_allclose(np.diag(sigma), 1.0)
    if kind.startswith("ar1"):
        rho = 0.5 / np.sqrt(1.25)  # phi / sqrt(1 + phi^2) at phi = 0.5
        np.testing.assert_allclose(sigma[1, 0], rho)
    elif kind.startswith("cs"):
        a = 1 / (3 - 1)
        np.testing.assert_allclose(sigma[1, 0], 0.5 * (1 + a) - a)  # invlogit(0) (1 + a) - a
    else:
        np.testing.assert_allclose(sigma, np.eye(3))


@pytest.mark.parametrize("visits", [2, 3, 4, 7])
def test_compound_symmetry_maps_onto_the_positive_definite_interval(visits: int) -> None:
    """mmrm >= 0.3.16: rho = invlogit(theta) (1 + a) - a, a = 1 / (m - 1), so rho spans
    (-1/(m - 1), 1), exactly where an m x m compound-symmetry matrix is positive definite."""
    structure = CovarianceStructure("cs", visits)
    a = 1 / (visits - 1)
    for phi, rho in [(-40.0, -a), (0.0, (1 - a) / 2), (40.0, 1.0)]:
        np.testing.assert_allclose(structure.sigma(np.array([0.0, phi]))[1, 0], rho, atol=1e-12)
    for rho in [-a / 2, 0.0, 0.3, 0.9]:
        matrix = (1 - rho) * np.eye(visits) + rho
        start = structure.start(matrix)
        np.testing.assert_allclose(structure.sigma(start), matrix, atol=1e-12)


def test_unstructured_start_reproduces_the_matrix() -> None:
    matrix = np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.8], [0.5, 0.8, 2.0]])
    structure = CovarianceStructure("us", 3)
    np.testing.assert_allclose(structure.sigma(structure.start(matrix)), matrix)


@pytest.mark.parametrize("kind", ["cs", "csh", "ar1", "ar1h", "toep", "toeph", "ad", "adh"])
def test_structured_start_is_positive_definite(kind: str) -> None:
    matrix = np.array([[4.0, -3.5, 0.5], [-3.5, 3.0, 0.8], [0.5, 0.8, 2.0]])
    structure = CovarianceStructure(kind, 3)  # type: ignore[arg-type]
    assert np.all(np.linalg.eigvalsh(structure.sigma(structure.start(matrix + 4 * np.eye(3)))) > 0)
