"""Small designs shared by the tests of exonc.design."""

from __future__ import annotations

import pytest

from exonc.design import OutcomeDesign, TrialDesign, covariance_matrix


def three_visit_design(**changes: object) -> TrialDesign:
    covariance = covariance_matrix("cs", [10.0, 11.0, 12.0], 0.5, 3)
    outcome = OutcomeDesign(
        "y", (2.0, 3.0, 4.0), covariance, baseline_sd=10.0, baseline_correlation=0.5
    )
    fields: dict[str, object] = {
        "visits": ("v1", "v2", "v3"),
        "outcomes": (outcome,),
        "dropout": (0.1, 0.2, 0.3),
    }
    fields.update(changes)
    return TrialDesign(**fields)  # type: ignore[arg-type]


@pytest.fixture
def design() -> TrialDesign:
    return three_visit_design()
