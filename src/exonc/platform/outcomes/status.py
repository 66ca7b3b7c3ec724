"""Questionnaire completion per visit, as plain data for staff pages and their JSON twins.

A visit's questionnaires are ``all submitted`` when every instrument the protocol lists
for it is submitted, ``partly`` when some are submitted or started, and ``none``
otherwise. Recording the visit itself as done stays a staff action (the visit also holds
the fitness tests): when all are submitted the page offers it in one click.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch

from exonc.platform import access
from exonc.platform.accounts.models import User
from exonc.platform.outcomes.models import QuestionnaireResponse, Status
from exonc.platform.outcomes.schedule import due_instruments, in_follow_up, window_open
from exonc.platform.outcomes.scoring import VALUE_SET_BY_COUNTRY
from exonc.platform.trial.models import Participant, Visit
from exonc.platform.trial.services import local_today
from exonc.questionnaires import get_instrument


class Completion(enum.StrEnum):
    ALL = "all submitted"
    PARTLY = "partly"
    NONE = "none"


NOT_STARTED = "not started"


@dataclass(frozen=True)
class InstrumentLine:
    instrument: str
    title: str
    status: str  # not started, in progress, submitted
    answered: int
    items: int
    entry: str | None
    mode: str | None
    answered_on: dt.date | None
    in_window: bool | None
    submitted_at: dt.datetime | None
    scoring_id: str
    value_set: str
    scores: dict[str, float | None] | None
    provisional: tuple[str, ...] = ()  # scores with a provisional item map (QLQ-FA12)


@dataclass(frozen=True)
class VisitQuestionnaires:
    visit: str
    due: dt.date
    window_start: dt.date
    window_end: dt.date
    visit_status: str
    completed_on: dt.date | None
    completion: str
    submitted: int
    instruments_due: int
    instruments: list[InstrumentLine]
    can_record_visit: bool


@dataclass(frozen=True)
class ParticipantQuestionnaires:
    study_id: str
    centre: str
    country: str
    eq5d_value_set: str | None
    visits: list[VisitQuestionnaires]


@dataclass(frozen=True)
class OpenVisit:
    study_id: str
    centre: str
    visit: str
    window_end: dt.date
    completion: str
    submitted: int
    instruments_due: int


@dataclass(frozen=True)
class QuestionnaireOverview:
    """Visits whose questionnaire window is open today, for the participants a user sees."""

    visits: list[OpenVisit]
    counts: dict[str, int]


def participant_questionnaires(p: Participant, now: dt.datetime) -> ParticipantQuestionnaires:
    today = local_today(p.centre, now)
    visits = p.visits.order_by("due_date").prefetch_related("questionnaire_responses")
    return ParticipantQuestionnaires(
        study_id=p.study_id,
        centre=p.centre.code,
        country=p.centre.country,
        eq5d_value_set=VALUE_SET_BY_COUNTRY.get(p.centre.country),
        visits=[visit_questionnaires(v, v.questionnaire_responses.all(), today) for v in visits],
    )


def visit_questionnaires(
    visit: Visit, responses: Iterable[QuestionnaireResponse], today: dt.date
) -> VisitQuestionnaires:
    by_instrument = {r.instrument: r for r in responses}
    due = due_instruments(visit.code)
    lines = [_line(name, by_instrument.get(name), visit) for name in due]
    submitted = sum(line.status == Status.SUBMITTED for line in lines)
    return VisitQuestionnaires(
        visit=visit.code,
        due=visit.due_date,
        window_start=visit.window_start,
        window_end=visit.window_end,
        visit_status=str(visit.status(today)),
        completed_on=visit.completed_on,
        completion=str(completion(lines)),
        submitted=submitted,
        instruments_due=len(due),
        instruments=lines,
        can_record_visit=bool(due) and submitted == len(due) and visit.completed_on is None,
    )


def completion(lines: list[InstrumentLine]) -> Completion:
    if lines and all(line.status == Status.SUBMITTED for line in lines):
        return Completion.ALL
    if any(line.status != NOT_STARTED for line in lines):
        return Completion.PARTLY
    return Completion.NONE


def overview(user: User, now: dt.datetime) -> QuestionnaireOverview:
    """Every visit with an open questionnaire window among the participants *user* sees."""
    participants = access.scope(Participant.objects.all(), user).select_related(
        "centre", "withdrawal"
    )
    # Only visits whose window may be open today somewhere (centres' dates differ from
    # UTC's by at most a day) and their responses are read: not every answer of the trial.
    day = now.date()
    open_visits = Visit.objects.filter(
        window_start__lte=day + dt.timedelta(days=1), window_end__gte=day - dt.timedelta(days=1)
    ).prefetch_related("questionnaire_responses")
    rows = []
    for p in participants.prefetch_related(Prefetch("visits", queryset=open_visits)):
        today = local_today(p.centre, now)
        if not in_follow_up(p, today):
            continue
        for v in p.visits.all():
            if window_open(v, today) and due_instruments(v.code):
                rows.append(
                    _open_visit(p, visit_questionnaires(v, v.questionnaire_responses.all(), today))
                )
    rows.sort(key=lambda r: (r.window_end, r.study_id))
    counts = {str(c): sum(r.completion == c for r in rows) for c in Completion}
    return QuestionnaireOverview(rows, counts)


def _open_visit(p: Participant, v: VisitQuestionnaires) -> OpenVisit:
    return OpenVisit(
        study_id=p.study_id,
        centre=p.centre.code,
        visit=v.visit,
        window_end=v.window_end,
        completion=v.completion,
        submitted=v.submitted,
        instruments_due=v.instruments_due,
    )


def _line(name: str, r: QuestionnaireResponse | None, visit: Visit) -> InstrumentLine:
    definition = get_instrument(name)
    answered = sum(v is not None for v in r.answers.values()) if r else 0
    return InstrumentLine(
        instrument=name,
        title=definition.title,
        status=r.status if r else NOT_STARTED,
        answered=answered,
        items=len(definition.items),
        entry=r.entry if r else None,
        mode=r.mode if r else None,
        answered_on=r.answered_on if r else None,
        in_window=(
            visit.window_start <= r.answered_on <= visit.window_end if r and r.answered_on else None
        ),
        submitted_at=r.submitted_at if r else None,
        scoring_id=r.scoring_id if r else "",
        value_set=r.value_set if r else "",
        scores=r.scores if r and r.submitted else None,
        provisional=definition.provisional_scores,
    )
