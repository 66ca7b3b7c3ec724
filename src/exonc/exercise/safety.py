"""Applying the lesion register to exercises: restrictions, clearances and overrides.

For a lesion register and a date, :func:`assess_lesions` lists every restriction in force:

* **site rule** — the movements the rule table forbids at the lesion's site (always, cleared
  or not);
* **hard stop** — Mirels ≥ 9 or SINS ≥ 13 without a valid clearance: every movement that
  loads the lesion's region;
* **sign-off required** — Mirels 8, SINS 7–12, a long-bone or spinal lesion without its risk
  score, or a site the table has no rule for, until a clinician records a clearance.

:func:`check_exercise` decides whether an exercise may be prescribed. An :class:`Override`
(a clinician's name, a non-empty reason and a date) lifts a site rule or a sign-off for one
exercise and one lesion; nothing but a clearance recorded on the lesion lifts a hard stop.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from exonc.errors import SafetyRuleViolation
from exonc.exercise import _checks
from exonc.exercise.anatomy import Movement, Region
from exonc.exercise.lesions import SPINAL_SITES, Lesion
from exonc.exercise.safety_rules import SafetyRules

__all__ = [
    "ExerciseCheck",
    "Loading",
    "Override",
    "Restriction",
    "RestrictionKind",
    "assess_lesions",
    "check_exercise",
    "validate_override",
]


class Loading(Protocol):
    """Anything that loads movements and works regions: a programme exercise, or an
    exercise guide of :mod:`exonc.guides` (checked by the same rules)."""

    @property
    def name(self) -> str: ...

    @property
    def movements(self) -> frozenset[Movement]: ...

    @property
    def regions(self) -> frozenset[Region]: ...


class RestrictionKind(enum.StrEnum):
    SITE_RULE = "site_rule"
    HARD_STOP = "hard_stop"
    SIGN_OFF = "sign_off_required"


@dataclass(frozen=True)
class Restriction:
    """Movements that may not be loaded because of one lesion, and why."""

    lesion_id: str
    kind: RestrictionKind
    movements: frozenset[Movement]
    reason: str
    sources: tuple[str, ...] = ()
    regions: frozenset[Region] = frozenset()

    def hits(self, exercise: Loading) -> bool:
        """True if *exercise* loads a restricted movement or works a closed region."""
        return bool(self.movements & exercise.movements or self.regions & exercise.regions)

    @property
    def overridable(self) -> bool:
        return self.kind is not RestrictionKind.HARD_STOP


@dataclass(frozen=True)
class Override:
    """A clinician's decision to allow one exercise despite one lesion's restriction."""

    exercise: str
    lesion_id: str
    clinician: str
    reason: str
    date: dt.date
    until: dt.date | None = None

    def __post_init__(self) -> None:
        _checks.text(self.exercise, key="exercise", hint="name the exercise the override allows")
        _checks.text(self.lesion_id, key="lesion", hint="name the lesion the override concerns")
        _checks.text(self.clinician, key="clinician", hint="an override needs a named clinician")
        _checks.text(self.reason, key="reason", hint="an override needs the clinician's reason")
        if self.until is not None:
            _checks.require(
                self.until >= self.date,
                "the override ends before it starts",
                key="until",
                value=self.until.isoformat(),
                hint="give an end date on or after the override's date",
            )

    def active_on(self, day: dt.date) -> bool:
        return self.date <= day and (self.until is None or day <= self.until)


@dataclass(frozen=True)
class ExerciseCheck:
    """Whether one exercise may be loaded, with the restrictions that block or were overridden."""

    exercise: str
    blocking: tuple[Restriction, ...]
    overridden: tuple[tuple[Restriction, Override], ...]
    ignored_overrides: tuple[Override, ...] = ()

    @property
    def allowed(self) -> bool:
        return not self.blocking


def assess_lesions(
    lesions: Iterable[Lesion], rules: SafetyRules, on: dt.date
) -> tuple[Restriction, ...]:
    """Every restriction in force on *on* for the lesions imaged on or before that date."""
    found: list[Restriction] = []
    for lesion in lesions:
        if lesion.imaging_date <= on:
            found.extend(_site_rule(lesion, rules))
            found.extend(_score_restrictions(lesion, rules, on))
    return tuple(found)


def check_exercise(
    exercise: Loading,
    restrictions: Sequence[Restriction],
    overrides: Iterable[Override],
    on: dt.date,
) -> ExerciseCheck:
    """May *exercise* be prescribed on *on*, given the restrictions and overrides?"""
    active = [o for o in overrides if o.exercise == exercise.name and o.active_on(on)]
    blocking: list[Restriction] = []
    overridden: list[tuple[Restriction, Override]] = []
    ignored: list[Override] = []
    for restriction in restrictions:
        if not restriction.hits(exercise):
            continue
        match = next((o for o in active if o.lesion_id == restriction.lesion_id), None)
        if match is not None and restriction.overridable:
            overridden.append((restriction, match))
        else:
            blocking.append(restriction)
            ignored.extend([match] if match is not None else [])
    return ExerciseCheck(exercise.name, tuple(blocking), tuple(overridden), tuple(ignored))


def validate_override(
    override: Override, lesions: Iterable[Lesion], rules: SafetyRules, on: dt.date
) -> None:
    """Refuse an override for an unknown lesion or for a lesion under a hard stop on *on*."""
    by_id = {lesion.id: lesion for lesion in lesions}
    lesion = by_id.get(override.lesion_id)
    if lesion is None:
        _checks.fail(
            "the override names a lesion that is not in the register",
            key="lesion",
            value=override.lesion_id,
            hint=f"use one of {', '.join(sorted(by_id)) or '(no lesions recorded)'}",
        )
    for restriction in _score_restrictions(lesion, rules, on):
        if restriction.kind is RestrictionKind.HARD_STOP:
            raise SafetyRuleViolation(
                f"lesion {lesion.id}: {restriction.reason}; an override cannot lift a hard stop — "
                "record a clearance on the lesion (clinician and date) once it is stabilised"
            )


def _site_rule(lesion: Lesion, rules: SafetyRules) -> list[Restriction]:
    rule = rules.rules.get(lesion.site)
    if rule is None:
        return []
    reason = f"{lesion.site.value.replace('_', ' ')} lesion: site rule"
    return [
        Restriction(lesion.id, RestrictionKind.SITE_RULE, rule.restricted, reason, rule.sources)
    ]


def _score_restrictions(lesion: Lesion, rules: SafetyRules, on: dt.date) -> list[Restriction]:
    if lesion.cleared_on(on) is not None:
        return []
    kind, reason, sources = _risk(lesion, rules)
    if kind is None:
        return []
    region = rules.site_regions[lesion.site]
    movements = rules.movements_loading(region)
    text = f"{reason}: no loaded exercise of the {region.value.replace('_', ' ')} region"
    return [Restriction(lesion.id, kind, movements, text, sources, frozenset({region}))]


def _risk(
    lesion: Lesion, rules: SafetyRules
) -> tuple[RestrictionKind | None, str, tuple[str, ...]]:
    t = rules.thresholds
    mirels, sins = lesion.mirels_score, lesion.sins_score
    if mirels is not None and mirels >= t.mirels_hard_stop:
        return RestrictionKind.HARD_STOP, f"Mirels {mirels} without clearance", ("MIRELS1989",)
    if sins is not None and sins >= t.sins_hard_stop:
        return RestrictionKind.HARD_STOP, f"SINS {sins} without clearance", ("SINS2010",)
    if mirels is not None and mirels >= t.mirels_sign_off:
        return (
            RestrictionKind.SIGN_OFF,
            f"Mirels {mirels} needs a clinician's sign-off",
            ("MIRELS1989",),
        )
    if sins is not None and sins >= t.sins_sign_off:
        return RestrictionKind.SIGN_OFF, f"SINS {sins} needs a clinician's sign-off", ("SINS2010",)
    if lesion.needs_score:
        score = "SINS" if lesion.site in SPINAL_SITES else "Mirels"
        return (
            RestrictionKind.SIGN_OFF,
            f"no {score} score recorded; needs a clinician's sign-off",
            (),
        )
    if lesion.site not in rules.rules and rules.unruled_sites_need_sign_off:
        return (
            RestrictionKind.SIGN_OFF,
            "no site rule in the table; needs a clinician's sign-off",
            (),
        )
    return None, "", ()
