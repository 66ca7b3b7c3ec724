"""Who stays in follow-up, when each visit is done, and why people leave.

Dropout is monotone and missing at random: the chance of leaving (or dying) before a
visit depends on the person's general health at the previous visit, which was observed.
Some exercise-arm participants stop the programme but stay in follow-up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from exonc._data import Floats, each_row
from exonc.protocol import Protocol, schedule
from exonc.synthetic.model import VISITS, Latent

STOP_PROGRAMME = 0.10  # share of the exercise arm who stop the programme but stay in follow-up
LEAVING = (
    ("lost", "lost to follow-up"),
    ("consent", "withdrew consent: too burdensome"),
    ("follow-up", "disease progression, stopped all study visits"),
)


@dataclass(frozen=True)
class FollowUp:
    visits: pd.DataFrame  # participant_id, visit, due_date, window_start, window_end, completed_on
    withdrawals: pd.DataFrame  # participant_id, withdrawn_on, kind, reason
    end: list[dt.date]  # last day of follow-up (or of life) per participant
    programme_end: list[dt.date]  # last day of the exercise programme per participant


def follow_up(
    protocol: Protocol,
    people: pd.DataFrame,
    health: Floats,
    latent: Latent,
    rng: np.random.Generator,
) -> FollowUp:
    visits: list[tuple[object, ...]] = []
    withdrawals: list[tuple[object, ...]] = []
    ends, programme_ends = [], []
    for i, person in enumerate(each_row(people)):
        end, stop = _person(protocol, person, health[i], latent, rng, visits, withdrawals)
        ends.append(end)
        programme_ends.append(stop)
    return FollowUp(
        visits=pd.DataFrame(visits, columns=VISIT_COLUMNS),
        withdrawals=pd.DataFrame(withdrawals, columns=WITHDRAWAL_COLUMNS),
        end=ends,
        programme_end=programme_ends,
    )


VISIT_COLUMNS = [
    "participant_id",
    "visit",
    "due_date",
    "window_start",
    "window_end",
    "completed_on",
]
WITHDRAWAL_COLUMNS = ["participant_id", "withdrawn_on", "kind", "reason"]


def _person(
    protocol: Protocol,
    person: Any,
    health: Floats,
    latent: Latent,
    rng: np.random.Generator,
    visits: list[tuple[object, ...]],
    withdrawals: list[tuple[object, ...]],
) -> tuple[dt.date, dt.date]:
    """Append one person's visits and withdrawals; return her follow-up and programme end."""
    pid = person.participant_id
    windows = schedule(protocol, person.randomised_on)
    leaving = _leaving(health, latent, rng)
    for t, window in enumerate(windows):
        gone = leaving is not None and t >= leaving[0]
        missed = gone or (t > 0 and rng.random() < latent.missed_visit)
        done = None if missed else _completion(window.due, t, protocol, latent, rng)
        visits.append((pid, VISITS[t], window.due, window.earliest, window.latest, done))
    end = windows[-1].latest
    if leaving is not None:
        previous, due = windows[leaving[0] - 1].due, windows[leaving[0]].due
        end = previous + dt.timedelta(days=int(rng.integers(1, (due - previous).days)))
        withdrawals.append((pid, end, leaving[1], leaving[2]))
    if person.arm == "exercise" and leaving is None and rng.random() < STOP_PROGRAMME:
        stop = person.randomised_on + dt.timedelta(days=int(rng.integers(30, 240)))
        withdrawals.append((pid, stop, "intervention", "stopped the programme: fatigue"))
        return end, stop
    return end, end


def _leaving(
    health: Floats, latent: Latent, rng: np.random.Generator
) -> tuple[int, str, str] | None:
    """(first follow-up visit missed, withdrawal kind, reason), or None for completers."""
    for t in range(1, len(VISITS)):
        previous = health[t - 1]
        if rng.random() < special.expit(latent.death_intercept + latent.death_slope * previous):
            return t, "death", "died of metastatic breast cancer"
        logit = latent.dropout_intercepts[t - 1] + latent.dropout_slope * previous
        if rng.random() < special.expit(logit):
            kind, reason = LEAVING[int(rng.integers(len(LEAVING)))]
            return t, kind, reason
    return None


def _completion(
    due: dt.date, visit: int, protocol: Protocol, latent: Latent, rng: np.random.Generator
) -> dt.date:
    definition = protocol.visits[visit]
    if visit == 0:  # baseline assessments precede randomisation
        return due - dt.timedelta(days=int(rng.integers(0, definition.window_before_days // 2 + 1)))
    if rng.random() < latent.out_of_window:
        late = definition.window_after_days + int(rng.integers(1, 12))
        return due + dt.timedelta(days=late)
    offset = int(
        np.clip(
            np.rint(rng.normal(0, 5)), -definition.window_before_days, definition.window_after_days
        )
    )
    return due + dt.timedelta(days=offset)
