"""Hypothetical one-repetition maximum (h1RM) from a submaximal multiple-repetition test.

The participant lifts a submaximal load as many times as possible with good technique; the
load and the number of repetitions give an estimate of the 1RM:

* Brzycki (1993): ``1RM = load / (1.0278 − 0.0278 × reps)``
* Epley (1985): ``1RM = load × (1 + reps / 30)``

Both are only accurate for a small number of repetitions (accuracy falls from about ten
repetitions on: Brzycki 1993; Mayhew et al. 1993; LeSuer et al. 1997), so a test outside
:data:`REPETITION_RANGE` is refused rather than extrapolated. One repetition is a direct 1RM,
not a multiple-repetition test.
"""

from __future__ import annotations

import enum

from exonc.exercise import _checks

__all__ = ["MAX_PLAUSIBLE_LOAD_KG", "REPETITION_RANGE", "OneRepMaxFormula", "hypothetical_1rm"]

#: The heaviest load exonc accepts on any training machine, in kg; more is a typing error.
MAX_PLAUSIBLE_LOAD_KG = 500.0


class OneRepMaxFormula(enum.StrEnum):
    BRZYCKI = "brzycki"
    EPLEY = "epley"


#: Repetitions (inclusive) for which each formula is used; outside it the test is refused.
REPETITION_RANGE: dict[OneRepMaxFormula, tuple[int, int]] = {
    OneRepMaxFormula.BRZYCKI: (2, 10),
    OneRepMaxFormula.EPLEY: (2, 10),
}


def hypothetical_1rm(load_kg: float, reps: int, formula: OneRepMaxFormula | str) -> float:
    """The h1RM in kg for *reps* repetitions to fatigue with *load_kg*.

    Raises :class:`~exonc.errors.ExerciseInputError` for an impossible load, a repetition
    count outside the formula's valid range, or an unknown formula.
    """
    chosen = _formula(formula)
    _checks.positive(
        load_kg,
        MAX_PLAUSIBLE_LOAD_KG,
        key="load_kg",
        unit="kg",
        hint="give the load lifted in the test, in kg",
    )
    low, high = REPETITION_RANGE[chosen]
    _checks.require(
        isinstance(reps, int) and not isinstance(reps, bool) and low <= reps <= high,
        f"the {chosen.value.capitalize()} equation is valid for {low}–{high} repetitions",
        key="reps",
        value=reps,
        hint=(
            f"repeat the test with a load the participant can lift {low}–{high} times; "
            "record a single lift as a direct 1RM"
        ),
    )
    if chosen is OneRepMaxFormula.BRZYCKI:
        return load_kg / (1.0278 - 0.0278 * reps)
    return load_kg * (1.0 + reps / 30.0)


def _formula(formula: OneRepMaxFormula | str) -> OneRepMaxFormula:
    try:
        return OneRepMaxFormula(formula)
    except ValueError:
        _checks.fail(
            "unknown h1RM formula",
            key="formula",
            value=formula,
            hint=f"use one of {', '.join(f.value for f in OneRepMaxFormula)}",
        )
