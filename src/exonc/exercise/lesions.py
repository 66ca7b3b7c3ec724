"""The lesion register: one record per bone metastasis, with its risk score and clearance.

A lesion records its site, side, radiographic type and imaging date; a long-bone lesion
carries its Mirels components and a spinal lesion its SINS components. A clinician's
clearance (name and date) is what lifts a hard stop or gives the sign-off a borderline
lesion needs; see :mod:`exonc.exercise.safety` for how the register is applied.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from exonc.exercise import _checks
from exonc.exercise.anatomy import Laterality, LesionType, Site
from exonc.exercise.risk_scores import (
    MirelsComponents,
    MirelsPain,
    MirelsSite,
    MirelsSize,
    SinsAlignment,
    SinsCollapse,
    SinsComponents,
    SinsPain,
    SinsPosterolateral,
    mirels_score,
    sins_score,
    spinal_site,
)

__all__ = [
    "LESION_FIELDS",
    "LONG_BONE_SITES",
    "SPINAL_SITES",
    "Clearance",
    "Lesion",
    "LesionRecord",
]

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


@dataclass(frozen=True)
class LesionRecord:
    """A lesion as forms, the API, the database and exported tables record it: flat values,
    the score components as text (empty = not given). :data:`LESION_FIELDS` lists its
    fields — the one list of lesion fields in exonc; every declarative copy (the Django
    model and form, the API schema, the synthetic ``lesions`` table) is checked against it.
    """

    site: str
    laterality: str
    lesion_type: str
    imaging_date: dt.date
    mirels_site: str = ""
    mirels_size: str = ""
    mirels_pain: str = ""
    sins_level: str = ""
    sins_pain: str = ""
    sins_alignment: str = ""
    sins_collapse: str = ""
    sins_posterolateral: str = ""

    @classmethod
    def from_lesion(cls, lesion: Lesion) -> LesionRecord:
        """The flat record of a register's lesion (the inverse of :meth:`lesion`)."""
        m, s = lesion.mirels, lesion.sins
        return cls(
            lesion.site.value,
            lesion.laterality.value,
            lesion.lesion_type.value,
            lesion.imaging_date,
            *((m.site.value, m.size.value, m.pain.value) if m else ("", "", "")),
            *(
                (s.level, s.pain.value, s.alignment.value, s.collapse.value)
                if s
                else ("", "", "", "")
            ),
            s.posterolateral.value if s else "",
        )

    @classmethod
    def of(cls, source: object) -> LesionRecord:
        """The record of anything with these attributes (a form's entry, a database row)."""
        return cls(**{name: getattr(source, name) for name in LESION_FIELDS})

    def lesion(self, label: str, clearance: Clearance | None = None) -> Lesion:
        """The register's lesion; validates the site, the type and the score components."""
        mirels = sins = None
        if self.mirels_site or self.mirels_size or self.mirels_pain:
            mirels = MirelsComponents(
                _checks.member(MirelsSite, self.mirels_site, "mirels_site"),
                _checks.member(MirelsSize, self.mirels_size, "mirels_size"),
                _checks.member(MirelsPain, self.mirels_pain, "mirels_pain"),
            )
        sins_parts = (self.sins_pain, self.sins_alignment, self.sins_collapse)
        if self.sins_level or any(sins_parts) or self.sins_posterolateral:
            sins = SinsComponents(
                self.sins_level,
                _checks.member(SinsPain, self.sins_pain, "sins_pain"),
                _checks.member(SinsAlignment, self.sins_alignment, "sins_alignment"),
                _checks.member(SinsCollapse, self.sins_collapse, "sins_collapse"),
                _checks.member(SinsPosterolateral, self.sins_posterolateral, "sins_posterolateral"),
            )
        return Lesion(
            label,
            _checks.member(Site, self.site, "site"),
            _checks.member(Laterality, self.laterality, "laterality"),
            _checks.member(LesionType, self.lesion_type, "lesion_type"),
            self.imaging_date,
            mirels,
            sins,
            clearance,
        )


#: The fields of a lesion record, in entry order (see :class:`LesionRecord`).
LESION_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(LesionRecord))
