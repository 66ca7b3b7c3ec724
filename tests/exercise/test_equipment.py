"""Loads round to the machine's steps; watts to the ergometer's step."""

from __future__ import annotations

import pytest

from exonc.errors import ExerciseInputError
from exonc.exercise import Equipment

CENTRE = Equipment(
    centre="UMCU",
    default_increment_kg=2.5,
    increments_kg={"leg_press": 5.0},
    minimum_kg={"leg_press": 10.0},
    ergometer_increment_w=5.0,
)


@pytest.mark.parametrize(
    ("machine", "kg", "expected"),
    [
        ("chest_press", 23.33, 22.5),  # 23.33 / 2.5 = 9.33 → 9 steps
        ("chest_press", 23.75, 25.0),  # 9.5 steps: halves round up
        ("chest_press", 0.4, 2.5),  # never below one step
        ("leg_press", 52.15, 50.0),  # 52.15 / 5 = 10.43 → 10 steps
        ("leg_press", 4.0, 10.0),  # never below the configured lightest setting
    ],
)
def test_loads_round_to_the_nearest_machine_step(machine: str, kg: float, expected: float) -> None:
    assert CENTRE.round_load(machine, kg) == expected


@pytest.mark.parametrize(("watts", "expected"), [(96.0, 95.0), (162.5, 165.0), (1.0, 5.0)])
def test_watts_round_to_the_ergometer_step(watts: float, expected: float) -> None:
    assert CENTRE.round_watts(watts) == expected


def test_impossible_steps_are_refused() -> None:
    with pytest.raises(ExerciseInputError, match=r"increments_kg\.leg_press"):
        Equipment(increments_kg={"leg_press": 0.0})
    with pytest.raises(ExerciseInputError, match="ergometer_increment_w"):
        Equipment(ergometer_increment_w=-5.0)
