"""The lesion register: one record per bone metastasis, with its risk score and clearance.

A lesion records its site, side, radiographic type and imaging date; a long-bone lesion
carries its Mirels components and a spinal lesion its SINS components. A clinician's
clearance (name and date) is what lifts a hard stop or gives the sign-off a borderline
lesion needs; see :mod:`exonc.exercise.safety` for how the register is applied.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from exonc.exercise import _checks
from exonc.exercise.anatomy import Laterality, LesionType, Site
from exonc.exercise.risk_scores import (
    MirelsComponents,
    MirelsSite,
    SinsComponents,
    mirels_score,
    sins_score,
    spinal_site,
)

__all__ = ["LONG_BONE_SITES", "SPINAL_SITES", "Clearance", "Lesion"]

#: Sites scored with Mirels (long bones).
LONG_BONE_SITES = frozenset(
    {
        Site.PROXIMAL_HUMERUS,
        Site.HUMERAL_SHAFT,
        Site.DISTAL_HUMERUS,
        Site.RADIUS_ULNA,
        Site.PROXIMAL_FEMUR,
        Site.FEMORAL_SHAFT,
        Site.DISTAL_FEMUR,
        Site.TIBIA_FIBULA,
    }
)
#: Sites scored with SINS (the spine, occiput excluded).
SPINAL_SITES = frozenset({Site.CERVICAL_SPINE, Site.THORACIC_SPINE, Site.LUMBAR_SPINE, Site.SACRUM})
_UPPER_LIMB = frozenset(
    {Site.PROXIMAL_HUMERUS, Site.HUMERAL_SHAFT, Site.DISTAL_HUMERUS, Site.RADIUS_ULNA}
)


@dataclass(frozen=True)
class Clearance:
    """A named clinician's statement that the lesion allows loaded exercise (e.g. after
    stabilisation), dated; it counts only if dated on or after the lesion's imaging."""

    clinician: str
    date: dt.date
    note: str = ""

    def __post_init__(self) -> None:
        _checks.text(self.clinician, key="clinician", hint="name the clinician who cleared it")


@dataclass(frozen=True)
class Lesion:
    """One bone metastasis in the register."""

    id: str
    site: Site
    laterality: Laterality
    lesion_type: LesionType
    imaging_date: dt.date
    mirels: MirelsComponents | None = None
    sins: SinsComponents | None = None
    clearance: Clearance | None = None

    def __post_init__(self) -> None:
        _checks.text(self.id, key="id", hint="give each lesion an identifier, e.g. L1")
        object.__setattr__(self, "site", Site(self.site))
        if self.mirels is not None:
            self._check_mirels(self.mirels)
        if self.sins is not None:
            self._check_sins(self.sins)

    @property
    def mirels_score(self) -> int | None:
        return mirels_score(self.mirels, self.lesion_type) if self.mirels else None

    @property
    def sins_score(self) -> int | None:
        return sins_score(self.sins, self.lesion_type) if self.sins else None

    @property
    def needs_score(self) -> bool:
        """True for a long-bone lesion without Mirels or a spinal lesion without SINS."""
        return (self.site in LONG_BONE_SITES and self.mirels is None) or (
            self.site in SPINAL_SITES and self.sins is None
        )

    def cleared_on(self, day: dt.date) -> Clearance | None:
        """The clearance, if it is valid on *day* (dated from the imaging up to *day*)."""
        c = self.clearance
        return c if c is not None and self.imaging_date <= c.date <= day else None

    def _check_mirels(self, mirels: MirelsComponents) -> None:
        _checks.require(
            self.site in LONG_BONE_SITES,
            f"Mirels scores long-bone lesions; {self.site.value} is not a long bone",
            key="mirels",
            value=self.site.value,
            hint="leave out the Mirels components for this site",
        )
        expected = {MirelsSite.UPPER_LIMB} if self.site in _UPPER_LIMB else {MirelsSite.LOWER_LIMB}
        if self.site is Site.PROXIMAL_FEMUR:
            expected.add(MirelsSite.PERITROCHANTERIC)
        _checks.require(
            mirels.site in expected,
            f"Mirels site '{mirels.site.value}' does not match the lesion site {self.site.value}",
            key="mirels.site",
            value=mirels.site.value,
            hint=f"use {' or '.join(sorted(s.value for s in expected))}",
        )

    def _check_sins(self, sins: SinsComponents) -> None:
        _checks.require(
            self.site in SPINAL_SITES,
            f"SINS scores spinal lesions; {self.site.value} is not in the spine",
            key="sins",
            value=self.site.value,
            hint="leave out the SINS components for this site",
        )
        _checks.require(
            spinal_site(sins.level) is self.site,
            f"vertebral level {sins.level} is not in the {self.site.value.replace('_', ' ')}",
            key="sins.level",
            value=sins.level,
            hint="check the level and the site",
        )
