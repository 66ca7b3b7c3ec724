"""Willingness-to-pay thresholds per QALY, shipped as data (``data/thresholds.toml``).

The Netherlands ties its reference value to the burden of disease, measured as the
proportional shortfall: the share of the remaining quality-adjusted life expectancy
without the disease that the disease takes away (Stolk et al. 2004)::

    PS = (QALE_without − QALE_with) / QALE_without

Zorginstituut Nederland's reference values: €20,000 per QALY for a burden of 0.10–0.40,
€50,000 for 0.41–0.70 and €80,000 for 0.71–1.00; below 0.10 there is no reference value.
NICE (England) uses £20,000–£30,000 per QALY.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from exonc import _toml
from exonc.errors import EconomicsInputError

__all__ = [
    "Threshold",
    "dutch_reference_value",
    "load_thresholds",
    "proportional_shortfall",
    "threshold_values",
]


@dataclass(frozen=True)
class Threshold:
    """One reference willingness to pay per QALY."""

    name: str
    jurisdiction: str
    body: str
    currency: str
    value: float
    source: str
    burden_min: float | None = None
    burden_max: float | None = None


@cache
def load_thresholds() -> tuple[Threshold, ...]:
    """All shipped thresholds, in file order."""
    text = resources.files("exonc.economics").joinpath("data/thresholds.toml").read_text("utf-8")
    root = _toml.root(text, source="thresholds.toml", error=EconomicsInputError)
    thresholds = tuple(t.record(Threshold) for t in root.tables("threshold", required=True))
    root.done()
    return thresholds


def threshold_values(jurisdiction: str) -> tuple[float, ...]:
    """The thresholds of one jurisdiction (e.g. ``"Netherlands"``), ascending."""
    values = sorted(t.value for t in load_thresholds() if t.jurisdiction == jurisdiction)
    if not values:
        known = sorted({t.jurisdiction for t in load_thresholds()})
        raise EconomicsInputError(
            f"no thresholds for {jurisdiction!r}", hint=f"choose from {', '.join(known)}"
        )
    return tuple(values)


def proportional_shortfall(qale_without: float, qale_with: float) -> float:
    """Share of the remaining QALE without the disease that the disease takes away."""
    if qale_without <= 0 or qale_with < 0:
        raise EconomicsInputError(
            "quality-adjusted life expectancies must be positive (without) and non-negative"
        )
    return (qale_without - qale_with) / qale_without


def dutch_reference_value(burden: float) -> float | None:
    """Dutch reference value (EUR per QALY) for a burden of disease; None below 0.10.

    Burdens are compared after rounding to two decimals, as the published classes are.
    """
    if not 0 <= burden <= 1:
        raise EconomicsInputError(
            f"burden of disease {burden:g} outside 0–1", hint="give a proportional shortfall"
        )
    rounded = round(burden, 2)
    for t in load_thresholds():
        if t.jurisdiction != "Netherlands" or t.burden_min is None or t.burden_max is None:
            continue
        if t.burden_min <= rounded <= t.burden_max:
            return t.value
    return None
