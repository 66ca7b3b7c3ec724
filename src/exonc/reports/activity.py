"""Programme adherence and physical activity, summarised for the report.

* adherence: per programme week, the share of scheduled supervised (and home) sessions
  attended by the exercise arm (``sessions``);
* activity per visit window: per arm and visit, the mean of each participant's mean daily
  active (moderate-to-vigorous) minutes over her valid tracker days inside the visit's
  window (``visits.window_start`` … ``window_end``), with a normal 95 % CI over
  participants, and the share of her valid days that met the 30-minute goal.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["GOAL_MINUTES", "activity_by_window", "adherence_by_week"]

GOAL_MINUTES = 30.0
Z95 = 1.959963984540054


def adherence_by_week(sessions: pd.DataFrame | None) -> pd.DataFrame:
    """Columns ``week``, ``kind``, ``scheduled``, ``attended``, ``percent``."""
    columns = ["week", "kind", "scheduled", "attended", "percent"]
    if sessions is None or sessions.empty:
        return pd.DataFrame(columns=columns)
    frame = sessions.assign(
        week=pd.to_numeric(sessions["week"]).astype(int),
        attended=pd.to_numeric(sessions["attended"]).astype(int),
    )
    table = frame.groupby(["week", "kind"], as_index=False).agg(
        scheduled=("attended", "size"), attended=("attended", "sum")
    )
    table["percent"] = 100.0 * table["attended"] / table["scheduled"]
    return table[columns]


def activity_by_window(
    tracker_days: pd.DataFrame | None,
    visits: pd.DataFrame,
    participants: pd.DataFrame,
    arms: Sequence[str],
) -> pd.DataFrame:
    """Columns ``visit``, ``arm``, ``n``, ``mean``, ``sd``, ``ci_lower``, ``ci_upper``,
    ``goal_met_percent`` (see the module docstring)."""
    columns = ["visit", "arm", "n", "mean", "sd", "ci_lower", "ci_upper", "goal_met_percent"]
    if tracker_days is None or tracker_days.empty:
        return pd.DataFrame(columns=columns)
    days = tracker_days[pd.to_numeric(tracker_days["valid_day"]) == 1]
    days = days.assign(
        active=pd.to_numeric(days["active_minutes"]),
        goal=pd.to_numeric(days["goal_met"]),
        day=pd.to_datetime(days["date"]),
    )
    windows = visits[["participant_id", "visit", "window_start", "window_end"]].assign(
        start=lambda f: pd.to_datetime(f["window_start"]),
        end=lambda f: pd.to_datetime(f["window_end"]),
    )
    joined = days.merge(windows, on="participant_id")
    inside = joined[(joined["day"] >= joined["start"]) & (joined["day"] <= joined["end"])]
    person = inside.groupby(["participant_id", "visit"], as_index=False).agg(
        active=("active", "mean"), goal=("goal", "mean")
    )
    person["arm"] = person["participant_id"].map(
        dict(zip(participants["participant_id"], participants["arm"], strict=True))
    )
    order = list(dict.fromkeys(visits["visit"]))
    rows = []
    for visit in order:
        for arm in arms:
            group = person[(person["visit"] == visit) & (person["arm"] == arm)]
            n = len(group)
            mean = float(group["active"].mean()) if n else np.nan
            sd = float(group["active"].std(ddof=1)) if n > 1 else np.nan
            half = Z95 * sd / np.sqrt(n) if n > 1 else np.nan
            goal = 100.0 * float(group["goal"].mean()) if n else np.nan
            rows.append((visit, arm, n, mean, sd, mean - half, mean + half, goal))
    return pd.DataFrame(rows, columns=columns)
