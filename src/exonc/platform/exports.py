"""Tables that pages offer as downloads: one CSV convention for every export.

Dates and times are ISO 8601 (UTC times end in ``Z``), missing values are empty cells,
columns keep their order, and text that a spreadsheet would run as a formula is quoted
(:mod:`exonc._csv`, the one CSV writer). Exports carry pseudonymous study IDs only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import HttpResponse

from exonc._csv import rows_text


@dataclass(frozen=True)
class ExportTable:
    """A table with named columns, as shown on a page and downloaded as CSV."""

    columns: list[str]
    rows: list[dict[str, object]]

    def csv_text(self) -> str:
        return rows_text(
            self.columns, ({k: csv_cell(v) for k, v in row.items()} for row in self.rows)
        )


def csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def csv_download(text: str, filename: str) -> HttpResponse:
    """An attachment response holding *text* as UTF-8 CSV."""
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
