"""Adherence from the stored session logs (per participant, centre and programme phase).

Each log is paired with the plan it was delivered against — the plan frozen with the log,
read back by :func:`plan_from_json` — by :func:`exonc.exercise.session_record`, and the
records go to :func:`exonc.exercise.adherence`. Only logged sessions count: a session
nobody logged (attended or missed) is not in the table (docs/concepts/exercise-platform.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import QuerySet

from exonc import exercise as ex
from exonc.platform.exercise import convert
from exonc.platform.exercise.models import SessionLog
from exonc.platform.trial.models import Participant


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


def records(logs: Iterable[SessionLog]) -> list[ex.SessionRecord]:
    """One adherence record per stored log (logs with their participant and centre)."""
    found = []
    for row in logs:
        pid = row.participant.study_id
        log = convert.domain_log(row, pid)
        found.append(ex.session_record(log, plan_from_json(row.plan), row.participant.centre.code))
    return found


def adherence_of(participants: QuerySet[Participant]) -> ex.AdherenceResult:
    """The adherence table of *participants* (every level: participant … all)."""
    logs = SessionLog.objects.filter(participant__in=participants).select_related(
        "participant__centre"
    )
    return ex.adherence(records(logs.order_by("participant__study_id", "date", "setting")))
