"""``exonc export|import redcap|odm|fhir`` and ``exonc redcap pull``: interchange.

File-in/file-out commands call :mod:`exonc.interchange.exchange`; ``exonc import redcap
--database`` loads the project into a new platform database through the platform's
services (:mod:`exonc.platform.interchange.services`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from exonc.cli._app import console
from exonc.cli._groups import export_app, import_app

if TYPE_CHECKING:
    from exonc.interchange.crf import Forms
    from exonc.interchange.exchange import Imported

redcap_app = typer.Typer(
    name="redcap", help="Talk to a REDCap server: download a project.", no_args_is_help=True
)

DataDir = Annotated[
    Path,
    typer.Argument(
        metavar="DATA_DIR", help="Folder of exonc's tidy tables (as exonc synth writes)."
    ),
]
TextPackOption = Annotated[
    Path | None,
    typer.Option(
        "--text-pack",
        envvar="EXONC_TEXT_PACK",
        help="Questionnaire wording (the text pack you license; default: the installed "
        "one, EXONC_TEXT_PACK); without one, items carry codes only.",
    ),
]


def register(app: typer.Typer) -> None:
    export_app.command("redcap")(export_redcap)
    export_app.command("odm")(export_odm)
    export_app.command("fhir")(export_fhir)
    import_app.command("redcap")(import_redcap)
    import_app.command("odm")(import_odm)
    import_app.command("fhir")(import_fhir)
    redcap_app.command("pull")(pull)
    app.add_typer(redcap_app)


def _forms(text_pack: Path | None = None) -> Forms:
    from exonc.interchange.crf import build_forms, default_forms
    from exonc.protocol import load_protocol
    from exonc.questionnaires import read_text_pack

    if text_pack is None:
        return default_forms()
    return build_forms(load_protocol(), text_pack=read_text_pack(text_pack))


def export_redcap(
    data_dir: DataDir,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for the project's four CSV files.")
    ],
    text_pack: TextPackOption = None,
) -> None:
    """Write a longitudinal REDCap project: data dictionary, events, instruments, records."""
    from exonc.interchange.exchange import export_redcap as export
    from exonc.interchange.exchange import read_data_dir

    forms = _forms(text_pack)
    book = export(read_data_dir(data_dir, forms), forms, out)
    console.print(f"wrote a REDCap project of {len(book.records)} records to {out}")


def export_odm(
    data_dir: DataDir,
    out: Annotated[Path, typer.Option("--out", "-o", help="The ODM XML file to write.")],
    text_pack: TextPackOption = None,
) -> None:
    """Write CDISC ODM 1.3.2 (metadata, clinical data, audit records), checked against its XSD."""
    from exonc.interchange.exchange import export_odm as export
    from exonc.interchange.exchange import read_data_dir

    forms = _forms(text_pack)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    book = export(read_data_dir(data_dir, forms), forms, out, created=now)
    console.print(f"wrote {out}: {len(book.records)} subjects, valid CDISC ODM 1.3.2")


def export_fhir(
    data_dir: DataDir,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for one NDJSON file per resource type.")
    ],
    text_pack: TextPackOption = None,
) -> None:
    """Write FHIR R4 Bulk Data NDJSON; every resource validated with fhir.resources."""
    from exonc.interchange.exchange import export_fhir as export
    from exonc.interchange.exchange import read_data_dir

    forms = _forms(text_pack)
    counts = export(read_data_dir(data_dir, forms, tracker_days=True), forms, out)
    for kind, n in counts.items():
        console.print(f"{kind + '.ndjson':<30} {n:>8} resources")


ImportOut = Annotated[
    Path | None, typer.Option("--out", "-o", help="Folder to write exonc's tidy tables into.")
]


def import_redcap(
    project: Annotated[Path, typer.Argument(metavar="DIR", help="A REDCap project folder.")],
    out: ImportOut = None,
    mapping: Annotated[
        Path | None, typer.Option(help="Mapping file for a project exonc did not write (TOML).")
    ] = None,
    database: Annotated[
        str | None,
        typer.Option(help="Load into this new, empty platform database instead (URL)."),
    ] = None,
) -> None:
    """Read a REDCap project into exonc's tidy tables, or into a new platform database."""
    from exonc.interchange.exchange import import_redcap as read

    imported = read(project, _forms(), mapping)
    _finish(imported, out, database)


def import_odm(
    path: Annotated[Path, typer.Argument(metavar="FILE", help="A CDISC ODM 1.3.2 file.")],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder to write exonc's tidy tables into.")
    ],
) -> None:
    """Read an ODM file's ClinicalData (and AuditRecords) into exonc's tidy tables."""
    from exonc.interchange.exchange import import_odm as read

    _finish(read(path, _forms()), out, None)


def import_fhir(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="A folder of FHIR NDJSON files.")],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder to write exonc's tidy tables into.")
    ],
) -> None:
    """Read QuestionnaireResponses into exonc's questionnaire tables (score them as usual)."""
    from exonc.interchange.exchange import import_fhir as read

    _finish(read(folder, _forms()), out, None)


def _finish(imported: Imported, out: Path | None, database: str | None) -> None:
    from exonc.errors import InputError
    from exonc.interchange.exchange import write_imported

    if (out is None) == (database is None):
        raise InputError("give either --out DATA_DIR or --database URL", hint="see --help")
    if database is not None:
        _load_database(imported, database)
    if out is not None:
        write_imported(imported, out)
    for line in imported.report.lines():
        console.print(line)


def _load_database(imported: Imported, database: str) -> None:
    import os

    from exonc.cli._app import start_django

    os.environ["EXONC_DATABASE_URL"] = database
    start_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from exonc.platform.interchange.services import import_trial

    record = import_trial(imported.tables, imported.report)
    console.print(f"loaded into the database as import {record.pk} (history reason: imported)")


def pull(
    url: Annotated[str, typer.Option(help="The project's API URL (ends in /api/).")],
    token_file: Annotated[Path, typer.Option(help="File holding the project's API token.")],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for the project's four CSV files.")
    ],
) -> None:
    """Download a project's data dictionary, events, instruments and records (REDCap API)."""
    import httpx

    from exonc.interchange.redcap.api import pull_project, read_token

    token = read_token(token_file)
    with httpx.Client(timeout=120) as client:
        counts = pull_project(client, url, token, out)
    for name, n in counts.items():
        console.print(f"{name:<30} {n:>8} rows")
