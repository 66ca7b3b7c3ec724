"""Activity per visit window for statisticians: baseline, months 0-3, 3-6 and 6-9.

One row per randomised participant and window (``exonc.trackers.visit_window_summary``
with the default windows, relative to the randomisation date; windows are half-open, so
``window_end`` is the first day after the window). Pseudonymised: study IDs only — no
staff names, tracker ids or file names. Statisticians and administrators get every
centre; coordinators get their own centres (``exonc.platform.access.scope``).
"""

from __future__ import annotations

from typing import Final

import polars as pl

from exonc.platform import access
from exonc.platform.accounts.models import Role, User
from exonc.platform.activity.models import DailyActivity
from exonc.platform.activity.tracking import daily_frame
from exonc.platform.exports import ExportTable
from exonc.platform.trial.models import Participant
from exonc.trackers import visit_window_summary

#: Who may export (administrators always may).
EXPORTERS: Final = (Role.STATISTICIAN, Role.COORDINATOR)
COLUMNS: Final = (
    "participant_id",
    "centre",
    "arm",
    "randomisation_date",
    "window",
    "window_start",
    "window_end",
    "days_recorded",
    "valid_days",
    "goal_days",
    "adherence",
    "active_minutes_mean",
    "wear_minutes_mean",
    "steps_mean",
)


class WindowExport(ExportTable):
    """Per-visit-window activity summaries (see docs/concepts/activity.md)."""


def window_summaries(user: User) -> WindowExport:
    access.require_role(user, *EXPORTERS)
    randomised = access.scope(
        Participant.objects.filter(allocation__isnull=False).select_related("centre", "allocation"),
        user,
    )
    people = pl.DataFrame(
        [
            (p.study_id, p.centre.code, p.allocation.arm, p.allocation.allocated_on)
            for p in randomised
        ],
        schema={
            "participant_id": pl.String,
            "centre": pl.String,
            "arm": pl.String,
            "randomisation_date": pl.Date,
        },
        orient="row",
    )
    daily = daily_frame(DailyActivity.objects.filter(participant__in=randomised))
    windows = visit_window_summary(daily, people.select("participant_id", "randomisation_date"))
    table = windows.join(people, on="participant_id", how="left", maintain_order="left")
    return WindowExport(list(COLUMNS), table.select(COLUMNS).to_dicts())
