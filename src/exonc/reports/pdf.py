"""HTML to PDF with WeasyPrint: the one place exonc prints a document.

Documents are self-contained HTML (styles inline, images as ``data:`` URIs or files under
*base_url*), so a PDF never fetches anything from the network.
"""

from __future__ import annotations

from pathlib import Path


def html_to_pdf(html: str, *, base_url: Path | None = None) -> bytes:
    """The PDF of *html*; relative links resolve under *base_url* (a folder), if given."""
    from weasyprint import HTML  # heavy: imported only when a PDF is made

    document = HTML(string=html, base_url=str(base_url) if base_url else None)
    pdf: bytes = document.write_pdf()  # bytes, as no target is given
    return pdf
