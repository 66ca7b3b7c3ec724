"""The shared result vocabulary: JSON-safe conversion and rendering."""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import enum
import importlib
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import exonc
from exonc.results import BootstrapResult, Result, jsonable, render_frame

SOURCE = Path(exonc.__file__).parent


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
    assert json.loads(json.dumps(toy.to_dict())) == {
        "estimate": 4.8,
        "when": "2024-07-25",
        "converged": True,
        "warnings": [],
    }
    assert "4.8" in toy.render("text")
    assert 'class="dataframe exonc-result"' in toy.render("html")
    assert "\\begin{tabular}" in toy.render("latex")
    assert str(toy) == toy.render("text")
    assert toy.to_frame().equals(toy.summary())


def test_unknown_render_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown format 'pdf'"):
        render_frame(pd.DataFrame({"a": [1]}), "pdf")  # type: ignore[arg-type]


def _result_classes() -> list[type[Result]]:
    """Every class in src/exonc that derives from Result (found in the source, then imported)."""
    found: list[type[Result]] = []
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ClassDef)
            and any(isinstance(b, ast.Name) and b.id.endswith("Result") for b in node.bases)
        ]
        if names:
            module = ".".join(path.relative_to(SOURCE.parent).with_suffix("").parts)
            loaded = importlib.import_module(module)
            found += [c for name in names if issubclass(c := getattr(loaded, name), Result)]
    return found


RESULT_CLASSES = _result_classes()
# results of iterative or failure-prone computations: their `converged` must say what happened
ITERATIVE = {"MMRMResult", "EffectModificationResult", "PlanResult", "BootstrapResult"}


def test_every_result_class_is_found() -> None:
    names = {c.__name__ for c in RESULT_CLASSES}
    assert len(RESULT_CLASSES) >= 17
    assert {"MMRMResult", "CeaResult", "ScoredTable", "BootstrapResult", "DailyRun"} <= names
    # one bootstrap result for the whole of exonc (analysis and economics)
    assert [c for c in RESULT_CLASSES if "Bootstrap" in c.__name__] == [BootstrapResult]


@pytest.mark.parametrize("kind", RESULT_CLASSES, ids=lambda c: c.__name__)
def test_every_result_speaks_the_vocabulary(kind: type[Result]) -> None:
    assert dataclasses.is_dataclass(kind)
    assert kind.__dataclass_params__.frozen  # type: ignore[attr-defined]
    for name in ("summary", "to_frame", "to_dict", "render"):
        assert callable(getattr(kind, name)), name
    fields = {f.name: f for f in dataclasses.fields(kind)}
    for name in ("converged", "warnings"):
        if name in fields:  # a field must have a default, or it would fight the property
            default = fields[name].default
            assert default is not dataclasses.MISSING, f"{kind.__name__}.{name}"
        else:
            assert isinstance(getattr(kind, name), property), f"{kind.__name__}.{name}"
    if kind.__name__ in ITERATIVE:
        own = "converged" in fields or "converged" in vars(kind)
        assert own, f"{kind.__name__} must say whether it converged"
