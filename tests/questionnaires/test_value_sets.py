"""EQ-5D-5L value sets: the shipped coefficients against the R package eq5d."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from exonc.errors import InstrumentDataError, ScoringError
from exonc.questionnaires import VALUE_SETS, get_value_set, score
from exonc.questionnaires.value_sets import parse_value_sets

TOLERANCE = 0.0005  # eq5d prints index values rounded to 3 decimals; exonc does not round


def profile(state: str) -> list[int]:
    return [int(c) for c in state]


@pytest.mark.parametrize(
    ("code", "state", "expected"),
    [
        # tests/reference/domain.md §6.3: eq5d tests/testthat/test-eq5d5l.R and recomputation
        ("NL", "21111", 0.918),
        ("NL", "55511", 0.390),
        ("NL", "44444", -0.289),
        ("NL", "55555", -0.446),
        ("ENG", "23245", 0.247),
        ("ENG", "55555", -0.285),
        ("DE", "12345", 0.141),
        ("DE", "55555", -0.661),
        ("ES", "55555", -0.416),
        ("PL", "12345", 0.436),
        ("PL", "55555", -0.590),
        ("SE2020", "11111", 0.9755),
        ("SE2020", "12345", 0.497),
        ("SE2020", "55555", 0.243),
        ("SE", "22222", 0.896),
        ("SE", "12345", 0.220),
        ("SE", "55555", -0.314),
        ("AU", "22222", 0.855),
        ("AU", "12345", 0.248),
        ("AU", "55555", -0.301),
    ],
)
def test_domain_test_vectors(code: str, state: str, expected: float) -> None:
    assert abs(get_value_set(code).index(profile(state))[0] - expected) <= TOLERANCE


def test_full_health_is_the_start_value() -> None:
    # level 1 adds nothing and no optional term applies to 11111
    for value_set in VALUE_SETS.values():
        assert value_set.index(profile("11111"))[0] == value_set.start


REFERENCE_COLUMNS = {
    "NL": "Netherlands",
    "DE": "Germany",
    "ES": "Spain",
    "PL": "Poland",
    "SE": "Sweden_2022",
    "AU": "Australia",
    "ENG": "England",
}


@pytest.mark.parametrize(("code", "column"), REFERENCE_COLUMNS.items())
def test_the_150_reference_profiles_match_r_eq5d(
    reference_dir: Path, code: str, column: str
) -> None:
    reference = pd.read_csv(reference_dir / "questionnaires" / "eq5d_5l_public.csv")
    scored = score("eq-5d-5l", reference[["MO", "SC", "UA", "PD", "AD"]], code)
    difference = (scored["utility"] - reference[column]).abs()
    assert difference.max() <= TOLERANCE


TOY = """code,name,country,year,publication,doi,StartValue,Intercept,N4,N5,Num45sq,{levels},MO45
XX,Toy,Nowhere,2024,hand-made,10.0/none,1,-0.1,-0.2,-0.3,-0.05,{zeros},-0.02
"""


def toy_csv() -> str:
    levels = [f"{d}{level}" for d in ("MO", "SC", "UA", "PD", "AD") for level in range(2, 6)]
    return TOY.format(levels=",".join(levels), zeros=",".join("0" for _ in levels))


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        # model terms of R eq5d (eq5d5l.R), with all dimension decrements 0:
        ("11111", 1.0),  # no term applies; Num45sq needs a dimension at 4 or 5
        ("21111", 0.9),  # 1 + Intercept
        ("41111", 0.68),  # 1 - 0.1 (Intercept) - 0.2 (N4) - 0.02 (MO45) + (1 - 1)^2 * Num45sq
        ("44111", 0.63),  # 0.68 - 0.05 * (2 - 1)^2
        ("55511", 0.18),  # 1 - 0.1 - 0.2 - 0.3 (N5) - 0.02 - 0.05 * (3 - 1)^2
    ],
)
def test_optional_model_terms(state: str, expected: float) -> None:
    toy = parse_value_sets(toy_csv(), source="toy.csv")["XX"]
    assert abs(toy.index(profile(state))[0] - expected) < 1e-12


def test_incomplete_profiles_have_no_index_value() -> None:
    values = get_value_set("NL").index(np.array([[1, 1, 1, 1, np.nan], [1, 1, 1, 1, 1]]))
    assert math.isnan(values[0])
    assert values[1] == 1.0


def test_value_sets_are_looked_up_by_code_case_insensitively() -> None:
    assert get_value_set("eng") is VALUE_SETS["ENG"]
    assert get_value_set(" se2020 ") is VALUE_SETS["SE2020"]
    with pytest.raises(ScoringError, match="unknown value set 'FR'; choose one of NL, DE"):
        get_value_set("FR")


def test_every_shipped_value_set_names_its_publication() -> None:
    assert set(VALUE_SETS) == {"NL", "DE", "ES", "PL", "SE", "SE2020", "AU", "ENG"}
    for value_set in VALUE_SETS.values():
        assert value_set.doi.startswith("10.")
        assert value_set.publication
        assert value_set.country


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("MO45", "MO6"), "unknown column MO6"),
        (lambda t: t.replace("-0.1,-0.2", ",-0.2"), ""),  # blank Intercept is allowed
        (lambda t: t.replace(",-0.3,-0.05,0,", ",-0.3,-0.05,,"), "row 1, column MO2: is empty"),
        (lambda t: t.replace(",-0.3,-0.05,0,", ",-0.3,-0.05,x,"), "column MO2: value 'x'"),
        (lambda t: t.replace("XX,Toy", "XX,"), "column name: is empty"),
        (lambda t: t + t.splitlines()[1] + "\n", "value set XX is defined twice"),
    ],
)
def test_malformed_value_set_files(edit: Callable[[str], str], message: str) -> None:
    text = edit(toy_csv())
    if not message:
        assert "XX" in parse_value_sets(text, source="toy.csv")
        return
    with pytest.raises(InstrumentDataError, match=message):
        parse_value_sets(text, source="toy.csv")
