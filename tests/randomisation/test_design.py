"""The randomisation design: construction from plain values, validation, strata."""

from __future__ import annotations

from typing import Any

import pytest

from exonc.errors import RandomisationInputError
from exonc.randomisation import Arm, Factor, RandomisationDesign, Stratum


def test_preferable_design_from_plain_values(preferable: RandomisationDesign) -> None:
    assert preferable.method == "blocks"
    assert preferable.arm_names == ("exercise", "control")
    assert preferable.ratio == (1, 1)
    assert preferable.ratio_sum == 2
    assert preferable.factor_names == ("centre", "line")
    assert preferable.block_sizes == (2, 4, 6)
    assert preferable.probability == 0.8
    assert preferable.measure == "range"
    assert preferable.factor("line").levels == ("1st/2nd", "3rd+")


def test_strata_are_the_cartesian_product_in_protocol_order(
    preferable: RandomisationDesign,
) -> None:
    labels = [s.label for s in preferable.strata()]
    # 8 centres × 2 lines = 16 strata, first factor varying slowest
    assert len(labels) == 16
    assert labels[:3] == ["centre=C1|line=1st/2nd", "centre=C1|line=3rd+", "centre=C2|line=1st/2nd"]
    assert labels[-1] == "centre=C8|line=3rd+"


def test_unstratified_design_has_one_stratum_called_all() -> None:
    design = RandomisationDesign.create(ratio={"a": 1, "b": 1}, block_sizes=[4])
    assert [s.label for s in design.strata()] == ["all"]
    assert design.stratum_of({}).label == "all"


def test_block_sizes_are_kept_sorted() -> None:
    design = RandomisationDesign.create(ratio={"a": 1, "b": 1}, block_sizes=[6, 2, 4])
    assert design.block_sizes == (2, 4, 6)


def test_dataclass_constructor_validates_too() -> None:
    with pytest.raises(RandomisationInputError, match="at least two arms"):
        RandomisationDesign("blocks", (Arm("a"),), (), (2,))


def test_weights_and_measure_reach_the_factors() -> None:
    design = RandomisationDesign.create(
        method="minimisation",
        ratio={"a": 2, "b": 1},
        factors={"centre": ["x", "y"], "age": ["<50", ">=50"]},
        weights={"centre": 0.5},
        measure="variance",
        probability=0.9,
    )
    assert design.factors == (
        Factor("centre", ("x", "y"), 0.5),
        Factor("age", ("<50", ">=50"), 1.0),
    )
    assert design.measure == "variance"


def test_stratum_of_gives_the_label_and_ignores_other_keys(
    preferable: RandomisationDesign,
) -> None:
    stratum = preferable.stratum_of({"line": "3rd+", "centre": "C4", "age": "61"})
    assert stratum == Stratum((("centre", "C4"), ("line", "3rd+")))
    assert stratum.label == "centre=C4|line=3rd+"
    assert stratum.as_dict() == {"centre": "C4", "line": "3rd+"}


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        (
            {"centre": "C1"},
            "column line: missing stratification data; record the participant's line",
        ),
        ({"centre": "C1", "line": " "}, "column line: missing stratification data"),
        (
            {"centre": "C9", "line": "3rd+"},
            "column centre: value 'C9': is not a level of factor centre",
        ),
    ],
)
def test_stratum_of_refuses_missing_or_unknown_levels(
    preferable: RandomisationDesign, levels: dict[str, str], message: str
) -> None:
    with pytest.raises(RandomisationInputError) as caught:
        preferable.stratum_of(levels)
    assert str(caught.value).startswith(message)


def test_factor_lookup_of_unknown_name_raises_key_error(preferable: RandomisationDesign) -> None:
    with pytest.raises(KeyError):
        preferable.factor("age")


