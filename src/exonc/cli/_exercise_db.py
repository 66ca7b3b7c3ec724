"""The database side of ``exonc exercise plan --participant`` and ``exonc exercise adherence
--database``: they start Django with the configured database (``EXONC_DATABASE_URL`` or the
SQLite file under ``EXONC_VAR_DIR``) and read what the platform stored.

These are operator commands: whoever runs them has the database itself, so they are not
scoped to a user's centres; ``--centre`` narrows the adherence table.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from exonc.cli._app import start_django
from exonc.errors import ExerciseInputError
from exonc.exercise import SessionPlan, Setting


def plan_from_database(study_id: str, day: dt.date, setting: Setting) -> SessionPlan:
    """The plan of *study_id* on *day*, from her stored records and prescription versions."""
    start_django()
    from exonc.platform.exercise import state
    from exonc.platform.trial.models import Participant

    participant = Participant.objects.select_related("centre").filter(study_id=study_id).first()
    if participant is None:
        raise ExerciseInputError(
            "no participant with this study ID in the database",
            key="--participant",
            value=study_id,
            hint="check the ID, or point EXONC_DATABASE_URL / EXONC_VAR_DIR at the database",
        )
    state.require_exercise_arm(participant)
    return state.load(participant, day).plan(day, setting)


def adherence_from_database(centre: str | None) -> pd.DataFrame:
    """The adherence table of every logged session (of one centre with *centre*)."""
    start_django()
    from exonc.platform.exercise.adherence import adherence_of
    from exonc.platform.trial.models import Centre, Participant

    participants = Participant.objects.all()
    if centre is not None:
        if not Centre.objects.filter(code=centre).exists():
            known = ", ".join(Centre.objects.values_list("code", flat=True))
            raise ExerciseInputError(
                "unknown centre", key="--centre", value=centre, hint=f"use one of {known}"
            )
        participants = participants.filter(centre__code=centre)
    return adherence_of(participants).summary()
