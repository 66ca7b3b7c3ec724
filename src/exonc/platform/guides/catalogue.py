"""The public hub's pages as data: browse and search the guides, read one, and build a
tailored pack from a short self-assessment. Nothing here writes anything.

Patients and the public see approved guides only; staff see drafts, marked. Filters and
answers come from the query string (GET), so a pack can be bookmarked or printed and no
answer is ever stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from exonc.errors import GuideDataError
from exonc.exercise import Site, default_safety_rules
from exonc.guides import (
    Guide,
    GuideComponent,
    GuideSetting,
    Level,
    Pack,
    Review,
    TailoredGuide,
    default_self_assessment,
    fingerprint,
    level_from_answers,
    parse_level,
    parse_site,
    tailored_pack,
)
from exonc.guides.library import Library
from exonc.platform.accounts.models import Role, User
from exonc.platform.exercise import config
from exonc.platform.guides import review
from exonc.platform.guides.attachments import UPLOADERS, AttachmentLine
from exonc.platform.trial.protocols import active_protocol

E = TypeVar("E", GuideComponent, GuideSetting)


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    selected: bool = False


@dataclass(frozen=True)
class GuideCard:
    """A guide in a list."""

    slug: str
    title: str
    purpose: str
    component: str
    component_name: str
    levels: list[int]
    level_names: list[str]
    setting_name: str
    draft: bool


def card(guide: Guide, lib: Library, approved: Mapping[str, Review]) -> GuideCard:
    words = lib.words
    return GuideCard(
        slug=guide.slug,
        title=guide.title,
        purpose=guide.purpose,
        component=guide.component.value,
        component_name=words.component(guide.component),
        levels=[int(level) for level in guide.levels],
        level_names=[words.level(level) for level in guide.levels],
        setting_name=words.setting(guide.setting),
        draft=guide.slug not in approved,
    )


@dataclass(frozen=True)
class Catalogue:
    """The guide list with its filters."""

    guides: list[GuideCard]
    levels: list[Option]
    components: list[Option]
    settings: list[Option]
    query: str
    total: int
    staff: bool


def catalogue(user: User | None, params: Mapping[str, str]) -> Catalogue:
    """The guides *user* may read, filtered by level, component, setting and search words."""
    lib = review.library()
    approved = review.approvals(lib)
    guides = review.visible_guides(user, lib)
    level = parse_level(params["level"]) if params.get("level") else None
    component = choice(GuideComponent, params.get("component"))
    setting = choice(GuideSetting, params.get("setting"))
    query = params.get("q", "").strip()
    chosen = [
        g
        for g in guides
        if (level is None or g.suits(level))
        and (component is None or g.component is component)
        and (setting is None or g.setting in (setting, GuideSetting.ANYWHERE))
        and _matches(g, query)
    ]
    words = lib.words
    return Catalogue(
        guides=[card(g, lib, approved) for g in chosen],
        levels=[Option(str(m.value), words.level(m), m is level) for m in Level],
        components=[Option(m.value, words.component(m), m is component) for m in GuideComponent],
        settings=[
            Option(m.value, words.setting(m), m is setting)
            for m in (GuideSetting.HOME, GuideSetting.CENTRE)
        ],
        query=query,
        total=len(guides),
        staff=review.is_staff(user),
    )


def choice(kind: type[E], value: str | None) -> E | None:
    if not value:
        return None
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise GuideDataError(
            _("not a known choice"), key=kind.__name__, value=value, hint=allowed
        ) from None


def _matches(guide: Guide, query: str) -> bool:
    """Every word of *query* appears in the guide's title, purpose, steps or tips."""
    if not query:
        return True
    text = " ".join((guide.title, guide.purpose, *guide.steps, *guide.cues)).casefold()
    return all(word in text for word in query.casefold().split())


# ------------------------------------------------------------------ one guide


@dataclass(frozen=True)
class Link:
    slug: str
    title: str


