"""A centre's equipment: the load steps of each machine and the ergometer's watt steps.

Loads are prescribed in kg rounded to the nearest step the machine can be set to, and never
below the machine's lightest setting; interval watts are rounded to the ergometer's step.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from exonc.exercise import _checks

__all__ = ["Equipment"]


@dataclass(frozen=True)
class Equipment:
    """Load steps per machine (kg), the default step, and the ergometer's watt step."""

    centre: str = ""
    default_increment_kg: float = 2.5
    increments_kg: Mapping[str, float] = field(default_factory=dict)
    minimum_kg: Mapping[str, float] = field(default_factory=dict)
    ergometer_increment_w: float = 5.0

    def __post_init__(self) -> None:
        hint = "give the machine's load step in kg"
        _checks.positive(
            self.default_increment_kg, 50, key="default_increment_kg", unit="kg", hint=hint
        )
        for name, step in self.increments_kg.items():
            _checks.positive(step, 50, key=f"increments_kg.{name}", unit="kg", hint=hint)
        for name, lightest in self.minimum_kg.items():
            _checks.in_range(
                lightest,
                0,
                200,
                key=f"minimum_kg.{name}",
                unit="kg",
                hint="give the lightest setting in kg",
            )
        _checks.positive(
            self.ergometer_increment_w,
            50,
            key="ergometer_increment_w",
            unit="W",
            hint="give the ergometer's watt step",
        )

    def increment(self, equipment: str) -> float:
        return self.increments_kg.get(equipment, self.default_increment_kg)

    def round_load(self, equipment: str, kg: float) -> float:
        """*kg* rounded to the nearest step of *equipment* (halves round up), at least its
        lightest setting (one step unless configured)."""
        step = self.increment(equipment)
        rounded = math.floor(kg / step + 0.5) * step
        lightest = self.minimum_kg.get(equipment, step)
        return round(max(rounded, lightest), 6)

    def round_watts(self, watts: float) -> float:
        step = self.ergometer_increment_w
        return round(max(math.floor(watts / step + 0.5) * step, step), 6)
