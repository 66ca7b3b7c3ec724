"""``exonc trackers import``: tracker exports into the platform database and minute store.

    exonc trackers import --format FORMAT --participant STUDY_ID INPUT... [--user NAME]
                          [--timezone ZONE] [--tracker-id ID] [--output-format text|json]

Runs the platform's import service (``exonc.platform.activity.services.import_exports``)
on the database and store named by the platform settings (``EXONC_DATABASE_URL`` /
``EXONC_VAR_DIR``): the files are kept, imported into the minute store, her days are
recomputed, and the import report is printed. The import is recorded under ``--user``
(default: the operating-system login name, if the platform has a user of that name), who
must be a coordinator or physiotherapist at her centre, or an administrator. Exit code 2
when the input cannot be used: unknown user, participant, format or time zone, a missing
file, or a file that could not be imported (the others are imported and recorded).
"""

from __future__ import annotations

import datetime as dt
import getpass
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer
from rich.table import Table

from exonc.cli import _io
from exonc.cli._app import EXIT_INPUT, console, err_console, start_django
from exonc.errors import AlreadyImported, InputError
from exonc.trackers import FORMATS

if TYPE_CHECKING:
    from exonc.platform.accounts.models import User
    from exonc.platform.activity.reports import ImportSummary

__all__ = ["import_command"]


def import_command(
    inputs: Annotated[
        list[Path],
        typer.Argument(metavar="INPUT...", help="Export files, or folders of them."),
    ],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help=f"Input format: {', '.join(FORMATS)}.")
    ],
    participant: Annotated[
        str, typer.Option("--participant", help="Study ID of the participant the files are of.")
    ],
    user: Annotated[
        str | None,
        typer.Option(
            "--user",
            help="Username the import is recorded under (default: your login name); a "
            "coordinator or physiotherapist at her centre, or an administrator.",
        ),
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option("--timezone", help="IANA zone the tracker followed (default: her centre's)."),
    ] = None,
    tracker_id: Annotated[
        str | None,
        typer.Option(
            "--tracker-id",
            help="Her id in exports that name participants (e.g. Fitabase Id); set once.",
        ),
    ] = None,
    output_format: Annotated[
        Literal["text", "json"],
        typer.Option("--output-format", help="text, or json: the import report as JSON."),
    ] = "text",
) -> None:
    """Import a participant's tracker exports into the platform database and minute store."""
    from exonc.cli.trackers import _expand

    files = _expand(inputs, fmt)
    start_django()
    summary = _import(files, fmt, participant, user, timezone or "", tracker_id or "")
    _show(summary, output_format == "json")
    unusable = [f for f in summary.files if f.status == "failed"]
    if unusable:
        err_console.print(
            f"error: {len(unusable)} of {len(summary.files)} files could not be imported "
            f"(import {summary.id} recorded the others); see the report",
            markup=False,
        )
        raise typer.Exit(EXIT_INPUT)


def _import(
    files: list[Path], fmt: str, study_id: str, user: str | None, zone: str, tracker_id: str
) -> ImportSummary:
    from exonc.platform.activity import services
    from exonc.platform.activity.reports import import_summary
    from exonc.platform.trial.models import Participant
    from exonc.protocol.study_ids import check_safe

    check_safe(study_id)  # letters, digits and hyphens only: a study ID never names a path
    found = Participant.objects.select_related("centre").filter(study_id=study_id).first()
    if found is None:
        raise InputError(
            f"--participant {study_id!r} is not in the platform database",
            hint="give the study ID of an enrolled participant",
        )
    who = _user(user)
    with ExitStack() as stack:
        given = [
            services.ExportFile(path.name, stack.enter_context(open(path, "rb"))) for path in files
        ]
        upload = services.Upload(fmt, given, zone, tracker_id, channel="command line")
        try:
            record = services.import_exports(who, found, upload, now=dt.datetime.now(dt.UTC))
        except AlreadyImported as repeat:  # nothing new: the import that stored them
            err_console.print(str(repeat), markup=False)
            record = repeat.earlier
    return import_summary(record, who)


def _user(name: str | None) -> User:
    from exonc.platform.accounts.models import User

    chosen = name or getpass.getuser()
    found = User.objects.filter(username=chosen, is_active=True).first()
    if found is None:
        raise InputError(
            f"{'--user' if name else 'your login name'} {chosen!r} is not an active platform user",
            hint="give --user with the username of a coordinator or physiotherapist at her "
            "centre, or of an administrator",
        )
    return found


def _show(summary: ImportSummary, as_json: bool) -> None:
    if as_json:
        from exonc.results import jsonable

        data: dict[str, Any] = jsonable(summary)
        _io.write_json(data)
        return
    console.print(f"import {summary.id} ({summary.outcome}): {summary.headline}", markup=False)
    table = Table("file", "status", "rows read", "accepted", "rejected")
    for f in summary.files:
        table.add_row(f.name, f.status, f"{f.rows_read:,}", f"{f.accepted:,}", f"{f.rejected:,}")
    console.print(table)
    for f in summary.files:
        console.print(f"{f.name}: {f.message}", markup=False)
        for r in f.reasons:
            examples = f" — e.g. {'; '.join(r.examples)}" if r.examples else ""
            console.print(f"  {r.reason}: {r.count:,}{examples}", markup=False)
