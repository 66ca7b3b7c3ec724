"""The CONSORT flow of a trial, counted from its tables.

* *assessed*, *excluded* (by reason): the screening log (``screening``), if the folder has
  one; otherwise the randomised participants are all that is known (``assessed`` is null);
* *randomised*, *allocated* (per arm): the participants table;
* per follow-up visit and arm: visits completed, participants who left follow-up before the
  visit (``death``, ``lost``, ``consent``, ``follow-up``: *lost*) and who stopped the
  programme but stayed in follow-up (``intervention``: *discontinued*), by reason, counted
  at the first visit due after the day they left; other visits missed;
* *analysed* (per arm): participants in the primary analysis — a baseline value and at least
  one follow-up value of the first co-primary outcome (what its mixed model uses).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

__all__ = ["Consort", "consort"]

LEFT_FOLLOW_UP = ("death", "lost", "consent", "follow-up")
DISCONTINUED = "intervention"


@dataclass(frozen=True)
class VisitFlow:
    """One follow-up visit of one arm."""

    visit: str
    arm: str
    expected: int  # in follow-up when the visit was due
    completed: int
    missed: int  # in follow-up, visit not done
    lost: dict[str, int]  # left follow-up since the previous visit, by reason
    discontinued: dict[str, int]  # stopped the programme since the previous visit, by reason


@dataclass(frozen=True)
class Consort:
    assessed: int | None
    excluded: dict[str, int]  # by reason
    randomised: int
    allocated: dict[str, int]
    follow_up: tuple[VisitFlow, ...]
    analysed: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return {
            "assessed": self.assessed,
            "excluded": dict(self.excluded),
            "excluded_total": sum(self.excluded.values()),
            "randomised": self.randomised,
            "allocated": dict(self.allocated),
            "follow_up": [vars(v) for v in self.follow_up],
            "analysed": dict(self.analysed),
        }


def consort(
    participants: pd.DataFrame,
    visits: pd.DataFrame,
    withdrawals: pd.DataFrame | None,
    screening: pd.DataFrame | None,
    analysed_ids: Sequence[str],
    *,
    arms: Sequence[str],
    follow_ups: Sequence[str],
) -> Consort:
    """Count the flow (see the module docstring); *arms* in the order to show them."""
    arm_of = dict(zip(participants["participant_id"], participants["arm"], strict=True))
    assessed, excluded = None, {}
    if screening is not None:
        assessed = len(screening)
        reasons = screening.loc[screening["outcome"] == "excluded", "exclusion_reason"]
        excluded = dict(Counter(reasons.fillna("not given")).most_common())
    allocated = {arm: int((participants["arm"] == arm).sum()) for arm in arms}
    flows = _visit_flows(participants, visits, withdrawals, arm_of, arms, follow_ups)
    counted = Counter(arm_of.get(str(i)) for i in set(analysed_ids))
    return Consort(
        assessed=assessed,
        excluded=excluded,
        randomised=len(participants),
        allocated=allocated,
        follow_up=tuple(flows),
        analysed={arm: int(counted.get(arm, 0)) for arm in arms},
    )


def _visit_flows(
    participants: pd.DataFrame,
    visits: pd.DataFrame,
    withdrawals: pd.DataFrame | None,
    arm_of: dict[str, str],
    arms: Sequence[str],
    follow_ups: Sequence[str],
) -> list[VisitFlow]:
    due = visits.pivot_table(
        index="participant_id", columns="visit", values="due_date", aggfunc="first"
    )
    done = visits.dropna(subset=["completed_on"])
    completed = Counter(zip(done["participant_id"], done["visit"], strict=True))
    left: dict[str, tuple[str, str, str]] = {}  # participant -> (visit, kind, reason)
    stopped: dict[str, tuple[str, str]] = {}
    for row in (withdrawals if withdrawals is not None else pd.DataFrame()).itertuples():
        visit = _first_due_after(due, str(row.participant_id), str(row.withdrawn_on), follow_ups)
        if visit is None:
            continue
        reason = str(row.reason) if isinstance(row.reason, str) and row.reason else str(row.kind)
        if row.kind in LEFT_FOLLOW_UP:
            left[str(row.participant_id)] = (visit, str(row.kind), reason)
        elif row.kind == DISCONTINUED:
            stopped[str(row.participant_id)] = (visit, reason)
    flows = []
    for arm in arms:
        people = [p for p in participants["participant_id"] if arm_of[p] == arm]
        gone: set[str] = set()
        for visit in follow_ups:
            lost = Counter(left[p][2] for p in people if p in left and left[p][0] == visit)
            gone |= {p for p in people if p in left and left[p][0] == visit}
            stop = Counter(stopped[p][1] for p in people if p in stopped and stopped[p][0] == visit)
            expected = [p for p in people if p not in gone]
            n_done = sum(1 for p in expected if completed[(p, visit)])
            flows.append(
                VisitFlow(
                    visit=visit,
                    arm=arm,
                    expected=len(expected),
                    completed=n_done,
                    missed=len(expected) - n_done,
                    lost=dict(lost.most_common()),
                    discontinued=dict(stop.most_common()),
                )
            )
    return flows


def _first_due_after(
    due: pd.DataFrame, participant: str, day: str, follow_ups: Sequence[str]
) -> str | None:
    """The first follow-up visit due after *day* (ISO dates compare as text)."""
    if participant not in due.index:
        return None
    for visit in follow_ups:
        value = due.at[participant, visit] if visit in due.columns else None
        if isinstance(value, str) and value > day:
            return visit
    return None
