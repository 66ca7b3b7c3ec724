"""Willingness-to-pay thresholds as data, with the Dutch burden-of-disease rule."""

from __future__ import annotations

import pytest

from exonc.economics import (
    dutch_reference_value,
    load_thresholds,
    proportional_shortfall,
    threshold_values,
)
from exonc.errors import EconomicsInputError


def test_shipped_thresholds() -> None:
    # Zorginstituut: €20k / €50k / €80k; NICE £20k–£30k (tests/reference/domain.md §4.2)
    assert threshold_values("Netherlands") == (20_000, 50_000, 80_000)
    assert threshold_values("England") == (20_000, 30_000)
    assert {t.currency for t in load_thresholds()} == {"EUR", "GBP"}
    with pytest.raises(EconomicsInputError, match="no thresholds"):
        threshold_values("Atlantis")


@pytest.mark.parametrize(
    ("burden", "expected"),
    [
        (0.05, None),  # below 0.10: no reference value
        (0.10, 20_000),
        (0.40, 20_000),
        (0.41, 50_000),
        (0.70, 50_000),
        (0.71, 80_000),
        (0.95, 80_000),
        (1.00, 80_000),
    ],
)
def test_dutch_burden_of_disease_classes(burden: float, expected: float | None) -> None:
    assert dutch_reference_value(burden) == expected


def test_proportional_shortfall() -> None:
    # remaining QALE 20 without the disease, 4 with it: PS = 16 / 20 = 0.8 → €80,000
    burden = proportional_shortfall(20.0, 4.0)
    assert burden == pytest.approx(0.8)
    assert dutch_reference_value(burden) == 80_000
    with pytest.raises(EconomicsInputError):
        dutch_reference_value(1.2)
