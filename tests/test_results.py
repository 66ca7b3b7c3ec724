"""The shared result vocabulary: JSON-safe conversion and rendering."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import math

import numpy as np
import pandas as pd
import pytest

from exonc.results import Result, jsonable, render_frame


class Colour(enum.Enum):
    RED = "red"


@dataclasses.dataclass(frozen=True)
class Toy(Result):
    estimate: float
    when: dt.date

    def summary(self) -> pd.DataFrame:
        return pd.DataFrame({"estimate": [self.estimate]}, index=["effect"])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (float("nan"), None),
        (math.inf, None),
        (np.float64(1.5), 1.5),
        (np.int64(3), 3),
        (np.array([1.0, np.nan]), [1.0, None]),
        (dt.date(2024, 2, 29), "2024-02-29"),
        (Colour.RED, "red"),
        ({"a": (1, 2)}, {"a": [1, 2]}),
        (pd.NA, None),
        (pd.Series({"x": 1.0}), {"x": 1.0}),
        (pd.DataFrame({"a": [1, 2]}), [{"a": 1}, {"a": 2}]),
    ],
)
def test_jsonable(value: object, expected: object) -> None:
    assert jsonable(value) == expected


def test_result_to_dict_and_render() -> None:
    toy = Toy(4.8, dt.date(2024, 7, 25))
    assert json.loads(json.dumps(toy.to_dict())) == {"estimate": 4.8, "when": "2024-07-25"}
    assert "4.8" in toy.render("text")
    assert 'class="dataframe exonc-result"' in toy.render("html")
    assert "\\begin{tabular}" in toy.render("latex")
    assert str(toy) == toy.render("text")
    assert toy.to_frame().equals(toy.summary())


def test_unknown_render_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown format 'pdf'"):
        render_frame(pd.DataFrame({"a": [1]}), "pdf")  # type: ignore[arg-type]
