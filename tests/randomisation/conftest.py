"""Designs shared by the randomisation tests."""

from __future__ import annotations

import pytest

from exonc.randomisation import RandomisationDesign

CENTRES = [f"C{i}" for i in range(1, 9)]
LINES = ["1st/2nd", "3rd+"]


@pytest.fixture
def preferable() -> RandomisationDesign:
    """PREFERABLE-EFFECT (tests/reference/domain.md §2.3): 1:1, strata centre (8) × line of
    treatment (2)."""
    return RandomisationDesign.create(
        ratio={"exercise": 1, "control": 1},
        factors={"centre": CENTRES, "line": LINES},
        block_sizes=[2, 4, 6],
    )


@pytest.fixture
def preferable_minimisation() -> RandomisationDesign:
    return RandomisationDesign.create(
        method="minimisation",
        ratio={"exercise": 1, "control": 1},
        factors={"centre": CENTRES, "line": LINES},
    )
