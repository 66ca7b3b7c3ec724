"""``exonc trackers``: tracker exports → daily, weekly and per-visit-window activity.

    exonc trackers daily --format FORMAT INPUT... [-o daily.csv] [--timezone ZONE]
                         [--participant ID] [--mapping MAP.json] [--on-error stop|reject]
                         [--report report.json] [--valid-day-hours 10] [--goal-minutes 30]
                         [--scheduler local|tcp://host:8786]
    exonc trackers weekly DAILY.csv [-o weekly.csv]
    exonc trackers windows DAILY.csv --randomisation RAND.csv [-o windows.csv]
    exonc trackers import --format FORMAT --participant ID INPUT... [--user NAME]
                          (into the platform database: ``exonc.cli.tracker_import``)

``--format`` names the *input* format (as the issue fixes it), so the output format is
chosen with ``--output-format`` or by an ``-o`` path ending in ``.json``. The daily CSV has
exactly the columns ``participant_id, date, wear_minutes, sedentary_minutes,
light_minutes, moderate_minutes, vigorous_minutes, active_minutes, steps, valid_day,
goal_met`` (documented in ``docs/concepts/trackers.md``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, Literal

import polars as pl
import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from exonc import _toml
from exonc.cli import _io
from exonc.cli._app import err_console
from exonc.cli.tracker_import import import_command
from exonc.errors import ImportFormatError, InputError
from exonc.trackers import (
    COUNT_CUT_POINTS,
    DAILY_SCHEMA,
    FORMATS,
    ColumnMapping,
    DailyRules,
    DailyRun,
    ReadOptions,
    WearRule,
    daily_from_files,
    visit_window_summary,
    weekly_summary,
)
from exonc.trackers.pipeline import Mapper

__all__ = ["register"]

_EXTENSIONS = {
    "fitabase": (".csv", ".csv.gz"),
    "csv": (".csv", ".csv.gz"),
    "fitbit-json": (".json",),
    "garmin-fit": (".fit",),
    "apple-health": (".xml",),
    "actigraph": (".agd", ".gt3x"),
}
OnError = Literal["stop", "reject"]
WearChoice = Literal["auto", "heart-rate", "activity"]
CutPointChoice = Literal["freedson", "troiano"]


def register(app: typer.Typer) -> None:
    """Add ``exonc trackers`` and its commands to the root application."""
    trackers = typer.Typer(
        help="Activity trackers: daily, weekly and per-visit-window activity from exports.",
        no_args_is_help=True,
    )
    trackers.command("daily", no_args_is_help=True)(daily_command)
    trackers.command("weekly", no_args_is_help=True)(weekly_command)
    trackers.command("windows", no_args_is_help=True)(windows_command)
    trackers.command("import", no_args_is_help=True)(import_command)
    app.add_typer(trackers, name="trackers")


def daily_command(
    inputs: Annotated[
        list[Path],
        typer.Argument(metavar="INPUT...", help="Export files, or folders of them."),
    ],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help=f"Input format: {', '.join(FORMATS)}.")
    ],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write here (.csv or .json).")
    ] = None,
    output_format: Annotated[
        _io.OutputFormat, typer.Option("--output-format", help="csv, or json (with the report).")
    ] = "csv",
    timezone: Annotated[
        str | None,
        typer.Option("--timezone", help="IANA zone the device followed, e.g. Europe/Amsterdam."),
    ] = None,
    participant: Annotated[
        str | None,
        typer.Option("--participant", help="Participant id for formats whose files name none."),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option("--mapping", help="Column mapping for --format csv (JSON or TOML)."),
    ] = None,
    participants: Annotated[
        Path | None,
        typer.Option(
            "--participants", help="CSV with a participant_id column: reject anyone else."
        ),
    ] = None,
    on_error: Annotated[
        OnError,
        typer.Option(
            "--on-error", help="stop at the first bad row, or reject bad rows and report them."
        ),
    ] = "stop",
    report: Annotated[
        Path | None, typer.Option("--report", help="Write the import report (JSON) here.")
    ] = None,
    valid_day_hours: Annotated[
        float, typer.Option("--valid-day-hours", help="Wear hours that make a valid day.")
    ] = 10.0,
    goal_minutes: Annotated[
        int, typer.Option("--goal-minutes", help="Active minutes that meet the daily goal.")
    ] = 30,
    wear_rule: Annotated[
        WearChoice, typer.Option("--wear-rule", help="auto, heart-rate or activity.")
    ] = "auto",
    non_wear_minutes: Annotated[
        int, typer.Option("--non-wear-minutes", help="Idle run that counts as not worn.")
    ] = 60,
    cut_points: Annotated[
        CutPointChoice, typer.Option("--cut-points", help="ActiGraph counts cut-points.")
    ] = "freedson",
    memory_gib: Annotated[
        float, typer.Option("--memory-gib", help="Minutes kept in memory before spilling to disk.")
    ] = 2.0,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Summarise participants on Dask: 'local' (a LocalCluster) or a scheduler "
            "address (tcp://host:8786). Default: threads in this process.",
        ),
    ] = None,
) -> None:
    """Daily wear, intensity minutes, steps, valid day and goal from tracker exports."""
    files = _expand(inputs, fmt)
    options = ReadOptions(
        timezone=timezone,
        participant_id=participant,
        mapping=_mapping(mapping) if mapping else ColumnMapping(),
        count_cut_points=COUNT_CUT_POINTS[cut_points],
        keep_going=on_error == "reject",
    )
    rules = DailyRules(
        wear=WearRule(wear_rule, non_wear_minutes),
        valid_day_minutes=round(valid_day_hours * 60),
        goal_minutes=goal_minutes,
    )
    with _mapper(scheduler) as mapper:
        run = _run(files, fmt, options, rules, _known(participants), memory_gib, mapper)
    if report is not None:
        _io.write_json(run.report.to_dict(), report)
    if output_format == "json" or (output is not None and output.suffix.lower() == ".json"):
        _io.write_json({"daily": run.daily.to_dicts(), "report": run.report.to_dict()}, output)
    else:
        _io.write_table(_csv_ready(run.daily), output, "csv")
    _note(run)


def _run(
    files: list[Path],
    fmt: str,
    options: ReadOptions,
    rules: DailyRules,
    participants: set[str] | None,
    memory_gib: float,
    mapper: Mapper | None = None,
) -> DailyRun:
    screen = Console(stderr=True, highlight=False)  # one console for the live display
    with Progress(
        SpinnerColumn(),
        TextColumn("reading {task.fields[rows]:,} rows"),
        TimeElapsedColumn(),
        console=screen,
        transient=True,
        disable=not screen.is_terminal,
    ) as progress:
        task = progress.add_task("read", total=None, rows=0)
        counted = [0]

        def advance(rows: int) -> None:
            counted[0] += rows
            progress.update(task, rows=counted[0])

        return daily_from_files(
            files,
            fmt,
            options=options,
            rules=rules,
            participants=participants,
            memory_budget=int(memory_gib * 2**30),
            on_rows=advance,
            mapper=mapper,
        )


@contextmanager
def _mapper(scheduler: str | None) -> Iterator[Mapper | None]:
    """A mapper running on the Dask cluster at *scheduler* (checked before reading)."""
    if scheduler is None:
        yield None
        return
    from exonc.design._dask import connect, map_partitions

    with connect(scheduler) as client:
        yield lambda function, items: map_partitions(client, function, items)


def _expand(inputs: list[Path], fmt: str) -> list[Path]:
    if fmt not in FORMATS:
        raise ImportFormatError(
            "unknown tracker format", value=fmt, hint=f"choose one of {', '.join(FORMATS)}"
        )
    files: list[Path] = []
    for path in inputs:
        if path.is_dir():
            found = sorted(
                p
                for p in path.iterdir()
                if p.is_file() and p.name.lower().endswith(_EXTENSIONS[fmt])
            )
            if not found:
                raise InputError(
                    f"no {fmt} files in the folder",
                    file=str(path),
                    hint=f"expected files ending in {', '.join(_EXTENSIONS[fmt])}",
                )
            files.extend(found)
        elif not path.exists():
            raise InputError("file not found", file=str(path), hint="check the path")
        else:
            files.append(path)
    return files


def _mapping(path: Path) -> ColumnMapping:
    """A column mapping from a JSON or TOML file (exonc's one reader: unknown keys refused)."""
    table = _toml.Table(_toml.read(path, InputError), file=str(path), error=InputError)
    mapping: ColumnMapping = table.record(ColumnMapping)
    return mapping


def _known(path: Path | None) -> set[str] | None:
    if path is None:
        return None
    frame = _io.read_table(path)
    _io.require_columns(frame, ["participant_id"], file=str(path))
    return {str(v) for v in frame["participant_id"].dropna()}


def _csv_ready(daily: pl.DataFrame) -> Any:
    return daily.select(DAILY_SCHEMA.names()).to_pandas()


def _note(run: DailyRun) -> None:
    totals = run.report
    failed = len(totals.failed)
    err_console.print(
        f"{len(totals.files)} file{'s' if len(totals.files) != 1 else ''}: "
        f"{totals.rows_read:,} rows read, {totals.accepted:,} accepted, "
        f"{totals.rejected:,} rejected, {totals.duplicates.total:,} duplicate minute values "
        f"resolved; {run.daily.height:,} days"
        + (f"; {failed} file{'s' if failed > 1 else ''} failed" if failed else ""),
        markup=False,
        highlight=False,
    )


def _read_daily(path: Path) -> pl.DataFrame:
    frame = _io.read_table(path)
    _io.require_columns(frame, list(DAILY_SCHEMA.names()), file=str(path))
    try:
        return pl.from_pandas(frame[list(DAILY_SCHEMA.names())]).with_columns(
            pl.col("participant_id").cast(pl.String),
            pl.col("date").cast(pl.String).str.to_date(),
            *(pl.col(c).cast(pl.Int64) for c in DAILY_SCHEMA.names()[2:9]),
            *(
                pl.col(c).cast(pl.String).str.to_lowercase() == "true"
                for c in ("valid_day", "goal_met")
            ),
        )
    except pl.exceptions.PolarsError as exc:
        raise InputError(
            f"not a daily summary ({str(exc).splitlines()[0]})",
            file=str(path),
            hint="give the output of exonc trackers daily",
        ) from exc


def weekly_command(
    daily: Annotated[Path, typer.Argument(metavar="DAILY", help="Output of trackers daily.")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here.")] = None,
    output_format: Annotated[_io.OutputFormat, typer.Option("--output-format")] = "csv",
) -> None:
    """Per participant and ISO week: valid days, goal days, adherence and means."""
    frame = weekly_summary(_read_daily(daily))
    _io.write_table(frame.to_pandas(), output, output_format)


def windows_command(
    daily: Annotated[Path, typer.Argument(metavar="DAILY", help="Output of trackers daily.")],
    randomisation: Annotated[
        Path,
        typer.Option(
            "--randomisation", help="CSV with participant_id and randomisation_date (YYYY-MM-DD)."
        ),
    ],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here.")] = None,
    output_format: Annotated[_io.OutputFormat, typer.Option("--output-format")] = "csv",
) -> None:
    """Per participant and visit window (baseline, months 0-3, 3-6, 6-9)."""
    table = _io.read_table(randomisation)
    _io.require_columns(table, ["participant_id", "randomisation_date"], file=str(randomisation))
    dates = pl.from_pandas(table[["participant_id", "randomisation_date"]].astype(str))
    try:
        frame = visit_window_summary(_read_daily(daily), dates)
    except InputError as error:
        raise error.located(str(randomisation)) from None
    _io.write_table(frame.to_pandas(), output, output_format)
