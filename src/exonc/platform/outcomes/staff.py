"""What staff see of one questionnaire: the answers, the scores, the history, the paper form."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from exonc.errors import AccessDenied
from exonc.platform import access
from exonc.platform.accounts.models import Role, User
from exonc.platform.outcomes.models import QuestionnaireResponse
from exonc.platform.outcomes.schedule import due_instruments
from exonc.platform.outcomes.status import NOT_STARTED
from exonc.platform.outcomes.wording import wording
from exonc.platform.trial.models import Participant, Visit
from exonc.questionnaires import get_instrument


@dataclass(frozen=True)
class AnswerLine:
    code: str
    text: str
    value: int | None
    label: str | None


@dataclass(frozen=True)
class ScoreLine:
    code: str
    name: str
    value: float | None
    higher: str
    provisional: bool = False  # the item map is not verified (shown as "provisional item map")


@dataclass(frozen=True)
class ChangeLine:
    when: dt.datetime
    who: str
    status: str
    reason: str


@dataclass(frozen=True)
class ResponseDetail:
    study_id: str
    visit: str
    instrument: str
    title: str
    status: str
    entry: str | None
    mode: str | None
    entered_by: str | None
    started_at: dt.datetime | None
    submitted_at: dt.datetime | None
    answered_on: dt.date | None
    in_window: bool | None
    value_set: str
    scoring_id: str
    scored_at: dt.datetime | None
    answers: list[AnswerLine]
    scores: list[ScoreLine]
    history: list[ChangeLine]


@dataclass(frozen=True)
class PaperItem:
    code: str
    text: str
    kind: str
    options: list[tuple[int, str]]
    minimum: int
    maximum: int
    value: str
    error: str | None


@dataclass(frozen=True)
class PaperForm:
    """The staff form of one instrument: a new paper form, or a correction of stored answers."""

    study_id: str
    visit: str
    instrument: str
    title: str
    language: str
    placeholder: bool
    status: str
    correction: bool
    needs_reason: bool
    items: list[PaperItem]
    answered_on: str
    reason: str
    error: str | None


def require_staff(user: User) -> None:
    """Answers, scores and paper forms are for staff; a patient answers her own online."""
    if user.role == Role.PATIENT:
        raise AccessDenied(
            _("this page is for staff; your questionnaires are under Questionnaires")
        )


def staff_participant(user: User, study_id: str) -> Participant:
    """A participant *user* (staff) may see, else 404."""
    require_staff(user)
    visible = access.scope(Participant.objects.select_related("centre"), user)
    return get_object_or_404(visible, study_id=study_id)


def staff_visit(user: User, study_id: str, visit_code: str, instrument: str | None = None) -> Visit:
    """The visit of a participant *user* may see (and *instrument* is due at it), else 404."""
    participant = staff_participant(user, study_id)
    visit = get_object_or_404(Visit, participant=participant, code=visit_code)
    if instrument is not None and instrument not in due_instruments(visit_code):
        raise Http404(f"{instrument} is not due at visit {visit_code}")
    return visit


def response_of(visit: Visit, instrument: str) -> QuestionnaireResponse | None:
    return QuestionnaireResponse.objects.filter(visit=visit, instrument=instrument).first()


def response_detail(visit: Visit, instrument: str) -> ResponseDetail:
    definition = get_instrument(instrument)
    r = response_of(visit, instrument)
    answers = r.answers if r else {}
    scores = (r.scores or {}) if r else {}
    return ResponseDetail(
        study_id=visit.participant.study_id,
        visit=visit.code,
        instrument=instrument,
        title=definition.title,
        status=r.status if r else NOT_STARTED,
        entry=r.entry if r else None,
        mode=r.mode if r else None,
        entered_by=r.entered_by.username if r else None,
        started_at=r.started_at if r else None,
        submitted_at=r.submitted_at if r else None,
        answered_on=r.answered_on if r else None,
        in_window=(
            visit.window_start <= r.answered_on <= visit.window_end if r and r.answered_on else None
        ),
        value_set=r.value_set if r else "",
        scoring_id=r.scoring_id if r else "",
        scored_at=r.scored_at if r else None,
        answers=_answer_lines(instrument, answers),
        scores=[
            ScoreLine(code, name, scores.get(code), higher, code in definition.provisional_scores)
            for code, name, higher in _score_names(instrument)
        ]
        if r and r.scores is not None
        else [],
        history=_history(r) if r else [],
    )


def paper_form(
    visit: Visit,
    instrument: str,
    *,
    correction: bool,
    given: Mapping[str, str] | None = None,
    problems: Mapping[str, str] | None = None,
    answered_on: str = "",
    reason: str = "",
    error: str | None = None,
) -> PaperForm:
    """The form, filled with *given* values (or the stored answers when correcting)."""
    definition = get_instrument(instrument)
    words = wording(instrument)
    r = response_of(visit, instrument)
    stored = {k: "" if v is None else str(v) for k, v in (r.answers if r else {}).items()}
    values = dict(given) if given is not None else (stored if correction else {})
    status = r.status if r else NOT_STARTED
    items = [
        PaperItem(
            code=item.code,
            text=words.text.item(item.code).text,
            kind=item.kind,
            options=list(words.text.item(item.code).options),
            minimum=item.min,
            maximum=item.max,
            value=values.get(item.code, ""),
            error=(problems or {}).get(item.code),
        )
        for item in definition.items
    ]
    return PaperForm(
        study_id=visit.participant.study_id,
        visit=visit.code,
        instrument=instrument,
        title=definition.title,
        language=words.language,
        placeholder=words.placeholder,
        status=status,
        correction=correction,
        needs_reason=correction or status != NOT_STARTED,
        items=items,
        answered_on=answered_on
        or (r.answered_on.isoformat() if correction and r and r.answered_on else ""),
        reason=reason,
        error=error,
    )


def _score_names(instrument: str) -> list[tuple[str, str, str]]:
    definition = get_instrument(instrument)
    scales = [(s.code, s.name, str(s.higher)) for s in definition.scales]
    return scales + [(d.code, d.name, str(d.higher)) for d in definition.derived]


def _answer_lines(instrument: str, answers: Mapping[str, int | None]) -> list[AnswerLine]:
    words = wording(instrument)
    lines = []
    for item in get_instrument(instrument).items:
        text = words.text.item(item.code)
        value = answers.get(item.code)
        label = dict(text.options).get(value) if value is not None else None
        lines.append(AnswerLine(item.code, text.text, value, label))
    return lines


def _history(r: QuestionnaireResponse) -> list[ChangeLine]:
    return [
        ChangeLine(
            when=h.history_date,
            who=str(h.history_user) if h.history_user else "system",
            status=h.status,
            reason=h.history_change_reason or "",
        )
        for h in r.history.order_by("-history_date", "-history_id")[:50]
    ]
