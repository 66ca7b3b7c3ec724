"""Skeletal risk scores: Mirels (long bones) and SINS (spine).

Both are sums of component points, tabulated in ``tests/reference/domain.md`` §5.2:

* **Mirels** (Mirels 1989): site, size (fraction of the cortex), lesion type and pain, each
  1–3 points; total 4–12. ≤ 7 low risk, 8 borderline, ≥ 9 high risk of pathological fracture.
* **SINS**, the Spinal Instability Neoplastic Score (Fisher et al. 2010; Fourney et al.
  2011): location 0–3, pain 0–3, bone lesion 0–2, alignment 0–4, vertebral body collapse
  0–3, posterolateral involvement 0–3; total 0–18. 0–6 stable, 7–12 potentially unstable,
  13–18 unstable.

The lesion type (lytic, mixed, blastic) is shared by both scores and recorded once on the
lesion; the SINS location follows from the vertebral level.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from exonc.exercise import _checks
from exonc.exercise.anatomy import LesionType, Site

__all__ = [
    "MirelsComponents",
    "MirelsPain",
    "MirelsSite",
    "MirelsSize",
    "SinsAlignment",
    "SinsCollapse",
    "SinsComponents",
    "SinsLocation",
    "SinsPain",
    "SinsPosterolateral",
    "mirels_category",
    "mirels_score",
    "sins_category",
    "sins_location",
    "sins_score",
    "spinal_site",
]


class MirelsSite(enum.StrEnum):
    UPPER_LIMB = "upper_limb"
    LOWER_LIMB = "lower_limb"
    PERITROCHANTERIC = "peritrochanteric"


class MirelsSize(enum.StrEnum):
    """Fraction of the cortex the lesion involves."""

    UNDER_ONE_THIRD = "under_one_third"
    ONE_TO_TWO_THIRDS = "one_to_two_thirds"
    OVER_TWO_THIRDS = "over_two_thirds"


class MirelsPain(enum.StrEnum):
    MILD = "mild"
    MODERATE = "moderate"
    FUNCTIONAL = "functional"


class SinsLocation(enum.StrEnum):
    JUNCTIONAL = "junctional"
    MOBILE = "mobile"
    SEMI_RIGID = "semi_rigid"
    RIGID = "rigid"


class SinsPain(enum.StrEnum):
    MECHANICAL = "mechanical"
    OCCASIONAL = "occasional"  # occasional, non-mechanical
    PAIN_FREE = "pain_free"


class SinsAlignment(enum.StrEnum):
    SUBLUXATION = "subluxation"  # subluxation or translation
    DE_NOVO_DEFORMITY = "de_novo_deformity"  # de novo kyphosis or scoliosis
    NORMAL = "normal"


class SinsCollapse(enum.StrEnum):
    OVER_HALF = "over_half"
    UNDER_HALF = "under_half"
    NONE_OVER_HALF_INVOLVED = "none_over_half_involved"  # no collapse, > 50 % of body involved
    NONE = "none"


class SinsPosterolateral(enum.StrEnum):
    BILATERAL = "bilateral"
    UNILATERAL = "unilateral"
    NONE = "none"


_MIRELS_SITE = {MirelsSite.UPPER_LIMB: 1, MirelsSite.LOWER_LIMB: 2, MirelsSite.PERITROCHANTERIC: 3}
_MIRELS_SIZE = {
    MirelsSize.UNDER_ONE_THIRD: 1,
    MirelsSize.ONE_TO_TWO_THIRDS: 2,
    MirelsSize.OVER_TWO_THIRDS: 3,
}
_MIRELS_TYPE = {LesionType.BLASTIC: 1, LesionType.MIXED: 2, LesionType.LYTIC: 3}
_MIRELS_PAIN = {MirelsPain.MILD: 1, MirelsPain.MODERATE: 2, MirelsPain.FUNCTIONAL: 3}

_SINS_LOCATION = {
    SinsLocation.JUNCTIONAL: 3,
    SinsLocation.MOBILE: 2,
    SinsLocation.SEMI_RIGID: 1,
    SinsLocation.RIGID: 0,
}
_SINS_PAIN = {SinsPain.MECHANICAL: 3, SinsPain.OCCASIONAL: 1, SinsPain.PAIN_FREE: 0}
_SINS_TYPE = {LesionType.LYTIC: 2, LesionType.MIXED: 1, LesionType.BLASTIC: 0}
_SINS_ALIGNMENT = {
    SinsAlignment.SUBLUXATION: 4,
    SinsAlignment.DE_NOVO_DEFORMITY: 2,
    SinsAlignment.NORMAL: 0,
}
_SINS_COLLAPSE = {
    SinsCollapse.OVER_HALF: 3,
    SinsCollapse.UNDER_HALF: 2,
    SinsCollapse.NONE_OVER_HALF_INVOLVED: 1,
    SinsCollapse.NONE: 0,
}
_SINS_POSTEROLATERAL = {
    SinsPosterolateral.BILATERAL: 3,
    SinsPosterolateral.UNILATERAL: 1,
    SinsPosterolateral.NONE: 0,
}

_REGIONS = {"C": (7, Site.CERVICAL_SPINE), "T": (12, Site.THORACIC_SPINE)}
_REGIONS |= {"L": (5, Site.LUMBAR_SPINE), "S": (5, Site.SACRUM)}
# (region letter, first, last) → SINS location; junctional O–C2, C7–T2, T11–L1, L5–S1.
_LOCATIONS = (
    ("C", 1, 2, SinsLocation.JUNCTIONAL),
    ("C", 3, 6, SinsLocation.MOBILE),
    ("C", 7, 7, SinsLocation.JUNCTIONAL),
    ("T", 1, 2, SinsLocation.JUNCTIONAL),
    ("T", 3, 10, SinsLocation.SEMI_RIGID),
    ("T", 11, 12, SinsLocation.JUNCTIONAL),
    ("L", 1, 1, SinsLocation.JUNCTIONAL),
    ("L", 2, 4, SinsLocation.MOBILE),
    ("L", 5, 5, SinsLocation.JUNCTIONAL),
    ("S", 1, 1, SinsLocation.JUNCTIONAL),
    ("S", 2, 5, SinsLocation.RIGID),
)


@dataclass(frozen=True)
class MirelsComponents:
    """The Mirels components recorded for a long-bone lesion (lesion type is on the lesion)."""

    site: MirelsSite
    size: MirelsSize
    pain: MirelsPain


@dataclass(frozen=True)
class SinsComponents:
    """The SINS components recorded for a spinal lesion (lesion type is on the lesion)."""

    level: str
    pain: SinsPain
    alignment: SinsAlignment
    collapse: SinsCollapse
    posterolateral: SinsPosterolateral

    def __post_init__(self) -> None:
        object.__setattr__(self, "level", _parse_level(self.level)[0])

    @property
    def location(self) -> SinsLocation:
        return sins_location(self.level)


def mirels_score(components: MirelsComponents, lesion_type: LesionType) -> int:
    """Mirels total, 4–12."""
    return (
        _MIRELS_SITE[components.site]
        + _MIRELS_SIZE[components.size]
        + _MIRELS_TYPE[lesion_type]
        + _MIRELS_PAIN[components.pain]
    )


def sins_score(components: SinsComponents, lesion_type: LesionType) -> int:
    """SINS total, 0–18."""
    return (
        _SINS_LOCATION[components.location]
        + _SINS_PAIN[components.pain]
        + _SINS_TYPE[lesion_type]
        + _SINS_ALIGNMENT[components.alignment]
        + _SINS_COLLAPSE[components.collapse]
        + _SINS_POSTEROLATERAL[components.posterolateral]
    )


def mirels_category(score: int) -> str:
    """``low`` (≤ 7), ``borderline`` (8) or ``high`` (≥ 9) fracture risk."""
    return "low" if score <= 7 else "borderline" if score == 8 else "high"


def sins_category(score: int) -> str:
    """``stable`` (0–6), ``potentially unstable`` (7–12) or ``unstable`` (13–18)."""
    return "stable" if score <= 6 else "potentially unstable" if score <= 12 else "unstable"


def sins_location(level: str) -> SinsLocation:
    """The SINS location class of a vertebral level such as ``T12`` or ``L3``."""
    letter, number = _parse_level(level)[1:]
    for region, first, last, location in _LOCATIONS:
        if region == letter and first <= number <= last:
            return location
    raise AssertionError(level)  # pragma: no cover - _parse_level bounds the number


def spinal_site(level: str) -> Site:
    """The lesion site (cervical, thoracic, lumbar spine or sacrum) of a vertebral level."""
    return _REGIONS[_parse_level(level)[1]][1]


def _parse_level(level: str) -> tuple[str, str, int]:
    match = re.fullmatch(r"\s*([CTLS])\s*(\d{1,2})\s*", str(level).upper())
    if match:
        letter, number = match.group(1), int(match.group(2))
        if 1 <= number <= _REGIONS[letter][0]:
            return f"{letter}{number}", letter, number
    _checks.fail(
        "not a vertebral level",
        key="level",
        value=level,
        hint="write the level as C1–C7, T1–T12, L1–L5 or S1–S5",
    )
