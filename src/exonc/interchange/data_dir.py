"""Reading and writing a folder of exonc's tidy tables (the layout ``exonc synth`` writes).

Cells are read as text, exactly as written (an empty cell is missing), so that values
cross the formats unchanged. Writing is atomic: the files appear only once all of them
are complete, and a failed import leaves the folder as it was.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from exonc import _csv
from exonc.errors import InterchangeError
from exonc.interchange.crf import Forms

__all__ = ["read_csv_rows", "read_tables", "write_csv", "write_files", "write_frame"]

AUDIT_TABLE = "audit_trail"
_Writer = Callable[[Path], None]


def read_tables(folder: Path, forms: Forms) -> dict[str, pd.DataFrame]:
    """The tables of *folder* that *forms* exchange (and ``audit_trail`` if present)."""
    if not folder.is_dir():
        raise InterchangeError("is not a folder", file=str(folder), hint="give exonc's data folder")
    tables = {}
    for name in (*forms.tables, AUDIT_TABLE):
        path = folder / f"{name}.csv"
        if path.is_file():
            header, rows = read_csv_rows(path)
            tables[name] = pd.DataFrame(rows, columns=header, dtype=object)
    if "participants" not in tables:
        raise InterchangeError(
            "has no participants.csv", file=str(folder), hint="write the tables with exonc synth"
        )
    return tables


def read_csv_rows(path: Path) -> tuple[list[str], list[list[str | None]]]:
    """Header and rows of a CSV file; empty cells become None."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                raise InterchangeError("is empty", file=str(path), hint="write a header row")
            rows = [_row(cells, len(header), path, n) for n, cells in enumerate(reader, 1)]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InterchangeError(f"cannot be read ({exc})", file=str(path)) from exc
    return header, rows


def _row(cells: list[str], width: int, path: Path, number: int) -> list[str | None]:
    if len(cells) != width:
        raise InterchangeError(
            f"has {len(cells)} cells, the header {width}",
            file=str(path),
            row=number,
            hint="quote cells that hold commas",
        )
    return [cell if cell != "" else None for cell in cells]


def write_csv(path: Path, header: Iterable[str], rows: Iterable[Iterable[str | None]]) -> None:
    """Write one CSV file (None as an empty cell, ``\\n`` line ends)."""
    _csv.write_rows(path, list(header), rows)


def write_frame(path: Path, frame: pd.DataFrame) -> None:
    """Write one table (missing values as empty cells)."""
    rows = frame.astype(object).where(frame.notna(), None).itertuples(index=False)
    write_csv(path, frame.columns, rows)


def write_files(out: Path, write: _Writer) -> None:
    """Let *write* fill a staging folder, then move its files into *out* together."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out, prefix=".partial-") as tmp:
        staging = Path(tmp)
        write(staging)
        for path in sorted(staging.iterdir()):
            shutil.move(path, out / path.name)
