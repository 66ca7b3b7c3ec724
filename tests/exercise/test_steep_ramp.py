"""Wpeak for the aerobic prescription: measured (CPET) or estimated with a configured equation.

exonc ships no SRT→Wpeak equation (the published coefficients could not be retrieved; see
docs/concepts/fitness-tests.md). The equation used here is a **made-up test fixture**, not a
clinical equation: its coefficients were chosen to make hand calculation easy.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from exonc.errors import ExerciseInputError, ProtocolError
from exonc.exercise import (
    AerobicReference,
    CardiopulmonaryTest,
    FitnessTest,
    Sex,
    SteepRampTest,
    WpeakEquation,
    aerobic_reference,
    age_on,
    load_wpeak_equation,
)
from tests.exercise.factories import ctx

FIXTURE = WpeakEquation(
    name="test fixture (not clinical)",
    citation="none: a test fixture",
    population="none",
    intercept=10.0,
    msec_w=0.5,
    age_years=-0.5,
    height_cm=0.2,
    female=-10.0,
    msec_range=(100.0, 500.0),
    age_range=(30.0, 80.0),
    height_range=(150.0, 200.0),
)

FIXTURE_TOML = """
name = "test fixture (not clinical)"
citation = "none: a test fixture"
population = "none"

[coefficients]
intercept = 10.0
msec_w = 0.5
age_years = -0.5
height_cm = 0.2
female = -10.0

[validity]
msec_w = [100, 500]
age_years = [30, 80]
height_cm = [150, 200]
limits_of_agreement_w = 48
"""


def test_the_equation_is_applied_term_by_term() -> None:
    # 10 + 0.5·250 − 0.5·50 + 0.2·165 − 10 = 10 + 125 − 25 + 33 − 10 = 133
    estimate = FIXTURE.estimate(250.0, Sex.FEMALE, 50, 165.0)
    assert estimate.wpeak_w == pytest.approx(133.0)
    assert estimate.warnings == ()
    # male: no female term → 143
    assert FIXTURE.estimate(250.0, Sex.MALE, 50, 165.0).wpeak_w == pytest.approx(143.0)


def test_an_estimate_outside_the_equations_population_carries_a_warning() -> None:
    estimate = FIXTURE.estimate(250.0, Sex.FEMALE, 25, 145.0)
    assert len(estimate.warnings) == 2
    assert "age 25 years is outside the range" in estimate.warnings[0]
    assert "height 145 cm" in estimate.warnings[1]


def test_a_non_positive_estimate_is_refused() -> None:
    with pytest.raises(ExerciseInputError, match="gives a Wpeak of"):
        FIXTURE.estimate(1.0, Sex.FEMALE, 90, 100.0)


@pytest.mark.parametrize(
    ("birth", "day", "age"),
    [
        (dt.date(1970, 5, 1), dt.date(2024, 4, 30), 53),
        (dt.date(1970, 5, 1), dt.date(2024, 5, 1), 54),
        (dt.date(1972, 2, 29), dt.date(2024, 2, 28), 51),
    ],
)
def test_age_in_completed_years(birth: dt.date, day: dt.date, age: int) -> None:
    assert age_on(birth, day) == age


def _reference(
    tests: tuple[FitnessTest, ...], equation: WpeakEquation | None = None
) -> AerobicReference:
    return aerobic_reference(
        tests,
        dt.date(2024, 6, 1),
        sex=Sex.FEMALE,
        birth_date=dt.date(1974, 1, 1),
        height_cm=165.0,
        equation=equation,
    )


def test_a_measured_cpet_wpeak_is_used_when_there_is_one() -> None:
    tests = (SteepRampTest(ctx(), 250.0), CardiopulmonaryTest(ctx(), 160.0))
    ref = _reference(tests, FIXTURE)
    assert (ref.wpeak_w, ref.msec_w) == (160.0, 250.0)
    assert ref.wpeak_source == "CPET of 2024-01-03"


def test_a_newer_srt_is_converted_with_the_configured_equation() -> None:
    tests = (CardiopulmonaryTest(ctx(), 160.0), SteepRampTest(ctx(dt.date(2024, 4, 1)), 270.0))
    ref = _reference(tests, FIXTURE)
    # age on 2024-04-01 is 50: 10 + 135 − 25 + 33 − 10 = 143
    assert ref.wpeak_w == pytest.approx(143.0)
    assert "estimated from the SRT of 2024-04-01" in ref.wpeak_source


def test_without_an_equation_a_newer_srt_leaves_the_older_cpet_with_a_warning() -> None:
    tests = (CardiopulmonaryTest(ctx(), 160.0), SteepRampTest(ctx(dt.date(2024, 4, 1)), 270.0))
    ref = _reference(tests)
    assert ref.wpeak_w == 160.0
    assert "the CPET predates the SRT of 2024-04-01" in ref.warnings[0]


def test_without_cpet_and_without_equation_wpeak_is_unknown() -> None:
    ref = _reference((SteepRampTest(ctx(), 250.0),))
    assert (ref.wpeak_w, ref.msec_w, ref.wpeak_source) == (None, 250.0, "none")


def test_an_equation_file_is_read_and_validated(tmp_path: Path) -> None:
    path = tmp_path / "equation.toml"
    path.write_text(FIXTURE_TOML, encoding="utf-8")
    equation = load_wpeak_equation(path)
    assert equation.estimate(250.0, Sex.FEMALE, 50, 165.0).wpeak_w == pytest.approx(133.0)
    assert equation.limits_of_agreement_w == 48.0


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("female = -10.0\n", ""), "key coefficients.female: missing key"),
        (("female = -10.0\n", "female = -10.0\nsex = 1\n"), "key coefficients.sex: unknown key"),
        (
            ('citation = "none: a test fixture"\n', 'citation = ""\n'),
            "key citation: .*must not be empty",
        ),
        (("msec_w = [100, 500]", "msec_w = [500, 100]"), "key validity.msec_w.*low <= high"),
    ],
)
def test_a_broken_equation_file_names_the_key(
    tmp_path: Path, edit: tuple[str, str], message: str
) -> None:
    path = tmp_path / "equation.toml"
    path.write_text(FIXTURE_TOML.replace(*edit), encoding="utf-8")
    with pytest.raises(ProtocolError, match=message):
        load_wpeak_equation(path)
