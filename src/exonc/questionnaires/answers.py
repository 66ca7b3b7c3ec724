"""Checking item answers and turning them into a numeric matrix for the engine.

An answer is valid when it is a whole number within its item's range. An empty cell
(``NaN``, ``None``, an empty or blank string) is a missing answer. Anything else (text
that is not a number, ``2.5``, ``5`` on a four-point item, a boolean) is invalid: with
``invalid="error"`` the first one (by row, then by the instrument's item order) raises a
:class:`~exonc.errors.ScoringError` naming row, column and value; with
``invalid="missing"`` every invalid answer is scored as missing and listed. Numbers
written as text are read as numbers (``"3"``, ``" 3"``, ``"3.0"``); nothing else is
converted.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from exonc.errors import ScoringError
from exonc.questionnaires.definition import Instrument, Item

__all__ = [
    "Answers",
    "InvalidAnswer",
    "InvalidPolicy",
    "answers_from_frame",
    "answers_from_mapping",
]

InvalidPolicy = Literal["error", "missing"]

_HINT = "correct it, leave it empty if unanswered, or score it as missing (--invalid=missing)"


@dataclass(frozen=True)
class InvalidAnswer:
    """An answer that could not be used: where it is, what it was, and why."""

    row: int
    column: str
    value: Any
    problem: str

    def error(self) -> ScoringError:
        return ScoringError(
            self.problem, row=self.row, column=self.column, value=self.value, hint=_HINT
        )


@dataclass(frozen=True)
class Answers:
    """Checked answers, one column per item in the definition's order.

    ``codes`` holds small integers: 0 for a missing answer, otherwise the answer's rank
    in its item's range (``answer - min + 1``), which is what the engine computes with;
    ``values`` gives the answers themselves as floats, ``NaN`` where missing.
    """

    items: tuple[str, ...]
    codes: npt.NDArray[np.int8]
    minimums: tuple[int, ...]
    invalid: tuple[InvalidAnswer, ...] = ()

    @property
    def n_rows(self) -> int:
        return int(self.codes.shape[0])

    @property
    def values(self) -> npt.NDArray[np.float64]:
        offsets = np.array(self.minimums, dtype=np.float64) - 1.0
        return np.where(self.codes > 0, self.codes + offsets, np.nan)


def answers_from_frame(
    instrument: Instrument, frame: pd.DataFrame, *, invalid: InvalidPolicy = "error"
) -> Answers:
    """Check the item columns of *frame*; rows are reported 1-based, as in a spreadsheet."""
    _require_columns(instrument, frame)
    codes = np.zeros((len(frame), len(instrument.items)), dtype=np.int8, order="F")
    problems: list[tuple[int, npt.NDArray[np.bool_], pd.Series]] = []
    for j, item in enumerate(instrument.items):
        if item.code not in frame.columns:
            continue
        codes[:, j], bad = _check_column(frame[item.code], item)
        if bad.any():
            problems.append((j, bad, frame[item.code]))
    found = _invalid_answers(instrument, problems, first_only=invalid == "error")
    if found and invalid == "error":
        raise found[0].error()
    return Answers(
        items=instrument.item_codes,
        codes=codes,
        minimums=tuple(item.min for item in instrument.items),
        invalid=tuple(found),
    )


def answers_from_mapping(
    instrument: Instrument,
    answers: Mapping[str, int | float | str | None],
    *,
    invalid: InvalidPolicy = "error",
) -> Answers:
    """Check one response given as ``{item code: answer}``; absent items are unanswered."""
    unknown = [code for code in answers if code not in instrument.item_codes]
    if unknown:
        raise ScoringError(
            f"{instrument.name} has no item {unknown[0]}",
            column=unknown[0],
            hint=f"items are {', '.join(instrument.item_codes)}",
        )
    row = {code: [answers.get(code)] for code in instrument.item_codes}
    frame = pd.DataFrame(row, dtype=object)
    return answers_from_frame(instrument, frame, invalid=invalid)


def _require_columns(instrument: Instrument, frame: pd.DataFrame) -> None:
    repeated = [code for code in instrument.item_codes if list(frame.columns).count(code) > 1]
    if repeated:
        raise ScoringError(
            "the column appears more than once", column=repeated[0], hint="keep one of them"
        )
    missing = [code for code in instrument.required_items if code not in frame.columns]
    if missing:
        listed = ", ".join(missing[:5]) + (
            f" … ({len(missing)} in all)" if len(missing) > 5 else ""
        )
        raise ScoringError(
            f"missing column{'s' if len(missing) > 1 else ''} {listed}",
            hint=f"{instrument.name} needs the columns {_span(instrument.required_items)}",
        )


def _span(codes: tuple[str, ...]) -> str:
    return f"{codes[0]}…{codes[-1]}" if len(codes) > 6 else " ".join(codes)


def _check_column(
    series: pd.Series, item: Item
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.bool_]]:
    """The column's codes (0 = missing or invalid) and a mask of its invalid cells.

    A number is valid when converting it to an integer gives it back unchanged and the
    integer is within the item's range; NaN compares unequal, so it is never valid.
    """
    given, numbers = _as_numbers(series)
    with np.errstate(invalid="ignore", over="ignore"):
        # NaN and numbers beyond int16 cast to some integer that cannot compare equal
        whole = numbers.astype(np.int16)
        valid = whole == numbers
    whole -= np.int16(item.min - 1)  # the code: 1 … range + 1 when within the range
    valid &= whole.view(np.uint16) - np.uint16(1) <= np.uint16(item.max - item.min)
    codes = whole.astype(np.int8)
    codes[~valid] = 0
    return codes, given & ~valid


def _problem(value: float, item: Item) -> str:
    if np.isnan(value):
        return "is not a number"
    if np.isfinite(value) and np.floor(value) != value:
        return "is not a whole number"
    return f"is outside the range {item.min}–{item.max} of item {item.code}"


def _as_numbers(series: pd.Series) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.float64]]:
    """Which cells hold something, and their numeric values (NaN where not a number)."""
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.notna().to_numpy(), np.full(len(series), np.nan)
    if pd.api.types.is_numeric_dtype(series.dtype):
        numbers = series.to_numpy(dtype=np.float64, na_value=np.nan)
        return ~np.isnan(numbers), numbers
    # text or mixed cells: read each distinct cell once (an export has few of them)
    positions, distinct = pd.factorize(series, use_na_sentinel=True)
    cells = [_cell(value) for value in distinct]
    given = np.array([c is not None for c in cells] + [False])[positions]
    numbers = np.array([np.nan if c is None else c for c in cells] + [np.nan])[positions]
    return given, numbers


def _cell(value: Any) -> float | None:
    """A cell's number; NaN if it is something that is not a number, None if it is empty."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return math.nan if "_" in text else float(text)
        except ValueError:
            return math.nan
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | float | np.number):
        return math.nan
    return float(value)


def _invalid_answers(
    instrument: Instrument,
    problems: list[tuple[int, npt.NDArray[np.bool_], pd.Series]],
    *,
    first_only: bool,
) -> list[InvalidAnswer]:
    """Invalid answers ordered by row, then item; only the first one if *first_only*."""
    found = []
    for j, bad, series in problems:
        rows = np.flatnonzero(bad)
        rows = rows[:1] if first_only else rows
        item = instrument.items[j]
        numbers = _as_numbers(series.iloc[rows])[1]
        found += [
            InvalidAnswer(int(r) + 1, item.code, _raw(series.iloc[r]), _problem(number, item))
            for r, number in zip(rows, numbers, strict=True)
        ]
    order = {code: j for j, code in enumerate(instrument.item_codes)}
    found.sort(key=lambda a: (a.row, order[a.column]))
    return found[:1] if first_only else found


def _raw(value: Any) -> Any:
    """The cell as the user wrote it (numpy scalars as plain Python values)."""
    return value.item() if isinstance(value, np.generic) else value
