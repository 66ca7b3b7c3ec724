"""An allocation list and how the next allocation is taken from it.

A list holds, for every stratum, the arms to give in order: position 1 goes to the
stratum's first participant, position 2 to the second, and so on. Lists made by exonc also
record each position's permuted block (number within the stratum and size); lists imported
from systems that do not keep blocks (a REDCap allocation table) have none.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from exonc.errors import ListExhausted, ListIntegrityError
from exonc.randomisation.design import LIST_COLUMNS
from exonc.randomisation.seeds import Purpose

__all__ = ["AllocationList", "ListEntry", "next_allocation"]


@dataclass(frozen=True)
class ListEntry:
    """One position of an allocation list."""

    stratum: str
    position: int
    arm: str
    levels: Mapping[str, str] = field(default_factory=dict)
    block: int | None = None
    block_size: int | None = None


@dataclass(frozen=True)
class AllocationList:
    """A complete allocation list, entries in canonical order (stratum label, position).

    ``factors`` are the factor names in the order of the stratum labels. ``purpose`` says
    whether this is the live list or the test (dummy) list; it is not written into the CSV
    file, so record it with the file's checksum.
    """

    factors: tuple[str, ...]
    entries: tuple[ListEntry, ...]
    purpose: Purpose = "live"

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.entries, key=lambda e: (e.stratum, e.position)))
        object.__setattr__(self, "entries", ordered)

    @cached_property
    def _by_stratum(self) -> dict[str, tuple[ListEntry, ...]]:
        groups: dict[str, list[ListEntry]] = {}
        for entry in self.entries:
            groups.setdefault(entry.stratum, []).append(entry)
        return {label: tuple(group) for label, group in groups.items()}

    @property
    def strata(self) -> tuple[str, ...]:
        """Stratum labels in canonical (code point) order."""
        return tuple(self._by_stratum)

    @property
    def arms(self) -> tuple[str, ...]:
        """The arms that appear in the list, in order of first appearance."""
        return tuple(dict.fromkeys(e.arm for e in self.entries))

    def stratum(self, label: str) -> tuple[ListEntry, ...]:
        """The entries of one stratum in position order (empty if the list lacks it)."""
        return self._by_stratum.get(label, ())

    def to_frame(self) -> pd.DataFrame:
        """The list as a table with the columns of the CSV file (cells as Python values)."""
        rows = [
            {
                "stratum": e.stratum,
                "position": e.position,
                "block": e.block,
                "block_size": e.block_size,
                "arm": e.arm,
                **{name: e.levels[name] for name in self.factors},
            }
            for e in self.entries
        ]
        return pd.DataFrame(rows, columns=[*LIST_COLUMNS, *self.factors])


def next_allocation(
    allocation_list: AllocationList, stratum: str, used_positions: Collection[int]
) -> ListEntry:
    """The first position of *stratum* not in *used_positions*.

    Pure and cheap, so that a service can call it inside the database transaction that reads
    the used positions (with a row lock) and writes the new allocation record. Raises
    :class:`ListExhausted` when every position of the stratum is used, and
    :class:`ListIntegrityError` when a used position is not in the list at all (the records
    and the list disagree).
    """
    entries = allocation_list.stratum(stratum)
    known = {e.position for e in entries}
    stray = sorted(p for p in used_positions if p not in known)
    if stray:
        raise ListIntegrityError(
            f"position {stray[0]} of stratum {stratum} is recorded as used but is not in "
            "the allocation list; check that the verified list is the one allocations came from"
        )
    used = set(used_positions)
    for entry in entries:
        if entry.position not in used:
            return entry
    raise ListExhausted(
        f"stratum {stratum} has no unused position left ({len(entries)} of {len(entries)} "
        "used); add an extension list for this stratum before randomising more participants"
        if entries
        else f"the allocation list has no positions for stratum {stratum}; "
        "use a list that covers every stratum of the design"
    )
