"""Turning text columns of an input table into validated numbers, with located errors.

The command line reads every CSV cell as text (``exonc.cli._io.read_table``) so that the
first unusable cell can be named by row, column and value. Rows are 1-based data rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from exonc._data import LARGEST_VALUE
from exonc.errors import EconomicsInputError

FloatArray = NDArray[np.float64]


def numeric_column(
    frame: pd.DataFrame,
    column: str,
    *,
    file: str | None = None,
    allow_missing: bool = False,
    what: str = "a number",
) -> FloatArray:
    """The column *column* as floats; missing cells become NaN only if *allow_missing*."""
    raw = frame[column]
    blank = raw.map(lambda v: isinstance(v, str) and not v.strip()).to_numpy(dtype=bool)
    missing = raw.isna().to_numpy() | blank
    numbers = pd.to_numeric(raw.mask(blank), errors="coerce")
    values = numbers.to_numpy(dtype=np.float64, na_value=np.nan)
    bad = np.isnan(values) & ~missing | np.isinf(values)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise EconomicsInputError(
            f"is not {what}", file=file, row=row + 1, column=column, value=raw.iloc[row]
        )
    huge = np.abs(values) > LARGEST_VALUE
    if huge.any():
        row = int(np.flatnonzero(huge)[0])
        raise EconomicsInputError(
            f"is larger than {LARGEST_VALUE:.0e} in magnitude",
            file=file,
            row=row + 1,
            column=column,
            value=raw.iloc[row],
            hint="rescale the column (e.g. to other units)",
        )
    if missing.any() and not allow_missing:
        row = int(np.flatnonzero(missing)[0])
        raise EconomicsInputError(
            "is empty",
            file=file,
            row=row + 1,
            column=column,
            hint=f"give {what} in every row",
        )
    return values


def text_column(frame: pd.DataFrame, column: str, *, file: str | None = None) -> list[str]:
    """The column *column* as stripped text; an empty cell is an error naming its row."""
    raw = frame[column]
    values = [None if pd.isna(v) else str(v).strip() for v in raw]
    for row, value in enumerate(values):
        if not value:
            raise EconomicsInputError(
                "is empty", file=file, row=row + 1, column=column, hint="give a value in every row"
            )
    return [str(v) for v in values]


def first_row(mask: NDArray[np.bool_]) -> int:
    """The 1-based row number of the first true entry of *mask*."""
    return int(np.flatnonzero(mask)[0]) + 1
