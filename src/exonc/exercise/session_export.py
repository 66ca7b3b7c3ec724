"""Reading a session-log export (CSV) into adherence records.

The column contract is documented in ``docs/concepts/adherence.md``: one row per scheduled
session and item (a missed session may have a single row with no component). Every cell is
read as text and checked; a bad value stops the read with one line naming the file, row,
column and value. Prescribed doses come from the export's ``prescribed_*`` columns or from
the session plans exported by ``exonc exercise plan --format json``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NoReturn

import pandas as pd

from exonc.errors import ExerciseInputError
from exonc.exercise.adherence import ItemDose, SessionRecord
from exonc.exercise.programme import Component, Programme
from exonc.exercise.sessions import Attendance, Setting

__all__ = [
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "plan_key",
    "prescribed_from_plan",
    "read_session_export",
]

REQUIRED_COLUMNS = ("participant_id", "centre", "session_date", "setting", "attendance")
OPTIONAL_COLUMNS = (
    "week",
    "start_date",
    "missed_reason",
    "component",
    "exercise",
    "sets_reps",
    "load_kg",
    "work_kj",
    "minutes",
    "rpe",
    "pain",
    "modification",
    "modification_reason",
    "prescribed_sets",
    "prescribed_reps",
    "prescribed_load_kg",
    "prescribed_work_kj",
    "prescribed_minutes",
)
_PRESCRIBED = tuple(c for c in OPTIONAL_COLUMNS if c.startswith("prescribed_"))

Prescribed = tuple[Component, str, float | None, str]  # component, exercise, dose, unit


def plan_key(participant_id: str, day: dt.date) -> tuple[str, dt.date]:
    return participant_id, day


def prescribed_from_plan(plan: Mapping[str, Any]) -> list[Prescribed]:
    """The prescribed items of a plan exported as JSON (omitted items left out)."""
    items: list[Prescribed] = []
    aerobic = plan["aerobic"]
    if aerobic["status"] != "omitted":
        items.append((Component.AEROBIC, aerobic["exercise"], aerobic["work_kj"], "kJ"))
    for item in plan["resistance"]:
        if item["status"] == "omitted":
            continue
        if item["volume_load_kg"] is not None:
            items.append((Component.RESISTANCE, item["exercise"], item["volume_load_kg"], "kg"))
        else:
            items.append(
                (Component.RESISTANCE, item["exercise"], item["sets"] * item["reps"][0], "reps")
            )
    balance = plan.get("balance")
    if balance and balance["status"] != "omitted":
        items.append((Component.BALANCE, balance["exercise"], float(balance["minutes"]), "min"))
    return items


@dataclass
class _Session:
    first_row: int
    participant_id: str
    centre: str
    date: dt.date
    setting: Setting
    attendance: Attendance
    week: int
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


class _Reader:
    def __init__(self, file: str, today: dt.date) -> None:
        self.file = file
        self.today = today

    def fail(self, row: int, column: str, value: Any, problem: str, hint: str) -> NoReturn:
        raise ExerciseInputError(
            problem, file=self.file, row=row, column=column, value=value, hint=hint
        )

    def date(self, row: int, cells: Mapping[str, str], column: str) -> dt.date:
        value = cells.get(column, "")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(row, column, value, "not a date", "write dates as YYYY-MM-DD")

    def number(self, row: int, cells: Mapping[str, str], column: str, high: float) -> float | None:
        value = cells.get(column, "")
        if value == "":
            return None
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not (math.isfinite(number) and 0 <= number <= high):
            self.fail(
                row,
                column,
                value,
                f"must be a number from 0 to {high:g}",
                "fix the value or leave it empty",
            )
        return number

    def whole(self, row: int, cells: Mapping[str, str], column: str, high: int) -> int | None:
        number = self.number(row, cells, column, high)
        if number is not None and number != int(number):
            self.fail(row, column, cells[column], "must be a whole number", "fix the value")
        return None if number is None else int(number)

    def numbers(self, row: int, cells: Mapping[str, str], column: str, high: float) -> list[float]:
        value = cells.get(column, "")
        if value == "":
            return []
        parts = value.split("/")
        found = [self.number(row, {column: p.strip()}, column, high) for p in parts]
        if any(p is None for p in found):
            self.fail(row, column, value, "has an empty part", "write values per set as 12/12/11")
        return [p for p in found if p is not None]

    def choice(self, row: int, cells: Mapping[str, str], column: str, kind: type[Any]) -> Any:
        value = cells.get(column, "")
        try:
            return kind(value)
        except ValueError:
            allowed = ", ".join(m.value for m in kind)
            self.fail(row, column, value, "not a known value", f"use one of {allowed}")


def read_session_export(
    frame: pd.DataFrame,
    programme: Programme,
    *,
    file: str,
    today: dt.date,
    plans: Mapping[tuple[str, dt.date], Mapping[str, Any]] | None = None,
) -> tuple[SessionRecord, ...]:
    """Parse a session-log export into one :class:`SessionRecord` per scheduled session."""
    reader = _Reader(file, today)
    _check_columns(frame, file)
    sessions = _group(frame, programme, reader)
    plans = plans or {}
    records = [_record(s, programme, reader, plans) for s in sessions.values()]
    _check_prescriptions(records, sessions, plans, frame, reader)
    return tuple(records)


def _check_columns(frame: pd.DataFrame, file: str) -> None:
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing or not {"week", "start_date"} & set(frame.columns):
        need = missing or ["week or start_date"]
        raise ExerciseInputError(
            f"missing column{'s' if len(need) > 1 else ''} {', '.join(need)}",
            file=file,
            hint=f"the export needs {', '.join(REQUIRED_COLUMNS)} and week or start_date",
        )


def _group(
    frame: pd.DataFrame, programme: Programme, reader: _Reader
) -> dict[tuple[str, dt.date, Setting], _Session]:
    sessions: dict[tuple[str, dt.date, Setting], _Session] = {}
    text = {str(c): _texts(frame[c]) for c in frame.columns}
    names = list(text)
    for index, values in enumerate(zip(*text.values(), strict=True), start=1):
        cells = dict(zip(names, values, strict=True))
        session = _session(index, cells, programme, reader)
        key = (session.participant_id, session.date, session.setting)
        known = sessions.setdefault(key, session)
        for column in ("centre", "attendance", "week"):
            if getattr(known, column) != getattr(session, column):
                reader.fail(
                    index,
                    column,
                    cells.get(column, ""),
                    f"differs from row {known.first_row} of the same session",
                    "give every row of a session the same value",
                )
        known.rows.append((index, cells))
    return sessions


def _texts(column: pd.Series) -> list[str]:
    """A column as stripped text, missing cells as ''."""
    return [str(v).strip() for v in column.to_numpy(object, na_value="")]


def _session(row: int, cells: Mapping[str, str], programme: Programme, reader: _Reader) -> _Session:
    for column in ("participant_id", "centre"):
        if not cells.get(column):
            reader.fail(
                row, column, cells.get(column, ""), "must not be empty", f"give the {column}"
            )
    day = reader.date(row, cells, "session_date")
    if day > reader.today:
        reader.fail(
            row,
            "session_date",
            day.isoformat(),
            f"is after today ({reader.today.isoformat()})",
            "a session can only be logged once it has happened",
        )
    setting = reader.choice(row, cells, "setting", Setting)
    attendance = reader.choice(row, cells, "attendance", Attendance)
    allowed = (
        (Attendance.ATTENDED, Attendance.MISSED)
        if setting is Setting.SUPERVISED
        else (Attendance.HOME_DONE, Attendance.HOME_NOT_DONE)
    )
    if attendance not in allowed:
        reader.fail(
            row,
            "attendance",
            attendance.value,
            f"a {setting.value} session is {' or '.join(a.value for a in allowed)}",
            "check setting and attendance",
        )
    if attendance is Attendance.MISSED and not cells.get("missed_reason"):
        reader.fail(
            row,
            "missed_reason",
            "",
            "a missed session needs its reason",
            "say why the session was missed",
        )
    week = _week(row, cells, day, programme, reader)
    return _Session(row, cells["participant_id"], cells["centre"], day, setting, attendance, week)


def _week(
    row: int, cells: Mapping[str, str], day: dt.date, programme: Programme, reader: _Reader
) -> int:
    if cells.get("week"):
        week = reader.whole(row, cells, "week", 10_000)
        column = "week"
    else:
        start = reader.date(row, cells, "start_date")
        week, column = (day - start).days // 7 + 1, "start_date"
    if week is None or not 1 <= week <= programme.weeks:
        reader.fail(
            row,
            column,
            cells.get(column, ""),
            f"puts the session outside weeks 1–{programme.weeks} of {programme.name}",
            "check the week or the start date",
        )
    return int(week or 0)


def _record(
    session: _Session,
    programme: Programme,
    reader: _Reader,
    plans: Mapping[tuple[str, dt.date], Mapping[str, Any]],
) -> SessionRecord:
    took_place = session.attendance in (Attendance.ATTENDED, Attendance.HOME_DONE)
    delivered: dict[tuple[Component, str], tuple[float, float]] = {}
    from_rows: list[Prescribed] = []
    for row, cells in session.rows:
        if not cells.get("component"):
            continue
        component = reader.choice(row, cells, "component", Component)
        exercise = cells.get("exercise") or component.value
        _check_row_values(row, cells, reader)
        done = _delivered(row, cells, component, reader)
        if not took_place and any(done):
            reader.fail(
                row,
                "attendance",
                session.attendance.value,
                "a session that did not take place cannot have delivered exercise",
                "record the session as attended, or clear the delivered columns",
            )
        delivered[(component, exercise)] = done
        from_rows.append(_prescribed(row, cells, component, exercise, reader))
    plan = plans.get(plan_key(session.participant_id, session.date))
    prescribed = prescribed_from_plan(plan) if plan is not None else from_rows
    items = tuple(_dose(p, delivered.get((p[0], p[1]), (0.0, 0.0))) for p in prescribed)
    phase = programme.phase_for_week(session.week).name
    return SessionRecord(
        session.participant_id,
        session.centre,
        session.date,
        phase,
        session.setting,
        session.attendance,
        items,
    )


def _check_row_values(row: int, cells: Mapping[str, str], reader: _Reader) -> None:
    reader.number(row, cells, "rpe", 10)
    reader.whole(row, cells, "pain", 10)
    if cells.get("modification") and not cells.get("modification_reason"):
        reader.fail(
            row,
            "modification_reason",
            "",
            "a modification needs its reason",
            "say why the exercise was modified",
        )


def _delivered(
    row: int, cells: Mapping[str, str], component: Component, reader: _Reader
) -> tuple[float, float]:
    """(volume-load kg, kJ or minutes; repetitions) delivered by one row."""
    if component is Component.AEROBIC:
        return (reader.number(row, cells, "work_kj", 10_000) or 0.0, 0.0)
    if component is Component.BALANCE:
        return (reader.number(row, cells, "minutes", 600) or 0.0, 0.0)
    reps = reader.numbers(row, cells, "sets_reps", 100)
    loads = reader.numbers(row, cells, "load_kg", 500)
    if any(r != int(r) for r in reps):
        reader.fail(
            row,
            "sets_reps",
            cells["sets_reps"],
            "repetitions must be whole numbers",
            "write them per set as 12/12/11",
        )
    if len(loads) == 1:
        loads = loads * len(reps)
    if loads and len(loads) != len(reps):
        reader.fail(
            row,
            "load_kg",
            cells.get("load_kg", ""),
            "give one load, or one load per set",
            "write loads per set as 40/40/37.5",
        )
    volume = sum(r * w for r, w in zip(reps, loads, strict=True)) if loads else 0.0
    return (volume, float(sum(reps)))


def _prescribed(
    row: int, cells: Mapping[str, str], component: Component, exercise: str, reader: _Reader
) -> Prescribed:
    if component is Component.AEROBIC:
        return component, exercise, reader.number(row, cells, "prescribed_work_kj", 10_000), "kJ"
    if component is Component.BALANCE:
        return component, exercise, reader.number(row, cells, "prescribed_minutes", 600), "min"
    sets = reader.whole(row, cells, "prescribed_sets", 20)
    reps = reader.whole(row, cells, "prescribed_reps", 100)
    load = reader.number(row, cells, "prescribed_load_kg", 500)
    if sets is None or reps is None:
        return component, exercise, None, "kg"
    if load is None:
        return component, exercise, float(sets * reps), "reps"
    return component, exercise, sets * reps * load, "kg"


def _dose(prescribed: Prescribed, delivered: tuple[float, float]) -> ItemDose:
    component, exercise, dose, unit = prescribed
    amount = delivered[1] if unit == "reps" else delivered[0]
    return ItemDose(component, exercise, dose, amount, unit)


def _check_prescriptions(
    records: list[SessionRecord],
    sessions: Mapping[tuple[str, dt.date, Setting], _Session],
    plans: Mapping[tuple[str, dt.date], Mapping[str, Any]],
    frame: pd.DataFrame,
    reader: _Reader,
) -> None:
    """With any prescribed dose in the input, every session must have one (else RDI lies)."""
    has_any = bool(plans) or any(frame[c].notna().any() for c in _PRESCRIBED if c in frame.columns)
    if not has_any:
        return
    for record, session in zip(records, sessions.values(), strict=True):
        if not any(i.prescribed is not None for i in record.items):
            reader.fail(
                session.first_row,
                "component",
                "",
                "this session has no prescribed dose",
                "list its prescribed items with the prescribed_* columns, or pass its session plan",
            )
