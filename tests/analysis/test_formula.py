"""Formula parsing: R's expansion and ordering of terms."""

from __future__ import annotations

import pytest

from exonc.analysis import parse_formula
from exonc.errors import AnalysisInputError


@pytest.mark.parametrize(
    ("text", "terms", "intercept"),
    [
        # attr(terms(y ~ RACE + SEX + ARMCD * AVISIT + FEV1_BL), "term.labels") in R
        (
            "FEV1 ~ RACE + SEX + ARMCD*AVISIT + FEV1_BL",
            ["RACE", "SEX", "ARMCD", "AVISIT", "FEV1_BL", "ARMCD:AVISIT"],
            True,
        ),
        ("y ~ a*b*c", ["a", "b", "c", "a:b", "a:c", "b:c", "a:b:c"], True),
        ("y ~ (a + b):c - 1", ["a:c", "b:c"], False),
        ("y ~ 0 + a", ["a"], False),
        ("y ~ b:a + a", ["a", "b:a"], True),  # variables keep their order of appearance
        ("y ~ a + b + a:b - a:b", ["a", "b"], True),
        ("y ~ 1", [], True),
        ("y ~ `age group` * arm", ["age group", "arm", "age group:arm"], True),
    ],
)
def test_terms_follow_r(text: str, terms: list[str], intercept: bool) -> None:
    formula = parse_formula(text)
    assert [":".join(term) for term in formula.terms] == terms
    assert formula.intercept is intercept


def test_round_trip_as_text() -> None:
    formula = parse_formula("y ~ `age group` * arm - 1")
    assert parse_formula(str(formula)) == formula


@pytest.mark.parametrize("text", ["y ~ log(x)", "y ~ a +", "a b ~ c", "y ~ (a + b", "y ~ a $ b"])
def test_unsupported_formulas_say_what_to_write(text: str) -> None:
    with pytest.raises(AnalysisInputError, match="formula"):
        parse_formula(text)
