"""``exonc report DATA_DIR -o OUT_DIR [--plan PLAN]``: the trial report from tidy tables.

Reads a trial's folder (``exonc synth`` output or a locked dataset), runs the analysis plan
and the cost-utility analysis, and writes ``report.html``, ``report.pdf``, ``report.json``,
``economics.csv`` and ``figures/`` into OUT_DIR; prints how long each part took.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from exonc.cli._app import console, err_console

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    app.command("report")(report)


def report(
    data_dir: Annotated[
        Path,
        typer.Argument(
            metavar="DATA_DIR", help="The trial's tables (exonc synth output or a lock)."
        ),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the report into.")],
    plan: Annotated[
        str, typer.Option("--plan", help="A shipped plan (preferable-effect) or a TOML file.")
    ] = "preferable-effect",
) -> None:
    """Write the trial report (CONSORT flow, Table 1, outcomes, figures, cost-effectiveness)
    as HTML, PDF and JSON."""
    from exonc.reports import build_report, load_plan, read_folder, write_report

    start = time.perf_counter()
    with console.status("reading the tables"):
        source = load_plan(plan)
        trial = read_folder(data_dir)
    read = time.perf_counter() - start
    with console.status("analysing"):
        result = build_report(trial, source)
    with console.status("writing HTML and PDF"):
        written = write_report(result, out)
    timings = {"reading": read, **result.timings, **written}
    for part, seconds in timings.items():
        console.print(f"{part:<52} {seconds:6.1f} s", markup=False)
    console.print(f"{'total':<52} {time.perf_counter() - start:6.1f} s", markup=False)
    for warning in result.data.get("warnings", [])[:3]:
        err_console.print(f"warning: {warning}", markup=False)
    console.print(f"wrote report.html, report.pdf, report.json and figures/ to {out}")
