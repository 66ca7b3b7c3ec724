"""``exonc report DATA_DIR -o OUT_DIR [--plan PLAN]``: the trial report from tidy tables;
``exonc export dataset (--database URL | --data-dir DIR) -o LOCK_DIR``: a locked dataset.

Reads a trial's folder (``exonc synth`` output or a locked dataset), runs the analysis plan
and the cost-utility analysis, and writes ``report.html``, ``report.pdf``, ``report.json``,
``economics.csv`` and ``figures/`` into OUT_DIR; prints how long each part took.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from exonc.cli._app import console, err_console
from exonc.cli._groups import export_app
from exonc.errors import InputError

if TYPE_CHECKING:
    import datetime as dt

    import pandas as pd

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    app.command("report")(report)
    export_app.command("dataset")(export_dataset)


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
    """Write a trial report (HTML, PDF, JSON and figures) from a data folder or a lock.

    CONSORT flow, Table 1, the outcome table, figures and cost-effectiveness."""
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


def export_dataset(
    out: Annotated[Path, typer.Option("--out", "-o", help="The lock folder (must not exist).")],
    database: Annotated[
        str | None, typer.Option("--database", help="Lock this platform database (URL).")
    ] = None,
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help="Lock this folder of tidy tables instead.")
    ] = None,
    cut_off: Annotated[
        str | None, typer.Option("--cut-off", help="YYYY-MM-DD: only what was known that day.")
    ] = None,
    by: Annotated[str, typer.Option("--by", help="Who locks the data (recorded).")] = "",
) -> None:
    """Write a locked dataset: tidy tables and derived ones as CSV and Parquet, a data
    dictionary and a SHA-256 manifest; pseudonymised and never changed afterwards."""
    import datetime as dt
    import getpass

    from exonc.reports.lock import LockInfo, lock_tables, versions, write_lock

    if (database is None) == (data_dir is None):
        raise InputError("give either --database URL or --data-dir DIR", hint="see --help")
    day = _day(cut_off)
    if database is not None:
        tables = _database_tables(database)
        source = "platform database"
    else:
        assert data_dir is not None
        tables = _folder_tables(data_dir)
        source = str(data_dir)
    info = LockInfo(
        locked_by=by or getpass.getuser(),
        locked_at=dt.datetime.now(dt.UTC),
        cut_off=day,
        source=source,
        versions=versions(),
    )
    manifest = write_lock(lock_tables(tables, cut_off=day), out, info)
    for name, rows in manifest["tables"].items():
        console.print(f"{name + '.csv':<26} {rows:>8} rows", markup=False)
    console.print(f"locked {len(manifest['tables'])} tables into {out}", markup=False)


def _day(text: str | None) -> dt.date | None:
    import datetime as dt

    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(
            "is not a date", key="--cut-off", value=text, hint="give YYYY-MM-DD"
        ) from None


def _folder_tables(folder: Path) -> dict[str, pd.DataFrame]:
    from exonc.reports.data import read_table

    if not folder.is_dir():
        raise InputError("is not a folder", file=str(folder), hint="give the trial's data folder")
    return {p.stem: read_table(p) for p in sorted(folder.glob("*.csv"))}


def _database_tables(database: str) -> dict[str, pd.DataFrame]:
    import os

    from exonc.cli._app import start_django

    os.environ["EXONC_DATABASE_URL"] = database
    start_django()
    from exonc.platform.reports.dataset import trial_tables

    return trial_tables()