_BASE: dict[str, Any] = {"ratio": {"exercise": 1, "control": 1}, "block_sizes": [2, 4]}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        # each row: the field changed, and the start of the one-line error it must give
        ({"method": "urn"}, "column method: value 'urn': is not a randomisation method"),
        ({"measure": "sd"}, "column measure: value 'sd': is not an imbalance measure"),
        ({"ratio": {"exercise": 1}}, "column ratio: value 1: a design needs at least two arms"),
        ({"ratio": {"exercise": 0, "control": 1}}, "column ratio: value 0: the ratio share"),
        ({"ratio": {"exercise": 1.5, "control": 1}}, "column ratio: value 1.5: the ratio share"),
        ({"ratio": {"exercise": True, "control": 1}}, "column ratio: value True: the ratio share"),
        ({"ratio": {"a|b": 1, "c": 1}}, "value 'a|b': the arm name contains | or a control"),
        ({"ratio": {" a": 1, "c": 1}}, "value ' a': each arm name must be non-empty text"),
        ({"ratio": [1, 1]}, "column ratio: value 'list': must be a table of names to values"),
        ({"block_sizes": []}, "column block_sizes: permuted blocks need at least one block size"),
        (
            {"block_sizes": [3]},
            "column block_sizes: value 3: a block size must be a positive multiple",
        ),
        ({"block_sizes": [2, 2]}, "column block_sizes: value [2, 2]: repeated block size"),
        ({"block_sizes": ["4"]}, "column block_sizes: value '4': a block size must be"),
        ({"block_sizes": "2,4"}, "column block_sizes: value '2,4': must be a list"),
        ({"factors": {"arm": ["x"]}}, "column factors: value 'arm': is a reserved column name"),
        ({"factors": {"redcap_x": ["x"]}}, "column factors: value 'redcap_x': is a reserved"),
        ({"factors": {"1st": ["x"]}}, "column factors: value '1st': is not a valid factor name"),
        ({"factors": {"line": []}}, "column factors: factor line has no levels"),
        ({"factors": {"line": ["a", "a"]}}, "value 'a': repeated level of factor line"),
        ({"factors": {"line": ["a|b"]}}, "value 'a|b': the level of factor line contains |"),
        ({"factors": {"line": ["a\tb"]}}, "value 'a\\tb': the level of factor line contains |"),
        ({"factors": {"line": "ab"}}, "column factors.line: value 'ab': must be a list"),
        ({"weights": {"age": 1}}, "column weights: value 'age': is not a factor of the design"),
        ({"probability": 0.5}, "column probability: value 0.5: the minimisation probability"),
        ({"probability": 1.01}, "column probability: value 1.01: the minimisation probability"),
    ],
)
def test_invalid_designs_are_refused_with_one_clear_line(
    changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(RandomisationInputError) as caught:
        RandomisationDesign.create(**{**_BASE, **changes})
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"block_sizes": [2]}, "column block_sizes: value [2]: block sizes apply to method"),
        ({"factors": {}}, "column factors: minimisation needs at least one factor"),
        ({"weights": {"line": 0}}, "column weights: at least one factor needs a positive weight"),
        ({"weights": {"line": -1}}, "column weights: value -1: the weight of factor line"),
        ({"weights": {"line": float("nan")}}, "column weights: value nan: the weight of factor"),
    ],
)
def test_invalid_minimisation_designs_are_refused(changes: dict[str, Any], message: str) -> None:
    plain: dict[str, Any] = {
        "method": "minimisation",
        "ratio": {"exercise": 1, "control": 1},
        "factors": {"line": ["1st/2nd", "3rd+"]},
    }
    with pytest.raises(RandomisationInputError) as caught:
        RandomisationDesign.create(**{**plain, **changes})
    assert str(caught.value).startswith(message)


def test_three_arms_allow_a_probability_above_one_third() -> None:
    design = RandomisationDesign.create(
        method="minimisation",
        ratio={"a": 1, "b": 1, "c": 1},
        factors={"line": ["x", "y"]},
        probability=0.4,
    )
    assert design.probability == 0.4


def test_from_mapping_reads_a_protocol_table() -> None:
    table = {
        "method": "minimisation",
        "ratio": {"exercise": 1, "control": 1},
        "factors": {"centre": ["C1", "C2"], "line": ["1st/2nd", "3rd+"]},
        "weights": {"centre": 1, "line": 2},
        "probability": 0.75,
    }
    design = RandomisationDesign.from_mapping(table)
    assert design.weights == (1, 2)
    assert design.probability == 0.75


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            {"ratio": {"a": 1, "b": 1}, "block_size": [2]},
            "column block_size: is not a randomisation",
        ),
        ({"block_sizes": [2]}, "column ratio: missing setting ratio"),
        (["ratio"], "column randomisation: value 'list': must be a table"),
    ],
)
def test_from_mapping_refuses_unknown_or_missing_settings(table: Any, message: str) -> None:
    with pytest.raises(RandomisationInputError) as caught:
        RandomisationDesign.from_mapping(table)
    assert str(caught.value).startswith(message)


def test_repeated_factor_is_refused() -> None:
    line = Factor("line", ("1st/2nd", "3rd+"))
    with pytest.raises(RandomisationInputError, match="value 'line': repeated factor"):
        RandomisationDesign("blocks", (Arm("a"), Arm("b")), (line, line), (2,))
