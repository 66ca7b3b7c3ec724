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
