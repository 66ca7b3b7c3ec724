"""Whose minutes a file holds, before the store sees it.

The minute store remembers every file it has imported (by SHA-256) and will not read it
again, even if all its rows were rejected as belonging to an unknown participant. A file
uploaded for the wrong participant would then be lost for the right one. So files whose
format names the participant (Fitabase's ``Id``, a generic CSV's participant column) are
read once without keeping anything, and a file that holds none of her minutes is kept away
from the store and reported, with the ids it does hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from exonc.platform.trial.models import Participant
from exonc.trackers import FileReport, ImportReport, Partitioner, Piece, ReadOptions, read_files

UNKNOWN = "unknown participant"


class _Counting(Partitioner):
    """A partitioner that keeps nothing: the read only counts rows and participants."""

    def add(self, file_index: int, piece: Piece) -> None:
        return None


def foreign_files(
    paths: Sequence[Path],
    fmt: str,
    options: ReadOptions,
    tracker_id: str,
    participant: Participant,
) -> dict[int, dict[str, Any]]:
    """Report entries (``FileReport`` as a dict) of the files that hold only others' minutes."""
    reports = read_files(list(paths), fmt, _Counting(), options=options, participants=None)
    return {
        index: _entry(report, tracker_id, participant)
        for index, report in enumerate(reports)
        if report.status == "imported"
        and report.participants
        and tracker_id not in report.participants
    }


def _entry(report: FileReport, tracker_id: str, participant: Participant) -> dict[str, Any]:
    held = ", ".join(report.participants[:5]) + (" …" if len(report.participants) > 5 else "")
    whose = "participant" if len(report.participants) == 1 else "participants"
    refused = FileReport(
        report.file,
        report.format,
        "failed",
        rows_read=report.rows_read,
        accepted=0,
        rejected=report.rows_read,
        reasons={**report.reasons, UNKNOWN: report.accepted} if report.accepted else report.reasons,
        examples=report.examples,
        participants=(),
        sha256=report.sha256,
        error=(
            f"{report.file}: holds the minutes of {whose} {held}, not of "
            f"{participant.study_id} (tracker id {tracker_id}); nothing imported — choose "
            "the participant this export belongs to, or give her tracker id if this is hers"
        ),
    )
    entry: dict[str, Any] = ImportReport((refused,)).to_dict()["files"][0]
    return entry
