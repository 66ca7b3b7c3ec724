"""The patient's "Your guides": the approved guides at her level, tailored to her lesions.

Her **level** comes from her latest fitness tests through the reviewed mapping
(:func:`exonc.guides.level_from_tests`). What she sees is decided by the protocol's arm
(:class:`exonc.protocol.GuideAccess`): by default only the everyday-activity guides (the
usual-care arm must not receive an exercise programme through the hub); in the exercise
arm her guides follow her current prescription — the exercises of her plan first, then the
other guides at her level. Her lesion register, with its clearances and a clinician's
overrides, goes through the centre's rule table exactly as her prescription does; every
guide it leaves out says why in plain words. Only approved guides are shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from django.http import Http404
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from exonc import exercise as ex
from exonc.errors import ExoncError
from exonc.guides import (
    Guide,
    GuideComponent,
    Level,
    LevelAssessment,
    TailoredGuide,
    default_level_mapping,
    level_from_tests,
    tailor,
    with_alternatives,
)
from exonc.platform.accounts.models import User
from exonc.platform.exercise import config, convert, state
from exonc.platform.guides import catalogue, review
from exonc.platform.guides.attachments import attachment_lines
from exonc.platform.guides.catalogue import (
    ExcludedLine,
    GuideCard,
    GuidePage,
    card,
    excluded_line,
)
from exonc.platform.outcomes.patient import own_participant
from exonc.platform.trial.models import Participant
from exonc.platform.trial.protocols import active_protocol
from exonc.platform.trial.services import local_today
from exonc.protocol import GuideAccess

TEST_NAMES = {
    "steep_ramp": gettext_lazy("Steep Ramp Test"),
    "timed_up_and_go": gettext_lazy("Timed up-and-go"),
    "single_leg_stance": gettext_lazy("Single-leg stance"),
    "handgrip": gettext_lazy("Handgrip strength"),
    "cpet": gettext_lazy("Cardiopulmonary exercise test"),
}


@dataclass(frozen=True)
class Section:
    component: str
    name: str
    guides: list[GuideCard]


@dataclass(frozen=True)
class YourGuides:
    """Everything "Your guides" shows (and its JSON twin)."""

    study_id: str
    date: dt.date
    access: str
    level: int
    level_name: str
    level_description: str
    level_basis: list[str]
    note: str | None
    programme: list[GuideCard] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    excluded: list[ExcludedLine] = field(default_factory=list)
    allowed: list[str] = field(default_factory=list)
    awaiting_review: int = 0


@dataclass(frozen=True)
class Context:
    """One patient's guides on one day."""

    participant: Participant
    today: dt.date
    access: GuideAccess
    level: LevelAssessment
    tailored: tuple[TailoredGuide, ...]
    waiting: int
    sites: tuple[ex.Site, ...]


def your_guides(user: User, now: dt.datetime) -> YourGuides:
    """The signed-in patient's guides today (refused for anyone else)."""
    ctx = context(user, now)
    words = review.library().words
    approved = review.approvals()
    lib = review.library()
    suitable = [t for t in ctx.tailored if t.suitable]
    programme = _programme(ctx, suitable)
    shown = {c.slug for c in programme}
    sections = []
    for component in GuideComponent:
        cards = [
            card(t.guide, lib, approved)
            for t in suitable
            if t.guide.component is component and t.guide.slug not in shown
        ]
        if cards:
            sections.append(Section(component.value, words.component(component), cards))
    level = ctx.level.level
    return YourGuides(
        study_id=ctx.participant.study_id,
        date=ctx.today,
        access=ctx.access.value,
        level=int(level),
        level_name=words.level(level),
        level_description=words.level_description(level),
        level_basis=_basis(ctx.level),
        note=words.reason("arm") if ctx.access is GuideAccess.EVERYDAY_ACTIVITY else None,
        programme=programme,
        sections=sections,
        excluded=sorted(
            (excluded_line(t, lib) for t in ctx.tailored if not t.suitable), key=lambda e: e.because
        ),
        allowed=sorted({line for t in suitable for line in t.allowed}),
        awaiting_review=ctx.waiting,
    )


