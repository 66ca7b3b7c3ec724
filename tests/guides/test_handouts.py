"""Handouts: a guide or a pack as HTML and as a PDF (read back with pdftotext)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest

from exonc.exercise import Site, default_safety_rules
from exonc.guides import (
    Level,
    Library,
    Review,
    ReviewStatus,
    handout_html,
    handout_pdf,
    tailored_pack,
)

pdftotext = shutil.which("pdftotext")


def _text(pdf: bytes) -> str:
    assert pdftotext is not None
    done = subprocess.run(
        [pdftotext, "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return done.stdout.decode()


def _pages(pdf: bytes) -> int:
    return _text(pdf).count("\f")


def test_a_draft_carries_the_banner_and_an_approved_guide_its_reviewer(library: Library) -> None:
    guide = library.guide("sit-to-stand")
    draft = handout_html([guide], library)
    assert library.words.label("draft") in draft
    review = Review(ReviewStatus.APPROVED, 1, "Dr A. Jansen", dt.date(2025, 3, 1))
    approved = handout_html([guide], library, approvals={"sit-to-stand": review})
    assert library.words.label("draft") not in approved
    assert "Reviewed by Dr A. Jansen on 2025-03-01 (version 1)." in approved
    assert approved.count("<svg") == 1
    assert guide.illustration is not None
    assert guide.illustration.alt in approved


def test_the_pack_cover_explains_what_was_left_out(library: Library) -> None:
    pack = tailored_pack(
        library,
        Level.STARTING_OUT,
        default_safety_rules(),
        on=dt.date(2024, 5, 2),
        sites=[Site.LUMBAR_SPINE],
    )
    html = handout_html([t.guide for t in pack.suitable], library, pack=pack)
    assert "Your exercise pack" in html
    assert "Starting out" in html
    assert "your lower back (lumbar spine)" in html
    assert pack.excluded
    assert all(t.guide.title in html for t in pack.excluded)


@pytest.mark.skipif(pdftotext is None, reason="poppler's pdftotext is not installed")
def test_a_pdf_handout_holds_the_guide(library: Library) -> None:
    guide = library.guide("leg-press-active")
    text = _text(handout_pdf([guide], library))
    assert "Leg press: active" in text
    assert "Stop and call your care team if" in text
    assert _pages(handout_pdf([guide], library)) == 1


@pytest.mark.slow
@pytest.mark.skipif(pdftotext is None, reason="poppler's pdftotext is not installed")
def test_every_guide_prints_on_one_page(library: Library) -> None:
    pdf = handout_pdf(list(library.guides), library)
    assert _pages(pdf) == len(library.guides)
