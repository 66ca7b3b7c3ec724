"""A supervised exercise programme as data: phases, periodisation and schedule.

A :class:`Programme` is read from a TOML file (:func:`exonc.exercise.load_programme`) and
answers the questions the prescription engine asks for a given programme week: which
aerobic phase, which resistance scheme (repetitions and % h1RM), how many supervised and home
sessions, and what each exercise loads. Weeks are 1-based; week 1 starts on the
participant's start date.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from exonc.exercise import _checks
from exonc.exercise.anatomy import Movement, Region

__all__ = [
    "AerobicPhase",
    "BalanceBlock",
    "Component",
    "ExerciseDefinition",
    "Intensity",
    "Intervals",
    "Programme",
    "ProgressionRule",
    "Reference",
    "ResistanceBlock",
    "ResistanceScheme",
    "SchedulePeriod",
    "Segment",
]


class Component(enum.StrEnum):
    AEROBIC = "aerobic"
    RESISTANCE = "resistance"
    BALANCE = "balance"


class Reference(enum.StrEnum):
    """What an aerobic intensity is a fraction of."""

    WPEAK = "wpeak"
    MSEC = "msec"


@dataclass(frozen=True)
class Intensity:
    """Watts as a fraction range of Wpeak or MSEC, or fixed watts when *reference* is None."""

    reference: Reference | None
    low: float
    high: float

    def watts(self, wpeak_w: float | None, msec_w: float | None) -> tuple[float, float] | None:
        """The watt range, or None when the reference value is unknown."""
        if self.reference is None:
            return self.low, self.high
        base = wpeak_w if self.reference is Reference.WPEAK else msec_w
        return None if base is None else (self.low * base, self.high * base)

    def describe(self) -> str:
        if self.reference is None:
            return _range(self.low, self.high, " W")
        return f"{_range(self.low * 100, self.high * 100, ' %')} {self.reference.value.upper()}"


@dataclass(frozen=True)
class Segment:
    """A continuous stretch of cycling (warm-up, cool-down or continuous training)."""

    seconds: int
    intensity: Intensity | None  # None: self-selected, easy


@dataclass(frozen=True)
class Intervals:
    repetitions: int
    work_seconds: int
    work: Intensity
    rest_seconds: int
    rest: Intensity


@dataclass(frozen=True)
class AerobicPhase:
    name: str
    weeks: tuple[int, int]
    exercise: str
    main: Segment | Intervals
    warm_up: Segment | None = None
    cool_down: Segment | None = None
    description: str = ""


@dataclass(frozen=True)
class ResistanceScheme:
    name: str
    reps: tuple[int, int]
    percent_h1rm: tuple[float, float]


@dataclass(frozen=True)
class ResistanceBlock:
    sets: int
    exercises: tuple[str, ...]
    schemes: tuple[ResistanceScheme, ...]
    alternation_weeks: int
    minutes: int

    def scheme_for_week(self, week: int) -> ResistanceScheme:
        """Schemes take turns every *alternation_weeks* weeks, starting with the first."""
        return self.schemes[((week - 1) // self.alternation_weeks) % len(self.schemes)]


@dataclass(frozen=True)
class BalanceBlock:
    minutes: int
    exercise: str
    description: str = ""


@dataclass(frozen=True)
class SchedulePeriod:
    weeks: tuple[int, int]
    supervised_per_week: int
    home_per_week: int


@dataclass(frozen=True)
class ProgressionRule:
    """Add load when every set reached the top of the repetition range at RPE ≤ *max_rpe*,
    in *sessions_required* consecutive sessions; a step is one equipment increment unless
    *step_kg* is given."""

    max_rpe: float = 7.0
    sessions_required: int = 1
    step_kg: float | None = None


@dataclass(frozen=True)
class ExerciseDefinition:
    """An exercise: the movements it loads, the regions it works and its substitutes."""

    name: str
    title: str
    component: Component
    equipment: str
    movements: frozenset[Movement]
    regions: frozenset[Region] = frozenset()
    substitutions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Programme:
    name: str
    title: str
    weeks: int
    session_minutes: int
    sources: tuple[str, ...]
    schedule: tuple[SchedulePeriod, ...]
    aerobic: tuple[AerobicPhase, ...]
    resistance: ResistanceBlock
    balance: BalanceBlock | None
    progression: ProgressionRule
    exercises: Mapping[str, ExerciseDefinition]

    def check_week(self, week: int) -> None:
        _checks.require(
            1 <= week <= self.weeks,
            f"the programme '{self.name}' runs for weeks 1–{self.weeks}",
            key="week",
            value=week,
            hint="choose a date between the participant's start date and the programme's end",
        )

    def phase_for_week(self, week: int) -> AerobicPhase:
        self.check_week(week)
        return next(p for p in self.aerobic if p.weeks[0] <= week <= p.weeks[1])

    def period_for_week(self, week: int) -> SchedulePeriod:
        self.check_week(week)
        return next(p for p in self.schedule if p.weeks[0] <= week <= p.weeks[1])

    def exercise(self, name: str) -> ExerciseDefinition:
        return self.exercises[name]


def _range(low: float, high: float, unit: str) -> str:
    return f"{low:g}{unit}" if low == high else f"{low:g}–{high:g}{unit}"
