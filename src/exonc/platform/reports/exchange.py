"""A locked dataset in the formats other systems read: REDCap, CDISC ODM 1.3.2, FHIR R4.

A lock's ``csv/`` folder holds exonc's tidy tables (pseudonymised: no ``birth_year``),
which is what :mod:`exonc.interchange` reads, so each download is one call of
:mod:`exonc.interchange.exchange` on that folder, written into a temporary folder and
handed back as an open, anonymous temporary file: nothing is ever written into the lock
(locks never change). Statisticians (and administrators) only, as every lock download.
"""

from __future__ import annotations

import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.utils import timezone

from exonc.errors import InputError
from exonc.interchange.crf import Forms, build_forms, default_forms
from exonc.interchange.exchange import export_fhir, export_odm, export_redcap, read_data_dir
from exonc.platform.accounts.models import User
from exonc.platform.outcomes.wording import installed_text_pack
from exonc.platform.reports.models import DataLock
from exonc.platform.reports.services import require_statistician
from exonc.protocol import load_protocol

__all__ = ["FORMATS", "Download", "ExportFormat", "export_lock", "lock_tables_folder"]


@dataclass(frozen=True)
class ExportFormat:
    """One interchange format: the file's suffix (after ``lock-<id>-``) and content type."""

    name: str
    file: str
    content_type: str


FORMATS = {
    "redcap": ExportFormat("redcap", "redcap.zip", "application/zip"),
    "odm": ExportFormat("odm", "odm.xml", "application/xml"),
    "fhir": ExportFormat("fhir", "fhir.zip", "application/zip"),
}


@dataclass(frozen=True)
class Download:
    """An export ready to stream: the open file (deleted when closed) and its name."""

    file: IO[bytes]
    filename: str
    content_type: str


def lock_tables_folder(lock: DataLock) -> Path:
    """The folder of the lock's tidy tables, as the interchange readers read them."""
    return Path(lock.folder) / "csv"


def _forms() -> Forms:
    """The trial's forms, with the installed questionnaire wording when there is one."""
    pack = installed_text_pack()
    return default_forms() if pack is None else build_forms(load_protocol(), text_pack=pack)


def export_lock(user: User, lock: DataLock, kind: str) -> Download:
    """*lock* as a REDCap project (zip), an ODM file or FHIR NDJSON files (zip)."""
    require_statistician(user)
    chosen = FORMATS.get(kind)
    if chosen is None:
        raise InputError("no such format", value=kind, hint=", ".join(FORMATS))
    forms = _forms()
    folder = lock_tables_folder(lock)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 -- the response closes (and so deletes) it
    try:
        with tempfile.TemporaryDirectory(prefix="exonc-export-") as scratch:
            out = Path(scratch) / "out"
            if kind == "odm":
                tables = read_data_dir(folder, forms)
                export_odm(tables, forms, out, created=timezone.now().replace(microsecond=0))
                handle.write(out.read_bytes())
            else:
                if kind == "redcap":
                    export_redcap(read_data_dir(folder, forms), forms, out)
                else:
                    export_fhir(read_data_dir(folder, forms, tracker_days=True), forms, out)
                _zip_folder(out, handle)
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    return Download(handle, f"lock-{lock.pk}-{chosen.file}", chosen.content_type)


def _zip_folder(folder: Path, handle: IO[bytes]) -> None:
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            if path.is_file():
                archive.write(path, path.name)
