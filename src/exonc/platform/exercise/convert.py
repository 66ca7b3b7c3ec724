"""Stored records to the engine's value objects and back.

The platform stores plain columns and JSON; the engine (:mod:`exonc.exercise`) works on
frozen value objects that validate themselves. Building a value object is therefore also
how input is checked: a multiple-repetition test outside 2–10 repetitions, an impossible
load or a missed session without its reason raise :class:`~exonc.errors.ExerciseInputError`
here, before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from exonc import exercise as ex
from exonc.errors import ExerciseInputError
from exonc.exercise._checks import member as member  # re-exported: parse a choice
from exonc.platform.exercise import models
from exonc.results import jsonable

# ------------------------------------------------------------------ fitness tests

Field = tuple[str, Callable[[Any], Any]]


def _number(value: Any) -> float:
    if isinstance(value, bool) or value in (None, ""):
        raise ValueError(value)
    return float(value)


def _whole(value: Any) -> int:
    number = _number(value)
    if number != int(number):
        raise ValueError(value)
    return int(number)


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if str(value).lower() in ("true", "on", "yes", "1"):
        return True
    if str(value).lower() in ("false", "off", "no", "0", ""):
        return False
    raise ValueError(value)


def _trials(value: Any) -> tuple[float, ...]:
    items = value.split(";") if isinstance(value, str) else list(value)
    return tuple(_number(v) for v in items if str(v).strip())


#: Per kind: the record class, its required fields and its optional fields.
TEST_FIELDS: dict[str, tuple[type[Any], tuple[Field, ...], tuple[Field, ...]]] = {
    "steep_ramp": (ex.SteepRampTest, (("msec_w", _number),), (("ramp", str),)),
    "cpet": (ex.CardiopulmonaryTest, (("wpeak_w", _number),), (("vo2peak_ml_min", _number),)),
    "multiple_rm": (
        ex.MultipleRMTest,
        (("exercise", str), ("load_kg", _number), ("reps", _whole)),
        (("formula", str),),
    ),
    "handgrip": (ex.HandgripTest, (("side", str), ("trials_kg", _trials)), ()),
    "single_leg_stance": (
        ex.SingleLegStanceTest,
        (("side", str), ("seconds", _number)),
        (("eyes_open", _flag), ("ceiling_seconds", _number)),
    ),
    "timed_up_and_go": (ex.TimedUpAndGoTest, (("seconds", _number),), (("walking_aid", str),)),
}


def fitness_test(
    kind: str, context: ex.TestContext, values: Mapping[str, Any]
) -> tuple[ex.FitnessTest, dict[str, Any]]:
    """The test record of *kind*, and its values as stored; refuses unknown or missing keys."""
    if kind not in TEST_FIELDS:
        raise ExerciseInputError(
            "unknown fitness test", column="kind", value=kind, hint=f"use one of {_names()}"
        )
    cls, required, optional = TEST_FIELDS[kind]
    known = {name for name, _ in required + optional}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ExerciseInputError(
            f"is not a field of a {kind} test", column=unknown[0], hint=f"use {sorted(known)}"
        )
    parsed: dict[str, Any] = {}
    needed = {name for name, _ in required}
    for name, parse in required + optional:
        if name not in values or values[name] in (None, ""):
            if name in needed:
                raise ExerciseInputError("is missing", column=name, hint=f"a {kind} test needs it")
            continue
        try:
            parsed[name] = parse(values[name])
        except (TypeError, ValueError):
            raise ExerciseInputError(
                "is not a valid value", column=name, value=values[name]
            ) from None
    return cls(context, **parsed), jsonable(parsed)


def _names() -> str:
    return ", ".join(TEST_FIELDS)


def domain_test(row: models.FitnessTest) -> ex.FitnessTest:
    context = ex.TestContext(row.tested_on, row.tester, row.conditions)
    return fitness_test(row.kind, context, row.values)[0]


def describe_test(test: ex.FitnessTest) -> str:
    """One line a physiotherapist reads: the result and what the engine derives from it."""
    if isinstance(test, ex.SteepRampTest):
        return f"MSEC {test.msec_w:g} W ({test.ramp})"
    if isinstance(test, ex.CardiopulmonaryTest):
        return f"Wpeak {test.wpeak_w:g} W"
    if isinstance(test, ex.MultipleRMTest):
        return (
            f"{test.exercise}: {test.load_kg:g} kg × {test.reps} → h1RM {test.h1rm_kg:.1f} kg "
            f"({test.formula.value})"
        )
    if isinstance(test, ex.HandgripTest):
        return f"{test.side}: best {test.best_kg:g} kg of {len(test.trials_kg)}"
    if isinstance(test, ex.SingleLegStanceTest):
        return (
            f"{test.side} leg, {test.seconds:g} s (eyes {'open' if test.eyes_open else 'closed'})"
        )
    return f"{test.seconds:g} s"


# ------------------------------------------------------------------ lesion register


@dataclass(frozen=True)
class LesionEntry(ex.LesionRecord):
    """What is recorded for a lesion: the domain's record (its fields are
    ``ex.LESION_FIELDS``) and the register label (empty: the next free one)."""

    label: str = ""


def lesion(
    entry: LesionEntry | models.Lesion, label: str, clearance: ex.Clearance | None = None
) -> ex.Lesion:
    """The engine's lesion from an entry or a stored row (validates the scores' sites)."""
    return ex.LesionRecord.of(entry).lesion(label, clearance)


def domain_lesion(
    row: models.Lesion, clearances: Iterable[models.Clearance], on: dt.date
) -> ex.Lesion:
    """The lesion as the engine sees it on *on*: with the latest clearance dated by then."""
    valid = [c for c in clearances if row.imaging_date <= c.cleared_on <= on]
    latest = max(valid, key=lambda c: (c.cleared_on, c.id), default=None)
    clearance = (
        ex.Clearance(latest.clinician_name, latest.cleared_on, latest.note) if latest else None
    )
    return lesion(row, row.label, clearance)


def domain_override(row: models.Override, label: str) -> ex.Override:
    return ex.Override(
        row.exercise, label, row.clinician_name, row.reason, row.starts_on, row.until
    )


def domain_flag(row: models.SymptomFlag) -> ex.SymptomFlag:
    return ex.SymptomFlag(ex.SymptomKind(row.kind), row.opened_on, row.closed_on, row.note)


# ------------------------------------------------------------------ prescriptions


def basis(prescription: ex.Prescription) -> dict[str, Any]:
    """What a prescription version stores: the aerobic reference and the strength basis."""
    return {"aerobic": jsonable(prescription.aerobic), "strength": jsonable(prescription.strength)}


def domain_prescription(row: models.PrescriptionVersion, participant_id: str) -> ex.Prescription:
    aerobic = row.basis["aerobic"]
    msec_date = aerobic["msec_date"]
    return ex.Prescription(
        participant_id=participant_id,
        version=row.version,
        effective=row.effective,
        reason=row.reason,
        aerobic=ex.AerobicReference(
            wpeak_w=aerobic["wpeak_w"],
            wpeak_source=aerobic["wpeak_source"],
            msec_w=aerobic["msec_w"],
            msec_date=dt.date.fromisoformat(msec_date) if msec_date else None,
            warnings=tuple(aerobic["warnings"]),
        ),
        strength=tuple(
            ex.StrengthBasis(
                s["exercise"], s["h1rm_kg"], dt.date.fromisoformat(s["tested_on"]), s["steps"]
            )
            for s in row.basis["strength"]
        ),
    )


# ------------------------------------------------------------------ session logs


@dataclass(frozen=True)
class SessionEntry:
    """What a physiotherapist records for one session (validated value objects)."""

    date: dt.date
    setting: ex.Setting
    attendance: ex.Attendance
    missed_reason: str = ""
    aerobic: ex.DeliveredAerobic | None = None
    resistance: tuple[ex.DeliveredResistance, ...] = ()
    balance: ex.DeliveredBalance | None = None
    check_in: ex.SymptomCheckIn | None = None

    def log(self, participant_id: str, logged_by: str) -> ex.SessionLog:
        return ex.SessionLog(
            participant_id,
            self.date,
            self.setting,
            self.attendance,
            self.missed_reason,
            self.aerobic,
            self.resistance,
            self.balance,
            self.check_in,
            logged_by,
        )


def session_entry(data: Mapping[str, Any]) -> SessionEntry:
    """A session entry from plain data (the API body, a stored log, the demo's rows)."""
    try:
        day = data["date"]
        day = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day))
    except (KeyError, ValueError):
        raise ExerciseInputError(
            "is not a date", column="date", value=data.get("date"), hint="write YYYY-MM-DD"
        ) from None
    return SessionEntry(
        date=day,
        setting=member(ex.Setting, data.get("setting") or "supervised", "setting"),
        attendance=member(ex.Attendance, data.get("attendance") or "attended", "attendance"),
        missed_reason=data.get("missed_reason") or "",
        aerobic=_aerobic(data["aerobic"]) if data.get("aerobic") else None,
        resistance=tuple(_resistance(r) for r in data.get("resistance") or ()),
        balance=_balance(data["balance"]) if data.get("balance") else None,
        check_in=_check_in(data["check_in"]) if data.get("check_in") else None,
    )


