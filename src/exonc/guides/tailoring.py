"""Tailoring: which guides suit one person, and why the others do not.

A guide is checked exactly as a prescription checks an exercise: the lesion register goes
through :func:`exonc.exercise.assess_lesions` with the reviewed rule table, and each guide
through :func:`exonc.exercise.check_exercise` (a guide names the movements and regions it
loads in the same vocabulary). There is no second copy of the rules here — only the words
that explain a refusal: every excluded guide carries one plain sentence per lesion that
blocks it ("because of the lesion in your thigh bone …"), and the suitable guides at the
same level that can take its place.

Outside a trial, a lesion known only by its site (the public hub, ``exonc guides list
--lesion``) is treated as the rules treat a lesion without a risk score or a clearance:
its site rule applies, and a long-bone or spinal lesion — or one at a site without a rule —
closes its region until a doctor has checked it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from exonc.errors import GuideDataError
from exonc.exercise.anatomy import Laterality, LesionType, Site
from exonc.exercise.lesions import Lesion
from exonc.exercise.programme import Programme
from exonc.exercise.safety import (
    Override,
    Restriction,
    RestrictionKind,
    assess_lesions,
    check_exercise,
)
from exonc.exercise.safety_rules import SafetyRules
from exonc.guides.library import Library
from exonc.guides.model import Guide, GuideComponent, GuideSetting, Level
from exonc.guides.words import Words

__all__ = [
    "Exclusion",
    "Pack",
    "TailoredGuide",
    "parse_site",
    "site_lesions",
    "tailor",
    "tailored_pack",
    "with_alternatives",
]


@dataclass(frozen=True)
class Exclusion:
    """One lesion's reason for leaving a guide out."""

    lesion: str
    site: Site
    kind: RestrictionKind
    because: str


@dataclass(frozen=True)
class TailoredGuide:
    """A guide, whether it suits this person, and why not."""

    guide: Guide
    suitable: bool
    exclusions: tuple[Exclusion, ...] = ()
    allowed: tuple[str, ...] = ()
    instead: tuple[str, ...] = ()

    @property
    def excluded_because(self) -> str | None:
        """The plain-words reason (one sentence per blocking lesion), or None."""
        if self.suitable:
            return None
        return " ".join(dict.fromkeys(e.because for e in self.exclusions))


@dataclass(frozen=True)
class Pack:
    """A tailored set of guides at one level, suitable ones first."""

    level: Level
    sites: tuple[Site, ...]
    guides: tuple[TailoredGuide, ...]
    setting: GuideSetting | None = None
    components: tuple[GuideComponent, ...] = field(default_factory=tuple)

    @property
    def suitable(self) -> tuple[TailoredGuide, ...]:
        return tuple(g for g in self.guides if g.suitable)

    @property
    def excluded(self) -> tuple[TailoredGuide, ...]:
        return tuple(g for g in self.guides if not g.suitable)


def parse_site(value: str, key: str = "lesion") -> Site:
    """*value* as a lesion :class:`~exonc.exercise.Site`, or a one-line error naming *key*
    and listing the sites."""
    try:
        return Site(value.strip().lower())
    except ValueError:
        known = ", ".join(s.value for s in Site)
        raise GuideDataError(
            "not a known lesion site", key=key, value=value, hint=f"use one of {known}"
        ) from None


def site_lesions(sites: Iterable[Site], on: dt.date) -> tuple[Lesion, ...]:
    """Lesions known only by their site, imaged *on* that day: no risk score, no clearance,
    both sides (the most cautious reading of what the person told us)."""
    return tuple(
        Lesion(f"S{n}", site, Laterality.BILATERAL, LesionType.LYTIC, on)
        for n, site in enumerate(dict.fromkeys(sites), start=1)
    )


