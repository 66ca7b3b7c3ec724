"""h1RM from a multiple-repetition test: Brzycki and Epley, and the valid repetition range."""

from __future__ import annotations

import math

import pytest

from exonc.errors import ExerciseInputError
from exonc.exercise import REPETITION_RANGE, OneRepMaxFormula, hypothetical_1rm

# Expected values are hand calculations from the published equations:
# Brzycki M. JOPERD 1993;64(1):88–90: 1RM = load / (1.0278 − 0.0278 × reps)
# Epley B. Poundage chart, 1985: 1RM = load × (1 + reps / 30)


@pytest.mark.parametrize(
    ("load", "reps", "formula", "expected"),
    [
        # 50 / (1.0278 − 0.2224) = 50 / 0.8054
        (50.0, 8, "brzycki", 62.08095),
        # 100 / (1.0278 − 0.278) = 100 / 0.7498
        (100.0, 10, "brzycki", 133.36890),
        # 40 / (1.0278 − 0.0556) = 40 / 0.9722
        (40.0, 2, "brzycki", 41.14380),
        # 50 × (1 + 8/30) = 50 × 38/30
        (50.0, 8, "epley", 63.33333),
        # 100 × (1 + 10/30) = 100 × 4/3
        (100.0, 10, "epley", 133.33333),
        # 40 × (1 + 2/30) = 40 × 32/30
        (40.0, 2, "epley", 42.66667),
    ],
)
def test_h1rm_matches_the_published_equations(
    load: float, reps: int, formula: str, expected: float
) -> None:
    assert hypothetical_1rm(load, reps, formula) == pytest.approx(expected, abs=1e-4)


def test_brzycki_and_epley_agree_closely_at_ten_repetitions() -> None:
    # brianmac.co.uk and cdchester.co.uk note the two give (nearly) the same 1RM at 10 reps.
    brzycki = hypothetical_1rm(80.0, 10, OneRepMaxFormula.BRZYCKI)
    epley = hypothetical_1rm(80.0, 10, OneRepMaxFormula.EPLEY)
    assert brzycki == pytest.approx(epley, rel=1e-3)


@pytest.mark.parametrize("formula", list(OneRepMaxFormula))
@pytest.mark.parametrize("reps", [0, 1, 11, 15, 30])
def test_repetitions_outside_the_valid_range_are_refused(formula: str, reps: int) -> None:
    with pytest.raises(ExerciseInputError, match=r"valid for 2–10 repetitions") as caught:
        hypothetical_1rm(50.0, reps, formula)
    assert caught.value.key == "reps"
    assert "record a single lift as a direct 1RM" in str(caught.value)


@pytest.mark.parametrize("load", [0.0, -5.0, 500.5, math.nan, math.inf])
def test_an_impossible_load_is_refused(load: float) -> None:
    with pytest.raises(ExerciseInputError, match="load_kg must be more than 0 and at most 500"):
        hypothetical_1rm(load, 8, "brzycki")


def test_an_unknown_formula_is_refused() -> None:
    with pytest.raises(ExerciseInputError, match=r"unknown h1RM formula.*brzycki, epley"):
        hypothetical_1rm(50.0, 8, "lombardi")


def test_both_formulas_declare_their_range() -> None:
    assert set(REPETITION_RANGE) == set(OneRepMaxFormula)
