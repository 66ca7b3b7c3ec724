"""REDCap allocation tables: coded export and import."""

from __future__ import annotations

import pandas as pd
import pytest

from exonc.errors import RandomisationInputError
from exonc.randomisation import (
    RandomisationDesign,
    RedcapCodes,
    from_redcap,
    generate_list,
    to_redcap,
)

# REDCap's allocation table: redcap_randomization_group holds the randomisation field's
# coded value, each stratification field its coded value, redcap_data_access_group the
# numeric DAG id (REDCap randomisation module, "Download template allocation tables").


def _table(rows: list[list[str]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns, dtype=object)


def test_default_codes_follow_the_design_order(preferable: RandomisationDesign) -> None:
    codes = RedcapCodes.create(preferable)
    assert codes.codes["arm"] == {"exercise": "1", "control": "2"}
    assert codes.codes["line"] == {"1st/2nd": "1", "3rd+": "2"}
    assert codes.codes["centre"]["C8"] == "8"


def test_export_then_import_gives_the_same_arms_in_the_same_order(
    preferable: RandomisationDesign,
) -> None:
    allocation_list = generate_list(preferable, seed=4, per_stratum=12)
    codes = RedcapCodes.create(
        preferable, {"centre": {"C1": "1330", "C2": "1331"}, "arm": {"control": "0"}}, "centre"
    )
    table = to_redcap(allocation_list, codes)
    assert list(table.columns) == ["redcap_randomization_group", "line", "redcap_data_access_group"]
    first = allocation_list.entries[0]
    assert table.iloc[0].tolist() == [
        "1" if first.arm == "exercise" else "0",
        "1",  # line 1st/2nd
        "1330",  # centre C1
    ]
    back = from_redcap(table, preferable, codes, purpose="test")
    assert back.purpose == "test"
    assert [(e.stratum, e.position, e.arm) for e in back.entries] == [
        (e.stratum, e.position, e.arm) for e in allocation_list.entries
    ]
    assert all(e.block is None for e in back.entries)


def test_positions_follow_row_order_within_each_stratum() -> None:
    design = RandomisationDesign.create(
        ratio={"a": 1, "b": 1}, factors={"sex": ["F", "M"]}, block_sizes=[2]
    )
    table = _table(
        [["2", "1"], ["1", "2"], ["1", "1"], ["2", "2"]],
        ["redcap_randomization_group", "sex"],
    )
    allocation_list = from_redcap(table, design, RedcapCodes.create(design))
    assert [(e.stratum, e.position, e.arm) for e in allocation_list.entries] == [
        ("sex=F", 1, "b"),
        ("sex=F", 2, "a"),
        ("sex=M", 1, "a"),
        ("sex=M", 2, "b"),
    ]


_SEX = RandomisationDesign.create(
    ratio={"a": 1, "b": 1}, factors={"sex": ["F", "M"]}, block_sizes=[2]
)


@pytest.mark.parametrize(
    ("rows", "columns", "message"),
    [
        (
            [["X1", "1"]],
            ["redcap_randomization_number", "sex"],
            "t.csv: missing column redcap_randomization_group; a blinded table holds",
        ),
        ([["1"]], ["redcap_randomization_group"], "t.csv: missing column sex"),
        (
            [["1", "1", "x"]],
            ["redcap_randomization_group", "sex", "notes"],
            "t.csv, column notes: is not a stratification field",
        ),
        (
            [["1", "1"], ["3", "1"]],
            ["redcap_randomization_group", "sex"],
            "t.csv, row 2, column redcap_randomization_group: value '3': is not a known code; "
            "codes are 1=a, 2=b",
        ),
        (
            [["1", None]],
            ["redcap_randomization_group", "sex"],
            "t.csv, row 1, column sex: empty cell",
        ),
        ([], ["redcap_randomization_group", "sex"], "t.csv: the allocation table has no rows"),
    ],
)
def test_bad_tables_are_refused(rows: list[list[str]], columns: list[str], message: str) -> None:
    with pytest.raises(RandomisationInputError) as caught:
        from_redcap(_table(rows, columns), _SEX, RedcapCodes.create(_SEX), file="t.csv")
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(
    ("overrides", "dag", "message"),
    [
        ({"age": {"x": "1"}}, None, "column code: value 'age': is neither 'arm' nor a factor"),
        ({"sex": {"X": "1"}}, None, "column code: value 'X': is not a label of sex"),
        ({"sex": {"F": "2"}}, None, "column code: value '2': two labels of sex share the code"),
        ({"arm": {"a": ""}}, None, "column code: value '': the code of arm a must be"),
        ({}, "age", "column dag_factor: value 'age': is not a factor of the design"),
    ],
)
def test_bad_codes_are_refused(
    overrides: dict[str, dict[str, str]], dag: str | None, message: str
) -> None:
    with pytest.raises(RandomisationInputError) as caught:
        RedcapCodes.create(_SEX, overrides, dag)
    assert str(caught.value).startswith(message)


def test_export_without_data_access_groups(preferable: RandomisationDesign) -> None:
    allocation_list = generate_list(preferable, seed=4, per_stratum=2)
    table = to_redcap(allocation_list, RedcapCodes.create(preferable))
    assert list(table.columns) == ["redcap_randomization_group", "centre", "line"]
    assert table.iloc[-1][["centre", "line"]].tolist() == ["8", "2"]
