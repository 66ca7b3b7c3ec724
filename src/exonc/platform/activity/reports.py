"""An import as staff read it: per file what happened, in one line, and the reasons.

The stored report is ``exonc.trackers.ImportReport.to_dict()`` (with the files' own names);
this module only puts it into words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from exonc.platform.accounts.models import Role, User
from exonc.platform.activity.models import ActivityImport
from exonc.platform.activity.screening import UNKNOWN


@dataclass(frozen=True)
class ReasonLine:
    reason: str
    count: int
    examples: list[str]


@dataclass(frozen=True)
class FileLine:
    position: int
    name: str
    status: str
    rows_read: int
    accepted: int
    rejected: int
    message: str
    reasons: list[ReasonLine]


@dataclass(frozen=True)
class ImportSummary:
    id: int
    study_id: str
    centre: str
    format: str
    time_zone: str
    channel: str
    imported_by: str | None  # not shown to statisticians (pseudonymised)
    imported_at: dt.datetime
    outcome: str
    headline: str
    rows_read: int
    accepted: int
    rejected: int
    duplicates: int
    days_updated: int
    files: list[FileLine]


def import_summary(record: ActivityImport, viewer: User) -> ImportSummary:
    files = [_file_line(i, entry, record) for i, entry in enumerate(_entries(record), 1)]
    return ImportSummary(
        id=record.pk,
        study_id=record.participant.study_id,
        centre=record.participant.centre.code,
        format=record.format,
        time_zone=record.time_zone,
        channel=record.channel,
        imported_by=None if viewer.role == Role.STATISTICIAN else record.imported_by.username,
        imported_at=record.imported_at,
        outcome=outcome(record),
        headline=_headline(record),
        rows_read=record.rows_read,
        accepted=record.accepted,
        rejected=record.rejected,
        duplicates=record.duplicates,
        days_updated=record.days_updated,
        files=files,
    )


def outcome(record: ActivityImport) -> str:
    """``imported``, ``partly imported``, ``nothing new`` or ``nothing imported``."""
    statuses = record.statuses
    if statuses and all(s == "already imported" for s in statuses):
        return "nothing new"
    if record.accepted == 0:
        return "nothing imported"
    if any(s == "failed" for s in statuses) or record.rejected:
        return "partly imported"
    return "imported"


def _entries(record: ActivityImport) -> list[dict[str, Any]]:
    files: list[dict[str, Any]] = record.report.get("files", [])
    return files


def _headline(record: ActivityImport) -> str:
    files = f"{record.files_count} file{'s' if record.files_count != 1 else ''}"
    return (
        f"{files} for {record.participant.study_id}: {record.rows_read:,} minute values read, "
        f"{record.accepted:,} accepted, {record.rejected:,} rejected, "
        f"{record.duplicates:,} duplicates resolved; "
        f"{record.days_updated:,} day{'s' if record.days_updated != 1 else ''} recomputed"
    )


def _file_line(position: int, entry: dict[str, Any], record: ActivityImport) -> FileLine:
    reasons = [
        ReasonLine(str(reason), int(count), _examples(entry, str(reason)))
        for reason, count in sorted(entry.get("reasons", {}).items(), key=lambda rc: -rc[1])
    ]
    return FileLine(
        position=position,
        name=str(entry.get("file", "")),
        status=str(entry.get("status", "")),
        rows_read=int(entry.get("rows_read", 0)),
        accepted=int(entry.get("accepted", 0)),
        rejected=int(entry.get("rejected", 0)),
        message=file_message(entry, record),
        reasons=reasons,
    )


def file_message(entry: dict[str, Any], record: ActivityImport) -> str:
    """One line saying what happened to the file and, if needed, what to do."""
    status = entry.get("status")
    if status == "failed":
        return f"not imported: {entry.get('error') or 'the file could not be read'}"
    if status == "already imported":
        return f"already imported{_earlier(entry, record)}: nothing read again or counted twice"
    accepted, rejected = int(entry.get("accepted", 0)), int(entry.get("rejected", 0))
    message = f"imported: {accepted:,} minute values accepted"
    if rejected:
        message += f", {rejected:,} rejected (reasons below)"
    others = _others(entry)
    if others:
        message += (
            f"; the minutes of {others} were not imported and this file cannot be imported "
            "again for them — upload each participant's own export"
        )
    return message


def _earlier(entry: dict[str, Any], record: ActivityImport) -> str:
    store_id = entry.get("duplicate_of")
    if not store_id:
        return ""
    if store_id == record.store_import_id:
        return " (the same file was given twice in this upload)"
    earlier = ActivityImport.objects.filter(store_import_id=store_id).order_by("id").first()
    if earlier is None:
        return f" (minute store import {store_id})"
    return f" in import {earlier.pk} of {earlier.imported_at:%Y-%m-%d}"


def _others(entry: dict[str, Any]) -> str:
    if UNKNOWN not in entry.get("reasons", {}):
        return ""
    ids = sorted(
        {
            str(e["participant_id"])
            for e in entry.get("examples", [])
            if e.get("reason") == UNKNOWN and e.get("participant_id")
        }
    )
    return "participant " + ", ".join(ids) if ids else "other participants"


def _examples(entry: dict[str, Any], reason: str) -> list[str]:
    return [_where(e) for e in entry.get("examples", []) if e.get("reason") == reason]


def _where(example: dict[str, Any]) -> str:
    parts = [
        f"row {example['row']}" if example.get("row") is not None else "",
        f"column {example['column']}" if example.get("column") else "",
        f"value {example['value']!r}" if example.get("value") is not None else "",
        " ".join(str(example[k]) for k in ("participant_id", "timestamp") if example.get(k)),
    ]
    return ", ".join(p for p in parts if p)
