"""Drawings and printable handouts served by the platform, always through the review gate:
the public and patients get approved guides only; a staff member's handout of a draft
carries the draft banner. PDFs are made by :func:`exonc.guides.handout_pdf` (WeasyPrint,
the one PDF path)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from django.http import Http404
from django.utils.translation import gettext as _

from exonc.guides import (
    GuideSetting,
    Pack,
    default_self_assessment,
    draw,
    handout_pdf,
    level_from_answers,
    parse_site,
)
from exonc.platform.accounts.models import User
from exonc.platform.guides import catalogue, patient, review


def drawing(user: User | None, slug: str) -> str:
    """The SVG drawing of guide *slug*."""
    guide = review.visible_guide(user, slug)
    if guide.illustration is None:
        raise Http404(_("This guide has no drawing."))
    words = review.library().words
    return draw(
        guide.illustration,
        start_label=words.label("start"),
        end_label=words.label("finish"),
        ident=guide.slug,
    )


def guide_pdf(user: User | None, slug: str) -> bytes:
    guide = review.visible_guide(user, slug)
    lib = review.library()
    return handout_pdf([guide], lib, approvals=review.approvals(lib))


def pack_pdf(
    user: User | None, params: Mapping[str, str], sites: Sequence[str], today: dt.date
) -> bytes:
    """The self-assessment pack as a PDF: a cover, then every suitable guide."""
    assessment = default_self_assessment()
    level = level_from_answers(assessment, params).level
    setting = catalogue.choice(GuideSetting, params.get("setting")) or GuideSetting.HOME
    chosen = [parse_site(s, "site") for s in sites if s]
    pack = catalogue.build_pack(user, level, chosen, setting, today)
    lib = review.library()
    guides = [t.guide for t in pack.suitable]
    return handout_pdf(guides, lib, approvals=review.approvals(lib), pack=pack)


def patient_pdf(user: User, now: dt.datetime) -> bytes:
    """Her guides as a PDF: her level and lesions on the cover, then each suitable guide."""
    ctx = patient.context(user, now)
    pack = Pack(
        ctx.level.level,
        tuple(dict.fromkeys(ctx.sites)),
        tuple(sorted(ctx.tailored, key=lambda t: (not t.suitable, t.guide.order))),
    )
    lib = review.library()
    return handout_pdf(
        [t.guide for t in pack.suitable], lib, approvals=review.approvals(lib), pack=pack
    )
