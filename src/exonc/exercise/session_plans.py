"""The session plan: what a participant does in one session, frozen for the physiotherapist.

:func:`plan_session` turns the programme, the participant's current prescription version,
the lesion register and the centre's equipment into a :class:`SessionPlan` for a date:
the aerobic block in watts, each resistance exercise with sets, repetitions and a load in kg
rounded to the machine's increment, and the balance block. Every exercise is checked
against the bone-metastasis restrictions; a blocked exercise is replaced by an allowed
substitute from the programme or omitted, and the plan says why. An override is applied
only when a clinician recorded it for that exercise and lesion.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Any

import pandas as pd

from exonc.exercise import _checks
from exonc.exercise.equipment import Equipment
from exonc.exercise.participants import ParticipantState
from exonc.exercise.prescriptions import Prescription, working_load
from exonc.exercise.programme import (
    ExerciseDefinition,
    Intensity,
    Intervals,
    Programme,
    ResistanceScheme,
    Segment,
)
from exonc.exercise.safety import Restriction, assess_lesions, check_exercise
from exonc.exercise.safety_rules import SafetyRules, default_safety_rules
from exonc.exercise.sessions import Setting
from exonc.results import Result

__all__ = [
    "AerobicItem",
    "BalanceItem",
    "ItemStatus",
    "PlanRestriction",
    "PlannedIntervals",
    "PlannedSegment",
    "ResistanceItem",
    "SessionPlan",
    "plan_session",
]

Watts = tuple[float, float]


class ItemStatus(enum.StrEnum):
    PRESCRIBED = "prescribed"
    OVERRIDDEN = "overridden"  # prescribed because a clinician's override lifted a restriction
    SUBSTITUTED = "substituted"
    OMITTED = "omitted"


@dataclass(frozen=True)
class PlannedSegment:
    seconds: int
    watts: Watts | None  # None: self-selected, or the reference test is missing


@dataclass(frozen=True)
class PlannedIntervals:
    repetitions: int
    work_seconds: int
    work_watts: Watts | None
    rest_seconds: int
    rest_watts: Watts | None


@dataclass(frozen=True)
class AerobicItem:
    exercise: str
    title: str
    status: ItemStatus
    phase: str
    description: str
    warm_up: PlannedSegment | None
    main: PlannedSegment | PlannedIntervals
    cool_down: PlannedSegment | None
    work_kj: float | None  # main block at the lower watt bound: the dose adherence compares
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResistanceItem:
    exercise: str
    title: str
    status: ItemStatus
    replaces: str | None
    sets: int
    reps: tuple[int, int]
    percent_h1rm: tuple[float, float]
    h1rm_kg: float | None
    load_kg: float | None
    progression_steps: int
    volume_load_kg: float | None  # sets × lower repetitions × load: the prescribed dose
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class BalanceItem:
    exercise: str
    title: str
    status: ItemStatus
    replaces: str | None
    minutes: int
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanRestriction:
    """A restriction as shown on the plan (movements sorted for stable output)."""

    lesion_id: str
    kind: str
    reason: str
    movements: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class SessionPlan(Result):
    participant_id: str
    date: dt.date
    week: int
    setting: Setting
    programme: str
    phase: str
    scheme: str
    prescription_version: int
    prescription_reason: str
    aerobic: AerobicItem
    resistance: tuple[ResistanceItem, ...]
    balance: BalanceItem | None
    restrictions: tuple[PlanRestriction, ...]
    warnings: tuple[str, ...] = ()

    def summary(self) -> pd.DataFrame:
        """One row per exercise: component, status, sets × reps, load, watts, minutes, notes."""
        rows = [_aerobic_row(self.aerobic)] + [_resistance_row(r) for r in self.resistance]
        if self.balance is not None:
            rows.append(_balance_row(self.balance))
        return pd.DataFrame(rows, columns=list(_COLUMNS))


_COLUMNS = ("component", "exercise", "status", "replaces", "dose", "load_kg", "watts", "notes")


def plan_session(
    programme: Programme,
    prescription: Prescription,
    state: ParticipantState,
    on: dt.date,
    *,
    equipment: Equipment | None = None,
    rules: SafetyRules | None = None,
    setting: Setting = Setting.SUPERVISED,
) -> SessionPlan:
    """The session plan for *on*, frozen from the given prescription version."""
    equipment = equipment or Equipment()
    rules = rules or default_safety_rules()
    week = state.week_on(on)
    programme.check_week(week)
    _check_inputs(programme, prescription, state, on, week, setting)
    restrictions = assess_lesions(state.lesions, rules, on)
    builder = _Builder(programme, prescription, state, on, equipment, restrictions)
    scheme = programme.resistance.scheme_for_week(week)
    return SessionPlan(
        participant_id=state.participant_id,
        date=on,
        week=week,
        setting=setting,
        programme=programme.name,
        phase=programme.phase_for_week(week).name,
        scheme=scheme.name,
        prescription_version=prescription.version,
        prescription_reason=prescription.reason,
        aerobic=builder.aerobic(week),
        resistance=builder.resistance(scheme),
        balance=builder.balance(),
        restrictions=tuple(_shown(r) for r in restrictions),
        warnings=_warnings(prescription, state, on),
    )


def _check_inputs(
    programme: Programme,
    prescription: Prescription,
    state: ParticipantState,
    on: dt.date,
    week: int,
    setting: Setting,
) -> None:
    _checks.require(
        prescription.participant_id == state.participant_id and prescription.effective <= on,
        "the prescription version is not this participant's, or takes effect after the date",
        key="prescription",
        value=f"{prescription.participant_id} v{prescription.version}",
        hint="plan with the version in force on the session date",
    )
    if setting is Setting.HOME:
        _checks.require(
            programme.period_for_week(week).home_per_week > 0,
            f"the programme has no home sessions in week {week}",
            key="setting",
            value=setting.value,
            hint="plan a supervised session",
        )


def _warnings(prescription: Prescription, state: ParticipantState, on: dt.date) -> tuple[str, ...]:
    flags = [
        f"open symptom flag: {f.kind.value.replace('_', ' ')} since {f.opened.isoformat()} — "
        "progression held; check with the responsible clinician before the session"
        for f in state.open_flags(on)
    ]
    return tuple(flags) + prescription.aerobic.warnings


def _shown(restriction: Restriction) -> PlanRestriction:
    return PlanRestriction(
        restriction.lesion_id,
        restriction.kind.value,
        restriction.reason,
        tuple(sorted(m.value for m in restriction.movements)),
        restriction.sources,
    )


class _Builder:
    """Builds the items of one plan; remembers substitutes already used in the session."""

    def __init__(
        self,
        programme: Programme,
        prescription: Prescription,
        state: ParticipantState,
        on: dt.date,
        equipment: Equipment,
        restrictions: tuple[Restriction, ...],
    ) -> None:
        self.programme = programme
        self.prescription = prescription
        self.state = state
        self.on = on
        self.equipment = equipment
        self.restrictions = restrictions
        self.used: set[str] = set()

    def choose(
        self, definition: ExerciseDefinition
    ) -> tuple[ExerciseDefinition | None, ItemStatus, list[str]]:
        """The exercise to do instead of (or as) *definition*, its status and the reasons."""
        first = check_exercise(definition, self.restrictions, self.state.overrides, self.on)
        notes = _override_notes(first.overridden, first.ignored_overrides)
        if first.allowed:
            self.used.add(definition.name)
            return (
                definition,
                ItemStatus.OVERRIDDEN if first.overridden else ItemStatus.PRESCRIBED,
                notes,
            )
        notes += [_blocked_note(r, definition) for r in first.blocking]
        for name in definition.substitutions:
            candidate = self.programme.exercises[name]
            check = check_exercise(candidate, self.restrictions, self.state.overrides, self.on)
            if name not in self.used and check.allowed:
                self.used.add(name)
                notes += _override_notes(check.overridden, ())
                return candidate, ItemStatus.SUBSTITUTED, [*notes, f"replaced by {candidate.title}"]
        return None, ItemStatus.OMITTED, [*notes, "no allowed substitute: omitted"]

    def aerobic(self, week: int) -> AerobicItem:
        phase = self.programme.phase_for_week(week)
        definition = self.programme.exercises[phase.exercise]
        chosen, status, notes = self.choose(definition)
        ref = self.prescription.aerobic
        main = self._main(phase.main, notes) if chosen else PlannedSegment(0, None)
        return AerobicItem(
            exercise=(chosen or definition).name,
            title=(chosen or definition).title,
            status=status,
            phase=phase.name,
            description=phase.description,
            warm_up=self._segment(phase.warm_up) if chosen and phase.warm_up else None,
            main=main,
            cool_down=self._segment(phase.cool_down) if chosen and phase.cool_down else None,
            work_kj=_work_kj(main) if chosen else None,
            notes=tuple(notes)
            + ((f"Wpeak: {ref.wpeak_source}",) if chosen and ref.wpeak_w else ()),
        )

    def resistance(self, scheme: ResistanceScheme) -> tuple[ResistanceItem, ...]:
        items = []
        for name in self.programme.resistance.exercises:
            definition = self.programme.exercises[name]
            chosen, status, notes = self.choose(definition)
            items.append(self._resistance_item(definition, chosen, status, notes, scheme))
        return tuple(items)

    def balance(self) -> BalanceItem | None:
        block = self.programme.balance
        if block is None:
            return None
        definition = self.programme.exercises[block.exercise]
        chosen, status, notes = self.choose(definition)
        return BalanceItem(
            exercise=(chosen or definition).name,
            title=(chosen or definition).title,
            status=status,
            replaces=definition.name if chosen and chosen is not definition else None,
            minutes=block.minutes if chosen else 0,
            notes=tuple(notes),
        )

    def _resistance_item(
        self,
        definition: ExerciseDefinition,
        chosen: ExerciseDefinition | None,
        status: ItemStatus,
        notes: list[str],
        scheme: ResistanceScheme,
    ) -> ResistanceItem:
        sets = self.programme.resistance.sets if chosen else 0
        basis = self.prescription.basis(chosen.name) if chosen else None
        load = None
        if chosen is not None and basis is not None:
            step = self.programme.progression.step_kg
            load = working_load(basis, scheme, self.equipment, chosen.equipment, step)
        elif chosen is not None:
            notes = [
                *notes,
                "no h1RM test on record: set a load the participant can lift "
                f"{scheme.reps[1]} times with good technique, and test the h1RM",
            ]
        return ResistanceItem(
            exercise=(chosen or definition).name,
            title=(chosen or definition).title,
            status=status,
            replaces=definition.name if chosen and chosen is not definition else None,
            sets=sets,
            reps=scheme.reps,
            percent_h1rm=scheme.percent_h1rm,
            h1rm_kg=round(basis.h1rm_kg, 1) if basis else None,
            load_kg=load,
            progression_steps=basis.steps if basis else 0,
            volume_load_kg=sets * scheme.reps[0] * load if load is not None else None,
            notes=tuple(notes),
        )

    def _watts(self, intensity: Intensity | None) -> Watts | None:
        if intensity is None:
            return None
        ref = self.prescription.aerobic
        watts = intensity.watts(ref.wpeak_w, ref.msec_w)
        if watts is None:
            return None
        return self.equipment.round_watts(watts[0]), self.equipment.round_watts(watts[1])

    def _segment(self, segment: Segment) -> PlannedSegment:
        return PlannedSegment(segment.seconds, self._watts(segment.intensity))

    def _main(
        self, main: Segment | Intervals, notes: list[str]
    ) -> PlannedSegment | PlannedIntervals:
        planned: PlannedSegment | PlannedIntervals
        if isinstance(main, Segment):
            planned = self._segment(main)
            needs = [main.intensity]
        else:
            planned = PlannedIntervals(
                main.repetitions,
                main.work_seconds,
                self._watts(main.work),
                main.rest_seconds,
                self._watts(main.rest),
            )
            needs = [main.work, main.rest]
        for intensity in needs:
            if intensity is not None and self._watts(intensity) is None:
                notes.append(_missing_reference(intensity))
        return planned


def _missing_reference(intensity: Intensity) -> str:
    if intensity.reference is not None and intensity.reference.value == "msec":
        return "no Steep Ramp Test on record: watts unknown; do the SRT"
    return (
        "no Wpeak on record: watts unknown; enter a CPET Wpeak, or configure an SRT→Wpeak equation"
    )


def _work_kj(main: PlannedSegment | PlannedIntervals) -> float | None:
    if isinstance(main, PlannedSegment):
        return None if main.watts is None else main.seconds * main.watts[0] / 1000.0
    if main.work_watts is None:
        return None
    return main.repetitions * main.work_seconds * main.work_watts[0] / 1000.0


def _blocked_note(restriction: Restriction, definition: ExerciseDefinition) -> str:
    loaded = sorted(m.value for m in restriction.movements & definition.movements)
    what = ", ".join(loaded) if loaded else "works the closed region"
    return f"blocked by lesion {restriction.lesion_id} ({restriction.reason}): {what}"


def _override_notes(overridden: Any, ignored: Any) -> list[str]:
    notes = [
        f"allowed by override of {o.clinician} ({o.date.isoformat()}) for lesion "
        f"{r.lesion_id}, {r.kind.value.replace('_', ' ')}: {o.reason}"
        for r, o in overridden
    ]
    notes += [
        f"override of {o.clinician} for lesion {o.lesion_id} ignored: a hard stop is lifted "
        "only by a clearance recorded on the lesion"
        for o in ignored
    ]
    return notes


def _fmt_watts(watts: Watts | None) -> str:
    if watts is None:
        return "?"
    low, high = watts
    return f"{low:g} W" if low == high else f"{low:g}–{high:g} W"


def _minutes(seconds: int) -> str:
    return f"{seconds // 60} min" if seconds % 60 == 0 else f"{seconds} s"


def _aerobic_row(item: AerobicItem) -> dict[str, Any]:
    main = item.main
    if isinstance(main, PlannedIntervals):
        work, rest = _minutes(main.work_seconds), _minutes(main.rest_seconds)
        dose = f"{main.repetitions} × {work} / {rest} rest"
        watts = f"{_fmt_watts(main.work_watts)} / rest {_fmt_watts(main.rest_watts)}"
    else:
        dose, watts = _minutes(main.seconds), _fmt_watts(main.watts)
    if item.warm_up:
        dose = f"warm-up {_minutes(item.warm_up.seconds)}, {dose}"
    if item.cool_down:
        dose = f"{dose}, cool-down {_minutes(item.cool_down.seconds)}"
    if item.status is ItemStatus.OMITTED:
        dose, watts = "", ""
    return _row("aerobic", item.exercise, item.status, None, dose, None, watts, item.notes)


def _resistance_row(item: ResistanceItem) -> dict[str, Any]:
    dose = (
        ""
        if item.status is ItemStatus.OMITTED
        else f"{item.sets} × {item.reps[0]}–{item.reps[1]} @ "
        f"{item.percent_h1rm[0]:g}–{item.percent_h1rm[1]:g} % h1RM"
    )
    return _row(
        "resistance", item.exercise, item.status, item.replaces, dose, item.load_kg, "", item.notes
    )


def _balance_row(item: BalanceItem) -> dict[str, Any]:
    dose = "" if item.status is ItemStatus.OMITTED else f"{item.minutes} min"
    return _row("balance", item.exercise, item.status, item.replaces, dose, None, "", item.notes)


def _row(
    component: str,
    exercise: str,
    status: ItemStatus,
    replaces: str | None,
    dose: str,
    load: float | None,
    watts: str,
    notes: tuple[str, ...],
) -> dict[str, Any]:
    values = (
        component,
        exercise,
        status.value,
        replaces or "",
        dose,
        load,
        watts,
        "; ".join(notes),
    )
    return dict(zip(_COLUMNS, values, strict=True))
