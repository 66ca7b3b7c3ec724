"""Individual prescriptions: versioned, each change with its reason.

A :class:`Prescription` holds what a participant's loads and watts are based on: the
aerobic reference (Wpeak, MSEC) and, per resistance exercise, the h1RM and the number of
progression steps earned since that h1RM was tested. It changes only by creating a new
version with a reason:

* :func:`revise` — tests were repeated (a new SRT, CPET or multiple-RM test): the basis is
  recomputed and the steps of a retested exercise start again from zero;
* :func:`progress` — the progression rule fired: every set reached the top of the
  repetition range at the prescribed load with RPE ≤ the rule's maximum, in the required
  number of consecutive sessions; the exercise gains one step (one equipment increment, or
  the rule's ``step_kg``). Progression is held while a symptom flag is open.

The platform stores each version with who and when (audited); :func:`prescription_history`
replays tests and session logs to rebuild the versions from scratch, as the command line
does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from exonc.exercise.equipment import Equipment
from exonc.exercise.fitness_tests import MultipleRMTest, latest
from exonc.exercise.participants import ParticipantState
from exonc.exercise.programme import Programme, ResistanceScheme
from exonc.exercise.sessions import SessionLog, SymptomFlag
from exonc.exercise.steep_ramp import AerobicReference, WpeakEquation, aerobic_reference

__all__ = [
    "Prescription",
    "ProgressionDecision",
    "StrengthBasis",
    "prescribe",
    "prescription_history",
    "progress",
    "revise",
    "working_load",
]


@dataclass(frozen=True)
class StrengthBasis:
    """The h1RM a resistance exercise is prescribed from, and the steps earned since."""

    exercise: str
    h1rm_kg: float
    tested_on: dt.date
    steps: int = 0


@dataclass(frozen=True)
class Prescription:
    participant_id: str
    version: int
    effective: dt.date
    reason: str
    aerobic: AerobicReference
    strength: tuple[StrengthBasis, ...]

    def basis(self, exercise: str) -> StrengthBasis | None:
        return next((b for b in self.strength if b.exercise == exercise), None)


@dataclass(frozen=True)
class ProgressionDecision:
    """The prescription after a session, which exercises progressed, and any holding flags."""

    prescription: Prescription
    progressed: tuple[str, ...] = ()
    held_by: tuple[SymptomFlag, ...] = ()


def prescribe(
    state: ParticipantState, on: dt.date, *, equation: WpeakEquation | None = None
) -> Prescription:
    """The first prescription, from the tests done on or before *on*."""
    return Prescription(
        participant_id=state.participant_id,
        version=1,
        effective=on,
        reason=f"initial prescription from the tests up to {on.isoformat()}",
        aerobic=_aerobic(state, on, equation),
        strength=_strength(state, on, ()),
    )


def revise(
    current: Prescription,
    state: ParticipantState,
    on: dt.date,
    *,
    equation: WpeakEquation | None = None,
) -> Prescription:
    """A new version if tests done up to *on* change the basis; otherwise *current*."""
    aerobic = _aerobic(state, on, equation)
    strength = _strength(state, on, current.strength)
    changes = _aerobic_changes(current.aerobic, aerobic) + _strength_changes(current, strength)
    if not changes:
        return current
    return replace(
        current,
        version=current.version + 1,
        effective=on,
        reason="tests repeated: " + "; ".join(changes),
        aerobic=aerobic,
        strength=strength,
    )


def working_load(
    basis: StrengthBasis,
    scheme: ResistanceScheme,
    equipment: Equipment,
    equipment_name: str,
    step_kg: float | None,
) -> float:
    """Load in kg: h1RM × the scheme's lower % bound, plus the earned steps, rounded to the
    machine's increment."""
    step = step_kg if step_kg is not None else equipment.increment(equipment_name)
    target = basis.h1rm_kg * scheme.percent_h1rm[0] / 100.0 + basis.steps * step
    return equipment.round_load(equipment_name, target)


