"""Session plans frozen with their logs: written as JSON, read back as plans.

The JSON is exactly ``SessionPlan.to_dict()`` — the document ``exonc exercise plan --format
json`` prints — written by a direct, fast serialiser (the demo freezes thousands of plans;
the generic :func:`exonc.results.jsonable` walks every value). A test checks that both give
the same document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from exonc import exercise as ex


def _pair(value: tuple[float, float] | None) -> list[float] | None:
    return None if value is None else [value[0], value[1]]


def _segment_json(segment: ex.PlannedSegment | None) -> dict[str, Any] | None:
    if segment is None:
        return None
    return {"seconds": segment.seconds, "watts": _pair(segment.watts)}


def _main_json(main: ex.PlannedSegment | ex.PlannedIntervals) -> dict[str, Any] | None:
    if isinstance(main, ex.PlannedSegment):
        return _segment_json(main)
    return {
        "repetitions": main.repetitions,
        "work_seconds": main.work_seconds,
        "work_watts": _pair(main.work_watts),
        "rest_seconds": main.rest_seconds,
        "rest_watts": _pair(main.rest_watts),
    }


def plan_json(plan: ex.SessionPlan) -> dict[str, Any]:
    """``plan.to_dict()``, fast."""
    return {
        "participant_id": plan.participant_id,
        "date": plan.date.isoformat(),
        "week": plan.week,
        "setting": plan.setting.value,
        "programme": plan.programme,
        "phase": plan.phase,
        "scheme": plan.scheme,
        "prescription_version": plan.prescription_version,
        "prescription_reason": plan.prescription_reason,
        "aerobic": _aerobic_json(plan.aerobic),
        "resistance": [_resistance_json(r) for r in plan.resistance],
        "balance": _balance_json(plan.balance),
        "restrictions": [
            {
                "lesion_id": r.lesion_id,
                "kind": r.kind,
                "reason": r.reason,
                "movements": list(r.movements),
                "sources": list(r.sources),
            }
            for r in plan.restrictions
        ],
        "converged": plan.converged,
        "warnings": list(plan.warnings),
    }


def _aerobic_json(a: ex.AerobicItem) -> dict[str, Any]:
    return {
        "exercise": a.exercise,
        "title": a.title,
        "status": a.status.value,
        "phase": a.phase,
        "description": a.description,
        "warm_up": _segment_json(a.warm_up),
        "main": _main_json(a.main),
        "cool_down": _segment_json(a.cool_down),
        "work_kj": a.work_kj,
        "notes": list(a.notes),
    }


def _balance_json(b: ex.BalanceItem | None) -> dict[str, Any] | None:
    if b is None:
        return None
    return {
        "exercise": b.exercise,
        "title": b.title,
        "status": b.status.value,
        "replaces": b.replaces,
        "minutes": b.minutes,
        "notes": list(b.notes),
    }


def _resistance_json(r: ex.ResistanceItem) -> dict[str, Any]:
    return {
        "exercise": r.exercise,
        "title": r.title,
        "status": r.status.value,
        "replaces": r.replaces,
        "sets": r.sets,
        "reps": [r.reps[0], r.reps[1]],
        "percent_h1rm": [r.percent_h1rm[0], r.percent_h1rm[1]],
        "h1rm_kg": r.h1rm_kg,
        "load_kg": r.load_kg,
        "progression_steps": r.progression_steps,
        "volume_load_kg": r.volume_load_kg,
        "notes": list(r.notes),
    }


def _watts(value: Any) -> tuple[float, float] | None:
    return None if value is None else (float(value[0]), float(value[1]))


def _segment(data: Mapping[str, Any] | None) -> ex.PlannedSegment | None:
    if data is None:
        return None
    return ex.PlannedSegment(int(data["seconds"]), _watts(data["watts"]))


def _main(data: Mapping[str, Any]) -> ex.PlannedSegment | ex.PlannedIntervals:
    if "repetitions" not in data:
        return ex.PlannedSegment(int(data["seconds"]), _watts(data["watts"]))
    return ex.PlannedIntervals(
        int(data["repetitions"]),
        int(data["work_seconds"]),
        _watts(data["work_watts"]),
        int(data["rest_seconds"]),
        _watts(data["rest_watts"]),
    )


def _aerobic(data: Mapping[str, Any]) -> ex.AerobicItem:
    return ex.AerobicItem(
        exercise=data["exercise"],
        title=data["title"],
        status=ex.ItemStatus(data["status"]),
        phase=data["phase"],
        description=data["description"],
        warm_up=_segment(data["warm_up"]),
        main=_main(data["main"]),
        cool_down=_segment(data["cool_down"]),
        work_kj=data["work_kj"],
        notes=tuple(data["notes"]),
    )


def _resistance(data: Mapping[str, Any]) -> ex.ResistanceItem:
    low, high = data["reps"]
    percent_low, percent_high = data["percent_h1rm"]
    return ex.ResistanceItem(
        exercise=data["exercise"],
        title=data["title"],
        status=ex.ItemStatus(data["status"]),
        replaces=data["replaces"],
        sets=int(data["sets"]),
        reps=(int(low), int(high)),
        percent_h1rm=(float(percent_low), float(percent_high)),
        h1rm_kg=data["h1rm_kg"],
        load_kg=data["load_kg"],
        progression_steps=int(data["progression_steps"]),
        volume_load_kg=data["volume_load_kg"],
        notes=tuple(data["notes"]),
    )


def _balance(data: Mapping[str, Any] | None) -> ex.BalanceItem | None:
    if data is None:
        return None
    return ex.BalanceItem(
        exercise=data["exercise"],
        title=data["title"],
        status=ex.ItemStatus(data["status"]),
        replaces=data["replaces"],
        minutes=int(data["minutes"]),
        notes=tuple(data["notes"]),
    )


def plan_from_json(data: Mapping[str, Any]) -> ex.SessionPlan:
    """A session plan read back from its JSON form (``SessionPlan.to_dict()``)."""
    return ex.SessionPlan(
        participant_id=data["participant_id"],
        date=dt.date.fromisoformat(data["date"]),
        week=int(data["week"]),
        setting=ex.Setting(data["setting"]),
        programme=data["programme"],
        phase=data["phase"],
        scheme=data["scheme"],
        prescription_version=int(data["prescription_version"]),
        prescription_reason=data["prescription_reason"],
        aerobic=_aerobic(data["aerobic"]),
        resistance=tuple(_resistance(r) for r in data["resistance"]),
        balance=_balance(data["balance"]),
        restrictions=tuple(
            ex.PlanRestriction(
                r["lesion_id"], r["kind"], r["reason"], tuple(r["movements"]), tuple(r["sources"])
            )
            for r in data["restrictions"]
        ),
        warnings=tuple(data["warnings"]),
    )
