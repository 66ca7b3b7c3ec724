"""What a patient sees: her due questionnaires, one question per screen, and the review.

Phone-sized forms show one item per screen (as ePRO guidance recommends for small
screens): the item's wording from the text pack, its answers as a radio group, and the
progress. Every answer is saved as she goes, so she can leave at any screen and resume
where she stopped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from exonc.errors import AccessDenied
from exonc.platform.accounts.models import Role, User
from exonc.platform.outcomes.models import QuestionnaireResponse, Status
from exonc.platform.outcomes.schedule import due_instruments, in_follow_up, window_open
from exonc.platform.outcomes.wording import Wording, wording
from exonc.platform.trial.models import Participant, Visit
from exonc.platform.trial.protocols import active_protocol
from exonc.platform.trial.services import local_today
from exonc.questionnaires import get_instrument

NOT_STARTED = "not started"


@dataclass(frozen=True)
class MyInstrument:
    instrument: str
    title: str
    status: str
    answered: int
    items: int
    resume_at: int | None  # the first question not yet seen; None when all were seen


@dataclass(frozen=True)
class MyVisit:
    visit: str
    name: str
    window_end: dt.date
    instruments: list[MyInstrument]


@dataclass(frozen=True)
class MyQuestionnaires:
    visits: list[MyVisit]
    placeholder: bool
    other_language: bool = False


@dataclass(frozen=True)
class Option:
    value: int
    label: str
    checked: bool


@dataclass(frozen=True)
class ItemScreen:
    visit: str
    instrument: str
    title: str
    instructions: str
    language: str
    placeholder: bool
    position: int
    total: int
    code: str
    text: str
    kind: str
    options: list[Option]
    anchors: tuple[str, str] | None
    minimum: int
    maximum: int
    current: int | None
    previous: int | None
    other_language: bool = False


@dataclass(frozen=True)
class ReviewLine:
    position: int
    code: str
    text: str
    answer: str | None


@dataclass(frozen=True)
class Review:
    visit: str
    instrument: str
    title: str
    language: str
    placeholder: bool
    lines: list[ReviewLine]
    answered: int
    total: int
    submitted_at: dt.datetime | None
    other_language: bool = False


def own_participant(user: User) -> Participant:
    """The participant record linked to a patient's login."""
    if user.role != Role.PATIENT:
        raise AccessDenied(_("these pages are for patients; staff use the participant's page"))
    found = Participant.objects.select_related("centre").filter(user=user).first()
    if found is None:
        raise AccessDenied(_("no participant record is linked to your login; ask your centre"))
    return found


def own_visit(user: User, visit_code: str, instrument: str) -> Visit:
    """The patient's visit *visit_code*, if *instrument* is due at it (404 otherwise)."""
    visit = get_object_or_404(Visit, participant=own_participant(user), code=visit_code)
    if instrument not in due_instruments(visit.code):
        raise Http404(f"{instrument} is not due at visit {visit_code}")
    return visit


def my_questionnaires(user: User, now: dt.datetime) -> MyQuestionnaires:
    """The visits whose questionnaires she can answer today, and how far she got."""
    p = own_participant(user)
    today = local_today(p.centre, now)
    names = {v.code: _(v.name) for v in active_protocol().visits}  # shipped names translate
    visits = []
    if in_follow_up(p, today):
        for v in p.visits.order_by("due_date").prefetch_related("questionnaire_responses"):
            if window_open(v, today) and due_instruments(v.code):
                responses = {r.instrument: r for r in v.questionnaire_responses.all()}
                lines = [_mine(n, responses.get(n)) for n in due_instruments(v.code)]
                visits.append(MyVisit(v.code, names.get(v.code, v.code), v.window_end, lines))
    words = [wording(i.instrument) for v in visits for i in v.instruments]
    placeholder = any(w.placeholder for w in words)
    return MyQuestionnaires(visits, placeholder, any(w.other_language for w in words))


@dataclass(frozen=True)
class QuestionnaireForm:
    """Every question of one instrument with her answers so far (the API's form)."""

    visit: str
    instrument: str
    title: str
    instructions: str
    language: str
    placeholder: bool
    status: str
    resume_at: int | None
    items: list[ItemScreen]


