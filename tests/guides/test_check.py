"""``check_library``: the shipped library passes; each rule catches its own problem."""

from __future__ import annotations

from pathlib import Path

from exonc.exercise import Programme, SafetyRules
from exonc.guides import Library, check_library, load_library
from tests.guides.conftest import edit


def test_the_shipped_library_passes(
    library: Library, rules: SafetyRules, programme: Programme
) -> None:
    result = check_library(library, rules, programme)
    assert result.ok, [str(p) for p in result.problems]
    assert result.guides == len(library.guides) >= 40
    assert len(result.awaiting_review) == result.guides  # nothing shipped is approved


def test_every_programme_exercise_is_taught_at_every_level(
    library: Library, programme: Programme
) -> None:
    # Restated without check_library: one guide per exercise and level.
    for name in programme.exercises:
        for level in (1, 2, 3):
            assert any(g.exercise == name and level in g.levels for g in library.guides), (
                name,
                level,
            )


def _problems(copy: Path, rules: SafetyRules, programme: Programme) -> list[str]:
    return [str(p) for p in check_library(load_library(copy), rules, programme).problems]


def test_a_missing_level_of_a_programme_exercise_is_reported(
    copy: Path, rules: SafetyRules, programme: Programme
) -> None:
    edit(copy / "guides/leg-curl.toml", "levels = [2]", "levels = [3]")
    found = _problems(copy, rules, programme)
    assert (
        "guides/, key exercise: no guide teaches the programme exercise leg_curl at level 2"
        in found
    )


def test_a_guide_that_loads_less_than_its_exercise_is_reported(
    copy: Path, rules: SafetyRules, programme: Programme
) -> None:
    edit(
        copy / "guides/leg-press.toml",
        'movements = ["hip_extension", "knee_extension"]',
        'movements = ["knee_extension"]',
    )
    found = _problems(copy, rules, programme)
    assert any(
        p.startswith(
            "guides/leg-press.toml, key guides.leg-press-starting-out.movements: loads less"
        )
        for p in found
    )


def test_links_must_point_one_level_away_and_to_programme_exercises(
    copy: Path, rules: SafetyRules, programme: Programme
) -> None:
    edit(
        copy / "guides/leg-press.toml",
        'harder_guide = "leg-press-building-up"',
        'harder_guide = "leg-press-active"',
    )
    edit(
        copy / "guides/walking.toml",
        'alternative_to = ["cycle_ergometer"]',
        'alternative_to = ["rowing"]',
    )
    found = _problems(copy, rules, programme)
    assert (
        "guides/leg-press.toml, key guides.leg-press-starting-out.harder_guide: "
        "leg-press-active is not one level harder"
    ) in found
    assert (
        "guides/walking.toml, key guides.walking-brisk.alternative_to: "
        "rowing is not an exercise of the programme"
    ) in found
