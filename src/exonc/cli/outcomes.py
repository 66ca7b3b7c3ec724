"""``exonc outcomes``: questionnaire responses in the platform database.

    exonc outcomes rescore --user NAME [--reason TEXT] [--latest] [--instrument NAME]
                           [--centre CODE] [--dry-run] [--format text|json]

Scores every submitted response again from its stored raw answers. Without ``--latest``
each response is scored with the scoring version and value set it records, which must
give back the stored scores; with ``--latest`` it is scored with the current rules and the
centre country's current value set. Changed scores are written with the user and the
reason in their history. Runs on the database named by the platform settings
(``EXONC_DATABASE_URL`` / ``EXONC_VAR_DIR``).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Literal

import typer
from rich.table import Table

from exonc.cli._app import console, start_django
from exonc.cli._io import write_json
from exonc.errors import InputError

if TYPE_CHECKING:
    from exonc.platform.outcomes.rescoring import RescoreReport

__all__ = ["register"]

outcomes_app = typer.Typer(
    name="outcomes",
    help="Questionnaire responses in the platform database.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add ``exonc outcomes`` to the root application."""
    outcomes_app.command("rescore")(rescore_command)
    app.add_typer(outcomes_app)


def rescore_command(
    user: Annotated[
        str,
        typer.Option(
            "--user",
            help="Username the changes are recorded under (a coordinator or administrator).",
        ),
    ],
    reason: Annotated[
        str, typer.Option("--reason", help="Why the scores are recomputed (kept in their history).")
    ] = "",
    latest: Annotated[
        bool,
        typer.Option(
            "--latest", help="Use the current scoring rules and value sets, not the stored ones."
        ),
    ] = False,
    instrument: Annotated[
        str | None, typer.Option("--instrument", help="Only this instrument, e.g. qlq-c30.")
    ] = None,
    centre: Annotated[
        str | None, typer.Option("--centre", help="Only this centre, e.g. NL-UTR.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Report what would change; write nothing.")
    ] = False,
    fmt: Annotated[
        Literal["text", "json"], typer.Option("--format", help="Output format.")
    ] = "text",
) -> None:
    """Recompute stored questionnaire scores from the stored raw answers."""
    start_django()
    from exonc.platform.accounts.models import User
    from exonc.platform.outcomes.rescoring import rescore

    found = User.objects.filter(username=user, is_active=True).first()
    if found is None:
        raise InputError(
            f"--user {user!r} is not an active user",
            hint="give the username of a coordinator or an administrator",
        )
    if not dry_run and not reason.strip():
        raise InputError("--reason is required", hint="say why the scores are recomputed")
    report = rescore(
        found,
        reason=reason,
        now=dt.datetime.now(dt.UTC),
        latest=latest,
        instrument=instrument,
        centre=centre,
        dry_run=dry_run,
    )
    if fmt == "json":
        write_json({**_plain(report), "unchanged": report.unchanged})
    else:
        _print(report)


def _plain(report: RescoreReport) -> dict[str, object]:
    from exonc.results import jsonable

    data: dict[str, object] = jsonable(report)
    return data


def _print(report: RescoreReport) -> None:
    rules = "current rules and value sets" if report.latest else "the stored scoring versions"
    written = "would change (dry run)" if report.dry_run else "changed"
    console.print(
        f"{report.examined} submitted responses rescored with {rules}: "
        f"{report.unchanged} unchanged, {report.changed} {written}"
    )
    if report.changes:
        table = Table(
            "participant", "visit", "instrument", "scoring", "value set", "scores changed"
        )
        for c in report.changes:
            table.add_row(
                c.study_id,
                c.visit,
                c.instrument,
                " → ".join(dict.fromkeys(c.scoring_id)),
                " → ".join(dict.fromkeys(c.value_set)) or "—",
                ", ".join(c.scores),
            )
        console.print(table)
