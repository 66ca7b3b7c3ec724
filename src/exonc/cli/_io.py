"""Reading and writing the tables that file-in/file-out commands work on.

Inputs are read by column name, every cell as text, so that the domain code can say exactly
which row, column and value it cannot use (no silent coercion by the reader).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from exonc._csv import frame_text
from exonc.errors import InputError
from exonc.results import jsonable

OutputFormat = Literal["csv", "json"]


def read_table(path: Path, *, allow_empty: bool = False) -> pd.DataFrame:
    """Read a CSV or Parquet file; CSV cells stay text and empty cells become missing.

    A table without rows (a header alone) is refused unless *allow_empty*: a command would
    otherwise report nothing, or a proportion of nothing, as if it were a result.
    """
    name = str(path)
    if not path.exists():
        raise InputError("file not found", file=name, hint="check the path")
    if path.is_dir():
        raise InputError("is a folder, not a table", file=name, hint="give a CSV or Parquet file")
    try:
        if path.suffix.lower() in {".parquet", ".pq"}:
            frame = pd.read_parquet(path)
        else:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(
            f"cannot be read as a table ({first_line})",
            file=name,
            hint="give a comma-separated CSV with a header row, or a Parquet file",
        ) from exc
    if frame.empty and not allow_empty:
        raise InputError(
            "has no rows (a header alone)", file=name, hint="give at least one row of data"
        )
    return frame


def require_columns(frame: pd.DataFrame, columns: Sequence[str], *, file: str) -> None:
    """Fail with one line naming the first missing column."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(
            f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}",
            file=file,
            hint=f"the input needs the columns {', '.join(columns)}",
        )


def write_table(frame: pd.DataFrame, output: Path | None, fmt: OutputFormat = "csv") -> None:
    """Write *frame* to *output* (or stdout) as CSV or JSON records; writes atomically."""
    text = json.dumps(jsonable(frame), indent=2) if fmt == "json" else frame_text(frame)
    write_text(text, output)


def write_json(data: Any, output: Path | None = None) -> None:
    write_text(json.dumps(jsonable(data), indent=2, allow_nan=False) + "\n", output)


def write_text(text: str, output: Path | None) -> None:
    """Write *text* to *output* via a temporary file and a rename, or to stdout."""
    if output is None:
        sys.stdout.write(text)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(f".{output.name}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(output)
