"""The PREFERABLE-EFFECT programme file says exactly what the protocol says, and a broken
programme file is refused with its key.

Source of the expected values: Hiensch et al., Trials 2022;23:610, Table 1 and footnotes
(tests/reference/domain.md §2.5), and issue #7.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from exonc.errors import ProtocolError
from exonc.exercise import (
    Component,
    Intervals,
    Reference,
    Segment,
    bundled_programmes,
    load_programme,
)

P = load_programme("preferable-effect")
SOURCE = Path(__file__).parents[2] / "src/exonc/exercise/programmes/preferable-effect.toml"


def test_preferable_effect_is_bundled_and_runs_36_weeks() -> None:
    assert "preferable-effect" in bundled_programmes()
    assert (P.name, P.weeks, P.session_minutes) == ("preferable-effect", 36, 60)


@pytest.mark.parametrize(
    ("week", "phase"),
    [
        (1, "mict"),
        (3, "mict"),
        (4, "intervals-8x1min"),
        (14, "intervals-8x1min"),
        (15, "intervals-3x3min"),
        (25, "intervals-3x3min"),
        (26, "intervals-8x30s"),
        (36, "intervals-8x30s"),
    ],
)
def test_aerobic_phases_change_at_weeks_4_15_and_26(week: int, phase: str) -> None:
    assert P.phase_for_week(week).name == phase


def test_weeks_1_to_3_are_15_min_mict_at_50_to_60_percent_wpeak() -> None:
    main = P.phase_for_week(1).main
    assert isinstance(main, Segment)
    assert main.seconds == 15 * 60
    assert main.intensity is not None
    assert (main.intensity.reference, main.intensity.low, main.intensity.high) == (
        Reference.WPEAK,
        0.50,
        0.60,
    )


@pytest.mark.parametrize(
    ("week", "reps", "work_s", "work_ref", "work_fraction", "rest_s", "rest_ref", "rest_value"),
    [
        (4, 8, 60, Reference.WPEAK, 1.00, 60, None, 30.0),  # 8 × 1 min 100 % Wpeak / 1 min 30 W
        (15, 3, 180, Reference.WPEAK, 0.70, 120, None, 30.0),  # 3 × 3 min 70 % Wpeak / 2 min 30 W
        (
            26,
            8,
            30,
            Reference.MSEC,
            0.65,
            60,
            Reference.MSEC,
            0.30,
        ),  # 8 × 30 s 65 % / 1 min 30 % MSEC
    ],
)
def test_interval_phases(
    week: int,
    reps: int,
    work_s: int,
    work_ref: Reference,
    work_fraction: float,
    rest_s: int,
    rest_ref: Reference | None,
    rest_value: float,
) -> None:
    phase = P.phase_for_week(week)
    main = phase.main
    assert isinstance(main, Intervals)
    assert (main.repetitions, main.work_seconds, main.rest_seconds) == (reps, work_s, rest_s)
    assert (main.work.reference, main.work.low, main.work.high) == (
        work_ref,
        work_fraction,
        work_fraction,
    )
    assert (main.rest.reference, main.rest.low) == (rest_ref, rest_value)
    # every interval session: 3-min warm-up at 30 W and a 3-min cool-down
    assert phase.warm_up is not None
    assert phase.cool_down is not None
    assert phase.warm_up.seconds == phase.cool_down.seconds == 180
    assert phase.warm_up.intensity is not None
    assert (phase.warm_up.intensity.reference, phase.warm_up.intensity.low) == (None, 30.0)


def test_resistance_six_exercises_three_sets_alternating_monthly() -> None:
    block = P.resistance
    assert block.exercises == (
        "leg_press",
        "leg_curl",
        "leg_extension",
        "chest_press",
        "seated_row",
        "lat_pulldown",
    )
    assert (block.sets, block.minutes, block.alternation_weeks) == (3, 35, 4)
    light, heavy = block.schemes
    assert (light.reps, light.percent_h1rm) == ((10, 12), (70.0, 75.0))
    assert (heavy.reps, heavy.percent_h1rm) == ((6, 8), (80.0, 85.0))
    schemes = [block.scheme_for_week(w) for w in range(1, 37)]
    assert schemes[0:4] == [light] * 4
    assert schemes[4:8] == [heavy] * 4
    assert schemes[8] is light
    assert schemes[35] is light  # month 9


def test_two_supervised_sessions_a_week_then_one_supervised_and_one_home() -> None:
    assert (P.period_for_week(26).supervised_per_week, P.period_for_week(26).home_per_week) == (
        2,
        0,
    )
    assert (P.period_for_week(27).supervised_per_week, P.period_for_week(27).home_per_week) == (
        1,
        1,
    )


def test_balance_block_and_exercise_library() -> None:
    assert P.balance is not None
    assert P.balance.minutes == 10
    assert P.exercises["leg_press"].component is Component.RESISTANCE
    assert P.exercises["cycle_ergometer"].component is Component.AEROBIC


def test_a_week_outside_the_programme_is_refused() -> None:
    with pytest.raises(Exception, match="runs for weeks 1–36"):
        P.phase_for_week(37)


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = SOURCE.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "programme.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("weeks = [4, 14]", "weeks = [5, 14]", r"key aerobic.*week 4 is not covered"),
        ("weeks = [4, 14]", "weeks = [3, 14]", r"key aerobic.*week 3 is covered twice"),
        (
            "weeks = [27, 36]",
            "weeks = [27, 35]",
            r"key schedule.*cover weeks 1–35 but the programme has 36",
        ),
        (
            '"seated_row", "lat_pulldown"]',
            '"seated_row", "lat_pulldwn"]',
            r"key resistance\.exercises: value 'lat_pulldwn': names an exercise with no "
            r"\[exercises\] entry",
        ),
        (
            'substitutions = ["biceps_curl"]',
            'substitutions = ["balance_training"]',
            r"is a balance exercise, not resistance",
        ),
        (
            'movements = ["knee_flexion"]',
            'movements = ["knee_bending"]',
            r"key exercises\.leg_curl\.movements.*unknown movement 'knee_bending'",
        ),
        ("sets = 3", "sets = 0", r"key resistance\.sets: value 0: must be from 1 to 20"),
        ("sets = 3", "sets = 3\nrepetitions = 10", r"key resistance\.repetitions: unknown key"),
        ("percent_h1rm = [70, 75]", "percent_h1rm = [75, 70]", r"percent_h1rm.*low <= high"),
        (
            "fraction = 0.70",
            "fraction = 7.0",
            r"key aerobic\[3\]\.intervals\.work\.fraction.*0 < low <= high <= 2",
        ),
        (
            'reference = "msec", fraction = 0.65',
            'reference = "vo2", fraction = 0.65',
            r"key aerobic\[4\]\.intervals\.work\.reference: value 'vo2': not a known value",
        ),
        ("max_rpe = 7", "max_rpe = 12", r"key progression\.max_rpe.*CR-10"),
        (
            'continuous = { minutes = 15, reference = "wpeak", low = 0.50, high = 0.60 }',
            "",
            r"key aerobic\[1\]: an aerobic phase needs either 'continuous' or 'intervals'",
        ),
    ],
)
def test_a_broken_programme_names_the_file_and_key(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    with pytest.raises(ProtocolError, match=message) as caught:
        load_programme(_broken(tmp_path, old, new))
    assert str(caught.value).startswith("programme.toml")


def test_a_missing_or_malformed_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ProtocolError, match="file not found"):
        load_programme(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[programme\nname=", encoding="utf-8")
    with pytest.raises(ProtocolError, match="not valid TOML"):
        load_programme(bad)


def test_another_programme_is_another_data_file(tmp_path: Path) -> None:
    text = SOURCE.read_text(encoding="utf-8")
    text = text.replace('name = "preferable-effect"', 'name = "short-pilot"').replace(
        "weeks = 36", "weeks = 12"
    )
    text = text.replace("weeks = [1, 26]", "weeks = [1, 12]")
    text = text.split("# Months 6–9")[0] + "# Aerobic" + text.split("# Aerobic", 1)[1]
    text = text.replace("weeks = [4, 14]", "weeks = [4, 12]")
    start = text.index('[[aerobic]]\nname = "intervals-3x3min"')
    end = text.index("# Resistance block")
    text = text[:start] + text[end:]
    path = tmp_path / "short-pilot.toml"
    path.write_text(text, encoding="utf-8")
    pilot = load_programme(path)
    assert (pilot.name, pilot.weeks, len(pilot.aerobic), len(pilot.schedule)) == (
        "short-pilot",
        12,
        2,
        1,
    )
