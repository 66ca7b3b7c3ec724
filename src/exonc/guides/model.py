"""An exercise guide as frozen, typed values.

A :class:`Guide` is one page of the Physical Activity Resource Hub: what the exercise is
for, who it suits (fitness :class:`Level`), what it loads in the exercise package's own
vocabulary (:class:`~exonc.exercise.Movement`, :class:`~exonc.exercise.Region`, so the
bone-metastasis rule table applies to it unchanged), how to do it, and its clinical
:class:`Review`. Guides are read from reviewed data files by :mod:`exonc.guides.library`.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from exonc.exercise.anatomy import Movement, Region

__all__ = [
    "Guide",
    "GuideComponent",
    "GuideSetting",
    "Illustration",
    "Level",
    "Pose",
    "Review",
    "ReviewStatus",
    "Support",
]


class GuideComponent(enum.StrEnum):
    RESISTANCE = "resistance"
    AEROBIC = "aerobic"
    BALANCE = "balance"
    FLEXIBILITY = "flexibility"
    EVERYDAY_ACTIVITY = "everyday_activity"


#: The order guides are listed in: the programme's components first, everyday advice last.
COMPONENT_ORDER = tuple(GuideComponent)


class Level(enum.IntEnum):
    """Fitness levels, from "starting out" to "active" (docs/concepts/guides.md)."""

    STARTING_OUT = 1
    BUILDING_UP = 2
    ACTIVE = 3


class GuideSetting(enum.StrEnum):
    """Where the guide is done: with the centre's machines, at home, or anywhere."""

    CENTRE = "centre"
    HOME = "home"
    ANYWHERE = "anywhere"


class ReviewStatus(enum.StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"


@dataclass(frozen=True)
class Review:
    """The clinical review of one version of a guide's content."""

    status: ReviewStatus
    version: int
    reviewer: str = ""
    date: dt.date | None = None
    note: str = ""

    @property
    def approved(self) -> bool:
        """Approved by a named clinician on a date (a status alone is not enough)."""
        return (
            self.status is ReviewStatus.APPROVED and bool(self.reviewer) and self.date is not None
        )


class Support(enum.StrEnum):
    """What carries the figure in a drawing: the floor, or a seat (she may stand up from
    it: then her feet stay where they were)."""

    STAND = "stand"
    SEAT = "seat"


@dataclass(frozen=True)
class Pose:
    """A side-view pose as joint angles in degrees (docs/concepts/guides.md, "Drawings").

    ``trunk`` leans forward from upright (negative: reclined); ``hip``, ``knee`` and
    ``shoulder`` are flexion, ``elbow`` is flexion, ``ankle`` is plantarflexion. The
    ``far_*`` angles are the limb on the far side; they default to the near side's.
    """

    trunk: float = 0.0
    hip: float = 0.0
    knee: float = 0.0
    ankle: float = 0.0
    shoulder: float = 0.0
    elbow: float = 0.0
    far_hip: float | None = None
    far_knee: float | None = None
    far_ankle: float | None = None
    far_shoulder: float | None = None
    far_elbow: float | None = None

    def far(self, joint: str) -> float:
        """The far limb's angle at *joint* (``hip``, ``knee``, …)."""
        value: float | None = getattr(self, f"far_{joint}")
        return float(getattr(self, joint)) if value is None else value


@dataclass(frozen=True)
class Illustration:
    """An original drawing: the start and end poses of the movement, with its props."""

    support: Support
    start: Pose
    end: Pose
    alt: str
    props: tuple[str, ...] = ()
    seat_height: float = 0.30  # hip above the floor on a seat, as a fraction of height


@dataclass(frozen=True)
class Guide:
    """One exercise or everyday-activity guide."""

    slug: str
    title: str
    purpose: str
    component: GuideComponent
    levels: tuple[Level, ...]
    setting: GuideSetting
    equipment: tuple[str, ...]
    movements: frozenset[Movement]
    regions: frozenset[Region]
    dose: str
    steps: tuple[str, ...]
    breathing: str
    cues: tuple[str, ...]
    mistakes: tuple[str, ...]
    easier: str
    harder: str
    warning_signs: tuple[str, ...]
    sources: tuple[str, ...]
    review: Review
    file: str
    exercise: str | None = None
    alternative_to: tuple[str, ...] = ()
    easier_guide: str | None = None
    harder_guide: str | None = None
    illustration: Illustration | None = None

    @property
    def name(self) -> str:
        """What the safety rules call it: the programme exercise it teaches, or its slug
        (so a clinician's override for *leg_press* also covers the leg-press guides)."""
        return self.exercise or self.slug

    def suits(self, level: Level) -> bool:
        return level in self.levels

    @property
    def order(self) -> int:
        """Position of the guide's component in :data:`COMPONENT_ORDER`."""
        return COMPONENT_ORDER.index(self.component)

    @property
    def is_exercise(self) -> bool:
        return self.component is not GuideComponent.EVERYDAY_ACTIVITY
