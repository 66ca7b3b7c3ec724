"""Gathering pieces per participant in memory and on disk."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from exonc.trackers import Partitioner, Piece


def _piece(participant: str, first: int, values: list[int]) -> Piece:
    return Piece(
        participant,
        "fitabase",
        pl.DataFrame(
            {
                "minute": list(range(first, first + len(values))),
                "utc_offset": [None] * len(values),
                "steps": values,
            }
        ),
    )


def test_pieces_beyond_the_budget_are_spilled_and_read_back(tmp_path: Path) -> None:
    partitioner = Partitioner(tmp_path, memory_budget=1)
    partitioner.add(0, _piece("P1", 0, [1, 2]))
    partitioner.add(0, _piece("P2", 0, [3]))
    partitioner.add(1, _piece("P1", 2, [4]))
    assert sorted(p.name for p in tmp_path.rglob("*.parquet")) != []
    assert partitioner.participants() == ["P1", "P2"]
    assert sorted(partitioner.frame("P1")["steps"].to_list()) == [1, 2, 4]
    partitioner.close()
    assert not tmp_path.exists()


def test_a_discarded_file_leaves_nothing(tmp_path: Path) -> None:
    partitioner = Partitioner(tmp_path, memory_budget=1)
    partitioner.add(0, _piece("P1", 0, [1]))
    partitioner.add(1, _piece("P1", 1, [2]))
    partitioner.add(1, _piece("P3", 1, [2]))
    partitioner.discard(1)
    assert partitioner.participants() == ["P1"]
    assert partitioner.frame("P1")["steps"].to_list() == [1]
    assert len(list(tmp_path.rglob("1-*.parquet"))) == 0


def test_participant_ids_are_safe_directory_names(tmp_path: Path) -> None:
    partitioner = Partitioner(tmp_path, memory_budget=1)
    partitioner.add(0, _piece("../etc/passwd", 0, [1]))
    assert all(tmp_path in p.parents for p in tmp_path.rglob("*.parquet"))
    assert partitioner.frame("../etc/passwd")["participant_id"].to_list() == ["../etc/passwd"]


@pytest.mark.parametrize(
    ("participant", "folder"),
    [("NL-UTR-001", "NL-UTR-001"), ("a/b", "a%2Fb"), ("..", "%2E%2E"), (".", "%2E"), ("", "%00")],
)
def test_a_partition_folder_never_leads_out_of_the_store(participant: str, folder: str) -> None:
    """A tracker id is data: '..' must not name the store's parent (issue 16, finding 1)."""
    from exonc.trackers.partitions import partition_directory

    assert partition_directory(participant) == folder
