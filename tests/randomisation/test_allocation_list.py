"""The next allocation from a list: first unused position of the stratum."""

from __future__ import annotations

import pytest

from exonc.errors import ListExhausted, ListIntegrityError
from exonc.randomisation import AllocationList, ListEntry, next_allocation

STRATUM = "centre=C1|line=3rd+"
LEVELS = {"centre": "C1", "line": "3rd+"}


def _list() -> AllocationList:
    arms = ["control", "exercise", "exercise", "control"]
    entries = [
        ListEntry(STRATUM, position, arm, LEVELS, 1, 4)
        for position, arm in enumerate(arms, start=1)
    ]
    other = ListEntry("centre=C1|line=1st/2nd", 1, "exercise", {"centre": "C1", "line": "1st/2nd"})
    # given out of order on purpose: the list keeps canonical order
    return AllocationList(("centre", "line"), (entries[2], other, *entries[:2], entries[3]))


def test_entries_are_kept_in_canonical_order() -> None:
    allocation_list = _list()
    assert allocation_list.strata == ("centre=C1|line=1st/2nd", STRATUM)
    assert [e.position for e in allocation_list.stratum(STRATUM)] == [1, 2, 3, 4]
    assert allocation_list.arms == ("exercise", "control")
    assert allocation_list.stratum("centre=C2|line=3rd+") == ()


@pytest.mark.parametrize(
    ("used", "position", "arm"),
    [
        (set(), 1, "control"),
        ({1}, 2, "exercise"),
        ({1, 2, 3}, 4, "control"),
        ({1, 3}, 2, "exercise"),  # a gap is filled first
    ],
)
def test_next_allocation_is_the_first_unused_position(
    used: set[int], position: int, arm: str
) -> None:
    entry = next_allocation(_list(), STRATUM, used)
    assert (entry.position, entry.arm) == (position, arm)
    assert entry.levels == LEVELS


def test_exhausted_stratum_raises() -> None:
    with pytest.raises(
        ListExhausted, match=r"stratum centre=C1\|line=3rd\+ has no unused .*4 of 4"
    ):
        next_allocation(_list(), STRATUM, [1, 2, 3, 4])


def test_stratum_missing_from_the_list_raises() -> None:
    with pytest.raises(ListExhausted, match="has no positions for stratum centre=C2"):
        next_allocation(_list(), "centre=C2|line=3rd+", [])


def test_used_position_outside_the_list_is_an_integrity_error() -> None:
    with pytest.raises(ListIntegrityError, match="position 9 of stratum"):
        next_allocation(_list(), STRATUM, [1, 9])


def test_to_frame_has_the_file_columns() -> None:
    frame = _list().to_frame()
    assert list(frame.columns) == [
        "stratum",
        "position",
        "block",
        "block_size",
        "arm",
        "centre",
        "line",
    ]
    assert frame.iloc[1].to_dict() == {
        "stratum": STRATUM,
        "position": 1,
        "block": 1,
        "block_size": 4,
        "arm": "control",
        "centre": "C1",
        "line": "3rd+",
    }
