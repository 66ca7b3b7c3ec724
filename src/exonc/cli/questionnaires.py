"""``exonc score`` (questionnaires): score answers in a CSV or Parquet file.

    exonc score INSTRUMENT INPUT [-o OUTPUT] [--value-set NAME] [--format csv|json]
                [--invalid error|missing]
    exonc score eq-5d-5l --list-value-sets

The output keeps every input column and adds the scores (documented per instrument in
``docs/instruments/``). Scores with a provisional item map (the QLQ-FA12 subscales) are
named on stderr ("provisional item map") and in the JSON's ``provisional`` and
``warnings``. An output path ending in ``.parquet`` writes Parquet, one
ending in ``.json`` the JSON document; otherwise ``--format`` decides.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from exonc.cli import _io
from exonc.cli._app import console, err_console
from exonc.errors import InputError, ScoringError
from exonc.questionnaires import (
    INSTRUMENTS,
    VALUE_SETS,
    InvalidPolicy,
    ScoredTable,
    get_instrument,
    score_table,
)

__all__ = ["register"]

_MAX_LISTED = 100  # invalid answers listed in a JSON document


def register(app: typer.Typer) -> None:
    """Add ``exonc score`` to the root application."""
    app.command("score", no_args_is_help=True)(score_command)


def score_command(
    instrument: Annotated[
        str, typer.Argument(help=f"One of {', '.join(INSTRUMENTS)}.", show_default=False)
    ],
    input_file: Annotated[
        Path | None,
        typer.Argument(metavar="INPUT", help="CSV or Parquet file of answers, one row per set."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="Write here (.csv, .json or .parquet); default stdout."
        ),
    ] = None,
    value_set: Annotated[
        str | None, typer.Option("--value-set", help="EQ-5D-5L value set, e.g. NL, DE, ENG.")
    ] = None,
    fmt: Annotated[_io.OutputFormat, typer.Option("--format", help="Output format.")] = "csv",
    invalid: Annotated[
        InvalidPolicy,
        typer.Option(
            "--invalid",
            help="Stop at the first invalid answer (error) or score it as missing and report.",
        ),
    ] = "error",
    list_value_sets: Annotated[
        bool, typer.Option("--list-value-sets", help="List the EQ-5D-5L value sets and exit.")
    ] = False,
) -> None:
    """Score questionnaire answers: QLQ-C30, QLQ-FA12, EQ-5D-5L or HADS."""
    definition = get_instrument(instrument)
    if list_value_sets:
        if not definition.needs_value_set:
            raise ScoringError(f"{definition.name} has no value sets", hint="use eq-5d-5l")
        _list_value_sets(fmt)
        return
    if input_file is None:
        raise InputError("no INPUT file given", hint="exonc score INSTRUMENT INPUT [-o OUTPUT]")
    name = str(input_file)
    try:
        frame = _io.read_table(input_file)
        result = score_table(definition.name, frame, value_set, invalid=invalid)
    except InputError as error:
        raise error.located(name) from None
    _write(result, output, fmt)
    if definition.provisional_warning:
        err_console.print(f"warning: {definition.provisional_warning}", markup=False)
    if result.n_invalid:
        _report_invalid(result, name)


def _write(result: ScoredTable, output: Path | None, fmt: _io.OutputFormat) -> None:
    if output is not None and output.suffix.lower() in {".parquet", ".pq"}:
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(f".{output.name}.partial")
        result.frame.to_parquet(partial, index=False)
        partial.replace(output)
    elif fmt == "json" or (output is not None and output.suffix.lower() == ".json"):
        _io.write_json(_document(result), output)
    else:
        _io.write_table(result.frame, output, "csv")


def _document(result: ScoredTable) -> dict[str, Any]:
    """The JSON document: what was scored and how, then one record per answer set."""
    return {
        "instrument": result.instrument,
        "scoring_id": result.scoring_id,
        "value_set": result.value_set,
        "n_rows": len(result.frame),
        "n_invalid": result.n_invalid,
        "invalid": list(result.invalid[:_MAX_LISTED]),
        "provisional": list(get_instrument(result.instrument).provisional_scores),
        "warnings": list(result.warnings),
        "scores": result.frame,
    }


def _report_invalid(result: ScoredTable, name: str) -> None:
    first = result.invalid[0]
    err_console.print(
        f"note: {name}: {result.n_invalid} invalid answer"
        f"{'s' if result.n_invalid > 1 else ''} scored as missing "
        f"(first: row {first.row}, column {first.column}, value {first.value!r}: "
        f"{first.problem})",
        markup=False,
    )


def _list_value_sets(fmt: str) -> None:
    fields = ("code", "name", "country", "year", "publication", "doi")
    if fmt == "json":
        _io.write_json([{f: getattr(v, f) for f in fields} for v in VALUE_SETS.values()])
        return
    table = Table("code", "value set", "publication", "DOI", box=None, header_style="bold")
    for v in VALUE_SETS.values():
        table.add_row(v.code, v.name, v.publication, f"doi:{v.doi}")
    console.print(table)
