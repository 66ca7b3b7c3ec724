"""Reading a participant file (TOML or JSON) for the file-based command line.

The format (documented in ``docs/concepts/prescriptions.md``) holds the person, the start
date, the centre's equipment, the fitness tests, the lesion register, the overrides, the
symptom flags and, optionally, the session logs the progression rule replays. Every error
names the file and the key, e.g. ``p001.toml, key tests[3].reps: value 15: ...``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from exonc import _toml
from exonc.errors import ExerciseInputError
from exonc.exercise.anatomy import Laterality, LesionType, Sex, Site
from exonc.exercise.equipment import Equipment
from exonc.exercise.fitness_tests import (
    CardiopulmonaryTest,
    FitnessTest,
    HandgripTest,
    MultipleRMTest,
    SingleLegStanceTest,
    SteepRampTest,
    TestContext,
    TimedUpAndGoTest,
)
from exonc.exercise.lesions import Clearance, Lesion
from exonc.exercise.one_rep_max import OneRepMaxFormula
from exonc.exercise.participants import ParticipantState
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
)
from exonc.exercise.safety import Override
from exonc.exercise.sessions import (
    Attendance,
    DeliveredAerobic,
    DeliveredBalance,
    DeliveredResistance,
    DeliveredSet,
    SessionLog,
    Setting,
    SymptomCheckIn,
    SymptomFlag,
    SymptomKind,
    flags_from_check_in,
)

__all__ = ["ParticipantFile", "load_participant"]

Table = _toml.Table


class ParticipantFile:
    """What a participant file holds: the state and the centre's equipment."""

    def __init__(self, state: ParticipantState, equipment: Equipment) -> None:
        self.state = state
        self.equipment = equipment


def load_participant(path: Path, *, today: dt.date) -> ParticipantFile:
    """Read *path*; tests, lesions and sessions dated after *today* are refused."""
    root = Table(_toml.read(path, ExerciseInputError), file=path.name, error=ExerciseInputError)
    participant_id = root.text("participant_id")
    equipment = _equipment(root.table("equipment")) if root.has("equipment") else Equipment()
    tests = tuple(_test(t, today) for t in root.tables("tests"))
    lesions = tuple(_lesion(t, today) for t in root.tables("lesions"))
    overrides = tuple(_override(t) for t in root.tables("overrides"))
    sessions = tuple(_session(t, participant_id, today) for t in root.tables("sessions"))
    flags = _flags(root.tables("flags"), sessions)
    with root.located():
        state = ParticipantState(
            participant_id=participant_id,
            centre=root.text("centre", ""),
            start_date=root.day("start_date"),
            sex=root.choice("sex", Sex),
            birth_date=root.day("birth_date"),
            height_cm=root.number("height_cm"),
            tests=tests,
            lesions=lesions,
            overrides=overrides,
            flags=flags,
            sessions=sessions,
        )
    root.done()
    return ParticipantFile(state, equipment)


def _equipment(table: Table) -> Equipment:
    with table.located():
        equipment = Equipment(
            centre=table.text("centre", ""),
            default_increment_kg=table.number("default_increment_kg", 2.5),
            increments_kg=_numbers(table, "increments_kg"),
            minimum_kg=_numbers(table, "minimum_kg"),
            ergometer_increment_w=table.number("ergometer_increment_w", 5.0),
        )
    table.done()
    return equipment


def _numbers(table: Table, name: str) -> dict[str, float]:
    if not table.has(name):
        return {}
    inner = table.table(name)
    values = {key: inner.number(key) for key in inner.names()}
    inner.done()
    return values


def _context(table: Table, today: dt.date) -> TestContext:
    with table.located():
        context = TestContext(table.day("date"), table.text("tester"), table.text("conditions", ""))
        context.check_not_future(today)
    return context


_TESTS: dict[str, Callable[[Table, TestContext], FitnessTest]] = {
    "steep_ramp": lambda t, c: SteepRampTest(
        c, t.number("msec_w"), t.text("ramp", "25 W per 10 s")
    ),
    "cpet": lambda t, c: CardiopulmonaryTest(
        c, t.number("wpeak_w"), t.number("vo2peak_ml_min", None)
    ),
    "multiple_rm": lambda t, c: MultipleRMTest(
        c,
        t.text("exercise"),
        t.number("load_kg"),
        t.whole("reps"),
        t.choice("formula", OneRepMaxFormula, "brzycki"),
    ),
    "handgrip": lambda t, c: HandgripTest(c, t.text("side"), tuple(t.items("trials_kg"))),
    "single_leg_stance": lambda t, c: SingleLegStanceTest(
        c,
        t.text("side"),
        t.number("seconds"),
        t.flag("eyes_open", True),
        t.number("ceiling_seconds", 30.0),
    ),
    "timed_up_and_go": lambda t, c: TimedUpAndGoTest(
        c, t.number("seconds"), t.text("walking_aid", "")
    ),
}


def _test(table: Table, today: dt.date) -> FitnessTest:
    kind = table.text("type")
    if kind not in _TESTS:
        table.fail("type", "not a known test", kind, f"use one of {', '.join(_TESTS)}")
    context = _context(table, today)
    with table.located():
        test = _TESTS[kind](table, context)
    table.done()
    return test


