"""Fitness test records: what was measured, when, by whom and under which conditions.

Each test is a frozen value object that validates itself, so an impossible record cannot
exist: a multiple-repetition test outside the formula's valid range, a negative load or a
blank tester name is refused when the record is made. The platform stores these records;
the prescription engine reads the most recent one of each kind on or before a date.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar, Literal, TypeVar

from exonc.exercise import _checks
from exonc.exercise.one_rep_max import OneRepMaxFormula, hypothetical_1rm

__all__ = [
    "CardiopulmonaryTest",
    "FitnessTest",
    "HandgripTest",
    "MultipleRMTest",
    "SingleLegStanceTest",
    "SteepRampTest",
    "TestContext",
    "TimedUpAndGoTest",
    "latest",
]

Side = Literal["left", "right"]


@dataclass(frozen=True)
class TestContext:
    """When, by whom and under which conditions a test was done."""

    __test__: ClassVar[bool] = False  # not a pytest test class

    date: dt.date
    tester: str
    conditions: str = ""

    def __post_init__(self) -> None:
        _checks.require(
            isinstance(self.date, dt.date),
            "date must be a calendar date",
            key="date",
            value=self.date,
            hint="write the date as YYYY-MM-DD",
        )
        _checks.text(self.tester, key="tester", hint="name the person who did the test")

    def check_not_future(self, today: dt.date) -> None:
        """Refuse a test dated after *today*."""
        _checks.not_future(self.date, today, key="date", what="the test")


@dataclass(frozen=True)
class SteepRampTest:
    """Steep Ramp Test: peak watts reached (MSEC, maximal short exercise capacity).

    PREFERABLE protocol: 3 min unloaded cycling, then 25 W rising by 2.5 W/s (or 25 W per
    10 s) at 70–90 rpm until the cadence falls below 60 rpm.
    """

    kind: ClassVar[str] = "steep_ramp"

    context: TestContext
    msec_w: float
    ramp: str = "25 W per 10 s"

    def __post_init__(self) -> None:
        _checks.positive(
            self.msec_w, 1500, key="msec_w", unit="W", hint="give the highest power reached"
        )


@dataclass(frozen=True)
class CardiopulmonaryTest:
    """A cardiopulmonary exercise test (CPET) on a cycle ergometer: measured peak watts."""

    kind: ClassVar[str] = "cpet"

    context: TestContext
    wpeak_w: float
    vo2peak_ml_min: float | None = None

    def __post_init__(self) -> None:
        _checks.positive(
            self.wpeak_w, 1000, key="wpeak_w", unit="W", hint="give the peak work rate in W"
        )
        if self.vo2peak_ml_min is not None:
            _checks.positive(
                self.vo2peak_ml_min,
                8000,
                key="vo2peak_ml_min",
                unit="mL/min",
                hint="give the peak oxygen uptake in mL/min, or leave it out",
            )


@dataclass(frozen=True)
class MultipleRMTest:
    """A submaximal multiple-repetition test on one machine, giving a hypothetical 1RM."""

    kind: ClassVar[str] = "multiple_rm"

    context: TestContext
    exercise: str
    load_kg: float
    reps: int
    formula: OneRepMaxFormula = OneRepMaxFormula.BRZYCKI

    def __post_init__(self) -> None:
        _checks.text(self.exercise, key="exercise", hint="name the machine or exercise tested")
        object.__setattr__(self, "formula", _known_formula(self.formula))
        hypothetical_1rm(self.load_kg, self.reps, self.formula)  # validates load and reps

    @property
    def h1rm_kg(self) -> float:
        return hypothetical_1rm(self.load_kg, self.reps, self.formula)


@dataclass(frozen=True)
class HandgripTest:
    """Handgrip dynamometry: one or more trials on one hand, in kg."""

    kind: ClassVar[str] = "handgrip"

    context: TestContext
    side: Side
    trials_kg: tuple[float, ...]

    def __post_init__(self) -> None:
        _side(self.side)
        _checks.require(
            1 <= len(self.trials_kg) <= 6,
            "a handgrip test needs 1 to 6 trials",
            key="trials_kg",
            value=list(self.trials_kg),
            hint="list the force of each trial in kg",
        )
        for value in self.trials_kg:
            _checks.positive(value, 150, key="trials_kg", unit="kg", hint="give each trial in kg")

    @property
    def best_kg(self) -> float:
        return max(self.trials_kg)

    @property
    def mean_kg(self) -> float:
        return statistics.fmean(self.trials_kg)


@dataclass(frozen=True)
class SingleLegStanceTest:
    """Single-leg stance: seconds the participant stood on one leg, up to the test's ceiling."""

    kind: ClassVar[str] = "single_leg_stance"

    context: TestContext
    side: Side
    seconds: float
    eyes_open: bool = True
    ceiling_seconds: float = 30.0

    def __post_init__(self) -> None:
        _side(self.side)
        _checks.positive(
            self.ceiling_seconds, 600, key="ceiling_seconds", unit="s", hint="give the test limit"
        )
        _checks.in_range(
            self.seconds,
            0,
            self.ceiling_seconds,
            key="seconds",
            unit="s",
            hint="the time cannot be negative or exceed the test's ceiling",
        )

    @property
    def reached_ceiling(self) -> bool:
        return self.seconds >= self.ceiling_seconds


@dataclass(frozen=True)
class TimedUpAndGoTest:
    """Timed up-and-go: seconds to rise from a chair, walk 3 m, turn, walk back and sit."""

    kind: ClassVar[str] = "timed_up_and_go"

    context: TestContext
    seconds: float
    walking_aid: str = ""

    def __post_init__(self) -> None:
        _checks.positive(self.seconds, 300, key="seconds", unit="s", hint="give the time in s")


FitnessTest = (
    SteepRampTest
    | CardiopulmonaryTest
    | MultipleRMTest
    | HandgripTest
    | SingleLegStanceTest
    | TimedUpAndGoTest
)

T = TypeVar("T", bound=FitnessTest)


def latest(tests: Iterable[FitnessTest], kind: type[T], on: dt.date) -> T | None:
    """The most recent test of *kind* done on or before *on* (the last one listed on ties)."""
    found: T | None = None
    for test in tests:
        if (
            isinstance(test, kind)
            and test.context.date <= on
            and (found is None or test.context.date >= found.context.date)
        ):
            found = test
    return found


def _side(side: str) -> None:
    _checks.require(
        side in ("left", "right"),
        "side must be 'left' or 'right'",
        key="side",
        value=side,
        hint="say which side was tested",
    )


def _known_formula(formula: OneRepMaxFormula | str) -> OneRepMaxFormula:
    try:
        return OneRepMaxFormula(formula)
    except ValueError:
        _checks.fail(
            "unknown h1RM formula",
            key="formula",
            value=formula,
            hint=f"use one of {', '.join(f.value for f in OneRepMaxFormula)}",
        )
