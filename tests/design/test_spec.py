"""Checks a design makes before anything runs: one located message per problem."""

from __future__ import annotations

import numpy as np
import pytest

from exonc.design import OutcomeDesign, TrialDesign, covariance_matrix
from exonc.errors import DesignInputError
from tests.design.conftest import three_visit_design


def test_defaults_fill_contrast_visit_dropout_and_control_change() -> None:
    design = three_visit_design(dropout=())
    assert design.contrast_visit == "v3"
    assert design.dropout == (0.0, 0.0, 0.0)
    assert design.outcomes[0].control_change == (0.0, 0.0, 0.0)
    assert design.arm_sizes(10) == (10, 10)
    assert three_visit_design(allocation=(1, 2)).arm_sizes(10) == (10, 20)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"dropout": (0.1, 0.2, 1.0)}, "key dropout: value 1.0: must lie in [0, 1)"),
        ({"dropout": (0.1, -0.1, 0.2)}, "must lie in [0, 1)"),
        ({"dropout": (0.2, 0.1, 0.3)}, "must not decrease"),
        ({"dropout": (0.1, 0.2)}, "has 2 values for 3 visits"),
        ({"contrast_visit": "v9"}, "key contrast_visit: value 'v9': is not one of the visits"),
        ({"alpha": 1.5}, "key alpha"),
        ({"allocation": (0, 1)}, "key allocation"),
        ({"visits": ("v1", "v2")}, "key outcomes.y.effect: value [2.0, 3.0, 4.0]: has 3 values"),
    ],
)
def test_bad_designs_are_refused(changes: dict[str, object], message: str) -> None:
    with pytest.raises(DesignInputError) as error:
        three_visit_design(**changes)
    assert message in str(error.value)


def test_non_positive_definite_covariance_is_refused() -> None:
    # correlations 0.9, 0.9 and -0.9 cannot hold together
    corr = np.array([[1.0, 0.9, 0.9], [0.9, 1.0, -0.9], [0.9, -0.9, 1.0]])
    with pytest.raises(DesignInputError, match="not positive definite"):
        OutcomeDesign("y", (1.0, 1.0, 1.0), corr * 100)


def test_baseline_correlation_must_keep_the_joint_matrix_positive_definite() -> None:
    covariance = covariance_matrix("cs", 1.0, -0.45, 3)
    with pytest.raises(DesignInputError, match="baseline_correlation"):
        OutcomeDesign("y", (1.0,) * 3, covariance, baseline_sd=1.0, baseline_correlation=0.95)


@pytest.mark.parametrize(
    ("structure", "correlation", "expected"),
    [
        ("cs", 0.5, [[4.0, 2.0, 2.0], [2.0, 4.0, 2.0], [2.0, 2.0, 4.0]]),
        ("ar1", 0.5, [[4.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 4.0]]),
        (
            "us",
            [[1, 0.1, 0.2], [0.1, 1, 0.3], [0.2, 0.3, 1]],
            [[4, 0.4, 0.8], [0.4, 4, 1.2], [0.8, 1.2, 4]],
        ),
    ],
)
def test_covariance_matrix(structure: str, correlation: object, expected: object) -> None:
    found = covariance_matrix(structure, 2.0, correlation, 3)  # type: ignore[arg-type]
    np.testing.assert_allclose(found, expected)


@pytest.mark.parametrize(
    ("sd", "correlation", "message"),
    [
        (-1.0, 0.5, "key sd"),
        ([1.0, 2.0], 0.5, "has 2 values for 3 visits"),
        (1.0, 1.0, "key correlation"),
    ],
)
def test_covariance_matrix_refuses(sd: object, correlation: float, message: str) -> None:
    with pytest.raises(DesignInputError, match=message):
        covariance_matrix("cs", sd, correlation, 3)  # type: ignore[arg-type]


def test_residual_covariance_removes_the_baseline() -> None:
    outcome = three_visit_design().outcomes[0]
    joint = outcome.joint_covariance
    expected = joint[1:, 1:] - np.outer(joint[1:, 0], joint[0, 1:]) / joint[0, 0]
    np.testing.assert_allclose(outcome.residual_covariance, expected)
    assert outcome.residual_covariance[0, 0] == pytest.approx(100 * (1 - 0.25))


def test_describe_is_json_ready(design: TrialDesign) -> None:
    described = design.describe()
    assert described["allocation"] == "1:1"
    assert described["outcomes"][0]["covariance"][0][0] == pytest.approx(100.0)  # type: ignore[index]
