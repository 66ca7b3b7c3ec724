"""Aerobic reference values: MSEC from the Steep Ramp Test, and Wpeak.

PREFERABLE-EFFECT sets interval watts from **Wpeak** (peak work rate of a cardiopulmonary
exercise test) in weeks 1–25 and from **MSEC** (peak watts in the Steep Ramp Test) in weeks
26–36. The trial's worksheet estimated Wpeak from MSEC, sex, height and age; that equation
was not available to us. Stuiver et al. (Arch Phys Med Rehabil 2017;98:2167–73) published a
model with exactly those predictors (283 cancer survivors from two Dutch exercise trials;
ICC 0.81 with CPET Wpeak, 95 % limits of agreement ±48 W), but its coefficients could not be
retrieved either. exonc therefore ships **no** default equation:

* a measured CPET Wpeak is used when there is one (see :func:`aerobic_reference`), and
* an equation is a data file (:func:`load_wpeak_equation`) that a centre fills in from the
  publication it follows — coefficients, citation, validity population and ranges — so the
  estimate always says which equation made it, and warns outside its validity ranges.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from exonc import _toml
from exonc.errors import ProtocolError
from exonc.exercise import _checks
from exonc.exercise.anatomy import Sex
from exonc.exercise.fitness_tests import CardiopulmonaryTest, FitnessTest, SteepRampTest, latest

__all__ = [
    "AerobicReference",
    "WpeakEquation",
    "WpeakEstimate",
    "aerobic_reference",
    "age_on",
    "load_wpeak_equation",
]


@dataclass(frozen=True)
class WpeakEstimate:
    """An estimated Wpeak and the equation that produced it."""

    wpeak_w: float
    equation: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class WpeakEquation:
    """A linear prediction of CPET Wpeak (W) from MSEC (W), age (years), height (cm) and sex.

    ``Wpeak = intercept + msec_w·MSEC + age_years·age + height_cm·height + female·[female]``.
    The ranges describe the population the equation was derived in; an estimate outside them
    carries a warning.
    """

    name: str
    citation: str
    population: str
    intercept: float
    msec_w: float
    age_years: float
    height_cm: float
    female: float
    msec_range: tuple[float, float]
    age_range: tuple[float, float]
    height_range: tuple[float, float]
    limits_of_agreement_w: float | None = None

    def __post_init__(self) -> None:
        for key in ("name", "citation", "population"):
            _checks.text(
                getattr(self, key), key=key, hint="every equation must say where it is from"
            )

    def estimate(
        self, msec_w: float, sex: Sex, age_years: float, height_cm: float
    ) -> WpeakEstimate:
        """Estimated Wpeak for one person; refuses a result that is not a positive wattage."""
        wpeak = (
            self.intercept
            + self.msec_w * msec_w
            + self.age_years * age_years
            + self.height_cm * height_cm
            + (self.female if sex is Sex.FEMALE else 0.0)
        )
        _checks.require(
            wpeak > 0,
            f"the equation '{self.name}' gives a Wpeak of {wpeak:.0f} W",
            key="msec_w",
            value=msec_w,
            hint="the inputs are far outside the equation's population; measure Wpeak by CPET",
        )
        return WpeakEstimate(wpeak, self.name, self._warnings(msec_w, age_years, height_cm))

    def _warnings(self, msec_w: float, age_years: float, height_cm: float) -> tuple[str, ...]:
        checks = (
            ("MSEC", msec_w, self.msec_range, "W"),
            ("age", age_years, self.age_range, "years"),
            ("height", height_cm, self.height_range, "cm"),
        )
        return tuple(
            f"{label} {value:g} {unit} is outside the range of the equation's population "
            f"({low:g}–{high:g} {unit}); the Wpeak estimate is an extrapolation"
            for label, value, (low, high), unit in checks
            if not low <= value <= high
        )


@dataclass(frozen=True)
class AerobicReference:
    """The watts the aerobic prescription is based on, and where they came from."""

    wpeak_w: float | None
    wpeak_source: str
    msec_w: float | None
    msec_date: dt.date | None
    warnings: tuple[str, ...] = ()


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Age in completed years on *day*."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - int(before_birthday)


def aerobic_reference(
    tests: Iterable[FitnessTest],
    on: dt.date,
    *,
    sex: Sex,
    birth_date: dt.date,
    height_cm: float,
    equation: WpeakEquation | None = None,
) -> AerobicReference:
    """Wpeak and MSEC from the most recent tests on or before *on*.

    Wpeak comes from the most recent of a CPET and a Steep Ramp Test: a CPET measures it; a
    newer SRT is converted with *equation* when one is configured, and otherwise the older
    CPET is used with a warning. Without a CPET and without an equation, Wpeak is unknown.
    """
    tests = tuple(tests)
    srt = latest(tests, SteepRampTest, on)
    cpet = latest(tests, CardiopulmonaryTest, on)
    msec = srt.msec_w if srt else None
    msec_date = srt.context.date if srt else None
    srt_is_newer = srt is not None and (cpet is None or srt.context.date > cpet.context.date)
    if srt is not None and srt_is_newer and equation is not None:
        age = age_on(birth_date, srt.context.date)
        estimate = equation.estimate(srt.msec_w, sex, age, height_cm)
        source = f"estimated from the SRT of {srt.context.date.isoformat()} ({equation.name})"
        return AerobicReference(estimate.wpeak_w, source, msec, msec_date, estimate.warnings)
    if cpet is not None:
        source = f"CPET of {cpet.context.date.isoformat()}"
        stale: tuple[str, ...] = ()
        if srt_is_newer and msec_date is not None:
            stale = (
                f"the CPET predates the SRT of {msec_date.isoformat()}; repeat the CPET or "
                "configure an SRT→Wpeak equation",
            )
        return AerobicReference(cpet.wpeak_w, source, msec, msec_date, stale)
    return AerobicReference(None, "none", msec, msec_date, ())


def load_wpeak_equation(path: Path) -> WpeakEquation:
    """Read an SRT→Wpeak equation file (format: ``docs/concepts/fitness-tests.md``)."""
    root = _toml.Table(_toml.read(path, ProtocolError), file=str(path), error=ProtocolError)
    coefficients = root.table("coefficients")
    validity = root.table("validity")
    with root.located():
        equation = WpeakEquation(
            name=root.text("name"),
            citation=root.text("citation"),
            population=root.text("population"),
            intercept=coefficients.number("intercept"),
            msec_w=coefficients.number("msec_w"),
            age_years=coefficients.number("age_years"),
            height_cm=coefficients.number("height_cm"),
            female=coefficients.number("female"),
            msec_range=validity.pair("msec_w"),
            age_range=validity.pair("age_years"),
            height_range=validity.pair("height_cm"),
            limits_of_agreement_w=validity.number("limits_of_agreement_w", None),
        )
    for table in (coefficients, validity, root):
        table.done()
    return equation