def guide_page(user: User, slug: str, now: dt.datetime) -> GuidePage:
    """One of her guides, with what her tailoring says about it and her centre's photos and
    videos (404 for a guide her hub does not show)."""
    ctx = context(user, now)
    item = next((t for t in ctx.tailored if t.guide.slug == slug), None)
    if item is None:
        raise Http404(_("This guide is not one of your guides."))
    data = catalogue.guide_page(user, slug, attachment_lines(user, slug))
    notes = [e.because for e in item.exclusions] + list(item.allowed)
    return replace(data, notes=list(dict.fromkeys(notes)))


def guided_exercises(user: User, now: dt.datetime) -> frozenset[str]:
    """The programme exercises that have an approved guide at her level (today's plan links
    only these)."""
    ctx = context(user, now)
    level = ctx.level.level
    return frozenset(
        item.guide.exercise
        for item in ctx.tailored
        if item.guide.exercise is not None and item.guide.suits(level)
    )


def guide_for_exercise(user: User, exercise: str, now: dt.datetime) -> str:
    """The slug of her level's approved guide for a programme exercise (today's plan links
    here), or 404."""
    ctx = context(user, now)
    for item in ctx.tailored:
        if item.guide.exercise == exercise and item.guide.suits(ctx.level.level):
            return item.guide.slug
    raise Http404(_("There is no approved guide for this exercise yet."))


def context(user: User, now: dt.datetime) -> Context:
    participant = own_participant(user)
    today = local_today(participant.centre, now)
    access = _access(participant)
    lib = review.library()
    approved = review.approvals(lib)
    tests = tuple(convert.domain_test(t) for t in participant.fitness_tests.all())
    level = level_from_tests(tests, default_level_mapping(), today)
    candidates = [g for g in lib.guides if _shown(g, access, level.level)]
    lesions, overrides = state.register(participant, today)
    rules = config.rules(participant.centre)
    restrictions = ex.assess_lesions(lesions, rules, today)
    tailored = tailor(
        [g for g in candidates if g.slug in approved],
        restrictions,
        lib.words,
        sites={lesion.id: lesion.site for lesion in lesions},
        on=today,
        overrides=overrides,
    )
    programme = config.programme(active_protocol().programme)
    tailored = with_alternatives(tailored, level.level, programme)
    waiting = sum(1 for g in candidates if g.slug not in approved)
    sites = tuple(lesion.site for lesion in lesions if lesion.imaging_date <= today)
    return Context(participant, today, access, level, tailored, waiting, sites)


def _access(participant: Participant) -> GuideAccess:
    """What the protocol lets her arm see (everyday activity before randomisation)."""
    allocation = getattr(participant, "allocation", None)
    if allocation is None:
        return GuideAccess.EVERYDAY_ACTIVITY
    try:
        return active_protocol().arm(allocation.arm).guides
    except KeyError:
        return GuideAccess.EVERYDAY_ACTIVITY


def _shown(guide: Guide, access: GuideAccess, level: Level) -> bool:
    if access is GuideAccess.EVERYDAY_ACTIVITY:
        return guide.component is GuideComponent.EVERYDAY_ACTIVITY
    return guide.suits(level)


def _programme(ctx: Context, suitable: Sequence[TailoredGuide]) -> list[GuideCard]:
    """Her prescription's exercises (today's plan), as guides, in the plan's order."""
    if ctx.access is not GuideAccess.PRESCRIPTION:
        return []
    names = plan_exercises(ctx.participant, ctx.today)
    lib = review.library()
    approved = review.approvals(lib)
    by_exercise = {t.guide.exercise: t.guide for t in suitable if t.guide.exercise}
    return [card(by_exercise[n], lib, approved) for n in names if n in by_exercise]


def plan_exercises(participant: Participant, today: dt.date) -> list[str]:
    """The programme exercises of her plan for *today* (none before or after her programme)."""
    try:
        plan = state.load(participant, today).plan(today)
    except ExoncError:
        return []
    items: list[ex.AerobicItem | ex.ResistanceItem | ex.BalanceItem] = [plan.aerobic]
    items += [*plan.resistance, *([plan.balance] if plan.balance else [])]
    return [i.exercise for i in items if i.status != ex.ItemStatus.OMITTED]


def _basis(level: LevelAssessment) -> list[str]:
    if not level.basis:
        return [_("No fitness test is on record yet, so your guides start at the first level.")]
    return [
        _("%(test)s on %(date)s: %(value)s %(unit)s")
        % {
            "test": TEST_NAMES.get(b.kind, b.kind),
            "date": date_format(b.date, "j F Y"),
            "value": f"{b.value:g}",
            "unit": b.unit,
        }
        for b in level.basis
    ]
