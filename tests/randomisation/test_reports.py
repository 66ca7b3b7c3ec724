"""Balance and CONSORT allocation counts, checked against counts made by hand."""

from __future__ import annotations

import pytest

from exonc.errors import RandomisationInputError
from exonc.randomisation import (
    Assignment,
    RandomisationDesign,
    allocation_counts,
    balance_report,
    imbalance,
)

DESIGN = RandomisationDesign.create(
    ratio={"exercise": 1, "control": 1},
    factors={"centre": ["C1", "C2"], "line": ["1st/2nd", "3rd+"]},
    block_sizes=[2],
)

# Seven participants; the hand tally is in the comments of the test below.
ASSIGNMENTS = [
    Assignment({"centre": "C1", "line": "1st/2nd"}, "exercise"),
    Assignment({"centre": "C1", "line": "1st/2nd"}, "exercise"),
    Assignment({"centre": "C1", "line": "1st/2nd"}, "control"),
    Assignment({"centre": "C1", "line": "3rd+"}, "control"),
    Assignment({"centre": "C2", "line": "1st/2nd"}, "exercise"),
    Assignment({"centre": "C2", "line": "1st/2nd"}, "exercise"),
    Assignment({"centre": "C2", "line": "1st/2nd"}, "exercise"),
]


@pytest.mark.parametrize(
    ("scope", "group", "n_exercise", "n_control", "imbalance_"),
    [
        ("overall", "all", 5, 2, 3.0),
        ("margin", "centre=C1", 2, 2, 0.0),
        ("margin", "centre=C2", 3, 0, 3.0),
        ("margin", "line=1st/2nd", 5, 1, 4.0),
        ("margin", "line=3rd+", 0, 1, 1.0),
        ("stratum", "centre=C1|line=1st/2nd", 2, 1, 1.0),
        ("stratum", "centre=C1|line=3rd+", 0, 1, 1.0),
        ("stratum", "centre=C2|line=1st/2nd", 3, 0, 3.0),
        ("stratum", "centre=C2|line=3rd+", 0, 0, 0.0),  # empty strata are listed too
    ],
)
def test_balance_rows_by_hand(
    scope: str, group: str, n_exercise: int, n_control: int, imbalance_: float
) -> None:
    table = balance_report(DESIGN, ASSIGNMENTS).table
    row = table[(table["scope"] == scope) & (table["group"] == group)].iloc[0]
    assert (row["n_exercise"], row["n_control"], row["n"]) == (
        n_exercise,
        n_control,
        n_exercise + n_control,
    )
    assert row["imbalance"] == imbalance_


def test_balance_table_shape_and_largest_imbalances() -> None:
    report = balance_report(DESIGN, ASSIGNMENTS)
    assert list(report.table.columns) == [
        "scope",
        "group",
        "centre",
        "line",
        "n",
        "n_exercise",
        "n_control",
        "imbalance",
    ]
    assert len(report.table) == 1 + 4 + 4
    assert report.table.iloc[1][["centre", "line"]].tolist() == ["C1", ""]
    assert (
        report.overall_imbalance,
        report.max_margin_imbalance,
        report.max_stratum_imbalance,
    ) == (3.0, 4.0, 3.0)
    assert report.to_dict()["arms"] == ["exercise", "control"]


def test_consort_counts() -> None:
    counts = allocation_counts(DESIGN, ASSIGNMENTS)
    assert counts.randomised == 7
    assert counts.allocated == {"exercise": 5, "control": 2}
    frame = counts.summary()
    assert frame["proportion"].tolist() == pytest.approx([5 / 7, 2 / 7])
    assert frame["target_proportion"].tolist() == [0.5, 0.5]


def test_empty_trial() -> None:
    counts = allocation_counts(DESIGN, [])
    assert counts.randomised == 0
    assert balance_report(DESIGN, []).overall_imbalance == 0.0


def test_imbalance_uses_ratio_adjusted_counts() -> None:
    # 2:1 with 20 and 10 is perfect balance; 21 and 10 is 10.5 − 10 = 0.5
    assert imbalance([20, 10], [2, 1]) == 0.0
    assert imbalance([21, 10], [2, 1]) == 0.5


def test_bad_assignments_name_their_row() -> None:
    bad = [*ASSIGNMENTS[:2], Assignment({"centre": "C3", "line": "3rd+"}, "exercise")]
    with pytest.raises(RandomisationInputError, match="row 3, column centre: value 'C3'"):
        balance_report(DESIGN, bad)
    wrong_arm = [Assignment({"centre": "C1", "line": "3rd+"}, "placebo")]
    with pytest.raises(RandomisationInputError, match="row 1, column arm: value 'placebo'"):
        balance_report(DESIGN, wrong_arm)
    with pytest.raises(RandomisationInputError, match="row 1, column arm: value 'placebo'"):
        allocation_counts(DESIGN, wrong_arm)