def tailor(
    guides: Iterable[Guide],
    restrictions: Sequence[Restriction],
    words: Words,
    *,
    sites: Mapping[str, Site],
    on: dt.date,
    overrides: Iterable[Override] = (),
) -> tuple[TailoredGuide, ...]:
    """Check every guide against the restrictions (and a clinician's overrides) in force."""
    active = tuple(overrides)
    tailored = []
    for guide in guides:
        check = check_exercise(guide, restrictions, active, on)
        tailored.append(
            TailoredGuide(
                guide=guide,
                suitable=check.allowed,
                exclusions=tuple(_exclusion(r, guide, words, sites) for r in check.blocking),
                allowed=tuple(
                    words.reason("overridden", site=words.site(sites[r.lesion_id]))
                    for r, _ in check.overridden
                ),
            )
        )
    return tuple(tailored)


def _exclusion(
    restriction: Restriction, guide: Guide, words: Words, sites: Mapping[str, Site]
) -> Exclusion:
    site = sites[restriction.lesion_id]
    if restriction.kind is RestrictionKind.SITE_RULE:
        movement = sorted(restriction.movements & guide.movements)[0]
        text = words.reason("site_rule", site=words.site(site), movement=words.movement(movement))
    else:
        region = sorted(restriction.regions)[0]
        text = words.reason(
            restriction.kind.value, site=words.site(site), region=words.region(region)
        )
    return Exclusion(restriction.lesion_id, site, restriction.kind, text)


def with_alternatives(
    tailored: Sequence[TailoredGuide], level: Level, programme: Programme | None = None
) -> tuple[TailoredGuide, ...]:
    """Each excluded guide with the suitable guides at *level* that can take its place: the
    guides of the programme's substitutes for its exercise, and the home alternatives to
    the same exercise."""
    suitable = [t.guide for t in tailored if t.suitable and t.guide.suits(level)]
    done = []
    for item in tailored:
        if item.suitable:
            done.append(item)
            continue
        replace = _replacements(item.guide, programme)
        instead = tuple(g.slug for g in suitable if _can_replace(g, item.guide, replace))
        done.append(TailoredGuide(item.guide, False, item.exclusions, item.allowed, instead))
    return tuple(done)


def _replacements(guide: Guide, programme: Programme | None) -> set[str]:
    """The programme exercises a guide stands for, and their substitutes."""
    exercises = {guide.exercise} if guide.exercise else set(guide.alternative_to)
    if programme is not None:
        for name in list(exercises):
            if name in programme.exercises:
                exercises.update(programme.exercise(name).substitutions)
    return exercises


def _can_replace(candidate: Guide, guide: Guide, exercises: set[str]) -> bool:
    if candidate.slug == guide.slug or candidate.component is not guide.component:
        return False
    return candidate.exercise in exercises or bool(exercises & set(candidate.alternative_to))


def tailored_pack(
    library: Library,
    level: Level,
    rules: SafetyRules,
    *,
    on: dt.date,
    sites: Iterable[Site] = (),
    setting: GuideSetting | None = None,
    components: Iterable[GuideComponent] = (),
    programme: Programme | None = None,
) -> Pack:
    """The guides at *level* for someone who told us only her lesion sites (if any).

    *setting* ``home`` keeps the guides done at home or anywhere (no machines);
    *components* keeps only those components (all when empty).
    """
    lesions = site_lesions(sites, on)
    restrictions = assess_lesions(lesions, rules, on)
    wanted = tuple(components)
    chosen = [
        g
        for g in library.at_level(level)
        if _in_setting(g, setting) and (not wanted or g.component in wanted)
    ]
    tailored = tailor(
        chosen, restrictions, library.words, sites={x.id: x.site for x in lesions}, on=on
    )
    ordered = sorted(
        with_alternatives(tailored, level, programme),
        key=lambda t: (not t.suitable, t.guide.order),
    )
    return Pack(level, tuple(x.site for x in lesions), tuple(ordered), setting, wanted)


def _in_setting(guide: Guide, setting: GuideSetting | None) -> bool:
    if setting is None or setting is GuideSetting.CENTRE:
        return True
    return guide.setting in (setting, GuideSetting.ANYWHERE)
