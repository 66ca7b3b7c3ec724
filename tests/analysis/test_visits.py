"""The order of visits: given, ordered categorical, or the natural order of the labels."""

from __future__ import annotations

import pandas as pd
import pytest

from exonc.analysis.visits import natural_order, visit_order


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (["M12", "M3", "M1", "M6"], ["M1", "M3", "M6", "M12"]),
        (["VIS10", "VIS2", "VIS1"], ["VIS1", "VIS2", "VIS10"]),
        (["week 12", "Week 4", "baseline"], ["baseline", "Week 4", "week 12"]),
        (["12", "3", "0"], ["0", "3", "12"]),
        (["m9", "m3", "m6", "m3"], ["m3", "m6", "m9"]),
        (["B", "a", "C"], ["a", "B", "C"]),
        (["M1", "m1"], ["M1", "m1"]),  # same key: ties break by the text itself
    ],
)
def test_natural_order(labels: list[str], expected: list[str]) -> None:
    assert natural_order(labels) == expected


def test_row_order_is_never_used() -> None:
    column = pd.Series(["M6", "M1", "M12", "M3", "M1"])
    order = visit_order(column)
    assert order.visits == ("M1", "M3", "M6", "M12")
    assert order.describe() == "M1 < M3 < M6 < M12 (natural order of the labels)"


def test_an_unordered_categorical_sorts_naturally_not_as_text() -> None:
    column = pd.Series(pd.Categorical(["M12", "M3", "M1"]))  # categories sort as M1, M12, M3
    assert visit_order(column).visits == ("M1", "M3", "M12")


def test_an_ordered_categorical_keeps_its_order() -> None:
    column = pd.Series(pd.Categorical(["b", "a"], categories=["b", "a"], ordered=True))
    order = visit_order(column)
    assert (order.visits, order.source) == (("b", "a"), "ordered categorical")


def test_a_given_order_wins() -> None:
    column = pd.Series(pd.Categorical(["b", "a"], categories=["b", "a"], ordered=True))
    order = visit_order(column, ["a", "b"])
    assert (order.visits, order.source) == (("a", "b"), "given")
