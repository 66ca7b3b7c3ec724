"""The allocation list file: canonical CSV, SHA-256 checksum, verification and import.

File layout (UTF-8, one header row)::

    stratum,position,block,block_size,arm,<one column per factor>

The *canonical form* of a list is the CSV text that :func:`list_to_csv` writes: the header
above with the factor columns in the order of the stratum labels, rows sorted by stratum
label (code point order) and then position, integers in plain decimals, empty cells for
unknown blocks, minimal quoting, ``\\n`` line ends, no byte-order mark. Its checksum is the
SHA-256 of those UTF-8 bytes, in lower-case hex. A file written by exonc *is* its canonical
form, so ``sha256sum list.csv`` prints the same checksum. Verification parses a file and
rebuilds the canonical form, so row order, line ends, quoting or a byte-order mark do not
matter, and any change of a value, row or column name does.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Mapping, Sequence
from typing import NoReturn

import pandas as pd

from exonc._csv import rows_text
from exonc.errors import InputError, ListIntegrityError, RandomisationInputError
from exonc.randomisation.allocation_list import AllocationList, ListEntry
from exonc.randomisation.design import LIST_COLUMNS, UNSTRATIFIED, RandomisationDesign
from exonc.randomisation.seeds import Purpose, check_purpose

__all__ = [
    "list_checksum",
    "list_to_csv",
    "parse_list",
    "read_list_csv",
    "verify_list",
]

Row = Mapping[str, str | None]
_DIGITS = re.compile(r"[0-9]+\Z")
_SHA256 = re.compile(r"[0-9a-f]{64}\Z")


def list_to_csv(allocation_list: AllocationList) -> str:
    """The canonical CSV text of a list (what ``exonc randomise list`` writes)."""
    return rows_text(
        [*LIST_COLUMNS, *allocation_list.factors],
        (
            [
                e.stratum,
                e.position,
                e.block,
                e.block_size,
                e.arm,
                *(e.levels[name] for name in allocation_list.factors),
            ]
            for e in allocation_list.entries
        ),
    )


def list_checksum(allocation_list: AllocationList) -> str:
    """SHA-256 (lower-case hex) of the list's canonical CSV bytes."""
    return hashlib.sha256(list_to_csv(allocation_list).encode("utf-8")).hexdigest()


def verify_list(allocation_list: AllocationList, sha256: str) -> None:
    """Raise :class:`ListIntegrityError` unless the list's checksum is *sha256*."""
    expected = sha256.strip().lower()
    if not _SHA256.match(expected):
        raise RandomisationInputError(
            "is not a SHA-256 checksum",
            column="sha256",
            value=sha256,
            hint="give the 64 hexadecimal characters recorded when the list was made",
        )
    actual = list_checksum(allocation_list)
    if actual != expected:
        raise ListIntegrityError(
            f"allocation list checksum {actual} does not match the recorded {expected}; "
            "the list has changed since it was recorded — do not allocate from it"
        )


def read_list_csv(
    text: str,
    *,
    design: RandomisationDesign | None = None,
    file: str | None = None,
    purpose: Purpose = "live",
) -> AllocationList:
    """Parse the text of a list file (see :func:`parse_list`)."""
    header, rows, ragged = _csv_rows(text, file)
    if ragged is not None:
        _factor_columns(header, design, file)  # a wrong header first: it explains the rows
        _fail(
            f"has {ragged[1]} cells but the header has {len(header)}",
            file=file,
            row=ragged[0],
            hint="quote cells that contain commas",
        )
    return _parse(header, rows, design, file, check_purpose(purpose))


