"""Printable handouts of guides: one guide, or a tailored pack, as HTML and as PDF.

The handout is a self-contained HTML document (styles inline, drawings as inline SVG), made
from ``templates/handout.html`` with Jinja2 and printed by :func:`exonc.reports.pdf.
html_to_pdf`, the one way exonc makes a PDF. Its labels come from the library's words, so
a translated library prints a translated handout. Each guide starts on a new page; a pack
starts with a cover that says the level, the lesion sites given and which guides were left
out and why. A guide not yet approved by a clinician carries the draft banner.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from exonc.guides.illustrations import draw
from exonc.guides.library import Library
from exonc.guides.model import Guide, Review
from exonc.guides.tailoring import Pack
from exonc.reports.pdf import html_to_pdf

__all__ = ["HandoutPage", "file_approvals", "handout_html", "handout_pdf"]


@dataclass(frozen=True)
class HandoutPage:
    """One guide as printed: the guide, its drawing, its approval (None: a draft) and the
    full text of its sources."""

    guide: Guide
    drawing: Markup | None
    approval: str | None
    sources: tuple[str, ...]


def file_approvals(guides: Sequence[Guide]) -> dict[str, Review]:
    """The approvals recorded in the guide files themselves (the CLI prints these)."""
    return {g.slug: g.review for g in guides if g.review.approved}


@functools.cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("exonc.guides", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def pages(
    guides: Sequence[Guide], library: Library, approvals: Mapping[str, Review]
) -> list[HandoutPage]:
    """The printed pages of *guides*; *approvals* holds the approved review of each guide
    that prints without the draft banner (the file's own, or a clinician's on the
    platform)."""
    words = library.words
    found = []
    for guide in guides:
        drawing = None
        if guide.illustration is not None:
            drawing = Markup(
                draw(
                    guide.illustration,
                    start_label=words.label("start"),
                    end_label=words.label("finish"),
                    ident=guide.slug,
                )
            )
        cited = tuple(library.sources[key] for key in guide.sources)
        review = approvals.get(guide.slug)
        approval = None
        if review is not None and review.date is not None:
            approval = words.label("approved").format(
                reviewer=review.reviewer, date=review.date.isoformat(), version=review.version
            )
        found.append(HandoutPage(guide, drawing, approval, cited))
    return found


def handout_html(
    guides: Sequence[Guide],
    library: Library,
    *,
    approvals: Mapping[str, Review] | None = None,
    pack: Pack | None = None,
) -> str:
    """The handout of *guides* (a pack's cover first, when *pack* is given)."""
    template = _environment().get_template("handout.html")
    titles = {g.slug: g.title for g in library.guides}
    return template.render(
        words=library.words,
        labels=library.words.labels(),
        pages=pages(guides, library, approvals or {}),
        pack=pack,
        titles=titles,
    )


def handout_pdf(
    guides: Sequence[Guide],
    library: Library,
    *,
    approvals: Mapping[str, Review] | None = None,
    pack: Pack | None = None,
) -> bytes:
    return html_to_pdf(handout_html(guides, library, approvals=approvals, pack=pack))
