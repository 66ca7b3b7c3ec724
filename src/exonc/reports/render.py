"""The report as one self-contained HTML document (figures as ``data:`` URIs) and as PDF.

The template (``templates/report.html``) marks its words with Jinja2's ``{% trans %}``
(gettext-compatible; rendered untranslated for now) and formats numbers with the filters
below: estimates to one decimal, p values to three (``< 0.001`` below), effect sizes to
two.
"""

from __future__ import annotations

import functools
import math
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from exonc.reports.pdf import html_to_pdf
from exonc.reports.report import Report

__all__ = ["report_html", "report_pdf"]


def _number(value: Any, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.{digits}f}"


def _p(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


@functools.cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("exonc.reports", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    env.filters["num"] = _number
    env.filters["p"] = _p
    return env


def report_html(report: Report, *, for_print: bool = False) -> str:
    """The report as one HTML document: figures as SVG, or as PNG *for_print* (the PDF)."""
    data = report.data
    table1: dict[str, list[dict[str, Any]]] = {}
    for row in data["table1"]:
        table1.setdefault(row["variable"], []).append(row)
    return (
        environment()
        .get_template("report.html")
        .render(
            data=data,
            figures={f.name: f for f in report.figures},
            table1=table1,
            for_print=for_print,
        )
    )


def report_pdf(report: Report) -> bytes:
    """The report printed by WeasyPrint (figures as PNG, which it draws much faster)."""
    return html_to_pdf(report_html(report, for_print=True))