def _lesion(table: Table, today: dt.date) -> Lesion:
    mirels = _mirels(table.table("mirels")) if table.has("mirels") else None
    sins = _sins(table.table("sins")) if table.has("sins") else None
    clearance = _clearance(table.table("clearance")) if table.has("clearance") else None
    imaging = table.day("imaging_date")
    if imaging > today:
        table.fail("imaging_date", f"is after today ({today.isoformat()})", imaging.isoformat())
    with table.located():
        lesion = Lesion(
            id=table.text("id"),
            site=table.choice("site", Site),
            laterality=table.choice("laterality", Laterality),
            lesion_type=table.choice("type", LesionType),
            imaging_date=imaging,
            mirels=mirels,
            sins=sins,
            clearance=clearance,
        )
    table.done()
    return lesion


def _mirels(table: Table) -> MirelsComponents:
    value = MirelsComponents(
        table.choice("site", MirelsSite),
        table.choice("size", MirelsSize),
        table.choice("pain", MirelsPain),
    )
    table.done()
    return value


def _sins(table: Table) -> SinsComponents:
    with table.located():
        value = SinsComponents(
            level=table.text("level"),
            pain=table.choice("pain", SinsPain),
            alignment=table.choice("alignment", SinsAlignment),
            collapse=table.choice("collapse", SinsCollapse),
            posterolateral=table.choice("posterolateral", SinsPosterolateral),
        )
    table.done()
    return value


def _clearance(table: Table) -> Clearance:
    with table.located():
        value = Clearance(table.text("clinician"), table.day("date"), table.text("note", ""))
    table.done()
    return value


def _override(table: Table) -> Override:
    with table.located():
        value = Override(
            exercise=table.text("exercise"),
            lesion_id=table.text("lesion"),
            clinician=table.text("clinician", ""),
            reason=table.text("reason", ""),
            date=table.day("date"),
            until=table.day("until", None),
        )
    table.done()
    return value


def _flags(tables: list[Table], sessions: tuple[SessionLog, ...]) -> tuple[SymptomFlag, ...]:
    listed = []
    for table in tables:
        with table.located():
            listed.append(
                SymptomFlag(
                    table.choice("kind", SymptomKind),
                    table.day("opened"),
                    table.day("closed", None),
                    table.text("note", ""),
                )
            )
        table.done()
    known = {(f.kind, f.opened) for f in listed}
    raised = [
        flag
        for log in sessions
        if log.check_in is not None
        for flag in flags_from_check_in(log.check_in, log.date)
        if (flag.kind, flag.opened) not in known
    ]
    return tuple(listed + raised)


def _session(table: Table, participant_id: str, today: dt.date) -> SessionLog:
    with table.located():
        log = SessionLog(
            participant_id=participant_id,
            date=table.day("date"),
            setting=table.choice("setting", Setting, Setting.SUPERVISED),
            attendance=table.choice("attendance", Attendance, Attendance.ATTENDED),
            missed_reason=table.text("missed_reason", ""),
            aerobic=_aerobic(table.table("aerobic")) if table.has("aerobic") else None,
            resistance=tuple(_resistance(t) for t in table.tables("resistance")),
            balance=_balance(table.table("balance")) if table.has("balance") else None,
            check_in=_check_in(table.table("check_in")) if table.has("check_in") else None,
            logged_by=table.text("logged_by", ""),
        )
        log.check_not_future(today)
    table.done()
    return log


def _resistance(table: Table) -> DeliveredResistance:
    reps = table.items("reps")
    loads = table.raw("load_kg")
    loads = loads if isinstance(loads, list) else [loads] * len(reps)
    if len(loads) != len(reps):
        table.fail("load_kg", "give one load, or one load per set", loads)
    with table.located():
        value = DeliveredResistance(
            exercise=table.text("exercise"),
            sets=tuple(DeliveredSet(r, float(w)) for r, w in zip(reps, loads, strict=True)),
            rpe=table.number("rpe", None),
            pain=table.whole("pain", None),
            modification=table.text("modification", ""),
            modification_reason=table.text("modification_reason", ""),
        )
    table.done()
    return value


def _aerobic(table: Table) -> DeliveredAerobic:
    with table.located():
        value = DeliveredAerobic(
            exercise=table.text("exercise"),
            bouts=table.whole("bouts"),
            bout_seconds=table.whole("bout_seconds"),
            watts=table.number("watts"),
            rpe=table.number("rpe", None),
            pain=table.whole("pain", None),
            modification=table.text("modification", ""),
            modification_reason=table.text("modification_reason", ""),
        )
    table.done()
    return value


def _balance(table: Table) -> DeliveredBalance:
    with table.located():
        value = DeliveredBalance(
            exercise=table.text("exercise", "balance_training"),
            minutes=table.number("minutes"),
            modification=table.text("modification", ""),
            modification_reason=table.text("modification_reason", ""),
        )
    table.done()
    return value


def _check_in(table: Table) -> SymptomCheckIn:
    value = SymptomCheckIn(
        **{kind.value: table.flag(kind.value, False) for kind in SymptomKind},
        note=table.text("note", ""),
    )
    table.done()
    return value
