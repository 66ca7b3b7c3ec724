"""Correcting a queried value through the service that owns it.

A correction is never written here: the typed value is parsed, then handed to the owning
service (``update_participant``, ``complete_visit``, ``record_missed_visit``,
``correct_answers``) with the query as its reason, so the value's own history names the
query. Values without a correcting service (a fitness test, a session log) are answered
instead; their correction is a new record made on the programme's pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from exonc.errors import InputError
from exonc.platform.accounts.models import User
from exonc.platform.outcomes import services as outcomes
from exonc.platform.outcomes.models import QuestionnaireResponse
from exonc.platform.queries.models import DataQuery, Target
from exonc.platform.trial import services as trial
from exonc.platform.trial.models import Visit

Apply = Callable[[str], object]


def correctable(query: DataQuery) -> bool:
    """Whether a service can correct the queried value."""
    if query.target == Target.PARTICIPANT:
        return query.field in trial.EDITABLE
    if query.target == Target.VISIT:
        return query.field in ("completed_on", "missed_reason")
    return query.target == Target.QUESTIONNAIRE and query.field != "answered_on"


def applier(user: User, query: DataQuery, value: str, now: dt.datetime) -> Apply:
    """A function of the reason that makes the correction (checked before anything runs)."""
    if not correctable(query):
        raise InputError(
            "cannot be corrected from a query",
            column="value",
            hint="answer the query; correct the record on its own page",
        )
    if query.target == Target.PARTICIPANT:
        changes = {query.field: participant_value(query.field, value)}
        p = query.participant
        return lambda reason: trial.update_participant(user, p, changes, reason)
    if query.target == Target.VISIT:
        return _visit(user, Visit.objects.get(pk=query.object_id or 0), query.field, value)
    response = QuestionnaireResponse.objects.get(pk=query.object_id or 0)
    answer = _whole(value, "value")
    return lambda reason: outcomes.correct_answers(
        user, response, {query.field: answer}, reason=reason, now=now
    )


def _visit(user: User, visit: Visit, field: str, value: str) -> Apply:
    today = trial.centre_today(visit.participant.centre)
    if field == "completed_on":
        day = _date(value)
        return lambda reason: trial.complete_visit(
            user, visit, completed_on=day, today=today, reason=reason
        )
    return lambda reason: trial.record_missed_visit(
        user, visit, missed_reason=value, today=today, reason=reason
    )


def participant_value(field: str, value: str) -> object:
    """A baseline value typed as text, in the type the participant record holds."""
    text = value.strip()
    if field in ("bone_metastases", "baseline_pain"):
        choices = {"yes": True, "no": False, "": None, "not known": None}
        if text.lower() not in choices:
            raise InputError("must be yes, no or empty (not known)", column="value", value=text)
        return choices[text.lower()]
    if field == "birth_year":
        return _whole(text, "value")
    if field == "ecog":
        return None if not text else _whole(text, "value")
    if field == "metastatic_sites":
        return [s.strip() for s in text.replace(";", ",").split(",") if s.strip()]
    return text


def _whole(text: str, column: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise InputError("must be a whole number", column=column, value=text) from None


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            "is not a date", column="value", value=text, hint="write it as YYYY-MM-DD"
        ) from None
