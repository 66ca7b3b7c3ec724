"""A longitudinal REDCap project as four CSV files, written from and read into exonc.

``data_dictionary.csv`` (the variables), ``events.csv`` (one event per visit, plus the
end-of-study event; the columns of REDCap's event export), ``instrument_designation.csv``
(which instruments each event holds: ``arm_num, unique_event_name, form``) and
``records.csv`` (the flat records). ``exonc redcap pull`` downloads the same four files
from a REDCap server's API.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from exonc.errors import InterchangeError
from exonc.interchange.casebook import Casebook, tables_from_casebook
from exonc.interchange.crf import Forms
from exonc.interchange.data_dir import read_csv_rows, write_csv, write_files
from exonc.interchange.redcap.dictionary import (
    DICTIONARY_HEADER,
    Dictionary,
    dictionary_rows,
    parse_dictionary,
)
from exonc.interchange.redcap.mapping import ProjectMapping, default_mapping
from exonc.interchange.redcap.records import (
    Designation,
    RecordsReader,
    records_header,
    records_rows,
)
from exonc.interchange.report import InterchangeReport, interchange_report

__all__ = [
    "DESIGNATION_HEADER",
    "DICTIONARY_FILE",
    "EVENTS_FILE",
    "EVENTS_HEADER",
    "RECORDS_FILE",
    "RedcapProject",
    "project_casebook",
    "read_project",
    "write_project",
]

DICTIONARY_FILE = "data_dictionary.csv"
EVENTS_FILE = "events.csv"
DESIGNATION_FILE = "instrument_designation.csv"
RECORDS_FILE = "records.csv"
EVENTS_HEADER = (
    "event_name",
    "arm_num",
    "day_offset",
    "offset_min",
    "offset_max",
    "unique_event_name",
    "custom_event_label",
)
DESIGNATION_HEADER = ("arm_num", "unique_event_name", "form")
ARM = "1"
DAYS_PER_MONTH = 365.25 / 12


def write_project(book: Casebook, out: Path) -> None:
    """Write *book* as a REDCap project folder (all four files, atomically)."""
    forms = book.forms
    mapping = default_mapping(forms)
    designation = _designation(forms, mapping)

    def write(staging: Path) -> None:
        write_csv(staging / DICTIONARY_FILE, DICTIONARY_HEADER, dictionary_rows(forms))
        write_csv(staging / EVENTS_FILE, EVENTS_HEADER, _event_rows(forms, mapping))
        write_csv(staging / DESIGNATION_FILE, DESIGNATION_HEADER, _designation_rows(designation))
        write_csv(
            staging / RECORDS_FILE, records_header(forms), records_rows(book, mapping, designation)
        )

    write_files(out, write)


def _designation(forms: Forms, mapping: ProjectMapping) -> dict[str, frozenset[str]]:
    return {
        mapping.unique_event(event.code): frozenset(
            form.name for form in forms.forms if event.code in form.events
        )
        for event in forms.events
    }


def _event_rows(forms: Forms, mapping: ProjectMapping) -> Iterator[list[str]]:
    """Day offsets approximate the protocol's calendar months (REDCap counts days)."""
    for event in forms.events:
        offset = (
            "" if event.offset_months is None else str(round(event.offset_months * DAYS_PER_MONTH))
        )
        low = str(event.window_before_days) if event.offset_months is not None else ""
        high = str(event.window_after_days) if event.offset_months is not None else ""
        yield [event.code, ARM, offset, low, high, mapping.unique_event(event.code), ""]


def _designation_rows(designation: Designation) -> Iterator[list[str]]:
    for unique, held in designation.items():
        for form in sorted(held):
            yield [ARM, unique, form]


@dataclass(frozen=True)
class RedcapProject:
    """A project folder as read: dictionary, events, designation and raw records."""

    folder: Path
    dictionary: Dictionary
    events: tuple[str, ...]
    designation: Designation
    header: tuple[str, ...]
    rows: list[list[str | None]]

    def file(self, name: str) -> str:
        return str(self.folder / name)


def read_project(folder: Path) -> RedcapProject:
    """Read the four files of a project folder (events and designation are optional)."""
    if not folder.is_dir():
        raise InterchangeError(
            "is not a folder", file=str(folder), hint="give a REDCap project folder"
        )
    path = folder / DICTIONARY_FILE
    dictionary = parse_dictionary(*_required(path), file=str(path))
    events, designation = _read_events(folder)
    header, rows = _required(folder / RECORDS_FILE)
    return RedcapProject(folder, dictionary, events, designation, tuple(header), rows)


def _required(path: Path) -> tuple[list[str], list[list[str | None]]]:
    if not path.is_file():
        raise InterchangeError(
            "missing", file=str(path), hint=f"a project folder holds {path.name}"
        )
    return read_csv_rows(path)


def _read_events(folder: Path) -> tuple[tuple[str, ...], Designation]:
    events: tuple[str, ...] = ()
    path = folder / EVENTS_FILE
    if path.is_file():
        events = tuple(str(v) for v in _column(path, "unique_event_name"))
    designation: dict[str, frozenset[str]] = {}
    path = folder / DESIGNATION_FILE
    if path.is_file():
        pairs = zip(_column(path, "unique_event_name"), _column(path, "form"), strict=True)
        for unique, form in pairs:
            designation[str(unique)] = designation.get(str(unique), frozenset()) | {str(form)}
    return events, designation


def _column(path: Path, name: str) -> list[str | None]:
    header, rows = read_csv_rows(path)
    if name not in header:
        raise InterchangeError(f"has no column {name}", file=str(path))
    position = header.index(name)
    return [row[position] for row in rows]


def project_casebook(
    project: RedcapProject, forms: Forms, mapping: ProjectMapping | None = None
) -> tuple[Casebook, InterchangeReport]:
    """Map *project*'s records into a casebook (exonc's own names without a *mapping*)."""
    if mapping is None:
        mapping = default_mapping(forms)
        _check_exonc_project(project, mapping)
    _check_events(project, mapping)
    reader = RecordsReader(project.dictionary, mapping, forms, project.file(RECORDS_FILE))
    book = reader.read(project.header, project.rows)
    mapped = {f.source for f in mapping.fields}
    unmapped = [f.name for f in project.dictionary.fields[1:] if f.name not in mapped]
    ignored = tuple(
        [f"{n} rows of event {e} (not mapped to a visit)" for e, n in reader.ignored_events.items()]
        + (
            [f"{len(unmapped)} variables not mapped: {', '.join(unmapped[:10])}"]
            if unmapped
            else []
        )
    )
    read = {"records": len({r[0] for r in project.rows}), "rows": len(project.rows)}
    report = interchange_report(
        str(project.folder), "REDCap", read, tables_from_casebook(book), ignored
    )
    return book, report


def _check_exonc_project(project: RedcapProject, mapping: ProjectMapping) -> None:
    """Without a mapping file, every variable must be one of exonc's."""
    known = {f.source for f in mapping.fields}
    for declared in project.dictionary.fields[1:]:
        if declared.name not in known:
            raise InterchangeError(
                "is not one of exonc's fields",
                file=project.dictionary.file,
                row=declared.row,
                value=declared.name,
                hint="a project exonc did not write needs a mapping file (--mapping)",
            )


def _check_events(project: RedcapProject, mapping: ProjectMapping) -> None:
    if not project.events:
        return
    for unique in mapping.events:
        if unique not in project.events:
            raise InterchangeError(
                f"the mapping names event {unique}, which the project does not have",
                file=mapping.file or project.file(EVENTS_FILE),
                hint=f"its events are {', '.join(project.events)}",
            )
