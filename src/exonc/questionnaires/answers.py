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
    """Answers as a float matrix, one column per item (``NaN`` = missing), in item order."""

    codes: tuple[str, ...]
    values: npt.NDArray[np.float64]
    invalid: tuple[InvalidAnswer, ...] = ()

    @property
    def n_rows(self) -> int:
        return int(self.values.shape[0])


def answers_from_frame(
    instrument: Instrument, frame: pd.DataFrame, *, invalid: InvalidPolicy = "error"
) -> Answers:
    """Check the item columns of *frame*; rows are reported 1-based, as in a spreadsheet."""
    _require_columns(instrument, frame)
    values = np.full((len(frame), len(instrument.items)), np.nan, order="F")
    problems: list[tuple[int, npt.NDArray[np.int8], pd.Series]] = []
    for j, item in enumerate(instrument.items):
        if item.code not in frame.columns:
            continue
        column, bad, kinds = _check_column(frame[item.code], item)
        values[:, j] = np.where(bad, np.nan, column)
        if bad.any():
            problems.append((j, kinds, frame[item.code]))
    found = _invalid_answers(instrument, problems, first_only=invalid == "error")
    if found and invalid == "error":
        raise found[0].error()
    return Answers(codes=instrument.item_codes, values=values, invalid=tuple(found))


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
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_], npt.NDArray[np.int8]]:
    """The column as floats, a mask of invalid cells, and a problem code per cell."""
    given, numbers = _as_numbers(series)
    with np.errstate(invalid="ignore"):
        not_number = given & np.isnan(numbers)
        finite = ~np.isnan(numbers)
        fractional = finite & (np.floor(numbers) != numbers)
        outside = finite & ~fractional & ((numbers < item.min) | (numbers > item.max))
    kind = not_number * np.int8(1) + fractional * np.int8(2) + outside * np.int8(3)
    return numbers, kind > 0, kind.astype(np.int8)


def _problem(kind: int, item: Item) -> str:
    return ("", "is not a number", "is not a whole number", _outside(item))[kind]


def _outside(item: Item) -> str:
    return f"is outside the range {item.min}–{item.max} of item {item.code}"


def _as_numbers(series: pd.Series) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.float64]]:
    """Which cells hold something, and their numeric values (NaN where not a number)."""
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.notna().to_numpy(), np.full(len(series), np.nan)
    if pd.api.types.is_numeric_dtype(series.dtype):
        numbers = series.to_numpy(dtype=np.float64, na_value=np.nan)
        return ~np.isnan(numbers), numbers
    text = series.astype("string").str.strip()  # True/False become text that is no number
    text = text.mask(text == "")
    given = text.notna().to_numpy()
    parsed = pd.Series(pd.to_numeric(text, errors="coerce"))
    return given, parsed.to_numpy(dtype=np.float64, na_value=np.nan)


def _invalid_answers(
    instrument: Instrument,
    problems: list[tuple[int, npt.NDArray[np.int8], pd.Series]],
    *,
    first_only: bool,
) -> list[InvalidAnswer]:
    """Invalid answers ordered by row, then item; only the first one if *first_only*."""
    found = []
    for j, kinds, series in problems:
        rows = np.flatnonzero(kinds)
        item = instrument.items[j]
        found += [
            InvalidAnswer(int(r) + 1, item.code, _raw(series.iloc[r]), _problem(kinds[r], item))
            for r in (rows[:1] if first_only else rows)
        ]
    order = {code: j for j, code in enumerate(instrument.item_codes)}
    found.sort(key=lambda a: (a.row, order[a.column]))
    return found[:1] if first_only else found


def _raw(value: Any) -> Any:
    """The cell as the user wrote it (numpy scalars as plain Python values)."""
    return value.item() if isinstance(value, np.generic) else value
