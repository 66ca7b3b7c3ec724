"""``html_to_pdf``: a real PDF, text kept (checked by reading it back with pdftotext when
poppler-utils is installed), non-Latin letters included."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from exonc.reports.pdf import html_to_pdf


def test_pdf_starts_with_the_pdf_signature_and_ends_with_eof() -> None:
    pdf = html_to_pdf("<h1>Report</h1>")
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_text_reads_back(tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    out.write_bytes(html_to_pdf("<p>Zmęczenie w Łodzi — Müdigkeit</p>"))
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Zmęczenie w Łodzi — Müdigkeit" in text
