"""Readers: one per export format, each streaming a file into minute pieces.

``READERS`` maps the format names of ``exonc trackers daily --format`` to the reader
functions; every reader takes a path and :class:`ReadOptions` and yields :class:`Batch`
objects (pieces of one participant each, and rejected rows with reasons).
"""

from __future__ import annotations

from typing import Final

from exonc.errors import ImportFormatError
from exonc.trackers.readers import (
    actigraph,
    apple_health,
    fitabase,
    fitbit_json,
    garmin_fit,
    generic_csv,
)
from exonc.trackers.readers._base import Batch, ColumnMapping, Reader, ReadOptions

__all__ = ["FORMATS", "READERS", "Batch", "ColumnMapping", "ReadOptions", "Reader", "reader_for"]

READERS: Final[dict[str, Reader]] = {
    "fitabase": fitabase.read,
    "fitbit-json": fitbit_json.read,
    "garmin-fit": garmin_fit.read,
    "apple-health": apple_health.read,
    "actigraph": actigraph.read,
    "csv": generic_csv.read,
}
FORMATS: Final = tuple(READERS)


def reader_for(fmt: str) -> Reader:
    """The reader of format *fmt*; a one-line error names the known formats."""
    try:
        return READERS[fmt]
    except KeyError:
        raise ImportFormatError(
            "unknown tracker format", value=fmt, hint=f"choose one of {', '.join(READERS)}"
        ) from None