def progress(
    current: Prescription,
    state: ParticipantState,
    programme: Programme,
    equipment: Equipment,
    on: dt.date,
) -> ProgressionDecision:
    """Apply the programme's progression rule to the sessions since *current* took effect."""
    held = state.open_flags(on)
    if held:
        return ProgressionDecision(current, (), held)
    logs = sorted(
        (s for s in state.sessions if current.effective <= s.date <= on and s.took_place),
        key=lambda s: s.date,
    )
    rule = programme.progression
    earned = []
    for basis in current.strength:
        recent = [log for log in logs if log.delivered(basis.exercise)][-rule.sessions_required :]
        if len(recent) == rule.sessions_required and all(
            _qualifies(log, basis, state, programme, equipment) for log in recent
        ):
            earned.append(basis.exercise)
    if not earned:
        return ProgressionDecision(current)
    strength = tuple(
        replace(b, steps=b.steps + 1) if b.exercise in earned else b for b in current.strength
    )
    reason = (
        f"progression: {', '.join(earned)} — every set reached the top of the repetition range "
        f"at RPE ≤ {rule.max_rpe:g} in {rule.sessions_required} session(s); one load step added"
    )
    new = replace(
        current,
        version=current.version + 1,
        effective=on + dt.timedelta(days=1),
        reason=reason,
        strength=strength,
    )
    return ProgressionDecision(new, tuple(earned))


def prescription_history(
    state: ParticipantState,
    programme: Programme,
    equipment: Equipment,
    until: dt.date,
    *,
    equation: WpeakEquation | None = None,
) -> tuple[Prescription, ...]:
    """Every version from the start date up to *until*, replaying tests and session logs."""
    current = prescribe(state, state.start_date, equation=equation)
    versions = [current]
    test_days = {t.context.date for t in state.tests if state.start_date < t.context.date <= until}
    log_days = {s.date for s in state.sessions if state.start_date <= s.date <= until}
    for day in sorted(test_days | log_days):
        if day in test_days:
            current = revise(current, state, day, equation=equation)
        if day in log_days:
            current = progress(current, state, programme, equipment, day).prescription
        if current is not versions[-1]:
            versions.append(current)
    return tuple(versions)


def _aerobic(
    state: ParticipantState, on: dt.date, equation: WpeakEquation | None
) -> AerobicReference:
    return aerobic_reference(
        state.tests,
        on,
        sex=state.sex,
        birth_date=state.birth_date,
        height_cm=state.height_cm,
        equation=equation,
    )


def _strength(
    state: ParticipantState, on: dt.date, previous: tuple[StrengthBasis, ...]
) -> tuple[StrengthBasis, ...]:
    """One basis per tested exercise; an exercise not retested keeps its earned steps."""
    kept = {b.exercise: b for b in previous}
    rm_tests = [t for t in state.tests if isinstance(t, MultipleRMTest)]
    bases = []
    for name in sorted({t.exercise for t in rm_tests}):
        test = latest((t for t in rm_tests if t.exercise == name), MultipleRMTest, on)
        if test is None:
            continue
        old = kept.get(name)
        if old is not None and old.tested_on == test.context.date:
            bases.append(old)
        else:
            bases.append(StrengthBasis(name, test.h1rm_kg, test.context.date))
    return tuple(bases)


def _aerobic_changes(old: AerobicReference, new: AerobicReference) -> list[str]:
    changes = []
    if new.msec_date != old.msec_date or new.msec_w != old.msec_w:
        changes.append(f"MSEC {_watts(old.msec_w)} → {_watts(new.msec_w)}")
    if new.wpeak_w != old.wpeak_w or new.wpeak_source != old.wpeak_source:
        changes.append(f"Wpeak {_watts(old.wpeak_w)} → {_watts(new.wpeak_w)} ({new.wpeak_source})")
    return changes


def _strength_changes(current: Prescription, strength: tuple[StrengthBasis, ...]) -> list[str]:
    changes = []
    for basis in strength:
        old = current.basis(basis.exercise)
        if old is None or old.tested_on != basis.tested_on:
            before = f"{old.h1rm_kg:.1f} kg" if old else "none"
            changes.append(
                f"{basis.exercise} h1RM {before} → {basis.h1rm_kg:.1f} kg "
                f"(test of {basis.tested_on.isoformat()})"
            )
    return changes


def _watts(value: float | None) -> str:
    return "none" if value is None else f"{value:.0f} W"


def _qualifies(
    log: SessionLog,
    basis: StrengthBasis,
    state: ParticipantState,
    programme: Programme,
    equipment: Equipment,
) -> bool:
    delivered = log.delivered(basis.exercise)
    week = state.week_on(log.date)
    if delivered is None or not 1 <= week <= programme.weeks or state.open_flags(log.date):
        return False
    scheme = programme.resistance.scheme_for_week(week)
    definition = programme.exercises.get(basis.exercise)
    equipment_name = definition.equipment if definition else basis.exercise
    load = working_load(basis, scheme, equipment, equipment_name, programme.progression.step_kg)
    top = scheme.reps[1]
    return (
        len(delivered.sets) >= programme.resistance.sets
        and all(s.reps >= top and s.load_kg >= load - 1e-9 for s in delivered.sets)
        and delivered.rpe is not None
        and delivered.rpe <= programme.progression.max_rpe
    )
