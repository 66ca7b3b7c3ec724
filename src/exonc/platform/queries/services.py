"""Use cases of data queries: open, answer, correct, send back, close.

Monitors (on their centres) and administrators acting as data managers open and close
queries; the site staff of the participant's centre answer them, or correct the value
through the service that owns it with the query named as the reason, so that the value's
own history says which query changed it. Every step writes a message on the thread and an
audited save of the query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils.translation import gettext as _

from exonc.errors import InputError, TrialStateError
from exonc.platform import access, audit
from exonc.platform.accounts.models import SITE_ROLES, Role, User
from exonc.platform.queries import targets
from exonc.platform.queries.models import DataQuery, QueryMessage, QueryStatus, Step, Target
from exonc.platform.trial.models import Participant

#: Who raises and closes queries (administrators always may: they are the data managers).
MONITORING = (Role.MONITOR,)
#: Who answers them: the site staff of the participant's centre.
ANSWERING = tuple(SITE_ROLES)


def open_query(
    user: User,
    participant: Participant,
    *,
    target: str,
    object_id: int | None,
    field: str,
    question: str,
    now: dt.datetime,
) -> DataQuery:
    """Open a query on one value of one of *participant*'s records."""
    access.require_role(user, *MONITORING)
    access.require_centre(user, participant.centre)
    question = _text(question, "question", "ask what should be checked")
    record = targets.find(participant, target, object_id)
    if field not in record.fields:
        raise InputError(
            f"is not a field of {record.label}",
            column="field",
            value=field,
            hint=f"choose one of {', '.join(record.fields)}",
        )
    with transaction.atomic():
        query = DataQuery(
            participant=participant,
            target=target,
            object_id=object_id if target != Target.PARTICIPANT else None,
            field=field,
            record=record.label,
            value_seen=record.fields[field],
            question=question,
            opened_by=user,
            opened_at=now,
        )
        audit.save(query, user, "query opened")
        _message(query, user, Step.OPENED, question, now)
    return query


def answer(user: User, query: DataQuery, text: str, *, now: dt.datetime) -> DataQuery:
    """Site staff answer a query (the value stands, or is explained)."""
    access.require_role(user, *ANSWERING)
    return _step(user, query, Step.ANSWERED, _text(text, "answer", "say what you found"), now)


def correction_reason(query: DataQuery, text: str) -> str:
    """The reason a correction made for *query* carries into the value's own history."""
    return f"query {query.pk}: {text.strip()}"


def correct(
    user: User,
    query: DataQuery,
    text: str,
    *,
    now: dt.datetime,
    apply: Callable[[str], object],
) -> DataQuery:
    """Correct the queried value: *apply* calls the owning service with the reason, in the
    same transaction as the query's step, so both are written or neither."""
    access.require_role(user, *ANSWERING)
    access.require_centre(user, query.participant.centre)
    text = _text(text, "answer", "say what was corrected and why")
    with transaction.atomic():
        _require(query, QueryStatus.OPEN)
        apply(correction_reason(query, text))
        fresh = Participant.objects.get(pk=query.participant_id)  # as the service left her
        record = targets.find(fresh, query.target, query.object_id)
        after = record.fields.get(query.field, "—")
        return _step(user, query, Step.CORRECTED, f"{text} ({query.value_seen} → {after})", now)


def send_back(user: User, query: DataQuery, text: str, *, now: dt.datetime) -> DataQuery:
    """The monitor is not satisfied with the answer: the query is open again."""
    access.require_role(user, *MONITORING)
    return _step(user, query, Step.REOPENED, _text(text, "answer", "say what is missing"), now)


def close(user: User, query: DataQuery, text: str, *, now: dt.datetime) -> DataQuery:
    """The monitor closes the query; nothing more is written to it."""
    access.require_role(user, *MONITORING)
    return _step(user, query, Step.CLOSED, text.strip() or "closed", now)


_NEXT = {
    Step.ANSWERED: (QueryStatus.OPEN, QueryStatus.ANSWERED),
    Step.CORRECTED: (QueryStatus.OPEN, QueryStatus.ANSWERED),
    Step.REOPENED: (QueryStatus.ANSWERED, QueryStatus.OPEN),
}


def _step(user: User, query: DataQuery, step: Step, text: str, now: dt.datetime) -> DataQuery:
    access.require_centre(user, query.participant.centre)
    with transaction.atomic():
        fresh = DataQuery.objects.select_for_update().get(pk=query.pk)
        if step == Step.CLOSED:
            if fresh.status == QueryStatus.CLOSED:
                raise TrialStateError(_("query %(pk)s is already closed") % {"pk": fresh.pk})
            fresh.status, fresh.closed_at = QueryStatus.CLOSED, now
        else:
            before, after = _NEXT[step]
            _require(fresh, before)
            fresh.status = after
        audit.save(fresh, user, f"query {step.value}")
        _message(fresh, user, step, text, now)
    return fresh


def _require(query: DataQuery, status: str) -> None:
    current = DataQuery.objects.get(pk=query.pk).status
    if current != status:
        raise TrialStateError(
            f"query {query.pk} is {current}, not {status}; reload the page to see its thread"
        )


def _message(query: DataQuery, user: User, step: Step, text: str, now: dt.datetime) -> None:
    message = QueryMessage(query=query, step=step, text=text, author=user, written_at=now)
    audit.save(message, user, f"query {step.value}")


def _text(value: str, column: str, hint: str) -> str:
    if not value or not value.strip():
        raise InputError("is empty", column=column, hint=hint)
    return value.strip()
