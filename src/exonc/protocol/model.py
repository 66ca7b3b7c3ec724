"""The trial protocol as frozen, typed values."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from exonc._i18n import N_
from exonc.errors import UnknownCentre
from exonc.protocol.study_ids import StudyIdPattern

#: The pattern of a protocol file without ``[study_ids]``: ``NL-UTR-064``.
DEFAULT_STUDY_IDS = StudyIdPattern("{centre}-{NNN}", 3)


class CriterionKind(enum.StrEnum):
    INCLUSION = "inclusion"
    EXCLUSION = "exclusion"


class RandomisationMethod(enum.StrEnum):
    BLOCKS = "blocks"
    MINIMISATION = "minimisation"


class GuideAccess(enum.StrEnum):
    """Which exercise guides an arm's participants see in the patient hub."""

    EVERYDAY_ACTIVITY = "everyday_activity"  # only the everyday-activity advice
    PRESCRIPTION = "prescription"  # her level's guides, led by her current prescription
    ALL = "all"  # every guide at her level


@dataclass(frozen=True)
class Arm:
    code: str
    name: str
    ratio: int
    #: What the patient hub shows (default: everyday activity only, so that the guides
    #: cannot contaminate a usual-care arm).
    guides: GuideAccess = GuideAccess.EVERYDAY_ACTIVITY


@dataclass(frozen=True)
class Centre:
    code: str
    name: str
    country: str
    time_zone: str


@dataclass(frozen=True)
class Factor:
    """A stratification (or minimisation) factor and its levels."""

    code: str
    name: str
    levels: tuple[str, ...]


@dataclass(frozen=True)
class RandomisationSettings:
    method: RandomisationMethod
    factors: tuple[Factor, ...]
    block_sizes: tuple[int, ...]
    minimisation_probability: float


@dataclass(frozen=True)
class VisitDefinition:
    """An assessment visit: due ``offset_months`` calendar months after randomisation."""

    code: str
    name: str
    offset_months: int
    window_before_days: int
    window_after_days: int
    instruments: tuple[str, ...]


@dataclass(frozen=True)
class Criterion:
    id: str
    kind: CriterionKind
    text: str
    note: str = ""


@dataclass(frozen=True)
class Protocol:
    """A validated protocol file: ``text`` is its content, ``checksum`` the SHA-256 of its bytes."""

    name: str
    title: str
    version: str
    registration: str
    sponsor: str
    programme: str
    consent_version: str
    arms: tuple[Arm, ...]
    centres: tuple[Centre, ...]
    randomisation: RandomisationSettings
    visits: tuple[VisitDefinition, ...]
    eligibility: tuple[Criterion, ...]
    source: str
    checksum: str
    text: str
    study_ids: StudyIdPattern = DEFAULT_STUDY_IDS
    metastatic_sites: tuple[str, ...] = ()

    def centre(self, code: str) -> Centre:
        for centre in self.centres:
            if centre.code == code:
                return centre
        known = ", ".join(c.code for c in self.centres)
        raise UnknownCentre(f"unknown centre {code!r}; the protocol's centres are {known}")

    def arm(self, code: str) -> Arm:
        for arm in self.arms:
            if arm.code == code:
                return arm
        raise KeyError(f"unknown arm {code!r}; the protocol's arms are {', '.join(self.arm_codes)}")

    def visit(self, code: str) -> VisitDefinition:
        for visit in self.visits:
            if visit.code == code:
                return visit
        known = ", ".join(v.code for v in self.visits)
        raise KeyError(f"unknown visit {code!r}; the protocol's visits are {known}")

    @property
    def arm_codes(self) -> tuple[str, ...]:
        return tuple(arm.code for arm in self.arms)

    @property
    def label(self) -> str:
        """``NAME vVERSION``, as shown beside every record made under this protocol."""
        return f"{self.name} v{self.version}"


#: The visit names of the shipped protocol (``preferable-effect.toml``), marked for
#: translation: the platform shows a visit's name through ``gettext``, so these read in the
#: patient's language; the names of another protocol file show as written.
SHIPPED_VISIT_NAMES = (
    N_("Baseline"),
    N_("3 months"),
    N_("6 months (primary endpoint)"),
    N_("9 months"),
)
