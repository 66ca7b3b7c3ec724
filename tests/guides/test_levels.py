"""Levels: from the latest fitness tests by the reviewed mapping, or from a self-assessment.

Expected levels are read off data/levels.toml by hand: Steep Ramp Test level 2 from 200 W
and level 3 from 300 W; timed up-and-go level 2 below 12 s and level 3 below 9 s;
single-leg stance level 2 from 5 s and level 3 from 20 s; the lowest test decides.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from exonc.errors import GuideDataError
from exonc.exercise import SingleLegStanceTest, SteepRampTest, TestContext, TimedUpAndGoTest
from exonc.guides import (
    Level,
    default_level_mapping,
    default_self_assessment,
    level_from_answers,
    level_from_tests,
    load_level_mapping,
    parse_level,
)
from tests.guides.conftest import edit

DAY = dt.date(2024, 3, 1)


def _ctx(day: dt.date = DAY) -> TestContext:
    return TestContext(day, "J. Smit")


@pytest.mark.parametrize(
    ("msec", "level"), [(120, 1), (199.9, 1), (200, 2), (299, 2), (300, 3), (420, 3)]
)
def test_steep_ramp_cut_offs(msec: float, level: int) -> None:
    found = level_from_tests([SteepRampTest(_ctx(), msec)], default_level_mapping(), DAY)
    assert found.level == level
    assert [(b.kind, b.value, b.unit) for b in found.basis] == [("steep_ramp", msec, "W")]


@pytest.mark.parametrize(("seconds", "level"), [(14, 1), (12, 1), (11.9, 2), (9, 2), (8.9, 3)])
def test_timed_up_and_go_is_better_when_lower(seconds: float, level: int) -> None:
    found = level_from_tests([TimedUpAndGoTest(_ctx(), seconds)], default_level_mapping(), DAY)
    assert found.level == level


def test_the_lowest_test_decides_and_only_the_latest_result_counts() -> None:
    tests = [
        SteepRampTest(_ctx(dt.date(2024, 1, 5)), 150),  # older: superseded
        SteepRampTest(_ctx(), 320),  # level 3
        SingleLegStanceTest(_ctx(), "left", 12),  # level 2
        TimedUpAndGoTest(_ctx(dt.date(2024, 4, 1)), 15),  # after the day: not yet
    ]
    found = level_from_tests(tests, default_level_mapping(), DAY)
    assert found.level == Level.BUILDING_UP
    assert {b.kind: int(b.level) for b in found.basis} == {"steep_ramp": 3, "single_leg_stance": 2}


def test_without_a_test_the_first_level_applies() -> None:
    found = level_from_tests([], default_level_mapping(), DAY)
    assert (found.level, found.basis) == (Level.STARTING_OUT, ())


def test_a_mapping_with_cut_offs_in_the_wrong_order_is_refused(copy: Path) -> None:
    edit(copy / "levels.toml", "level_2 = 200\nlevel_3 = 300", "level_2 = 300\nlevel_3 = 200")
    with pytest.raises(GuideDataError, match=r"levels.toml, key tests\[1\].level_3: must be above"):
        load_level_mapping(copy / "levels.toml")


def test_a_mapping_naming_an_unknown_test_field_is_refused(copy: Path) -> None:
    edit(copy / "levels.toml", 'field = "msec_w"', 'field = "watts"')
    with pytest.raises(GuideDataError, match="not a field of a steep_ramp test"):
        load_level_mapping(copy / "levels.toml")


ANSWERS = {
    "walk": "over_30",
    "chair": "five",
    "balance": "easily",
    "active_days": "5_or_more",
    "energy": "well",
}


def test_self_assessment_gives_the_lowest_answer() -> None:
    assessment = default_self_assessment()
    assert level_from_answers(assessment, ANSWERS).level == Level.ACTIVE
    tired = ANSWERS | {"energy": "tired"}
    assert level_from_answers(assessment, tired).level == Level.BUILDING_UP
    assert level_from_answers(assessment, tired | {"chair": "no"}).level == Level.STARTING_OUT


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (
            {k: v for k, v in ANSWERS.items() if k != "walk"},
            "key walk: this question is not answered",
        ),
        (ANSWERS | {"balance": "sometimes"}, "key balance: value 'sometimes': not an answer"),
    ],
)
def test_self_assessment_refuses_missing_or_unknown_answers(
    answers: dict[str, str], message: str
) -> None:
    with pytest.raises(GuideDataError) as raised:
        level_from_answers(default_self_assessment(), answers)
    assert str(raised.value).startswith(message)


@pytest.mark.parametrize(
    ("value", "level"), [("1", 1), (2, 2), ("active", 3), ("Building up", 2), (" 3 ", 3)]
)
def test_parse_level(value: object, level: int) -> None:
    assert parse_level(value) == level


@pytest.mark.parametrize("value", ["0", "4", "expert", ""])
def test_parse_level_refuses_other_values(value: str) -> None:
    with pytest.raises(GuideDataError, match=r"key --level: .*not a known level; use 1"):
        parse_level(value, "--level")
