"""Big jumps between fitness tests: a value far from the last one asks for confirmation.

A typing slip (24 kg for 84 kg, 410 W for 250 W) changes the prescription the next
session is built on, so a test whose main measure moved more than the limits allow
since the previous test of the same kind (same machine, same hand) is not stored until
the person entering it confirms it with a reason. The limits are the platform's: twelve
weeks of supervised training raise strength and peak power by well under half in
metastatic breast cancer, and a fall of more than a third is rare without an event worth
noting; both are reasons to look again, not proof of an error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from exonc._i18n import N_
from exonc.exercise.fitness_tests import (
    CardiopulmonaryTest,
    FitnessTest,
    HandgripTest,
    MultipleRMTest,
    SteepRampTest,
)

#: Largest accepted fall and rise since the previous comparable test (fractions).
FALL = 0.30
RISE = 0.50


def measure(test: FitnessTest) -> tuple[str, str, float] | None:
    """The main measure of *test* (name, unit, value), or None for tests not compared."""
    if isinstance(test, SteepRampTest):
        return "MSEC", "W", test.msec_w
    if isinstance(test, CardiopulmonaryTest):
        return "Wpeak", "W", test.wpeak_w
    if isinstance(test, MultipleRMTest):
        return f"h1RM ({test.exercise})", "kg", test.h1rm_kg
    if isinstance(test, HandgripTest):
        return f"best handgrip ({test.side})", "kg", test.best_kg
    return None


@dataclass(frozen=True)
class Jump:
    """A change beyond the limits: what moved, from what to what, since which test."""

    label: str
    unit: str
    previous: float
    value: float
    previous_on: dt.date

    @property
    def change(self) -> float:
        """Relative change, e.g. -0.70 for a fall of 70 %."""
        return self.value / self.previous - 1

    @property
    def template(self) -> str:
        """The sentence with named placeholders (marked for translation; see
        :mod:`exonc._i18n`): the platform translates it and fills in :attr:`values`."""
        return FELL if self.change < 0 else ROSE

    @property
    def values(self) -> dict[str, str]:
        return {
            "measure": self.label,
            "percent": f"{abs(self.change):.0%}",
            "day": self.previous_on.isoformat(),
            "before": f"{self.previous:.4g}",
            "after": f"{self.value:.4g}",
            "unit": self.unit,
        }

    @property
    def message(self) -> str:
        return self.template % self.values


FELL = N_(
    "%(measure)s fell by %(percent)s since the test of %(day)s (%(before)s %(unit)s → "
    "%(after)s %(unit)s); check the value, or confirm it with a reason"
)
ROSE = N_(
    "%(measure)s rose by %(percent)s since the test of %(day)s (%(before)s %(unit)s → "
    "%(after)s %(unit)s); check the value, or confirm it with a reason"
)


def same_series(a: FitnessTest, b: FitnessTest) -> bool:
    """Tests comparable with each other: same kind, and same machine or same hand."""
    if type(a) is not type(b):
        return False
    if isinstance(a, MultipleRMTest) and isinstance(b, MultipleRMTest):
        return a.exercise.strip().lower() == b.exercise.strip().lower()
    if isinstance(a, HandgripTest) and isinstance(b, HandgripTest):
        return a.side == b.side
    return True


def jump(test: FitnessTest, earlier: Iterable[FitnessTest]) -> Jump | None:
    """The jump of *test* from the latest comparable test before it, if beyond the limits."""
    now = measure(test)
    before = [t for t in earlier if same_series(t, test) and t.context.date < test.context.date]
    if now is None or not before:
        return None
    previous = max(before, key=lambda t: t.context.date)
    then = measure(previous)
    if then is None:
        return None
    change = now[2] / then[2] - 1
    if -FALL <= change <= RISE:
        return None
    return Jump(now[0], now[1], then[2], now[2], previous.context.date)
