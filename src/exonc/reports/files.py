"""Writing a report folder: ``report.html``, ``report.pdf``, ``report.json``,
``economics.csv`` (the cost-utility input) and ``figures/`` (each figure as SVG and PNG).

The files appear only once all of them are written (a staging folder moved into place).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from exonc.reports import economics
from exonc.reports.render import report_html, report_pdf
from exonc.reports.report import Report

__all__ = ["write_report"]

FILES = ("report.html", "report.pdf", "report.json", "economics.csv", "figures")


def write_report(report: Report, out: Path) -> dict[str, float]:
    """Write the report folder into *out*; returns the seconds HTML and PDF took."""
    import time

    out.mkdir(parents=True, exist_ok=True)
    timings = {}
    with tempfile.TemporaryDirectory(dir=out, prefix=".partial-") as tmp:
        staging = Path(tmp)
        start = time.perf_counter()
        html = report_html(report)
        (staging / "report.html").write_text(html, encoding="utf-8")
        timings["html"] = time.perf_counter() - start
        start = time.perf_counter()
        (staging / "report.pdf").write_bytes(report_pdf(report))
        timings["pdf"] = time.perf_counter() - start
        text = json.dumps(report.data, indent=2, allow_nan=False) + "\n"
        (staging / "report.json").write_text(text, encoding="utf-8")
        if report.economics_table is not None:
            (staging / "economics.csv").write_text(
                economics.csv_text(report.economics_table), encoding="utf-8"
            )
        (staging / "figures").mkdir()
        for figure in report.figures:
            (staging / "figures" / f"{figure.name}.svg").write_text(figure.svg, encoding="utf-8")
            (staging / "figures" / f"{figure.name}.png").write_bytes(figure.png)
        for path in sorted(staging.iterdir()):
            target = out / path.name
            if target.is_dir():
                shutil.rmtree(target)
            shutil.move(path, target)
    return timings
