"""The plan of a session and the fast logging form built from it.

The form shows only what the plan prescribes (blocked exercises are already replaced or
left out) and is prefilled with the prescribed values — sets at the lower repetition
bound, the prescribed load, the interval watts — so the physiotherapist changes only what
differs. :func:`entry_from_form` reads the submitted form back into a
:class:`~exonc.platform.exercise.convert.SessionEntry`; the service checks it again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from exonc import exercise as ex
from exonc.platform import access
from exonc.platform.accounts.models import Role, User
from exonc.platform.exercise import convert, state
from exonc.platform.exercise.models import SessionLog
from exonc.platform.trial.models import Participant

SYMPTOMS = [(kind.value, kind.value.replace("_", " ")) for kind in ex.SymptomKind]


@dataclass(frozen=True)
class Prefill:
    """One item of the logging form, prefilled from the plan."""

    key: str  # form field prefix: aerobic, r0…r5, balance
    component: str
    exercise: str
    title: str
    status: str
    sets: int = 0
    reps: int = 0
    load_kg: float | None = None
    bouts: int = 0
    bout_seconds: int = 0
    watts: float | None = None
    minutes: float = 0
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanPage:
    study_id: str
    centre: str
    date: dt.date
    setting: str
    plan: ex.SessionPlan
    logged: bool
    items: list[Prefill]
    symptoms: list[tuple[str, str]]


#: Who opens session plans and the logging form (the staff who deliver the programme).
PLANNERS = (Role.PHYSIOTHERAPIST, Role.CLINICIAN, Role.COORDINATOR)


def plan_page(user: User, participant: Participant, day: dt.date, setting: ex.Setting) -> PlanPage:
    """The engine's plan of *day* with the logging form's prefilled items."""
    access.require_role(user, *PLANNERS)
    plan = state.load(participant, day).plan(day, setting)
    logged = SessionLog.objects.filter(participant=participant, date=day, setting=setting).exists()
    return PlanPage(
        study_id=participant.study_id,
        centre=participant.centre.code,
        date=day,
        setting=setting.value,
        plan=plan,
        logged=logged,
        items=prefill(plan),
        symptoms=SYMPTOMS,
    )


def prefill(plan: ex.SessionPlan) -> list[Prefill]:
    items = []
    if plan.aerobic.status != ex.ItemStatus.OMITTED:
        items.append(_aerobic(plan.aerobic))
    for index, r in enumerate(plan.resistance):
        if r.status != ex.ItemStatus.OMITTED:
            items.append(
                Prefill(
                    f"r{index}",
                    "resistance",
                    r.exercise,
                    r.title,
                    r.status.value,
                    sets=r.sets,
                    reps=r.reps[0],
                    load_kg=r.load_kg,
                    notes=r.notes,
                )
            )
    b = plan.balance
    if b is not None and b.status != ex.ItemStatus.OMITTED:
        items.append(
            Prefill("balance", "balance", b.exercise, b.title, b.status.value, minutes=b.minutes)
        )
    return items


def _aerobic(a: ex.AerobicItem) -> Prefill:
    main = a.main
    if isinstance(main, ex.PlannedIntervals):
        bouts, seconds = main.repetitions, main.work_seconds
        watts = main.work_watts[0] if main.work_watts else None
    else:
        bouts, seconds = 1, main.seconds
        watts = main.watts[0] if main.watts else None
    return Prefill(
        "aerobic",
        "aerobic",
        a.exercise,
        a.title,
        a.status.value,
        bouts=bouts,
        bout_seconds=seconds,
        watts=watts,
        notes=a.notes,
    )


def entry_from_form(data: Mapping[str, Any], day: dt.date, setting: str) -> convert.SessionEntry:
    """The session entry a submitted logging form describes (items ticked as not done, or
    of a session that did not take place, are left out)."""
    attendance = data.get("attendance") or "attended"
    took_place = attendance in (ex.Attendance.ATTENDED, ex.Attendance.HOME_DONE)
    resistance = (
        []
        if not took_place
        else [
            _resistance(data, key)
            for key in _keys(data)
            if key.startswith("r") and _done(data, key)
        ]
    )
    values: dict[str, Any] = {
        "date": day,
        "setting": setting,
        "attendance": attendance,
        "missed_reason": data.get("missed_reason", ""),
        "resistance": resistance,
        "check_in": {kind: data.get(f"checkin_{kind}") == "on" for kind, _ in SYMPTOMS}
        | {"note": data.get("checkin_note", "")},
    }
    if took_place and _done(data, "aerobic") and data.get("aerobic_exercise"):
        values["aerobic"] = _fields(data, "aerobic", ("exercise", "bouts", "bout_seconds", "watts"))
    if took_place and _done(data, "balance") and data.get("balance_exercise"):
        values["balance"] = _fields(data, "balance", ("exercise", "minutes"))
    return convert.session_entry(values)


def _keys(data: Mapping[str, Any]) -> list[str]:
    """The resistance item prefixes present in the form (r0, r1, …), in order."""
    keys = {name.split("_", 1)[0] for name in data if name.endswith("_exercise")}
    return sorted((k for k in keys if k[1:].isdigit()), key=lambda k: int(k[1:]))


def _done(data: Mapping[str, Any], key: str) -> bool:
    return data.get(f"{key}_skipped") != "on"


def _fields(data: Mapping[str, Any], key: str, names: tuple[str, ...]) -> dict[str, Any]:
    extra = ("rpe", "pain", "modification", "modification_reason")
    return {name: data.get(f"{key}_{name}", "") for name in names + extra}


def _resistance(data: Mapping[str, Any], key: str) -> dict[str, Any]:
    load = data.get(f"{key}_load", "")
    sets = []
    for number in range(1, 11):
        reps = data.get(f"{key}_set{number}")
        if reps is None:
            break
        if str(reps).strip():
            sets.append({"reps": reps, "load_kg": load if str(load).strip() else 0})
    return {**_fields(data, key, ("exercise",)), "sets": sets}
