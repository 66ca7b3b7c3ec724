"""Hard stops for what was *done*: a logged session or a machine test may not load a
restricted movement at a lesion's site without a clinician's override.

The engine never plans such an exercise (:func:`exonc.exercise.plan_session`); these checks
make sure nobody records one either — through a service, the API or a crafted form. An
exercise the programme does not define cannot be checked and is refused too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from exonc import exercise as ex
from exonc.errors import ExerciseInputError, SafetyRuleViolation


def delivered_exercises(log: ex.SessionLog) -> list[tuple[ex.Component, str]]:
    """Every exercise a log says was done, with the component it was logged under."""
    done: list[tuple[ex.Component, str]] = []
    if log.aerobic is not None:
        done.append((ex.Component.AEROBIC, log.aerobic.exercise))
    done += [(ex.Component.RESISTANCE, r.exercise) for r in log.resistance]
    if log.balance is not None:
        done.append((ex.Component.BALANCE, log.balance.exercise))
    return done


def check_session(
    log: ex.SessionLog,
    programme: ex.Programme,
    restrictions: Sequence[ex.Restriction],
    overrides: Iterable[ex.Override],
) -> None:
    """Refuse a log in which an exercise loads what the lesion register forbids that day."""
    overrides = tuple(overrides)
    for component, name in delivered_exercises(log):
        check_exercise(name, component, programme, restrictions, overrides, log.date)


def check_exercise(
    name: str,
    component: ex.Component,
    programme: ex.Programme,
    restrictions: Sequence[ex.Restriction],
    overrides: Iterable[ex.Override],
    day: dt.date,
) -> None:
    """Refuse *name* unless the programme defines it as *component* and no restriction on
    *day* blocks it (an override lifts a site rule or a sign-off; only a clearance lifts a
    hard stop)."""
    definition = programme.exercises.get(name)
    if definition is None or definition.component is not component:
        known = sorted(n for n, d in programme.exercises.items() if d.component is component)
        raise ExerciseInputError(
            f"is not a {component.value} exercise of the programme, so its safety cannot be "
            "checked",
            column="exercise",
            value=name,
            hint=f"use one of {', '.join(known)}",
        )
    check = ex.check_exercise(definition, restrictions, overrides, day)
    if not check.allowed:
        raise SafetyRuleViolation(_message(definition, check.blocking, day))


def _message(
    definition: ex.ExerciseDefinition, blocking: Sequence[ex.Restriction], day: dt.date
) -> str:
    reasons = "; ".join(f"lesion {r.lesion_id}: {r.reason}" for r in blocking)
    hard = any(not r.overridable for r in blocking)
    fix = (
        "only a clearance recorded on the lesion by a clinician lifts a hard stop"
        if hard
        else "a clinician must record an override for this exercise and lesion first"
    )
    return (
        f"{definition.title} ({definition.name}) loads a movement restricted on "
        f"{day.isoformat()} — {reasons}; {fix}"
    )
