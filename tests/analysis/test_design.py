"""Design matrices: R's treatment coding and names, emmeans' reference grid."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from exonc.analysis import parse_formula
from exonc.analysis.design import Design
from exonc.errors import AnalysisInputError

FRAME = pd.DataFrame(
    {
        "arm": ["c", "t", "c", "t", "c", "t"],
        "visit": ["v1", "v1", "v2", "v2", "v3", "v3"],
        "sex": ["F", "M", "M", "F", "F", "F"],
        "x": [1.0, 2.0, 3.0, 4.0, 5.0, 9.0],
    }
)


@pytest.mark.parametrize(
    ("formula", "columns"),
    [
        # colnames(model.matrix(~ arm * visit + x, d)) in R
        (
            "y ~ arm * visit + x",
            ["(Intercept)", "armt", "visitv2", "visitv3", "x", "armt:visitv2", "armt:visitv3"],
        ),
        # nested: colnames(model.matrix(~ arm + arm:visit, d))
        (
            "y ~ arm + arm:visit",
            [
                "(Intercept)",
                "armt",
                "armc:visitv2",
                "armt:visitv2",
                "armc:visitv3",
                "armt:visitv3",
            ],
        ),
        # no intercept: the first factor gets all its levels
        ("y ~ arm + x - 1", ["armc", "armt", "x"]),
        ("y ~ visit:x", ["(Intercept)", "visitv1:x", "visitv2:x", "visitv3:x"]),
    ],
)
def test_columns_are_named_and_coded_as_in_r(formula: str, columns: list[str]) -> None:
    design = Design.build(FRAME, parse_formula(formula), {})
    assert list(design.columns) == columns
    assert design.matrix(FRAME).shape == (6, len(columns))


def test_interaction_columns_are_products() -> None:
    design = Design.build(FRAME, parse_formula("y ~ arm * visit + x"), {})
    rows = design.matrix(FRAME)
    # row 4 (arm t, visit v2, x 4): intercept, armt, visitv2, x, armt:visitv2
    np.testing.assert_array_equal(rows[3], [1, 1, 1, 0, 4, 1, 0])


def test_levels_can_be_given() -> None:
    design = Design.build(FRAME, parse_formula("y ~ sex"), {"sex": ["M", "F"]})
    assert design.columns == ("(Intercept)", "sexF")


def test_reference_grid_weights_factors_equally_and_numbers_at_mean() -> None:
    design = Design.build(FRAME, parse_formula("y ~ arm * visit + sex + x"), {})
    labels, rows = design.reference_grid(["arm", "visit"])
    assert labels.to_dict("list") == {
        "arm": ["c", "c", "c", "t", "t", "t"],
        "visit": ["v1", "v2", "v3", "v1", "v2", "v3"],
    }
    columns = list(design.columns)
    # arm t at v2: sexM averaged over F and M (1/2), x at its mean 4
    row = dict(zip(columns, rows[4], strict=True))
    assert row["sexM"] == pytest.approx(0.5)
    assert row["x"] == pytest.approx(4.0)
    assert row["armt:visitv2"] == 1.0
    assert row["armt:visitv3"] == 0.0


def test_unknown_level_in_new_data_is_an_error() -> None:
    design = Design.build(FRAME, parse_formula("y ~ arm"), {})
    with pytest.raises(AnalysisInputError, match="level 'z'"):
        design.matrix(pd.DataFrame({"arm": ["z"]}))
