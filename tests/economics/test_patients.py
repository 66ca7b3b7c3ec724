"""Validation of patient-level input: every bad cell is named by row, column and value."""

from __future__ import annotations

import pandas as pd
import pytest

from exonc.economics import MIN_EQ5D5L_UTILITY, UtilityColumn, patient_data_from_frame
from exonc.errors import EconomicsInputError

UTILITIES = [UtilityColumn("u0", 0), UtilityColumn("u3", 3), UtilityColumn("u6", 6)]


def _frame(**changes: list[str]) -> pd.DataFrame:
    data = {
        "arm": ["a", "b", "a", "b"],
        "u0": ["0.8", "0.7", "0.6", "0.9"],
        "u3": ["0.8", "0.75", "0.65", "0.85"],
        "u6": ["0.9", "0.7", "0.5", "1"],
        "cost": ["100", "0", "250.5", "80"],
        "death": ["", "", "", ""],
    }
    return pd.DataFrame(data | changes)


def _read(frame: pd.DataFrame, **options: object) -> object:
    kwargs: dict[str, object] = {
        "arm": "arm",
        "utilities": UTILITIES,
        "costs": ["cost"],
        "file": "p.csv",
    }
    return patient_data_from_frame(frame, **(kwargs | options))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"cost": ["100", "-1", "0", "0"]},
            "p.csv, row 2, column cost: value '-1': cost is negative",
        ),
        (
            {"u3": ["0.8", "1.01", "0.6", "0.9"]},
            "p.csv, row 2, column u3: value '1.01': utility outside the value set's range",
        ),
        (
            {"u6": ["0.8", "0.7", "-0.7", "0.9"]},
            "p.csv, row 3, column u6: value '-0.7': utility outside the value set's range "
            "[-0.661, 1]",
        ),
        ({"arm": ["a", "", "a", "b"]}, "p.csv, row 2, column arm: is empty"),
        (
            {"u0": ["0.8", "x", "0.6", "0.9"]},
            "p.csv, row 2, column u0: value 'x': is not a utility",
        ),
        ({"cost": ["1", "2", "", "3"]}, "p.csv, row 3, column cost: is empty"),
        ({"cost": ["1", "2", "inf", "3"]}, "p.csv, row 3, column cost: value 'inf': is not a cost"),
    ],
)
def test_bad_cells_are_located(changes: dict[str, list[str]], message: str) -> None:
    with pytest.raises(EconomicsInputError) as caught:
        _read(_frame(**changes))
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_lowest_shipped_value_set_utility_is_accepted() -> None:
    # Germany 55555 = −0.661 (Ludwig et al. 2018; tests/reference/domain.md §6.3)
    assert MIN_EQ5D5L_UTILITY == -0.661
    data = _read(_frame(u6=["-0.661", "0.7", "0.5", "1"]))
    assert data.utilities[0, 2] == -0.661  # type: ignore[attr-defined]


def test_the_utility_bound_can_be_lowered() -> None:
    data = _read(_frame(u6=["-0.8", "0.7", "0.5", "1"]), min_utility=-1.0)
    assert data.utilities[0, 2] == -0.8  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "months",
    [(0, 6, 3), (0, 3, 3)],
)
def test_months_must_increase(months: tuple[int, int, int]) -> None:
    utilities = [UtilityColumn(c, m) for c, m in zip(("u0", "u3", "u6"), months, strict=True)]
    with pytest.raises(EconomicsInputError, match="months out of order"):
        _read(_frame(), utilities=utilities)


def test_missing_column_is_named() -> None:
    with pytest.raises(EconomicsInputError, match="missing column u9"):
        _read(_frame(), utilities=[*UTILITIES, UtilityColumn("u9", 9)])


def test_utility_after_death_is_refused_and_missing_is_fine() -> None:
    with pytest.raises(EconomicsInputError, match=r"row 1, column u6: value 0.9: utility recorded"):
        _read(_frame(death=["4", "", "", ""]), death="death")
    data = _read(_frame(death=["4", "", "", ""], u6=["", "0.7", "0.5", "1"]), death="death")
    assert data.death_months[0] == 4  # type: ignore[attr-defined]


def test_total_cost_sums_the_chosen_components() -> None:
    frame = _frame(extra=["1", "2", "3", "4"])
    data = _read(frame, costs=["cost", "extra"])
    assert list(data.total_cost()) == [101, 2, 253.5, 84]  # type: ignore[attr-defined]
    assert list(data.total_cost(["extra"])) == [1, 2, 3, 4]  # type: ignore[attr-defined]
    with pytest.raises(EconomicsInputError, match="unknown cost component"):
        data.total_cost(["nope"])  # type: ignore[attr-defined]