def _optional(data: Mapping[str, Any], name: str, parse: Callable[[Any], Any]) -> Any:
    value = data.get(name)
    if value in (None, ""):
        return None
    try:
        return parse(value)
    except (TypeError, ValueError):
        raise ExerciseInputError("is not a number", column=name, value=value) from None


def _required(data: Mapping[str, Any], name: str, parse: Callable[[Any], Any]) -> Any:
    value = _optional(data, name, parse)
    if value is None:
        raise ExerciseInputError("is missing", column=name, hint="enter what was done")
    return value


def _aerobic(data: Mapping[str, Any]) -> ex.DeliveredAerobic:
    return ex.DeliveredAerobic(
        exercise=str(data.get("exercise") or ""),
        bouts=_required(data, "bouts", _whole),
        bout_seconds=_required(data, "bout_seconds", _whole),
        watts=_required(data, "watts", _number),
        rpe=_optional(data, "rpe", _number),
        pain=_optional(data, "pain", _whole),
        modification=data.get("modification") or "",
        modification_reason=data.get("modification_reason") or "",
    )


def _resistance(data: Mapping[str, Any]) -> ex.DeliveredResistance:
    sets = data.get("sets") or []
    if not sets:
        raise ExerciseInputError(
            "has no sets", column="sets", value=data.get("exercise"), hint="enter reps and load"
        )
    return ex.DeliveredResistance(
        exercise=str(data.get("exercise") or ""),
        sets=tuple(
            ex.DeliveredSet(_required(s, "reps", _whole), _required(s, "load_kg", _number))
            for s in sets
        ),
        rpe=_optional(data, "rpe", _number),
        pain=_optional(data, "pain", _whole),
        modification=data.get("modification") or "",
        modification_reason=data.get("modification_reason") or "",
    )


