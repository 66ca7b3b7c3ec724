"""Typed helpers for numpy arrays and pandas frames, shared by the domain packages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]
Bools = NDArray[np.bool_]


def each_row(frame: pd.DataFrame) -> Iterator[Any]:
    """The rows of *frame* as named tuples (attribute access by column name)."""
    yield from frame.itertuples(index=False)


# Numbers larger than this overflow the squares, cross-products and money-per-QALY products
# the analyses form (their scale, not their precision, is the problem): readers of numeric
# columns refuse them, asking for the column to be rescaled.
LARGEST_VALUE = 1e100


# Columns that identify a participant in exonc's tidy tables, the platform's exports and
# allocation logs: a table that has one describes each participant (at each visit) once.
PARTICIPANT_COLUMNS = ("participant_id", "study_id", "participant")


def participant_column(frame: pd.DataFrame) -> str | None:
    """The first of :data:`PARTICIPANT_COLUMNS` that *frame* has, if any."""
    return next((c for c in PARTICIPANT_COLUMNS if c in frame.columns), None)


def repeated_row(frame: pd.DataFrame, key: list[str]) -> tuple[int, int] | None:
    """The first row whose *key* columns repeat an earlier row's, and that earlier row
    (both 1-based data rows), or None when every key is unique."""
    if not key or len(frame) < 2:
        return None
    keys = frame[key].astype(str).where(frame[key].notna(), "\x00")
    later = keys.duplicated(keep="first").to_numpy()
    if not later.any():
        return None
    at = int(np.flatnonzero(later)[0])
    same = (keys == keys.iloc[at]).all(axis=1).to_numpy()
    return at + 1, int(np.flatnonzero(same)[0]) + 1
