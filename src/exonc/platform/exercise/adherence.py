"""Adherence from the stored session logs (per participant, centre and programme phase).

Each log is paired with the plan it was delivered against (the plan frozen with the log,
read back by :func:`exonc.platform.exercise.snapshots.plan_from_json`) by
:func:`exonc.exercise.session_record`, and the records go to
:func:`exonc.exercise.adherence`. Only logged sessions count: a session nobody logged
(attended or missed) is not in the table (docs/concepts/exercise-platform.md).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from exonc import exercise as ex
from exonc.platform.exercise import convert
from exonc.platform.exercise.models import SessionLog
from exonc.platform.exercise.snapshots import plan_from_json
from exonc.platform.trial.models import Participant


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
