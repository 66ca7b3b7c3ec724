"""Export and import in one call each: exonc's tidy tables to and from every format.

These are the functions the command line calls (and the platform's download pages will):
each export takes exonc's tidy tables — a folder as ``exonc synth`` writes it, or the same
tables in memory — and each import returns the tables and an import report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from exonc.interchange.audit import audit_frame, audit_trail
from exonc.interchange.casebook import Casebook, casebook_from_tables, tables_from_casebook
from exonc.interchange.crf import Forms
from exonc.interchange.data_dir import AUDIT_TABLE, read_tables, write_files, write_frame
from exonc.interchange.fhir.bulk import fhir_resources, read_fhir, write_fhir
from exonc.interchange.odm.document import odm_bytes, odm_document
from exonc.interchange.odm.reader import read_odm
from exonc.interchange.odm.schema import check_odm
from exonc.interchange.redcap.mapping import read_mapping
from exonc.interchange.redcap.project import project_casebook, read_project, write_project
from exonc.interchange.report import InterchangeReport

__all__ = [
    "Imported",
    "casebook_of",
    "export_fhir",
    "export_odm",
    "export_redcap",
    "import_fhir",
    "import_odm",
    "import_redcap",
    "write_imported",
]

Tables = Mapping[str, pd.DataFrame]
REPORT_FILE = "import-report.json"


def casebook_of(tables: Tables, forms: Forms) -> Casebook:
    """The casebook of *tables*, with the audit trail when they include ``audit_trail``."""
    audit = audit_trail(tables[AUDIT_TABLE], forms) if AUDIT_TABLE in tables else None
    return casebook_from_tables(tables, forms, audit=audit)


def export_redcap(tables: Tables, forms: Forms, out: Path) -> Casebook:
    """Write *tables* as a REDCap project folder *out*."""
    book = casebook_of(tables, forms)
    write_project(book, out)
    return book


def export_odm(tables: Tables, forms: Forms, out: Path, *, created: dt.datetime) -> Casebook:
    """Write *tables* as one ODM 1.3.2 file *out*, validated against the XSD first."""
    book = casebook_of(tables, forms)
    document = odm_document(book, created=created)
    check_odm(document, file=str(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    partial.write_bytes(odm_bytes(document))
    partial.replace(out)
    return book


def export_fhir(tables: Tables, forms: Forms, out: Path) -> dict[str, int]:
    """Write *tables* as FHIR R4 NDJSON files into *out*; resources per type."""
    book = casebook_of(tables, forms)
    return write_fhir(fhir_resources(book, tables.get("tracker_days")), out)


def read_data_dir(
    folder: Path, forms: Forms, *, tracker_days: bool = False
) -> dict[str, pd.DataFrame]:
    """The tidy tables of *folder* (and ``tracker_days``, which only FHIR carries)."""
    tables = read_tables(folder, forms)
    days = folder / "tracker_days.csv"
    if tracker_days and days.is_file():
        tables["tracker_days"] = pd.read_csv(days, dtype=str, keep_default_na=False, na_values=[""])
    return tables


class Imported:
    """An import's tables (exonc's tidy tables, text) and its report."""

    def __init__(self, book: Casebook, report: InterchangeReport) -> None:
        self.book = book
        self.report = report
        self.tables = tables_from_casebook(book)
        if book.audit is not None:
            self.tables[AUDIT_TABLE] = audit_frame(book.audit, book.forms)


def import_redcap(folder: Path, forms: Forms, mapping: Path | None = None) -> Imported:
    """Read a REDCap project folder (exonc's, or another through a *mapping* file)."""
    project = read_project(folder)
    chosen = None if mapping is None else read_mapping(mapping, forms, project.dictionary)
    return Imported(*project_casebook(project, forms, chosen))


def import_odm(path: Path, forms: Forms) -> Imported:
    return Imported(*read_odm(path, forms))


def import_fhir(folder: Path, forms: Forms) -> Imported:
    return Imported(*read_fhir(folder, forms))


def write_imported(imported: Imported, out: Path) -> None:
    """Write the tables and ``import-report.json`` into *out*, all at once."""

    def write(staging: Path) -> None:
        for name, frame in imported.tables.items():
            write_frame(staging / f"{name}.csv", frame)
        (staging / REPORT_FILE).write_text(imported.report.to_json(), encoding="utf-8")

    write_files(out, write)
