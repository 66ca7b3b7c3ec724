"""Adherence metrics, computed from session records (definitions in docs/concepts/adherence.md).

For a group of scheduled sessions (a participant, a centre, a programme phase, …):

* **attendance rate** — supervised sessions attended / supervised sessions scheduled;
* **home-session completion** — home sessions done / home sessions scheduled;
* **compliance** per component (aerobic, resistance, balance) — among the sessions that took
  place and prescribed the component, the share in which every prescribed item was delivered
  at ≥ its prescribed dose;
* **relative dose intensity (RDI)** per component — total delivered dose / total prescribed
  dose over all scheduled sessions, missed ones counting as 0 delivered.

The dose of an item is its volume-load in kg (Σ repetitions × load) for resistance, its
external work in kJ for aerobic work, and minutes for balance. A resistance item prescribed
without a load (no h1RM yet) is compared in repetitions for compliance and left out of the
RDI, whose unit is kg.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from exonc.exercise.programme import Component
from exonc.exercise.session_plans import ItemStatus, ResistanceItem, SessionPlan
from exonc.exercise.sessions import Attendance, SessionLog, Setting
from exonc.results import Result

__all__ = [
    "ADHERENCE_COLUMNS",
    "AdherenceResult",
    "ItemDose",
    "SessionRecord",
    "adherence",
    "session_record",
]

#: Units of the dose each component's RDI is computed in.
RDI_UNIT = {Component.AEROBIC: "kJ", Component.RESISTANCE: "kg", Component.BALANCE: "min"}

_IDS = ("level", "participant_id", "centre", "phase")
_COUNTS: tuple[str, ...] = ("supervised_scheduled", "supervised_attended", "attendance_rate")
_COUNTS += ("home_scheduled", "home_done", "home_completion")
_DOSES = tuple(f"{m}_{c.value}" for c in Component for m in ("compliance", "rdi"))
ADHERENCE_COLUMNS = _IDS + _COUNTS + _DOSES


@dataclass(frozen=True)
class ItemDose:
    """One prescribed (or delivered) item of a session: its dose prescribed and delivered."""

    component: Component
    exercise: str
    prescribed: float | None  # None: not known (no plan, no prescribed columns)
    delivered: float
    unit: str  # "kg" (volume-load), "reps", "kJ" or "min"

    @property
    def at_dose(self) -> bool:
        return self.prescribed is not None and self.delivered >= self.prescribed - 1e-9


@dataclass(frozen=True)
class SessionRecord:
    """A scheduled session, reduced to what adherence needs."""

    participant_id: str
    centre: str
    date: dt.date
    phase: str
    setting: Setting
    attendance: Attendance
    items: tuple[ItemDose, ...] = ()

    @property
    def took_place(self) -> bool:
        return self.attendance in (Attendance.ATTENDED, Attendance.HOME_DONE)


@dataclass(frozen=True)
class AdherenceResult(Result):
    """The adherence table: one row per participant, participant × phase, centre, phase, all."""

    table: pd.DataFrame

    def summary(self) -> pd.DataFrame:
        return self.table


def session_record(log: SessionLog, plan: SessionPlan, centre: str) -> SessionRecord:
    """Pair a session log with the plan it was delivered against (the platform's path)."""
    items: list[ItemDose] = []
    if plan.aerobic.status is not ItemStatus.OMITTED:
        done = log.aerobic.work_kj if log.aerobic else 0.0
        items.append(
            ItemDose(Component.AEROBIC, plan.aerobic.exercise, plan.aerobic.work_kj, done, "kJ")
        )
    items += [
        _resistance_dose(log, r) for r in plan.resistance if r.status is not ItemStatus.OMITTED
    ]
    balance = plan.balance
    if balance is not None and balance.status is not ItemStatus.OMITTED:
        minutes = log.balance.minutes if log.balance else 0.0
        items.append(
            ItemDose(Component.BALANCE, balance.exercise, float(balance.minutes), minutes, "min")
        )
    return SessionRecord(
        log.participant_id, centre, log.date, plan.phase, log.setting, log.attendance, tuple(items)
    )


def _resistance_dose(log: SessionLog, item: ResistanceItem) -> ItemDose:
    """Volume-load when the plan has a load; repetitions when it has none."""
    done = log.delivered(item.exercise)
    if item.volume_load_kg is not None:
        value = done.volume_load_kg if done else 0.0
        return ItemDose(Component.RESISTANCE, item.exercise, item.volume_load_kg, value, "kg")
    reps = float(done.total_reps) if done else 0.0
    return ItemDose(
        Component.RESISTANCE, item.exercise, float(item.sets * item.reps[0]), reps, "reps"
    )


def adherence(records: Iterable[SessionRecord]) -> AdherenceResult:
    """Adherence per participant, participant × phase, centre, phase and overall."""
    records = tuple(records)
    groupings: list[tuple[str, Callable[[SessionRecord], tuple[str, str, str]]]] = [
        ("participant", lambda r: (r.participant_id, r.centre, "")),
        ("participant_phase", lambda r: (r.participant_id, r.centre, r.phase)),
        ("centre", lambda r: ("", r.centre, "")),
        ("phase", lambda r: ("", "", r.phase)),
        ("all", lambda r: ("", "", "")),
    ]
    starts: dict[str, dt.date] = {}
    for record in records:
        starts[record.phase] = min(starts.get(record.phase, record.date), record.date)
    counts = [_counts(r) for r in records]
    rows = []
    for level, key in groupings:
        groups: dict[tuple[str, str, str], list[dict[str, float]]] = {}
        for record, count in zip(records, counts, strict=True):
            groups.setdefault(key(record), []).append(count)
        for ids in sorted(groups, key=lambda k: (k[0], k[1], starts.get(k[2], dt.date.min))):
            rows.append(
                {"level": level, **dict(zip(_IDS[1:], ids, strict=True)), **_metrics(groups[ids])}
            )
    return AdherenceResult(pd.DataFrame(rows, columns=list(ADHERENCE_COLUMNS)))


def _counts(record: SessionRecord) -> dict[str, float]:
    """What one session adds to its groups' numerators and denominators."""
    supervised = record.setting is Setting.SUPERVISED
    counts = {
        "supervised": float(supervised),
        "attended": float(supervised and record.took_place),
        "home": float(not supervised),
        "home_done": float(not supervised and record.took_place),
    }
    for component in Component:
        items = [i for i in record.items if i.component is component and i.prescribed is not None]
        judged = record.took_place and bool(items)
        dosed = [i for i in items if i.unit == RDI_UNIT[component]]
        counts[f"judged_{component.value}"] = float(judged)
        counts[f"met_{component.value}"] = float(judged and all(i.at_dose for i in items))
        counts[f"delivered_{component.value}"] = sum(i.delivered for i in dosed)
        counts[f"prescribed_{component.value}"] = sum(i.prescribed or 0.0 for i in dosed)
    return counts


def _metrics(counts: Sequence[dict[str, float]]) -> dict[str, float | int]:
    total = {name: sum(c[name] for c in counts) for name in counts[0]}
    values: dict[str, float | int] = {
        "supervised_scheduled": int(total["supervised"]),
        "supervised_attended": int(total["attended"]),
        "attendance_rate": _ratio(total["attended"], total["supervised"]),
        "home_scheduled": int(total["home"]),
        "home_done": int(total["home_done"]),
        "home_completion": _ratio(total["home_done"], total["home"]),
    }
    for c in (component.value for component in Component):
        values[f"compliance_{c}"] = _ratio(total[f"met_{c}"], total[f"judged_{c}"])
        values[f"rdi_{c}"] = _ratio(total[f"delivered_{c}"], total[f"prescribed_{c}"])
    return values


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator > 0 else math.nan
