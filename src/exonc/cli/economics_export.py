"""``exonc economics export``: the platform database's per-participant analysis table.

    exonc economics export --out FILE [--productivity friction-cost|human-capital]
                           [--today YYYY-MM-DD] [--format text|json]

Writes the table the platform's health-economics page analyses — the input of
``exonc economics cea`` (docs/concepts/economics-platform.md) — from the database named by
the platform settings (``EXONC_DATABASE_URL`` / ``EXONC_VAR_DIR``), and prints the command
that reruns the page's base case on it. An operator command: whoever runs it has the
database, so it is not scoped to a user; the table holds pseudonymous study IDs only.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from exonc.cli._app import console, fail
from exonc.cli._io import write_json, write_text
from exonc.cli.economics import economics
from exonc.economics import threshold_values
from exonc.errors import EconomicsInputError, ExoncError

if TYPE_CHECKING:
    from exonc.platform.economics.dataset import AnalysisTable

__all__ = ["export", "register"]


def register(app: typer.Typer) -> None:
    """Add ``export`` to ``exonc economics`` (registered by :mod:`exonc.cli.economics`)."""
    del app  # the command belongs to the economics group, which the root app already has
    economics.command("export")(export)


def export(
    out: Annotated[Path, typer.Option("--out", help="CSV file to write.")],
    productivity: Annotated[
        str, typer.Option(help="friction-cost or human-capital (default: costing.toml's).")
    ] = "",
    today: Annotated[
        str, typer.Option(help="YYYY-MM-DD: follow-up over by this day (default: today).")
    ] = "",
    format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """Write the platform's per-participant cost-utility table (input of `economics cea`)."""
    try:
        if format not in ("text", "json"):
            raise EconomicsInputError(f"--format {format!r}", hint="choose text or json")
        table, command = _export(out, productivity, _day(today))
    except ExoncError as error:
        fail(str(error))
    summary = {
        "file": str(out),
        "rows": len(table.frame),
        "purpose": table.purpose,
        "randomised": table.randomised,
        "in_follow_up": table.in_follow_up,
        "columns": list(table.frame.columns),
        "command": command,
    }
    if format == "json":
        write_json(summary)
        return
    waiting = sum(table.in_follow_up.values())
    console.print(
        f"wrote {len(table.frame)} participants to {out} ({waiting} still in follow-up, "
        f"not exported; {table.purpose} allocations)",
        markup=False,
    )
    console.print(f"rerun the base case: {command}", markup=False)


def _day(text: str) -> dt.date:
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise EconomicsInputError(
            "is not a date", key="--today", value=text, hint="give YYYY-MM-DD"
        ) from None


def _export(out: Path, productivity: str, today: dt.date) -> tuple[AnalysisTable, str]:
    from exonc.cli._app import start_django

    start_django()
    from exonc.platform.economics import analysis
    from exonc.platform.economics.costing import load_costing
    from exonc.platform.economics.dataset import analysis_table

    options = analysis.options_from({"productivity": productivity})
    table = analysis_table(load_costing(), today=today, method=options.productivity)
    write_text(analysis.csv_text(table.frame), out)
    wtp = list(threshold_values("Netherlands"))
    return table, analysis.command(analysis.scenarios()[0], wtp, options, file=str(out))
