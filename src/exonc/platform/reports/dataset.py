"""The platform's records as exonc's tidy tables (the tables and columns ``exonc synth``
writes), for a locked dataset (:mod:`exonc.reports.lock`).

Participants are the allocated ones of the current purpose (live once a live sequence is
loaded, else test), known by their study IDs; every table is read for all centres — a
lock is trial-wide, and only statisticians and administrators make one. Cells are text,
as the CSV readers give them (dates ISO, yes/no 0/1, empty = missing).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import pandas as pd

from exonc.platform.activity.models import DailyActivity
from exonc.platform.allocation.models import Allocation
from exonc.platform.economics.dataset import current_purpose
from exonc.platform.economics.models import ResourceUseReport
from exonc.platform.exercise.models import AdverseEvent, SessionLog
from exonc.platform.outcomes.models import QuestionnaireResponse, Status
from exonc.platform.trial.models import Centre, Screening, Visit, Withdrawal

__all__ = ["trial_tables"]

QUESTIONNAIRES = {
    "qlq-c30": "qlq_c30",
    "qlq-fa12": "qlq_fa12",
    "eq-5d-5l": "eq5d5l",
    "hads": "hads",
}
SUPERVISED, ATTENDED, HOME_DONE = "supervised", "attended", "home_done"


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def trial_tables() -> dict[str, pd.DataFrame]:
    """Every table the report and the lock use, from the database."""
    allocations = list(
        Allocation.objects.filter(purpose=current_purpose())
        .select_related("participant__centre")
        .order_by("sequence")
    )
    ids = {a.participant_id: a.participant.study_id for a in allocations}
    tables = {
        "centres": _frame(
            [(c.code, c.name, c.country, c.time_zone) for c in Centre.objects.order_by("code")],
            ["centre", "name", "country", "time_zone"],
        ),
        "participants": _participants(allocations),
        "visits": _frame(
            [
                (
                    ids[v.participant_id],
                    v.code,
                    v.due_date,
                    v.window_start,
                    v.window_end,
                    v.completed_on,
                )
                for v in Visit.objects.filter(participant__in=ids).order_by(
                    "participant", "due_date"
                )
            ],
            ["participant_id", "visit", "due_date", "window_start", "window_end", "completed_on"],
        ),
        "withdrawals": _frame(
            [
                (ids[w.participant_id], w.withdrawn_on, w.kind, w.reason)
                for w in Withdrawal.objects.filter(participant__in=ids)
            ],
            ["participant_id", "withdrawn_on", "kind", "reason"],
        ),
        "screening": _screening(ids),
        "sessions": _sessions(ids),
        "tracker_days": _tracker_days(ids),
        "resource_use": _resource_use(ids),
        "adverse_events": _frame(
            [
                (
                    ids[e.participant_id],
                    e.onset,
                    e.description,
                    e.grade,
                    e.serious,
                    e.relatedness,
                    e.outcome,
                    e.session_date,
                )
                for e in AdverseEvent.objects.filter(participant__in=ids).order_by("onset")
            ],
            [
                "participant_id",
                "onset",
                "description",
                "grade",
                "serious",
                "relatedness",
                "outcome",
                "session_date",
            ],
        ),
    }
    tables |= _questionnaires(ids)
    tables["participants"] = _per_protocol(tables["participants"], tables["sessions"])
    return tables


def _frame(rows: list[tuple[Any, ...]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame([[_text(v) for v in row] for row in rows], columns=columns, dtype=object)


def _participants(allocations: list[Allocation]) -> pd.DataFrame:
    rows = []
    for a in allocations:
        p = a.participant
        rows.append(
            (
                p.study_id,
                p.centre.code,
                p.centre.country,
                a.arm,
                a.allocated_on,
                a.allocated_on.year - p.birth_year,
                p.birth_year,
                p.sex,
                p.line_of_treatment or None,
                p.bone_metastases,
                ";".join(p.metastatic_sites or []) or None,
                p.ecog,
                p.baseline_pain,
            )
        )
    columns = [
        "participant_id", "centre", "country", "arm", "randomised_on", "age", "birth_year",
        "sex", "line_of_treatment", "bone_metastases", "metastatic_sites", "ecog", "baseline_pain",
    ]  # fmt: skip
    return _frame(rows, columns)


def _screening(ids: dict[int, str]) -> pd.DataFrame:
    rows = []
    screenings = Screening.objects.select_related("participant__centre")
    for s in screenings.order_by("screened_on", "id"):
        randomised = s.participant_id in ids
        reason = None if randomised else ("not eligible" if not s.eligible else "not randomised")
        outcome = "randomised" if randomised else "excluded"
        code = s.participant.centre.code
        rows.append(
            (f"S-{s.id:05d}", code, s.screened_on, outcome, reason, ids.get(s.participant_id))
        )
    columns = [
        "screening_id", "centre", "screened_on", "outcome", "exclusion_reason", "participant_id",
    ]  # fmt: skip
    return _frame(rows, columns)


def _sessions(ids: dict[int, str]) -> pd.DataFrame:
    logs = SessionLog.objects.filter(participant__in=ids).order_by("participant", "date")
    first: dict[int, dt.date] = {}
    rows = []
    for log in logs:
        start = first.setdefault(
            log.participant_id, log.date - dt.timedelta(days=log.date.weekday())
        )
        week = (log.date - start).days // 7 + 1
        kind = "supervised" if log.setting == SUPERVISED else "home"
        attended = log.attendance in (ATTENDED, HOME_DONE)
        rows.append(
            (
                ids[log.participant_id],
                log.date,
                week,
                None,
                kind,
                attended,
                log.missed_reason or None,
            )
        )
    columns = ["participant_id", "date", "week", "phase", "kind", "attended", "missed_reason"]
    return _frame(rows, columns)


def _tracker_days(ids: dict[int, str]) -> pd.DataFrame:
    fields = [
        "wear_minutes", "sedentary_minutes", "light_minutes", "moderate_minutes",
        "vigorous_minutes", "active_minutes", "steps", "valid_day", "goal_met",
    ]  # fmt: skip
    days = DailyActivity.objects.filter(participant__in=ids).order_by("participant", "date")
    rows = [
        (ids[pid], date, *rest)
        for pid, date, *rest in days.values_list("participant_id", "date", *fields)
    ]
    return _frame(rows, ["participant_id", "date", *fields])


def _resource_use(ids: dict[int, str]) -> pd.DataFrame:
    reports = ResourceUseReport.objects.filter(visit__participant__in=ids).select_related("visit")
    rows = [
        (ids[r.visit.participant_id], r.visit.code, item, quantity)
        for r in reports
        for item, quantity in sorted(r.quantities.items())
    ]
    return _frame(rows, ["participant_id", "visit", "item", "quantity"])


def _questionnaires(ids: dict[int, str]) -> dict[str, pd.DataFrame]:
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    responses = QuestionnaireResponse.objects.filter(
        status=Status.SUBMITTED, visit__participant__in=ids, instrument__in=QUESTIONNAIRES
    ).select_related("visit")
    for r in responses.order_by("visit__participant", "visit__due_date"):
        day = r.answered_on or (r.submitted_at.date() if r.submitted_at else None)
        row = {
            "participant_id": ids[r.visit.participant_id],
            "visit": r.visit.code,
            "completed_on": day,
        }
        row |= dict(r.answers or {})
        found[QUESTIONNAIRES[r.instrument]].append(row)
    tables = {}
    for name, rows in found.items():
        frame = pd.DataFrame(rows, dtype=object)
        tables[name] = frame.map(_text)
    return tables


def _per_protocol(participants: pd.DataFrame, sessions: pd.DataFrame) -> pd.DataFrame:
    """Every control participant; exercise participants who attended at least two thirds of
    their logged supervised sessions (as the synthetic trial defines it)."""
    supervised = sessions[sessions["kind"] == "supervised"]
    share = supervised.assign(a=supervised["attended"] == "1").groupby("participant_id")["a"].mean()
    exercise = participants["arm"] == "exercise"
    kept = ~exercise | (participants["participant_id"].map(share).fillna(0.0) >= 2 / 3)
    return participants.assign(per_protocol=kept.map({True: "1", False: "0"}))