@dataclass(frozen=True)
class GuidePage:
    """Everything one guide page shows."""

    slug: str
    title: str
    purpose: str
    component_name: str
    level_names: list[str]
    setting_name: str
    equipment: list[str]
    dose: str
    steps: list[str]
    breathing: str
    cues: list[str]
    mistakes: list[str]
    easier: str
    harder: str
    easier_guide: Link | None
    harder_guide: Link | None
    warning_signs: list[str]
    sources: list[str]
    drawing_alt: str | None
    draft: bool
    approval: str | None
    version: int
    fingerprint: str
    can_approve: bool
    can_attach: bool
    attachments: list[AttachmentLine] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def guide_page(
    user: User | None, slug: str, attachments: Sequence[AttachmentLine] = ()
) -> GuidePage:
    """Guide *slug* as *user* may read it (404 for a draft unless *user* is staff)."""
    lib = review.library()
    guide = review.visible_guide(user, slug)
    approved = review.approvals(lib)
    words = lib.words
    visible = {g.slug for g in review.visible_guides(user, lib)}
    rev = approved.get(slug)
    staff = review.is_staff(user)
    return GuidePage(
        slug=guide.slug,
        title=guide.title,
        purpose=guide.purpose,
        component_name=words.component(guide.component),
        level_names=[words.level(level) for level in guide.levels],
        setting_name=words.setting(guide.setting),
        equipment=[words.equipment(e) for e in guide.equipment],
        dose=guide.dose,
        steps=list(guide.steps),
        breathing=guide.breathing,
        cues=list(guide.cues),
        mistakes=list(guide.mistakes),
        easier=guide.easier,
        harder=guide.harder,
        easier_guide=_link(lib, guide.easier_guide, visible),
        harder_guide=_link(lib, guide.harder_guide, visible),
        warning_signs=list(guide.warning_signs),
        sources=[lib.sources[key] for key in guide.sources],
        drawing_alt=guide.illustration.alt if guide.illustration else None,
        draft=rev is None,
        approval=_approval(words.label("approved"), rev),
        version=guide.review.version,
        fingerprint=fingerprint(review.source_library().guide(guide.slug)),
        can_approve=staff and rev is None and user is not None and user.role == Role.CLINICIAN,
        can_attach=staff and user is not None and user.role in UPLOADERS,
        attachments=list(attachments),
    )


def _link(lib: Library, slug: str | None, visible: set[str]) -> Link | None:
    if slug is None or slug not in visible:
        return None
    return Link(slug, lib.guide(slug).title)


def _approval(template: str, rev: Review | None) -> str | None:
    if rev is None or rev.date is None:
        return None
    return template.format(reviewer=rev.reviewer, date=rev.date.isoformat(), version=rev.version)


# ------------------------------------------------------------------ the self-assessment pack


@dataclass(frozen=True)
class QuestionView:
    id: str
    text: str
    answers: list[Option]


@dataclass(frozen=True)
class ExcludedLine:
    slug: str
    title: str
    because: str
    instead: list[Link]


@dataclass(frozen=True)
class PackPage:
    """The self-assessment form and, once every question is answered, the pack."""

    questions: list[QuestionView]
    sites: list[Option]
    settings: list[Option]
    complete: bool
    level: int | None = None
    level_name: str = ""
    level_description: str = ""
    site_names: list[str] = field(default_factory=list)
    suitable: list[GuideCard] = field(default_factory=list)
    excluded: list[ExcludedLine] = field(default_factory=list)
    pdf_query: str = ""


def pack_page(
    user: User | None, params: Mapping[str, str], sites: Sequence[str], today: dt.date
) -> PackPage:
    """The self-assessment with the answers in *params* and the lesion *sites* ticked."""
    lib = review.library()
    assessment = default_self_assessment()
    chosen_sites = [parse_site(s, "site") for s in sites if s]
    setting = choice(GuideSetting, params.get("setting")) or GuideSetting.HOME
    questions = [
        QuestionView(
            q.id, q.text, [Option(a.id, a.text, params.get(q.id) == a.id) for a in q.answers]
        )
        for q in assessment.questions
    ]
    words = lib.words
    form = PackPage(
        questions=questions,
        sites=[Option(s.value, words.site(s), s in chosen_sites) for s in Site],
        settings=[
            Option(m.value, words.setting(m), m is setting)
            for m in (GuideSetting.HOME, GuideSetting.CENTRE)
        ],
        complete=all(params.get(q.id) for q in assessment.questions),
    )
    if not form.complete:
        return form
    level = level_from_answers(assessment, params).level
    pack = build_pack(user, level, chosen_sites, setting, today)
    approved = review.approvals(lib)
    query = [(q.id, params[q.id]) for q in assessment.questions]
    query += [("site", s.value) for s in chosen_sites] + [("setting", setting.value)]
    return PackPage(
        questions=questions,
        sites=form.sites,
        settings=form.settings,
        complete=True,
        level=int(level),
        level_name=words.level(level),
        level_description=words.level_description(level),
        site_names=[words.site(s) for s in pack.sites],
        suitable=[card(t.guide, lib, approved) for t in pack.suitable],
        excluded=sorted((excluded_line(t, lib) for t in pack.excluded), key=lambda e: e.because),
        pdf_query=urlencode(query),
    )


def build_pack(
    user: User | None, level: Level, sites: Iterable[Site], setting: GuideSetting, today: dt.date
) -> Pack:
    """The tailored pack from the guides *user* may read, checked with the shipped rules."""
    lib = review.library()
    visible = review.visible_guides(user, lib)
    readable = Library(visible, lib.sources, lib.words, lib.folder)
    return tailored_pack(
        readable,
        level,
        default_safety_rules(),
        on=today,
        sites=sites,
        setting=setting,
        programme=config.programme(active_protocol().programme),
    )


def excluded_line(item: TailoredGuide, lib: Library) -> ExcludedLine:
    """An excluded guide, its reason and what to try instead, as the pages list it."""
    return ExcludedLine(
        slug=item.guide.slug,
        title=item.guide.title,
        because=item.excluded_because or "",
        instead=[Link(s, lib.guide(s).title) for s in item.instead],
    )