def item_screen(visit: Visit, instrument: str, position: int) -> ItemScreen:
    total = len(get_instrument(instrument).items)
    if not 1 <= position <= total:
        raise Http404(f"{instrument} has questions 1 to {total}")
    return _screen(visit.code, instrument, position, _answers(visit, instrument))


def questionnaire_form(visit: Visit, instrument: str) -> QuestionnaireForm:
    response = _response(visit, instrument)
    answers = dict(response.answers) if response else {}
    words = wording(instrument)
    total = len(get_instrument(instrument).items)
    return QuestionnaireForm(
        visit=visit.code,
        instrument=instrument,
        title=words.text.title,
        instructions=words.text.instructions,
        language=words.language,
        placeholder=words.placeholder,
        status=response.status if response else NOT_STARTED,
        resume_at=_resume_at(instrument, answers),
        items=[_screen(visit.code, instrument, n, answers) for n in range(1, total + 1)],
    )


def _screen(
    visit_code: str, instrument: str, position: int, answers: dict[str, int | None]
) -> ItemScreen:
    definition = get_instrument(instrument)
    item = definition.items[position - 1]
    words = wording(instrument)
    text = words.text.item(item.code)
    current = answers.get(item.code)
    return ItemScreen(
        visit=visit_code,
        instrument=instrument,
        title=words.text.title,
        instructions=words.text.instructions,
        language=words.language,
        placeholder=words.placeholder,
        position=position,
        total=len(definition.items),
        code=item.code,
        text=text.text,
        kind=item.kind,
        options=[Option(value, label, value == current) for value, label in text.options],
        anchors=text.anchors,
        minimum=item.min,
        maximum=item.max,
        current=current,
        previous=position - 1 if position > 1 else None,
        other_language=words.other_language,
    )


def review(visit: Visit, instrument: str) -> Review:
    definition = get_instrument(instrument)
    words = wording(instrument)
    response = _response(visit, instrument)
    answers = response.answers if response else {}
    lines = [
        ReviewLine(n, item.code, words.text.item(item.code).text, _label(words, item.code, answers))
        for n, item in enumerate(definition.items, 1)
    ]
    return Review(
        visit=visit.code,
        instrument=instrument,
        title=words.text.title,
        language=words.language,
        placeholder=words.placeholder,
        lines=lines,
        answered=sum(line.answer is not None for line in lines),
        total=len(lines),
        submitted_at=response.submitted_at if response and response.submitted else None,
        other_language=words.other_language,
    )


def resume_at(visit: Visit, instrument: str) -> int | None:
    """The first question she has not seen yet (None: all seen, go to the review)."""
    return _resume_at(instrument, _answers(visit, instrument))


def is_submitted(visit: Visit, instrument: str) -> bool:
    response = _response(visit, instrument)
    return response is not None and response.submitted


def _mine(name: str, r: QuestionnaireResponse | None) -> MyInstrument:
    definition = get_instrument(name)
    answers = r.answers if r else {}
    return MyInstrument(
        instrument=name,
        title=wording(name).text.title,
        status=r.status if r else NOT_STARTED,
        answered=sum(v is not None for v in answers.values()),
        items=len(definition.items),
        resume_at=None if r and r.status == Status.SUBMITTED else _resume_at(name, answers),
    )


def _resume_at(instrument: str, answers: dict[str, int | None]) -> int | None:
    for n, code in enumerate(get_instrument(instrument).item_codes, 1):
        if code not in answers:
            return n
    return None


def _response(visit: Visit, instrument: str) -> QuestionnaireResponse | None:
    return QuestionnaireResponse.objects.filter(visit=visit, instrument=instrument).first()


def _answers(visit: Visit, instrument: str) -> dict[str, int | None]:
    response = _response(visit, instrument)
    return dict(response.answers) if response else {}


def _label(words: Wording, code: str, answers: dict[str, int | None]) -> str | None:
    """The label of the chosen answer (the number itself for numeric items)."""
    value = answers.get(code)
    if value is None:
        return None
    return dict(words.text.item(code).options).get(value, str(value))
