"""Adherence from the stored session logs (per participant, centre and programme phase).

Each log is paired with the plan it was delivered against (the plan frozen with the log,
read back by :func:`exonc.platform.exercise.snapshots.plan_from_json`) by
:func:`exonc.exercise.session_record`, and the records go to
:func:`exonc.exercise.adherence`. Only logged sessions count: a session nobody logged
(attended or missed) is not in the table (docs/concepts/exercise-platform.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.core.cache import cache
from django.db.models import Count, Max, QuerySet

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
    """The adherence table of *participants* (every level: participant … all).

    Rebuilding every session's record takes seconds on a trial's 10,000 logs, so the
    result is cached under the participants asked for and the state of the session logs
    (count, newest row and newest history row): any log saved, corrected or deleted gives
    a new key, so a cached table is never out of date.
    """
    logs = SessionLog.objects.filter(participant__in=participants)
    key = _cache_key(participants, logs)
    found: ex.AdherenceResult | None = cache.get(key)
    if found is None:
        ordered = logs.select_related("participant__centre").order_by(
            "participant__study_id", "date", "setting"
        )
        found = ex.adherence(records(ordered))
        cache.set(key, found, CACHE_SECONDS)
    return found


#: How long an unchanged adherence table stays cached.
CACHE_SECONDS = 24 * 3600


def _cache_key(participants: QuerySet[Participant], logs: QuerySet[SessionLog]) -> str:
    ids = ",".join(str(pk) for pk in participants.order_by("pk").values_list("pk", flat=True))
    state = logs.aggregate(n=Count("pk"), newest=Max("pk"))
    history = SessionLog.history.aggregate(newest=Max("history_id"))["newest"]
    digest = hashlib.sha256(f"{ids}|{state['n']}|{state['newest']}|{history}".encode())
    return f"exonc:adherence:{digest.hexdigest()}"
