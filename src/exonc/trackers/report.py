"""What an import or a summary run did with each file: the import report.

Counts are of minute-level rows as the reader produces them: one per line of a narrow
file, one per minute value of a wide file (60 per line), one per minute an interval
record covers. For every file ``rows_read == accepted + rejected``; every rejected row is
counted under its reason, and the first few of each reason are kept as examples with the
row, column and value. Duplicate minutes are counted per run (they are resolved, not
rejected; see :mod:`exonc.trackers.grid`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

import pandas as pd
import polars as pl

from exonc.errors import ImportFormatError
from exonc.results import Result
from exonc.trackers.grid import DuplicateCounts

__all__ = ["FileReport", "FileStatus", "FileTally", "ImportReport", "Rejection"]

FileStatus = Literal["imported", "failed", "already imported"]
EXAMPLES_PER_REASON: Final = 5


@dataclass(frozen=True)
class Rejection:
    """One rejected row: where it was, what it held and why it was not accepted."""

    reason: str
    row: int | None = None
    participant_id: str | None = None
    timestamp: str | None = None
    column: str | None = None
    value: str | None = None

    def error(self, file: str) -> ImportFormatError:
        where = " ".join(p for p in (self.participant_id, self.timestamp) if p)
        return ImportFormatError(
            f"{self.reason}{f' ({where})' if where else ''}",
            file=file,
            row=self.row,
            column=self.column,
            value=self.value,
            hint="correct the file, or read on with rejection (--on-error reject) and "
            "review the report",
        )


@dataclass(frozen=True)
class FileReport:
    """The outcome for one input file."""

    file: str
    format: str
    status: FileStatus
    rows_read: int = 0
    accepted: int = 0
    rejected: int = 0
    reasons: Mapping[str, int] = field(default_factory=dict)
    examples: tuple[Rejection, ...] = ()
    participants: tuple[str, ...] = ()
    sha256: str | None = None
    error: str | None = None
    duplicate_of: str | None = None


@dataclass(frozen=True)
class ImportReport(Result):
    """Every file of one import or summary run, with the duplicate minutes resolved."""

    files: tuple[FileReport, ...]
    duplicates: DuplicateCounts = field(default_factory=DuplicateCounts)
    import_id: str | None = None

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def accepted(self) -> int:
        return sum(f.accepted for f in self.files)

    @property
    def rejected(self) -> int:
        return sum(f.rejected for f in self.files)

    @property
    def failed(self) -> tuple[FileReport, ...]:
        return tuple(f for f in self.files if f.status == "failed")

    @property
    def warnings(self) -> tuple[str, ...]:
        """One line per file that failed, and one for the rows rejected."""
        lines = [f"{f.file}: failed ({f.error})" for f in self.failed]
        if self.rejected:
            lines.append(f"{self.rejected:,} of {self.rows_read:,} rows were rejected")
        return tuple(lines)

    def reasons(self) -> dict[str, int]:
        total: dict[str, int] = {}
        for report in self.files:
            for reason, count in report.reasons.items():
                total[reason] = total.get(reason, 0) + count
        return total

    def summary(self) -> pd.DataFrame:
        """One row per file: status and counts."""
        return pd.DataFrame(
            [
                {
                    "file": f.file,
                    "format": f.format,
                    "status": f.status,
                    "rows_read": f.rows_read,
                    "accepted": f.accepted,
                    "rejected": f.rejected,
                    "participants": len(f.participants),
                    "error": f.error or f.duplicate_of or "",
                }
                for f in self.files
            ],
            columns=[
                "file",
                "format",
                "status",
                "rows_read",
                "accepted",
                "rejected",
                "participants",
                "error",
            ],
        )


class FileTally:
    """Counts for one file while it is being read (the one mutable object of a run)."""

    def __init__(self, file: str, fmt: str, *, sha256: str | None = None) -> None:
        self.file = file
        self.format = fmt
        self.sha256 = sha256
        self.accepted = 0
        self.reasons: dict[str, int] = {}
        self.examples: dict[str, list[tuple[Rejection, bool]]] = {}
        self.participants: set[str] = set()

    def accept(self, participant_id: str, rows: int) -> None:
        self.accepted += rows
        if rows:
            self.participants.add(participant_id)

    def reject(self, rejects: pl.DataFrame, *, exact_rows: bool = False) -> None:
        """Count *rejects*; rows are positions among parsed rows unless *exact_rows*."""
        if rejects.height == 0:
            return
        for reason, count in rejects.group_by("reason").len().iter_rows():
            self.reasons[str(reason)] = self.reasons.get(str(reason), 0) + int(count)
        examples = rejects.group_by("reason", maintain_order=True).head(EXAMPLES_PER_REASON)
        for record in examples.iter_rows(named=True):
            kept = self.examples.setdefault(str(record["reason"]), [])
            if len(kept) < EXAMPLES_PER_REASON:
                kept.append((Rejection(**record), exact_rows))

    @property
    def rejected(self) -> int:
        return sum(self.reasons.values())

    def finish(self, skipped_rows: Sequence[int] = ()) -> FileReport:
        """The report; *skipped_rows* (data rows the CSV parser dropped) fix example rows."""
        skipped = sorted(skipped_rows)
        examples = tuple(
            example if exact else _shift(example, skipped)
            for kept in self.examples.values()
            for example, exact in kept
        )
        return FileReport(
            self.file,
            self.format,
            "imported",
            rows_read=self.accepted + self.rejected,
            accepted=self.accepted,
            rejected=self.rejected,
            reasons=dict(self.reasons),
            examples=examples,
            participants=tuple(sorted(self.participants)),
            sha256=self.sha256,
        )

    def failed(self, error: str) -> FileReport:
        """Nothing of the file is kept; its counts say how far reading got."""
        report = self.finish()
        reasons = dict(report.reasons)
        if report.accepted:
            reasons["file failed, rows read before the failure discarded"] = report.accepted
        return FileReport(
            self.file,
            self.format,
            "failed",
            rows_read=report.rows_read,
            accepted=0,
            rejected=report.rows_read,
            reasons=reasons,
            examples=report.examples,
            sha256=self.sha256,
            error=error,
        )


def _shift(example: Rejection, skipped: list[int]) -> Rejection:
    """Turn a row counted among parsed rows into the data row of the file."""
    if example.row is None or not skipped:
        return example
    row = example.row
    for gap in skipped:
        if gap <= row:
            row += 1
    return Rejection(
        example.reason,
        row,
        example.participant_id,
        example.timestamp,
        example.column,
        example.value,
    )
