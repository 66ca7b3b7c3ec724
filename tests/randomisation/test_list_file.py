"""The list file: canonical CSV, checksum, verification, and validation of imported lists."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from exonc.errors import ListIntegrityError, RandomisationInputError
from exonc.randomisation import (
    RandomisationDesign,
    list_checksum,
    list_to_csv,
    parse_list,
    read_list_csv,
    verify_list,
)

DESIGN = RandomisationDesign.create(
    ratio={"exercise": 1, "control": 1}, factors={"line": ["1st/2nd", "3rd+"]}, block_sizes=[2, 4]
)

# A list written by hand in the canonical form: strata in code point order, then position.
CANONICAL = """\
stratum,position,block,block_size,arm,line
line=1st/2nd,1,1,2,control,1st/2nd
line=1st/2nd,2,1,2,exercise,1st/2nd
line=1st/2nd,3,2,4,exercise,1st/2nd
line=1st/2nd,4,2,4,exercise,1st/2nd
line=1st/2nd,5,2,4,control,1st/2nd
line=1st/2nd,6,2,4,control,1st/2nd
line=3rd+,1,1,2,exercise,3rd+
line=3rd+,2,1,2,control,3rd+
"""
CHECKSUM = hashlib.sha256(CANONICAL.encode("utf-8")).hexdigest()


def test_canonical_text_round_trips_and_its_checksum_is_the_file_sha256() -> None:
    allocation_list = read_list_csv(CANONICAL, design=DESIGN)
    assert list_to_csv(allocation_list) == CANONICAL
    assert list_checksum(allocation_list) == CHECKSUM
    verify_list(allocation_list, CHECKSUM.upper() + "\n")


def test_parse_list_from_a_frame_equals_read_from_text() -> None:
    frame = pd.read_csv(pd.io.common.StringIO(CANONICAL), dtype=str, keep_default_na=False)
    assert parse_list(frame, design=DESIGN) == read_list_csv(CANONICAL, design=DESIGN)


@pytest.mark.parametrize(
    "variant",
    [
        CANONICAL.replace("\n", "\r\n"),  # Windows line ends
        "\ufeff" + CANONICAL,  # byte-order mark
        CANONICAL.replace("line=3rd+,1,1,2,exercise", '"line=3rd+",1,1,2,"exercise"'),  # quoting
        "\n".join([CANONICAL.splitlines()[0], *reversed(CANONICAL.splitlines()[1:])]) + "\n",
        # factor column moved: the order of the stratum label decides
        CANONICAL.replace(
            "stratum,position,block,block_size,arm,line",
            "line,stratum,position,block,block_size,arm",
        )
        .replace(",1st/2nd\n", "\n")
        .replace(",3rd+\n", "\n")
        .replace("\nline=1st/2nd,", "\n1st/2nd,line=1st/2nd,")
        .replace("\nline=3rd+,", "\n3rd+,line=3rd+,"),
    ],
)
def test_harmless_rewrites_keep_the_checksum(variant: str) -> None:
    verify_list(read_list_csv(variant, design=DESIGN), CHECKSUM)


def test_changed_arm_fails_verification() -> None:
    changed = CANONICAL.replace("line=3rd+,1,1,2,exercise", "line=3rd+,1,1,2,control").replace(
        "line=3rd+,2,1,2,control", "line=3rd+,2,1,2,exercise"
    )
    with pytest.raises(ListIntegrityError, match=f"does not match the recorded {CHECKSUM}"):
        verify_list(read_list_csv(changed, design=DESIGN), CHECKSUM)


def test_purpose_is_carried_but_not_in_the_checksum() -> None:
    test_list = read_list_csv(CANONICAL, purpose="test")
    assert test_list.purpose == "test"
    assert list_checksum(test_list) == CHECKSUM


@pytest.mark.parametrize("sha256", ["abc", "g" * 64, ""])
def test_malformed_checksum_is_an_input_error(sha256: str) -> None:
    with pytest.raises(RandomisationInputError, match="is not a SHA-256 checksum"):
        verify_list(read_list_csv(CANONICAL), sha256)


def test_list_without_design_takes_factors_from_the_file() -> None:
    allocation_list = read_list_csv(CANONICAL)
    assert allocation_list.factors == ("line",)
    assert allocation_list.strata == ("line=1st/2nd", "line=3rd+")


def test_unstratified_list_and_list_without_blocks() -> None:
    text = "stratum,position,block,block_size,arm\nall,1,,,b\nall,2,,,a\n"
    allocation_list = read_list_csv(text)
    assert allocation_list.factors == ()
    assert [(e.arm, e.block) for e in allocation_list.entries] == [("b", None), ("a", None)]
    assert list_to_csv(allocation_list) == text


def _replace_row(row: int, new: str) -> str:
    lines = CANONICAL.splitlines()
    lines[row] = new
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (CANONICAL.replace("block_size,", "size,"), "list.csv: missing column block_size"),
        ("stratum,position,block,block_size,arm,line\n", "list.csv: the list has no rows"),
        (_replace_row(2, "line=1st/2nd,2,1,2,,1st/2nd"), "list.csv, row 2, column arm: empty cell"),
        (
            _replace_row(2, "line=1st/2nd,0,1,2,exercise,1st/2nd"),
            "list.csv, row 2, column position: value '0': must be a whole number of at least 1",
        ),
        (
            _replace_row(2, "line=1st/2nd,2.0,1,2,exercise,1st/2nd"),
            "list.csv, row 2, column position: value '2.0': must be a whole number",
        ),
        (
            _replace_row(2, "line=1st/2nd,1,1,2,exercise,1st/2nd"),
            "list.csv, row 2, column position: value '1': position repeated in stratum "
            "line=1st/2nd",
        ),
        (
            _replace_row(6, "line=1st/2nd,7,2,4,control,1st/2nd"),
            "list.csv, column position: stratum line=1st/2nd has no position 6",
        ),
        (
            _replace_row(2, "line=1st/2nd,2,1,2,exercise,3rd+"),
            "list.csv, row 2, column line: value '3rd+': does not match the stratum label",
        ),
        (
            _replace_row(2, "line:1st/2nd,2,1,2,exercise,1st/2nd"),
            "list.csv, row 2, column stratum: value 'line:1st/2nd': is not a stratum label",
        ),
        (
            _replace_row(2, "age=old,2,1,2,exercise,1st/2nd"),
            "list.csv, row 2, column stratum: value 'age=old': names factor age, which has no "
            "column",
        ),
        (
            _replace_row(2, "line=1st/2nd|line=1st/2nd,2,1,2,exercise,1st/2nd"),
            "list.csv, row 2, column stratum: value 'line=1st/2nd|line=1st/2nd': the label "
            "must name",
        ),
        (
            _replace_row(2, "line=1st/2nd,2,1,2,placebo,1st/2nd"),
            "list.csv, row 2, column arm: value 'placebo': is not an arm of the design",
        ),
        (
            _replace_row(2, "line=1st/2nd,2,,2,exercise,1st/2nd"),
            "list.csv, row 2, column block: block and block_size must both be given or both "
            "be empty",
        ),
        (
            _replace_row(2, "line=1st/2nd,2,,,exercise,1st/2nd"),
            "list.csv, row 2, column block: some positions of the stratum have a block",
        ),
        (
            _replace_row(3, "line=1st/2nd,3,3,4,exercise,1st/2nd"),
            "list.csv, row 3, column block: value '3': blocks must be numbered 1, 2, 3",
        ),
        (
            _replace_row(2, "line=1st/2nd,2,2,2,exercise,1st/2nd"),
            "list.csv, row 1, column block_size: value '2': block 1 of stratum line=1st/2nd has 1 "
            "position but block_size 2",
        ),
        (
            _replace_row(1, "line=1st/2nd,1,2,2,control,1st/2nd"),
            "list.csv, row 1, column block: value '2': blocks must be numbered",
        ),
        (
            _replace_row(4, "line=1st/2nd,4,2,6,exercise,1st/2nd"),
            "list.csv, row 4, column block_size: value '6': differs from the size given",
        ),
        (
            _replace_row(4, "line=1st/2nd,4,2,4,control,1st/2nd"),
            "list.csv, row 6, column arm: block 2 of stratum line=1st/2nd does not hold the arms",
        ),
    ],
)
def test_bad_lists_are_refused_with_row_column_and_value(text: str, message: str) -> None:
    with pytest.raises(RandomisationInputError) as caught:
        read_list_csv(text, design=DESIGN, file="list.csv")
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_incomplete_block_is_refused() -> None:
    text = CANONICAL.replace("line=1st/2nd,6,2,4,control,1st/2nd\n", "")
    with pytest.raises(
        RandomisationInputError,
        match="row 5, column block_size: value '4': block 2 "
        r"of stratum line=1st/2nd has 3 positions but block_size 4; every block",
    ):
        read_list_csv(text, file="list.csv")


def test_block_size_outside_the_design_is_refused() -> None:
    design = RandomisationDesign.create(
        ratio={"exercise": 1, "control": 1}, factors={"line": ["1st/2nd", "3rd+"]}, block_sizes=[2]
    )
    with pytest.raises(
        RandomisationInputError,
        match="row 6, column block_size: value '4': is not one of the design's block sizes; use 2",
    ):
        read_list_csv(CANONICAL, design=design)


@pytest.mark.parametrize(
    ("header_change", "message"),
    [
        (("line", "age"), "column age: is not a factor of the design"),
        ((",line", ""), "missing column line"),
    ],
)
def test_factor_columns_must_match_the_design(header_change: tuple[str, str], message: str) -> None:
    lines = CANONICAL.splitlines()
    lines[0] = lines[0].replace(*header_change)
    with pytest.raises(RandomisationInputError, match=message):
        read_list_csv("\n".join(lines) + "\n", design=DESIGN)


def test_level_unknown_to_the_design_names_its_row() -> None:
    text = CANONICAL.replace("line=3rd+,2,1,2,control,3rd+", "line=4th,2,1,2,control,4th")
    with pytest.raises(
        RandomisationInputError, match="row 8, column line: value '4th': is not a level"
    ):
        read_list_csv(text, design=DESIGN)


def test_factor_order_in_labels_must_follow_the_design() -> None:
    design = RandomisationDesign.create(
        ratio={"a": 1, "b": 1}, factors={"x": ["1"], "y": ["1"]}, block_sizes=[2]
    )
    text = "stratum,position,block,block_size,arm,x,y\ny=1|x=1,1,1,2,a,1,1\ny=1|x=1,2,1,2,b,1,1\n"
    with pytest.raises(RandomisationInputError, match=r"not in the design's order; write x=1\|y=1"):
        read_list_csv(text, design=design)
    # without a design the file's order is taken, but it must be the same on every row
    mixed = text.replace("y=1|x=1,2", "x=1|y=1,2")
    with pytest.raises(RandomisationInputError, match=r"row 2, column stratum: .*different order"):
        read_list_csv(mixed)