def _csv_rows(text: str, file: str | None) -> tuple[list[str], list[Row], tuple[int, int] | None]:
    """The header, the rows and the first row (number, cells) whose cells do not match the
    header, of a list file's text. A malformed CSV (a cell longer than the csv module's
    limit, a header naming a column twice) is refused with its row."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    header: list[str] = []
    rows: list[Row] = []
    ragged: tuple[int, int] | None = None
    try:
        for line in reader:
            if not line:  # a blank line, as csv.DictReader skipped them
                continue
            if not header:
                header = line
                repeated = [c for c in header if header.count(c) > 1]
                if repeated:
                    _fail("the header names this column twice", file=file, column=repeated[0])
                continue
            if len(line) != len(header) and ragged is None:
                ragged = (len(rows) + 1, len(line))
            rows.append({k: (v if v != "" else None) for k, v in zip(header, line, strict=False)})
    except csv.Error as error:
        _fail(
            f"cannot be read as CSV ({error})",
            file=file,
            row=len(rows) + 1,
            hint="give the list file as exonc wrote it",
        )
    return header, rows, ragged


def parse_list(
    frame: pd.DataFrame,
    *,
    design: RandomisationDesign | None = None,
    file: str | None = None,
    purpose: Purpose = "live",
) -> AllocationList:
    """Validate a list read as text cells (e.g. exported from another system) and build it.

    Every problem stops with one line naming the row (1-based, header not counted), the
    column and the value. With a *design*, the factor columns, levels and arms must be the
    design's and every block must hold the arms in the design's ratio.
    """
    header = [str(c).removeprefix("\ufeff") for c in frame.columns]
    rows = [
        {
            h: (None if pd.isna(v) or v == "" else str(v))
            for h, v in zip(header, values, strict=True)
        }
        for values in frame.itertuples(index=False, name=None)
    ]
    return _parse(header, rows, design, file, check_purpose(purpose))


def _parse(
    header: Sequence[str],
    rows: Sequence[Row],
    design: RandomisationDesign | None,
    file: str | None,
    purpose: Purpose,
) -> AllocationList:
    factors = _factor_columns(header, design, file)
    if not rows:
        _fail("the list has no rows", file=file, hint="give one row per list position")
    entries = [_entry(row, i, factors, design, file) for i, row in enumerate(rows, start=1)]
    order = _label_order(entries, factors, design, file)
    _check_positions(entries, file)
    _check_blocks(entries, design, file)
    return AllocationList(order, tuple(e for e, _ in entries), purpose)


def _factor_columns(
    header: Sequence[str], design: RandomisationDesign | None, file: str | None
) -> list[str]:
    missing = [c for c in LIST_COLUMNS if c not in header]
    if missing:
        _fail(
            f"missing column {missing[0]}",
            file=file,
            hint=f"an allocation list has the columns {', '.join(LIST_COLUMNS)} and one per factor",
        )
    factors = [c for c in header if c not in LIST_COLUMNS]
    if design is not None:
        extra = [c for c in factors if c not in design.factor_names]
        if extra:
            _fail(
                "is not a factor of the design",
                file=file,
                column=extra[0],
                hint=f"the design's factors are {', '.join(design.factor_names) or '(none)'}",
            )
        absent = [name for name in design.factor_names if name not in factors]
        if absent:
            _fail(f"missing column {absent[0]}", file=file, hint="add one column per factor")
    return factors


def _entry(
    row: Row,
    number: int,
    factors: Sequence[str],
    design: RandomisationDesign | None,
    file: str | None,
) -> tuple[ListEntry, tuple[str, ...]]:
    def text(column: str) -> str:
        value = row.get(column)
        if value is None:
            _fail("empty cell", file=file, row=number, column=column, hint="fill it in")
        return value

    label = text("stratum")
    pairs = _split_label(label, number, file)
    levels = {name: text(name) for name in factors}
    _check_label_levels(label, pairs, levels, number, file)
    arm = text("arm")
    if design is not None:
        _check_design(design, levels, arm, label, number, file)
    block, size = _block_cells(row, number, file)
    entry = ListEntry(
        label, _whole(text("position"), "position", number, file), arm, levels, block, size
    )
    return entry, tuple(name for name, _ in pairs)


def _check_label_levels(
    label: str,
    pairs: Sequence[tuple[str, str]],
    levels: Mapping[str, str],
    number: int,
    file: str | None,
) -> None:
    for name, level in pairs:
        if name not in levels:
            _fail(
                f"names factor {name}, which has no column",
                file=file,
                row=number,
                column="stratum",
                value=label,
                hint=f"add a column {name}",
            )
        if levels[name] != level:
            _fail(
                f"does not match the stratum label {label}",
                file=file,
                row=number,
                column=name,
                value=levels[name],
            )
    if sorted(name for name, _ in pairs) != sorted(levels):
        _fail(
            f"the label must name each factor column once ({', '.join(levels) or 'none'})",
            file=file,
            row=number,
            column="stratum",
            value=label,
        )


def _split_label(label: str, number: int, file: str | None) -> list[tuple[str, str]]:
    if label == UNSTRATIFIED:
        return []
    pairs = []
    for part in label.split("|"):
        name, sep, level = part.partition("=")
        if not sep or not name or not level:
            _fail(
                "is not a stratum label",
                file=file,
                row=number,
                column="stratum",
                value=label,
                hint=f"write factor=level pairs joined by |, e.g. centre=C1|line=3rd+, "
                f"or {UNSTRATIFIED!r} for an unstratified list",
            )
        pairs.append((name, level))
    return pairs


def _check_design(
    design: RandomisationDesign,
    levels: Mapping[str, str],
    arm: str,
    label: str,
    number: int,
    file: str | None,
) -> None:
    try:
        stratum = design.stratum_of(levels)
    except InputError as error:
        _fail(
            error.problem,
            file=file,
            row=number,
            column=error.column,
            value=error.value,
            hint=error.hint,
        )
    if stratum.label != label:
        _fail(
            "the factors in the stratum label are not in the design's order",
            file=file,
            row=number,
            column="stratum",
            value=label,
            hint=f"write {stratum.label}",
        )
    if arm not in design.arm_names:
        _fail(
            "is not an arm of the design",
            file=file,
            row=number,
            column="arm",
            value=arm,
            hint=f"use one of {', '.join(design.arm_names)}",
        )


def _block_cells(row: Row, number: int, file: str | None) -> tuple[int | None, int | None]:
    block, size = row.get("block"), row.get("block_size")
    if block is None and size is None:
        return None, None
    if block is None or size is None:
        _fail(
            "block and block_size must both be given or both be empty",
            file=file,
            row=number,
            column="block" if block is None else "block_size",
        )
    return _whole(block, "block", number, file), _whole(size, "block_size", number, file)


def _whole(value: str, column: str, number: int, file: str | None) -> int:
    if not _DIGITS.match(value) or int(value) < 1:
        _fail(
            "must be a whole number of at least 1",
            file=file,
            row=number,
            column=column,
            value=value,
        )
    return int(value)


def _label_order(
    entries: Sequence[tuple[ListEntry, tuple[str, ...]]],
    factors: Sequence[str],
    design: RandomisationDesign | None,
    file: str | None,
) -> tuple[str, ...]:
    first = entries[0][1] if design is None else design.factor_names
    for number, (entry, order) in enumerate(entries, start=1):
        if order != first:
            _fail(
                "names the factors in a different order from the first row",
                file=file,
                row=number,
                column="stratum",
                value=entry.stratum,
            )
    return tuple(first) if factors else ()


def _check_positions(
    entries: Sequence[tuple[ListEntry, tuple[str, ...]]], file: str | None
) -> None:
    seen: dict[str, set[int]] = {}
    for number, (entry, _) in enumerate(entries, start=1):
        positions = seen.setdefault(entry.stratum, set())
        if entry.position in positions:
            _fail(
                f"position repeated in stratum {entry.stratum}",
                file=file,
                row=number,
                column="position",
                value=str(entry.position),
            )
        positions.add(entry.position)
    for label, positions in seen.items():
        gap = next(p for p in range(1, len(positions) + 2) if p not in positions)
        if gap <= len(positions):
            _fail(
                f"stratum {label} has no position {gap}; positions must run 1, 2, 3, … "
                "without gaps",
                file=file,
                column="position",
                hint="renumber the positions",
            )


def _check_blocks(
    entries: Sequence[tuple[ListEntry, tuple[str, ...]]],
    design: RandomisationDesign | None,
    file: str | None,
) -> None:
    rows = {id(e): n for n, (e, _) in enumerate(entries, start=1)}
    by_stratum: dict[str, list[ListEntry]] = {}
    for entry, _ in entries:
        by_stratum.setdefault(entry.stratum, []).append(entry)
    for group in by_stratum.values():
        group.sort(key=lambda e: e.position)
        with_blocks = [e.block is not None for e in group]
        if any(with_blocks) and not all(with_blocks):
            odd = group[with_blocks.index(not with_blocks[0])]
            _fail(
                "some positions of the stratum have a block and others do not",
                file=file,
                row=rows[id(odd)],
                column="block",
                hint="give blocks for all or none",
            )
        if all(with_blocks):
            _check_stratum_blocks(group, rows, design, file)


def _check_stratum_blocks(
    group: Sequence[ListEntry],
    rows: Mapping[int, int],
    design: RandomisationDesign | None,
    file: str | None,
) -> None:
    blocks: dict[int, list[ListEntry]] = {}
    previous = 1
    for entry in group:
        block = entry.block or 0
        if block not in (previous, previous + 1) or (not blocks and block != 1):
            _fail(
                "blocks must be numbered 1, 2, 3, … in position order",
                file=file,
                row=rows[id(entry)],
                column="block",
                value=str(block),
            )
        blocks.setdefault(block, []).append(entry)
        previous = block
    for members in blocks.values():
        _check_block(members, rows, design, file)


def _check_block(
    members: Sequence[ListEntry],
    rows: Mapping[int, int],
    design: RandomisationDesign | None,
    file: str | None,
) -> None:
    size = members[0].block_size or 0
    for entry in members:
        if entry.block_size != size:
            _fail(
                "differs from the size given in the block's first row",
                file=file,
                row=rows[id(entry)],
                column="block_size",
                value=str(entry.block_size),
            )
    last = rows[id(members[-1])]
    if len(members) != size:
        _fail(
            f"block {members[0].block} of stratum {members[0].stratum} has {len(members)} "
            f"position{'s' if len(members) != 1 else ''} but block_size {size}",
            file=file,
            row=last,
            column="block_size",
            value=str(size),
            hint="every block must be complete",
        )
    if design is not None:
        _check_block_design(members, size, last, design, file)


def _check_block_design(
    members: Sequence[ListEntry],
    size: int,
    last: int,
    design: RandomisationDesign,
    file: str | None,
) -> None:
    if design.method == "blocks" and size not in design.block_sizes:
        _fail(
            "is not one of the design's block sizes",
            file=file,
            row=last,
            column="block_size",
            value=str(size),
            hint=f"use {', '.join(map(str, design.block_sizes))}",
        )
    counts = [sum(e.arm == arm.name for e in members) for arm in design.arms]
    expected = [arm.ratio * size // design.ratio_sum for arm in design.arms]
    if size % design.ratio_sum or counts != expected:
        _fail(
            f"block {members[0].block} of stratum {members[0].stratum} does not hold the "
            f"arms in the ratio {':'.join(map(str, design.ratio))}",
            file=file,
            row=last,
            column="arm",
            hint="use a list made for this design",
        )


def _fail(
    problem: str,
    *,
    file: str | None = None,
    row: int | None = None,
    column: str | None = None,
    value: object = None,
    hint: str | None = None,
) -> NoReturn:
    raise RandomisationInputError(
        problem, file=file, row=row, column=column, value=value, hint=hint
    )
