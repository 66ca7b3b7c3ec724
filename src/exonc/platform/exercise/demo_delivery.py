"""What a synthetic session delivered, derived from its plan (for the demo loader).

The synthetic sessions say attended or missed, RPE and pain. The rest follows the plan:
the prescribed watts, load and minutes, and per set the repetitions the participant can do
at the prescribed load — the Brzycki relation, ``reps = (1.0278 − load / 1RM) / 0.0278``,
from her h1RM interpolated between her tests — at most the top of the range. So the
progression rule fires when she can do the top of the range, as it intends.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from exonc import exercise as ex

LOGGED_BY = "synthetic demo data"
ATTENDANCE = {
    (ex.Setting.SUPERVISED, True): ex.Attendance.ATTENDED,
    (ex.Setting.SUPERVISED, False): ex.Attendance.MISSED,
    (ex.Setting.HOME, True): ex.Attendance.HOME_DONE,
    (ex.Setting.HOME, False): ex.Attendance.HOME_NOT_DONE,
}


def value(cell: Any) -> Any:
    """A cell as a plain value (missing → None; numpy numbers → Python numbers)."""
    if cell is None or cell is pd.NA or (isinstance(cell, float) and math.isnan(cell)):
        return None
    return cell.item() if hasattr(cell, "item") else cell


@dataclass(frozen=True)
class Capacity:
    """A participant's h1RM per machine between her tests (linear, flat outside)."""

    points: dict[str, list[tuple[dt.date, float]]]

    @classmethod
    def of(cls, tests: Iterable[ex.FitnessTest]) -> Capacity:
        points: dict[str, list[tuple[dt.date, float]]] = defaultdict(list)
        for t in tests:
            if isinstance(t, ex.MultipleRMTest):
                points[t.exercise].append((t.context.date, t.h1rm_kg))
        return cls({k: sorted(v) for k, v in points.items()})

    def one_rm(self, exercise: str, day: dt.date) -> float | None:
        points = self.points.get(exercise)
        if not points:
            return None
        before = [p for p in points if p[0] <= day] or points[:1]
        after = [p for p in points if p[0] > day]
        (d0, v0), nxt = before[-1], (after[0] if after else None)
        if nxt is None or day < d0:
            return v0
        share = (day - d0).days / (nxt[0] - d0).days
        return v0 + share * (nxt[1] - v0)


def delivered_log(
    participant_id: str,
    plan: ex.SessionPlan,
    row: Any,
    capacity: Capacity,
    flags: Iterable[ex.SymptomFlag],
) -> ex.SessionLog:
    """The log of synthetic session *row*, delivered against *plan*."""
    setting = ex.Setting(row.kind)
    attendance = ATTENDANCE[(setting, bool(row.attended))]
    if not row.attended:
        reason = str(value(row.missed_reason) or "") if setting is ex.Setting.SUPERVISED else ""
        return ex.SessionLog(
            participant_id, row.date, setting, attendance, reason, logged_by=LOGGED_BY
        )
    rpe, pain = value(row.rpe), value(row.pain)
    resistance = tuple(
        _resistance(r, capacity, row.date, rpe, pain)
        for r in plan.resistance
        if r.status != ex.ItemStatus.OMITTED
    )
    return ex.SessionLog(
        participant_id,
        row.date,
        setting,
        attendance,
        aerobic=_aerobic(plan.aerobic, rpe, pain),
        resistance=resistance,
        balance=_balance(plan.balance),
        check_in=_check_in([f for f in flags if f.opened == row.date]),
        logged_by=LOGGED_BY,
    )


def _check_in(raised: list[ex.SymptomFlag]) -> ex.SymptomCheckIn:
    """The check-in that opened the flags of the day (a flag is raised at a check-in)."""
    if not raised:
        return ex.SymptomCheckIn()
    return ex.SymptomCheckIn(**{f.kind.value: True for f in raised}, note=raised[0].note)


def _aerobic(
    item: ex.AerobicItem, rpe: float | None, pain: int | None
) -> ex.DeliveredAerobic | None:
    if item.status == ex.ItemStatus.OMITTED:
        return None
    main = item.main
    if isinstance(main, ex.PlannedIntervals):
        bouts, seconds, watts = main.repetitions, main.work_seconds, main.work_watts
    else:
        bouts, seconds, watts = 1, main.seconds, main.watts
    if watts is None:
        return None
    return ex.DeliveredAerobic(item.exercise, bouts, seconds, watts[0], rpe=rpe, pain=pain)


def _resistance(
    item: ex.ResistanceItem, capacity: Capacity, day: dt.date, rpe: float | None, pain: int | None
) -> ex.DeliveredResistance:
    low, high = item.reps
    load = item.load_kg or 0.0
    one_rm = capacity.one_rm(item.exercise, day)
    reps = low
    if one_rm is not None and load > 0:
        # Brzycki: the repetitions possible at *load* for a 1RM of *one_rm*.
        possible = math.floor((1.0278 - load / one_rm) / 0.0278)
        reps = max(0, min(high, possible))
    sets = tuple(ex.DeliveredSet(reps, load) for _ in range(item.sets))
    return ex.DeliveredResistance(item.exercise, sets, rpe=rpe, pain=pain)


def _balance(item: ex.BalanceItem | None) -> ex.DeliveredBalance | None:
    if item is None or item.status == ex.ItemStatus.OMITTED:
        return None
    return ex.DeliveredBalance(item.exercise, float(item.minutes))
