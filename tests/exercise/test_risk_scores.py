"""Mirels and SINS scoring against the published component tables.

Source of every expected point value: tests/reference/domain.md §5.2 (Mirels: epomedicine,
mdapp, JAAOS
Global 2020; SINS: Fisher et al. 2010 and Fourney et al. 2011 as summarised by pacs.de and
cancercalc). Totals are the sums written out in the comments.
"""

from __future__ import annotations

import pytest

from exonc.errors import ExerciseInputError
from exonc.exercise import (
    LesionType,
    MirelsComponents,
    MirelsPain,
    MirelsSite,
    MirelsSize,
    SinsAlignment,
    SinsCollapse,
    SinsComponents,
    SinsLocation,
    SinsPain,
    SinsPosterolateral,
    mirels_category,
    mirels_score,
    sins_category,
    sins_location,
    sins_score,
)

L = LesionType


# Mirels table: points 1/2/3 for site (upper limb / lower limb / peritrochanteric),
# size (< 1/3, 1/3–2/3, > 2/3), lesion (blastic / mixed / lytic), pain (mild / moderate /
# functional).
@pytest.mark.parametrize(
    ("site", "size", "lesion", "pain", "total"),
    [
        ("upper_limb", "under_one_third", L.BLASTIC, "mild", 4),  # 1+1+1+1, the minimum
        ("peritrochanteric", "over_two_thirds", L.LYTIC, "functional", 12),  # 3+3+3+3, maximum
        ("lower_limb", "under_one_third", L.MIXED, "mild", 6),  # 2+1+2+1
        ("lower_limb", "one_to_two_thirds", L.MIXED, "mild", 7),  # 2+2+2+1, last low-risk
        ("lower_limb", "one_to_two_thirds", L.LYTIC, "mild", 8),  # 2+2+3+1, borderline
        ("lower_limb", "one_to_two_thirds", L.LYTIC, "moderate", 9),  # 2+2+3+2, high risk
        ("upper_limb", "over_two_thirds", L.BLASTIC, "functional", 8),  # 1+3+1+3
        ("peritrochanteric", "under_one_third", L.BLASTIC, "moderate", 7),  # 3+1+1+2
    ],
)
def test_mirels_total_is_the_sum_of_the_published_component_points(
    site: str, size: str, lesion: LesionType, pain: str, total: int
) -> None:
    components = MirelsComponents(MirelsSite(site), MirelsSize(size), MirelsPain(pain))
    assert mirels_score(components, lesion) == total


@pytest.mark.parametrize(
    ("score", "category"), [(4, "low"), (7, "low"), (8, "borderline"), (9, "high"), (12, "high")]
)
def test_mirels_risk_categories(score: int, category: str) -> None:
    # ≤ 7 low (~0–4 % fracture risk at 6 months), 8 borderline (~15 %), ≥ 9 high (> 33 %)
    assert mirels_category(score) == category


# SINS location: junctional O–C2, C7–T2, T11–L1, L5–S1 (3); mobile C3–C6, L2–L4 (2);
# semi-rigid T3–T10 (1); rigid S2–S5 (0).
@pytest.mark.parametrize(
    ("levels", "location"),
    [
        (["C1", "C2", "C7", "T1", "T2", "T11", "T12", "L1", "L5", "S1"], SinsLocation.JUNCTIONAL),
        (["C3", "C4", "C5", "C6", "L2", "L3", "L4"], SinsLocation.MOBILE),
        ([f"T{n}" for n in range(3, 11)], SinsLocation.SEMI_RIGID),
        (["S2", "S3", "S4", "S5"], SinsLocation.RIGID),
    ],
)
def test_sins_location_of_every_vertebral_level(levels: list[str], location: SinsLocation) -> None:
    assert {sins_location(level) for level in levels} == {location}


@pytest.mark.parametrize("level", ["C0", "C8", "T13", "L6", "S6", "X3", "", "T"])
def test_a_level_that_is_not_a_vertebra_is_refused(level: str) -> None:
    with pytest.raises(ExerciseInputError, match="not a vertebral level"):
        sins_location(level)


@pytest.mark.parametrize(
    ("level", "pain", "lesion", "alignment", "collapse", "posterolateral", "total"),
    [
        # junctional 3 + mechanical 3 + lytic 2 + subluxation 4 + > 50 % 3 + bilateral 3 = 18
        ("T12", "mechanical", L.LYTIC, "subluxation", "over_half", "bilateral", 18),
        # rigid 0 + pain-free 0 + blastic 0 + normal 0 + none 0 + none 0 = 0
        ("S3", "pain_free", L.BLASTIC, "normal", "none", "none", 0),
        # semi-rigid 1 + occasional 1 + mixed 1 + normal 0 + none, > 50 % involved 1 + none 0 = 4
        ("T7", "occasional", L.MIXED, "normal", "none_over_half_involved", "none", 4),
        # mobile 2 + mechanical 3 + lytic 2 + normal 0 + none 0 + none 0 = 7
        ("L3", "mechanical", L.LYTIC, "normal", "none", "none", 7),
        # semi-rigid 1 + mechanical 3 + lytic 2 + de novo 2 + < 50 % 2 + unilateral 1 = 11
        ("T5", "mechanical", L.LYTIC, "de_novo_deformity", "under_half", "unilateral", 11),
        # junctional 3 + mechanical 3 + lytic 2 + de novo 2 + < 50 % 2 + none 0 = 12
        ("L1", "mechanical", L.LYTIC, "de_novo_deformity", "under_half", "none", 12),
        # junctional 3 + mechanical 3 + lytic 2 + de novo 2 + < 50 % 2 + unilateral 1 = 13
        ("C2", "mechanical", L.LYTIC, "de_novo_deformity", "under_half", "unilateral", 13),
    ],
)
def test_sins_total_is_the_sum_of_the_published_component_points(
    level: str,
    pain: str,
    lesion: LesionType,
    alignment: str,
    collapse: str,
    posterolateral: str,
    total: int,
) -> None:
    components = SinsComponents(
        level,
        SinsPain(pain),
        SinsAlignment(alignment),
        SinsCollapse(collapse),
        SinsPosterolateral(posterolateral),
    )
    assert sins_score(components, lesion) == total


@pytest.mark.parametrize(
    ("score", "category"),
    [
        (0, "stable"),
        (6, "stable"),
        (7, "potentially unstable"),
        (12, "potentially unstable"),
        (13, "unstable"),
        (18, "unstable"),
    ],
)
def test_sins_categories(score: int, category: str) -> None:
    assert sins_category(score) == category


def test_sins_level_is_normalised() -> None:
    components = SinsComponents(
        " t12 ",
        SinsPain.PAIN_FREE,
        SinsAlignment.NORMAL,
        SinsCollapse.NONE,
        SinsPosterolateral.NONE,
    )
    assert components.level == "T12"
    assert components.location is SinsLocation.JUNCTIONAL
