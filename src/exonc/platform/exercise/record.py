"""One participant's exercise record as plain data (the participant page and its JSON twin):
programme, lesions with their scores, clearances and overrides, symptom flags, prescription
history, fitness tests, sessions, adverse events, adherence and the audit trail."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from exonc import exercise as ex
from exonc.platform import access
from exonc.platform.accounts.models import Role, User
from exonc.platform.audit import ChangeLine, change_lines
from exonc.platform.exercise import config, convert
from exonc.platform.exercise.adherence import adherence_of
from exonc.platform.exercise.models import (
    AdverseEvent,
    Clearance,
    ExerciseProfile,
    FitnessTest,
    Lesion,
    Override,
    SessionLog,
    SymptomFlag,
)
from exonc.platform.exercise.state import in_exercise_arm
from exonc.platform.trial.models import Participant
from exonc.platform.trial.services import local_today
from exonc.results import jsonable

STAFF = (Role.PHYSIOTHERAPIST, Role.CLINICIAN, Role.COORDINATOR, Role.STATISTICIAN, Role.MONITOR)
#: What each role may do from the participant page (the services check again).
ACTIONS = {
    Role.PHYSIOTHERAPIST: ("start", "test", "lesion", "log", "adverse_event"),
    Role.COORDINATOR: ("start",),
    Role.CLINICIAN: ("lesion", "clear", "override", "close_flag", "adverse_event"),
    Role.ADMINISTRATOR: ("start", "test", "lesion", "log", "adverse_event"),
}


@dataclass(frozen=True)
class LesionLine:
    id: int
    label: str
    site: str
    laterality: str
    lesion_type: str
    imaging_date: dt.date
    score: str
    restrictions: list[str]
    clearances: list[dict[str, Any]]
    overrides: list[dict[str, Any]]


@dataclass(frozen=True)
class VersionLine:
    version: int
    effective: dt.date
    reason: str
    trigger: str
    created_by: str
    created_at: dt.datetime
    wpeak: str
    msec_w: float | None
    strength: list[dict[str, Any]]


@dataclass(frozen=True)
class FlagLine:
    id: int
    kind: str
    opened_on: dt.date
    note: str
    closed_on: dt.date | None
    closed_by: str
    close_reason: str


@dataclass(frozen=True)
class ExerciseRecord:
    study_id: str
    centre: str
    arm: str | None
    today: dt.date
    programme: dict[str, Any] | None
    lesions: list[LesionLine]
    flags: list[FlagLine]
    prescriptions: list[VersionLine]
    tests: list[dict[str, Any]]
    sessions: list[dict[str, Any]]
    adverse_events: list[dict[str, Any]]
    adherence: list[dict[str, Any]]
    actions: list[str]
    history: list[ChangeLine]


def exercise_record(user: User, p: Participant, now: dt.datetime) -> ExerciseRecord:
    access.require_role(user, *STAFF)
    today = local_today(p.centre, now)
    allocation = getattr(p, "allocation", None)
    rules = config.rules(p.centre)
    return ExerciseRecord(
        study_id=p.study_id,
        centre=p.centre.code,
        arm=allocation.arm if allocation else None,
        today=today,
        programme=_programme(p, today),
        lesions=[_lesion(row, rules, today) for row in _lesions(p)],
        flags=[_flag(f) for f in p.symptom_flags.select_related("closed_by")],
        prescriptions=[_version(v) for v in p.prescriptions.select_related("created_by")],
        tests=[_test(t) for t in p.fitness_tests.all()],
        sessions=[_session(s) for s in _sessions(p)],
        adverse_events=[_event(e) for e in p.adverse_events.all()],
        adherence=_adherence(p),
        actions=_actions(user, p),
        history=_history(p),
    )


def _programme(p: Participant, today: dt.date) -> dict[str, Any] | None:
    profile = ExerciseProfile.objects.filter(participant=p).first()
    if profile is None:
        return None
    programme = config.programme(profile.programme)
    week = (today - profile.start_date).days // 7 + 1
    inside = 1 <= week <= programme.weeks
    return {
        "programme": profile.programme,
        "start_date": profile.start_date,
        "height_cm": profile.height_cm,
        "week": week if inside else None,
        "phase": programme.phase_for_week(week).name if inside else None,
        "status": "in programme" if inside else ("not started" if week < 1 else "finished"),
    }


def _lesions(p: Participant) -> list[Lesion]:
    return list(p.lesions.prefetch_related("clearances", "overrides"))


def _lesion(row: Lesion, rules: ex.SafetyRules, today: dt.date) -> LesionLine:
    lesion = convert.domain_lesion(row, row.clearances.all(), today)
    score = ""
    if lesion.mirels_score is not None:
        score = f"Mirels {lesion.mirels_score} ({ex.mirels_category(lesion.mirels_score)})"
    if lesion.sins_score is not None:
        score = f"SINS {lesion.sins_score} ({ex.sins_category(lesion.sins_score)})"
    return LesionLine(
        id=row.id,
        label=row.label,
        site=row.site,
        laterality=row.laterality,
        lesion_type=row.lesion_type,
        imaging_date=row.imaging_date,
        score=score,
        restrictions=[
            f"{r.kind.value.replace('_', ' ')}: {r.reason} — "
            f"{', '.join(sorted(m.value for m in r.movements)) or 'works the region'}"
            for r in ex.assess_lesions([lesion], rules, today)
        ],
        clearances=[
            {"clinician": c.clinician_name, "cleared_on": c.cleared_on, "note": c.note}
            for c in row.clearances.all()
        ],
        overrides=[
            {
                "exercise": o.exercise,
                "clinician": o.clinician_name,
                "reason": o.reason,
                "starts_on": o.starts_on,
                "until": o.until,
            }
            for o in row.overrides.all()
        ],
    )


def _flag(f: SymptomFlag) -> FlagLine:
    return FlagLine(
        f.id,
        f.kind,
        f.opened_on,
        f.note,
        f.closed_on,
        str(f.closed_by) if f.closed_by else "",
        f.close_reason,
    )


def _version(v: Any) -> VersionLine:
    aerobic = v.basis["aerobic"]
    wpeak = aerobic["wpeak_w"]
    return VersionLine(
        version=v.version,
        effective=v.effective,
        reason=v.reason,
        trigger=v.get_trigger_display(),
        created_by=str(v.created_by),
        created_at=v.created_at,
        wpeak=f"{wpeak:.0f} W ({aerobic['wpeak_source']})" if wpeak else "unknown",
        msec_w=aerobic["msec_w"],
        strength=list(v.basis["strength"]),
    )


def _test(t: FitnessTest) -> dict[str, Any]:
    return {
        "date": t.tested_on,
        "kind": t.kind,
        "result": convert.describe_test(convert.domain_test(t)),
        "tester": t.tester,
        "conditions": t.conditions,
    }


def _sessions(p: Participant) -> list[SessionLog]:
    rows = SessionLog.objects.filter(participant=p).select_related("prescription")
    return list(rows.defer("plan").order_by("-date", "setting")[:40])


def _session(s: SessionLog) -> dict[str, Any]:
    done = [r["exercise"] for r in s.resistance]
    done += [s.aerobic["exercise"]] if s.aerobic else []
    done += [s.balance["exercise"]] if s.balance else []
    return {
        "date": s.date,
        "setting": s.setting,
        "attendance": s.attendance,
        "missed_reason": s.missed_reason,
        "prescription_version": s.prescription.version,
        "exercises": done,
        "check_in": [k for k, v in (s.check_in or {}).items() if v is True],
    }


def _event(e: AdverseEvent) -> dict[str, Any]:
    return {
        "id": e.id,
        "onset": e.onset,
        "description": e.description,
        "grade": e.grade,
        "serious": e.serious,
        "relatedness": e.relatedness,
        "outcome": e.outcome,
        "session_date": e.session_date,
    }


def _adherence(p: Participant) -> list[dict[str, Any]]:
    table = adherence_of(Participant.objects.filter(pk=p.pk)).table
    rows = table[table["level"].isin(["participant", "participant_phase"])]
    return cast(list[dict[str, Any]], jsonable(rows))  # NaN (no denominator) → None


def _actions(user: User, p: Participant) -> list[str]:
    allowed = list(ACTIONS.get(Role(user.role), ()))
    if not in_exercise_arm(p):
        allowed = [a for a in allowed if a not in ("start", "log")]
    if ExerciseProfile.objects.filter(participant=p).exists():
        allowed = [a for a in allowed if a != "start"]
    else:
        allowed = [a for a in allowed if a != "log"]
    return allowed


def _history(p: Participant) -> list[ChangeLine]:
    """The audit trail of the exercise records, newest first."""
    changes: list[Any] = []
    own: tuple[Any, ...] = (ExerciseProfile, FitnessTest, Lesion, SessionLog, SymptomFlag)
    for model in (*own, AdverseEvent):
        changes += model.history.filter(participant_id=p.id).order_by("-history_date")[:60]
    for model in (Clearance, Override):
        changes += model.history.filter(lesion__participant_id=p.id).order_by("-history_date")[:60]
    return change_lines(changes, limit=60)