def _balance(data: Mapping[str, Any]) -> ex.DeliveredBalance:
    return ex.DeliveredBalance(
        exercise=str(data.get("exercise") or "balance_training"),
        minutes=_required(data, "minutes", _number),
        modification=data.get("modification") or "",
        modification_reason=data.get("modification_reason") or "",
    )


def _check_in(data: Mapping[str, Any]) -> ex.SymptomCheckIn:
    answers = {kind.value: _flag(data.get(kind.value, False)) for kind in ex.SymptomKind}
    return ex.SymptomCheckIn(**answers, note=str(data.get("note") or ""))


def stored_parts(entry: SessionEntry) -> dict[str, Any]:
    """The JSON columns of a session log, in the shape :func:`session_entry` reads."""
    a, b, c = entry.aerobic, entry.balance, entry.check_in
    return {
        "aerobic": None
        if a is None
        else {
            "exercise": a.exercise,
            "bouts": a.bouts,
            "bout_seconds": a.bout_seconds,
            "watts": a.watts,
            **_effort(a),
        },
        "resistance": [
            {
                "exercise": r.exercise,
                "sets": [{"reps": s.reps, "load_kg": s.load_kg} for s in r.sets],
                **_effort(r),
            }
            for r in entry.resistance
        ],
        "balance": None
        if b is None
        else {
            "exercise": b.exercise,
            "minutes": b.minutes,
            "modification": b.modification,
            "modification_reason": b.modification_reason,
        },
        "check_in": None
        if c is None
        else {
            **{kind.value: getattr(c, kind.value) for kind in ex.SymptomKind},
            "note": c.note,
        },
    }


def _effort(item: ex.DeliveredAerobic | ex.DeliveredResistance) -> dict[str, Any]:
    return {
        "rpe": item.rpe,
        "pain": item.pain,
        "modification": item.modification,
        "modification_reason": item.modification_reason,
    }


def domain_log(row: models.SessionLog, participant_id: str) -> ex.SessionLog:
    entry = session_entry(
        {
            "date": row.date,
            "setting": row.setting,
            "attendance": row.attendance,
            "missed_reason": row.missed_reason,
            "aerobic": row.aerobic,
            "resistance": row.resistance,
            "balance": row.balance,
            "check_in": row.check_in,
        }
    )
    return entry.log(participant_id, "")
