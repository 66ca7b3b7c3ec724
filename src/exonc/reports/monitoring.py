"""The monitoring report of one centre: recruitment against target over time, visit and
questionnaire completion, adherence, adverse events and open data queries.

For coordinators (their centres) and the programme lead; HTML and PDF. Everything is
counted from the trial's tidy tables (as :mod:`exonc.reports.lock` and ``exonc synth``
have them) as of *today*, and the data queries from a table with ``participant_id``,
``record``, ``question``, ``status`` and ``opened_on`` (the platform's queries app).

The protocol gives no recruitment target per centre: the target is the trial's
(:data:`TRIAL_TARGET` over :data:`ENROLMENT_MONTHS`) shared equally by the centres,
reached linearly from the first randomisation — change ``target`` to the centre's own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from exonc.reports import figures
from exonc.reports._text import _
from exonc.reports.activity import adherence_by_week
from exonc.results import jsonable

__all__ = ["MonitoringReport", "Target", "monitoring_html", "monitoring_report"]

TRIAL_TARGET = 357
ENROLMENT_MONTHS = 30
QUESTIONNAIRES = {
    "qlq_c30": "QLQ-C30",
    "qlq_fa12": "QLQ-FA12",
    "eq5d5l": "EQ-5D-5L",
    "hads": "HADS",
}


@dataclass(frozen=True)
class Target:
    participants: float
    months: int


@dataclass(frozen=True)
class MonitoringReport:
    data: dict[str, Any]
    figures: list[figures.Figure]


def default_target(centres: int) -> Target:
    return Target(TRIAL_TARGET / max(1, centres), ENROLMENT_MONTHS)


def monitoring_report(
    tables: Mapping[str, pd.DataFrame],
    centre: str,
    *,
    today: dt.date,
    queries: pd.DataFrame,
    target: Target | None = None,
) -> MonitoringReport:
    """The report of *centre* as of *today* (see the module docstring)."""
    from exonc.reports.lock import cut_at

    tables = cut_at(tables, today)
    people = tables["participants"]
    people = people[people["centre"] == centre]
    ids = set(people["participant_id"])
    mine = {
        name: frame[frame["participant_id"].isin(ids)]
        if "participant_id" in frame.columns
        else frame
        for name, frame in tables.items()
    }
    centres_n = len(tables["centres"]) if "centres" in tables else 1
    goal = target or default_target(centres_n)
    recruitment = _recruitment(people, goal, today)
    adherence = adherence_by_week(mine.get("sessions"))
    data = {
        "centre": centre,
        "today": today.isoformat(),
        "randomised": len(people),
        "arms": {str(k): int(v) for k, v in people["arm"].value_counts().sort_index().items()},
        "target": {"participants": goal.participants, "months": goal.months},
        "recruitment": jsonable(recruitment),
        "visits": _visits(mine["visits"], mine.get("withdrawals"), today),
        "questionnaires": _questionnaires(mine),
        "adherence": _adherence(mine.get("sessions")),
        "adverse_events": _adverse_events(mine.get("adverse_events")),
        "queries": _queries(queries[queries["participant_id"].isin(ids)], today),
    }
    drawn = [figures.recruitment_figure(recruitment)]
    if not adherence.empty:
        drawn.append(figures.adherence_figure(adherence))
    return MonitoringReport(jsonable(data), drawn)


def _recruitment(people: pd.DataFrame, goal: Target, today: dt.date) -> pd.DataFrame:
    """Per month from the first randomisation to *today*: randomised and target, cumulative."""
    if people.empty:
        return pd.DataFrame(columns=["month", "randomised", "target"])
    days = pd.to_datetime(people["randomised_on"].astype(str))
    start = days.min().to_period("M")
    months = pd.period_range(start, pd.Timestamp(today).to_period("M"), freq="M")
    counts = days.dt.to_period("M").value_counts()
    cumulative = np.cumsum([int(counts.get(m, 0)) for m in months])
    per_month = goal.participants / goal.months
    target = np.minimum(per_month * np.arange(1, len(months) + 1), goal.participants)
    return pd.DataFrame(
        {"month": [str(m) for m in months], "randomised": cumulative, "target": target}
    )


def _visits(
    visits: pd.DataFrame, withdrawals: pd.DataFrame | None, today: dt.date
) -> list[dict[str, Any]]:
    """Per visit: due by *today* while in follow-up, completed, percent."""
    left = {}
    if withdrawals is not None:
        gone = withdrawals[withdrawals["kind"] != "intervention"]
        left = dict(zip(gone["participant_id"], gone["withdrawn_on"].astype(str), strict=True))
    text = today.isoformat()
    rows = []
    for visit, group in visits.groupby("visit", sort=False):
        due = group[
            (group["due_date"].astype(str) <= text)
            & group.apply(
                lambda r: left.get(r["participant_id"], "9999") > str(r["due_date"]), axis=1
            )
        ]
        done = int(due["completed_on"].notna().sum())
        rows.append(
            {"visit": str(visit), "due": len(due), "completed": done,
             "percent": 100.0 * done / len(due) if len(due) else None}
        )  # fmt: skip
    return rows


def _questionnaires(tables: Mapping[str, pd.DataFrame]) -> list[dict[str, Any]]:
    """Per questionnaire and visit: completed visits that have it."""
    visits = tables["visits"].dropna(subset=["completed_on"])
    rows = []
    for name, title in QUESTIONNAIRES.items():
        answered = tables.get(name)
        if answered is None:
            continue
        have = set(zip(answered["participant_id"], answered["visit"], strict=True))
        for visit, group in visits.groupby("visit", sort=False):
            n = len(group)
            got = sum((p, visit) in have for p in group["participant_id"])
            rows.append(
                {"questionnaire": title, "visit": str(visit), "visits_done": n, "completed": got,
                 "percent": 100.0 * got / n if n else None}
            )  # fmt: skip
    return rows


def _adherence(sessions: pd.DataFrame | None) -> dict[str, Any]:
    if sessions is None or sessions.empty:
        return {"participants": 0}
    supervised = sessions[sessions["kind"] == "supervised"]
    share = pd.to_numeric(supervised["attended"]).groupby(supervised["participant_id"]).mean()
    return {
        "participants": len(share),
        "median_percent": float(100 * share.median()),
        "q1_percent": float(100 * share.quantile(0.25)),
        "q3_percent": float(100 * share.quantile(0.75)),
        "at_least_two_thirds": int((share >= 2 / 3).sum()),
    }


def _adverse_events(events: pd.DataFrame | None) -> dict[str, Any]:
    if events is None or events.empty:
        return {"total": 0, "serious": 0, "by_grade": {}}
    grades = pd.to_numeric(events["grade"]).astype(int).value_counts().sort_index()
    return {
        "total": len(events),
        "serious": int((pd.to_numeric(events["serious"]) == 1).sum()),
        "by_grade": {str(k): int(v) for k, v in grades.items()},
    }


def _queries(queries: pd.DataFrame, today: dt.date) -> dict[str, Any]:
    still = queries[queries["status"] != "closed"]
    rows = [
        {
            "participant_id": r["participant_id"],
            "record": r["record"],
            "question": r["question"],
            "status": r["status"],
            "opened_on": str(r["opened_on"]),
            "days_open": (today - dt.date.fromisoformat(str(r["opened_on"]))).days,
        }
        for r in still.sort_values("opened_on").to_dict("records")
    ]
    return {
        "open": int((still["status"] == "open").sum()),
        "answered": int((still["status"] == "answered").sum()),
        "rows": rows,
    }


def monitoring_html(report: MonitoringReport, *, for_print: bool = False) -> str:
    """The report as one self-contained HTML document (PNG figures *for_print*)."""
    from exonc.reports.render import environment

    return environment().get_template("monitoring.html").render(
        data=report.data, figures={f.name: f for f in report.figures}, for_print=for_print,
        title=_("Monitoring report"),
    )  # fmt: skip
