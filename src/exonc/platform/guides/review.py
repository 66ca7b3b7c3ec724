"""The clinical review gate: who sees which version of a guide, and approving one.

A guide may be shown to patients and to the public only when its current content is
approved: either in its file (``review.status = "approved"`` with a reviewer and a date),
or by a clinician on the platform (:class:`~exonc.platform.guides.models.GuideApproval`
for the guide's current version and fingerprint). Staff see every guide, drafts marked as
such. Only a user with the clinician role approves (decision 0001), for the version she is
looking at; the approval is audited and final.

Guides are read in the reader's language when the library has a translation overlay for
it (``translations/<language>/``, decision 0007); otherwise in English. An approval holds
for the source-language content, which a translation cannot change beyond its words:
approvals are always checked against the source library.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from exonc.errors import AccessDenied, TrialStateError
from exonc.guides import Guide, Library, Review, ReviewStatus, default_library, fingerprint
from exonc.guides.library import SOURCE_LANGUAGE, data_folder
from exonc.platform import audit
from exonc.platform.accounts.models import Role, User
from exonc.platform.exercise.services import require_clinician, user_name
from exonc.platform.guides.models import GuideApproval

#: Who sees drafts (with a banner): everyone who signs in except patients.
STAFF = frozenset(
    {Role.ADMINISTRATOR, Role.COORDINATOR, Role.PHYSIOTHERAPIST, Role.CLINICIAN, Role.STATISTICIAN}
)


def library() -> Library:
    """The library in the active language when a translation overlay exists, else English."""
    language = (translation.get_language() or SOURCE_LANGUAGE).split("-")[0]
    if language != SOURCE_LANGUAGE and (data_folder() / "translations" / language).is_dir():
        return default_library(language)
    return default_library()


def source_library(lib: Library | None = None) -> Library:
    """The library in its source language (what clinicians approve): *lib* (default: the
    reader's) if it is in the source language, else the shipped library in English."""
    lib = lib or library()
    return lib if lib.words.language == SOURCE_LANGUAGE else default_library()


def is_staff(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.is_active and user.role in STAFF


def approvals(lib: Library | None = None) -> dict[str, Review]:
    """The approved review in force for every approved guide (file first, then platform),
    checked against the source-language content of the guides of *lib*."""
    lib = lib or library()
    slugs = {g.slug for g in lib.guides}
    lib = source_library(lib)
    found = {g.slug: g.review for g in lib.guides if g.review.approved and g.slug in slugs}
    current = {g.slug: (g.review.version, fingerprint(g)) for g in lib.guides if g.slug in slugs}
    for row in GuideApproval.objects.filter(slug__in=current).order_by("recorded_at"):
        if row.slug not in found and (row.version, row.fingerprint) == current[row.slug]:
            found[row.slug] = Review(
                ReviewStatus.APPROVED, row.version, row.clinician_name, row.approved_on, row.note
            )
    return found


def visible_guides(user: User | None, lib: Library | None = None) -> tuple[Guide, ...]:
    """The guides *user* may read: all for staff, the approved ones for anyone else."""
    lib = lib or library()
    if is_staff(user):
        return lib.guides
    approved = approvals(lib)
    return tuple(g for g in lib.guides if g.slug in approved)


def visible_guide(user: User | None, slug: str) -> Guide:
    """One guide *user* may read, or 404 (a draft is not found for patients and the public)."""
    lib = library()
    if not lib.has(slug) or lib.guide(slug) not in visible_guides(user, lib):
        raise Http404(_("No approved guide has this address."))
    return lib.guide(slug)


@dataclass(frozen=True)
class ReviewLine:
    """One guide on the review page."""

    slug: str
    title: str
    component: str
    levels: list[int]
    version: int
    approved: bool
    reviewer: str
    date: dt.date | None
    file: str


def review_overview(user: User) -> list[ReviewLine]:
    """Every guide with its review status (staff only)."""
    if not is_staff(user):
        raise AccessDenied(_("the review page is for staff"))
    lib = library()
    approved = approvals(lib)
    lines = []
    for g in lib.guides:
        review = approved.get(g.slug)
        lines.append(
            ReviewLine(
                slug=g.slug,
                title=g.title,
                component=g.component.value,
                levels=[int(level) for level in g.levels],
                version=g.review.version,
                approved=review is not None,
                reviewer=review.reviewer if review else "",
                date=review.date if review else None,
                file=g.file,
            )
        )
    return lines


def approve(
    user: User, slug: str, *, version: int, content: str, note: str, today: dt.date
) -> GuideApproval:
    """A clinician approves version *version* of guide *slug*, whose fingerprint she saw
    as *content* (refused if the guide changed since, or is approved already)."""
    require_clinician(user)
    lib = source_library()
    if not lib.has(slug):
        raise Http404(_("No guide has this address."))
    guide = lib.guide(slug)
    if (version, content) != (guide.review.version, fingerprint(guide)):
        raise TrialStateError(
            _("this guide changed after you opened it; reload the page and review it again")
        )
    if slug in approvals(lib):
        raise TrialStateError(_("this version of the guide is already approved"))
    row = GuideApproval(
        slug=slug,
        version=version,
        fingerprint=content,
        clinician=user,
        clinician_name=user_name(user),
        approved_on=today,
        note=note.strip(),
    )
    try:
        with transaction.atomic():
            audit.save(row, user, f"guide {slug} version {version} approved")
    except IntegrityError as exc:  # a colleague approved it at the same moment
        raise TrialStateError(_("this version of the guide is already approved")) from exc
    return row
