"""Checking answers: what is valid, what is missing, and how invalid answers are reported."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from exonc.errors import ScoringError
from exonc.questionnaires import INSTRUMENTS
from exonc.questionnaires.answers import answers_from_frame, answers_from_mapping

HADS = INSTRUMENTS["hads"]
EQ5D = INSTRUMENTS["eq-5d-5l"]
ITEMS = [f"q{i}" for i in range(1, 15)]


def hads_frame(*rows: list[object]) -> pd.DataFrame:
    return pd.DataFrame([list(r) for r in rows], columns=ITEMS, dtype=object)


def valid_row() -> list[object]:
    return ["1"] * 14


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("2", 2.0),
        (" 2 ", 2.0),  # surrounding blanks are not part of a number
        ("2.0", 2.0),
        ("0", 0.0),
        (3, 3.0),
        (np.int64(3), 3.0),
        (None, math.nan),
        (math.nan, math.nan),
        ("", math.nan),
        ("   ", math.nan),
    ],
)
def test_valid_and_missing_cells(cell: object, value: float) -> None:
    row = valid_row()
    row[4] = cell
    answers = answers_from_frame(HADS, hads_frame(row))
    got = answers.values[0, 4]
    assert (math.isnan(got) and math.isnan(value)) or got == value


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        ("4", "is outside the range 0–3 of item q5"),
        ("-1", "is outside the range 0–3 of item q5"),
        ("inf", "is outside the range 0–3 of item q5"),
        ("1.5", "is not a whole number"),
        ("two", "is not a number"),
        ("NA", "is not a number"),
        ("n/a", "is not a number"),
        (True, "is not a number"),
        ("3,0", "is not a number"),
        ("1_0", "is not a number"),
        ("40000", "is outside the range 0–3 of item q5"),
        ("1e300", "is outside the range 0–3 of item q5"),
        (-129, "is outside the range 0–3 of item q5"),
    ],
)
def test_invalid_cells_stop_with_row_column_and_value(cell: object, problem: str) -> None:
    row = valid_row()
    row[4] = cell
    with pytest.raises(ScoringError) as caught:
        answers_from_frame(HADS, hads_frame(valid_row(), row))
    error = caught.value
    assert (error.row, error.column, error.value) == (2, "q5", cell)
    assert error.problem == problem
    assert str(error).startswith(f"row 2, column q5: value {cell!r}: {problem}")
    assert "\n" not in str(error)


def test_the_first_invalid_answer_is_reported_by_row_then_item_order() -> None:
    second = valid_row()
    second[9], second[2] = "9", "x"  # q10 and q3 of row 2
    third = valid_row()
    third[0] = "7"  # q1 of row 3
    frame = hads_frame(valid_row(), second, third)[list(reversed(ITEMS))]  # q14 … q1
    with pytest.raises(ScoringError, match=r"^row 2, column q3: value 'x'"):
        answers_from_frame(HADS, frame)


def test_invalid_missing_scores_them_as_missing_and_lists_them_all() -> None:
    second = valid_row()
    second[9], second[2] = "9", "x"
    answers = answers_from_frame(HADS, hads_frame(valid_row(), second), invalid="missing")
    assert [(a.row, a.column, a.value) for a in answers.invalid] == [
        (2, "q3", "x"),
        (2, "q10", "9"),
    ]
    assert np.isnan(answers.values[1, [2, 9]]).all()
    assert not np.isnan(answers.values[0]).any()


def test_numeric_and_nullable_columns_are_checked_the_same_way() -> None:
    frame = pd.DataFrame({code: [1, 2] for code in ITEMS})
    frame["q1"] = pd.array([1, None], dtype="Int64")
    frame["q2"] = [1.0, 2.5]
    with pytest.raises(ScoringError, match=r"row 2, column q2: value 2\.5: is not a whole number"):
        answers_from_frame(HADS, frame)
    frame["q2"] = [1.0, math.nan]
    answers = answers_from_frame(HADS, frame)
    assert np.isnan(answers.values[1, :2]).all()


def test_boolean_columns_are_not_answers() -> None:
    frame = pd.DataFrame({code: [1] for code in ITEMS})
    frame["q3"] = [True]
    with pytest.raises(ScoringError, match="row 1, column q3: value True: is not a number"):
        answers_from_frame(HADS, frame)


def test_missing_columns_are_named() -> None:
    frame = hads_frame(valid_row()).drop(columns=["q4"])
    with pytest.raises(ScoringError, match=r"^missing column q4; hads needs the columns q1…q14$"):
        answers_from_frame(HADS, frame)
    with pytest.raises(ScoringError, match=r"missing columns q1, q2, q3, q4, q5 … \(14 in all\)"):
        answers_from_frame(HADS, pd.DataFrame({"id": [1]}))


def test_repeated_item_columns_are_refused() -> None:
    frame = pd.concat([hads_frame(valid_row()), hads_frame(valid_row())[["q2"]]], axis=1)
    with pytest.raises(ScoringError, match=r"^column q2: the column appears more than once"):
        answers_from_frame(HADS, frame)


def test_optional_columns_may_be_absent_but_are_checked_when_present() -> None:
    levels = {"MO": [1], "SC": [2], "UA": [3], "PD": [4], "AD": [5]}
    answers = answers_from_frame(EQ5D, pd.DataFrame(levels))
    assert np.isnan(answers.values[0, 5])
    with pytest.raises(ScoringError, match="column VAS: value 101: is outside the range 0–100"):
        answers_from_frame(EQ5D, pd.DataFrame(levels | {"VAS": [101]}))


def test_a_mapping_is_one_response_with_absent_items_unanswered() -> None:
    answers = answers_from_mapping(HADS, {"q1": 2, "q14": None})
    assert answers.n_rows == 1
    assert answers.values[0, 0] == 2.0
    assert answers.codes[0, 0] == 3  # rank of 2 in 0-3
    assert np.isnan(answers.values[0, 1:]).all()
    with pytest.raises(ScoringError, match="hads has no item q15"):
        answers_from_mapping(HADS, {"q15": 1})
    with pytest.raises(ScoringError, match="row 1, column q2: value 4"):
        answers_from_mapping(HADS, {"q2": 4})
