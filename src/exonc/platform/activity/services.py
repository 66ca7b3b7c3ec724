"""Importing a participant's tracker exports: files kept, minutes stored, days recomputed.

:func:`import_exports` is the one use case. It checks the user's role and centre and the
upload (format, time zone, tracker id) before anything is written, then:

1. keeps the files under ``settings.EXONC.uploads/activity/<study ID>/<upload>/``;
2. for formats whose files name the participant (Fitabase, generic CSV), reads them once
   to see whose they are: a file that holds none of her minutes is not given to the store
   (it is reported, and can still be imported for the right participant);
3. imports the others into the minute store (``exonc.trackers.MinuteStore``, under its
   file lock): bad rows are rejected and counted, a failing file contributes nothing, and a
   file imported before is reported as "already imported" and not read again;
4. in one database transaction: records the import (with the store's report) and its
   files, fixes her tracker id on her first stored minutes, and recomputes all her days
   from the store (upsert by participant and date), so nothing is counted twice.

Uploading files that were all imported for her before (the same SHA-256 of every file)
changes nothing: the copies are removed again and :class:`AlreadyImported` names the earlier
import, so a retried upload never adds a second record or a second copy.

If step 3 fails, nothing is written anywhere and the kept files are removed. If the
database transaction fails after the store committed (a crash between the two), the
minutes stay in the store and the kept files are removed: uploading the same files again
reports them as already imported and recomputes her days, so the database catches up.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Final

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.db import transaction
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from exonc.errors import AlreadyImported, ImportFormatError, InputError, TrialStateError
from exonc.paths import inside, remove_inside
from exonc.platform import access, audit
from exonc.platform.accounts.models import Role, User
from exonc.platform.activity.models import (
    ActivityImport,
    Channel,
    DailyActivity,
    ImportedFile,
    Origin,
    TrackerAccount,
)
from exonc.platform.activity.screening import foreign_files
from exonc.platform.activity.tracking import (
    METRICS,
    NAMING_FORMATS,
    RULES,
    minute_store,
)
from exonc.platform.trial.models import Participant
from exonc.trackers import FORMATS, ImportReport, ReadOptions, zone

#: Who may upload tracker exports (at the participant's centre; administrators always may).
UPLOADERS: Final = (Role.COORDINATOR, Role.PHYSIOTHERAPIST)
REASONS: Final[dict[str, str]] = {
    Channel.UPLOAD: "tracker export uploaded",
    Channel.API: "tracker export uploaded through the API",
    Channel.COMMAND_LINE: "imported with exonc trackers import",
}
_CHUNK: Final = 1 << 20


@dataclass(frozen=True)
class ExportFile:
    """One file as given: its name and an open binary stream of its content."""

    name: str
    content: IO[bytes]


@dataclass(frozen=True)
class Upload:
    """What staff give to import: the format, the files, and optionally the time zone the
    tracker followed (the centre's by default) and her tracker's id in the exports."""

    format: str
    files: Sequence[ExportFile]
    time_zone: str = ""
    tracker_id: str = ""
    channel: str = Channel.UPLOAD


@dataclass(frozen=True)
class _Plan:
    format: str
    time_zone: str
    tracker_id: str
    new_account: bool
    channel: str


@dataclass(frozen=True)
class _Kept:
    name: str
    path: Path
    size: int
    sha256: str


@dataclass
class _Outcome:
    """The combined report: files the store read and files kept from it, in upload order."""

    files: list[dict[str, Any]]
    duplicates: dict[str, int] = field(default_factory=dict)
    duplicates_total: int = 0
    store_import_id: str = ""


def import_exports(
    user: User, participant: Participant, upload: Upload, *, now: dt.datetime
) -> ActivityImport:
    """Import *upload* for *participant* (see the module's documentation)."""
    access.require_role(user, *UPLOADERS)
    access.require_centre(user, participant.centre)
    plan = _plan(participant, upload)
    folder = _upload_folder(participant, now)
    try:
        kept = _keep(upload.files, folder)
        _refuse_repeat(participant, kept)
        outcome = _store(plan, kept, participant, now)
        with transaction.atomic():
            return _record(user, participant, plan, kept, outcome, now)
    except BaseException:
        remove_inside(_uploads(), folder)
        raise


# ---------------------------------------------------------------- checks (nothing written)


def _plan(participant: Participant, upload: Upload) -> _Plan:
    if upload.format not in FORMATS:
        raise InputError(
            "is not a tracker format",
            column="format",
            value=upload.format,
            hint=f"choose one of {', '.join(FORMATS)}",
        )
    if upload.channel not in REASONS:
        raise InputError("is not an import channel", column="channel", value=upload.channel)
    if not upload.files:
        raise InputError("no files were given", column="files", hint="choose the export files")
    time_zone = upload.time_zone.strip() or participant.centre.time_zone
    try:
        zone(time_zone)
    except ImportFormatError:
        raise InputError(
            "is not a time zone",
            column="time_zone",
            value=time_zone,
            hint="give an IANA name such as Europe/Amsterdam",
        ) from None
    tracker_id, new = _tracker_id(participant, upload.tracker_id.strip())
    return _Plan(upload.format, time_zone, tracker_id, new, upload.channel)


def _tracker_id(participant: Participant, given: str) -> tuple[str, bool]:
    """The store key for this import, and whether it is set by it."""
    account = TrackerAccount.objects.filter(participant=participant).first()
    if account is not None:
        if given and given != account.tracker_id:
            raise TrialStateError(
                f"{participant.study_id}'s minutes are stored under tracker id "
                f"{account.tracker_id}; it cannot change to {given}"
            )
        return account.tracker_id, False
    chosen = given or participant.study_id
    if len(chosen) > TrackerAccount._meta.get_field("tracker_id").max_length:  # type: ignore[operator]
        raise InputError("is too long", column="tracker_id", value=chosen)
    others = Participant.objects.exclude(pk=participant.pk)
    if (
        TrackerAccount.objects.filter(tracker_id=chosen).exists()
        or others.filter(study_id=chosen).exists()
    ):
        raise InputError(
            "belongs to another participant",
            column="tracker_id",
            value=chosen,
            hint="check the id in her tracker's export",
        )
    return chosen, True


# ---------------------------------------------------------------- files and the store


def _uploads() -> Path:
    return Path(settings.EXONC.uploads).resolve()


def _upload_folder(participant: Participant, now: dt.datetime) -> Path:
    """Her new upload folder; a study ID that would lead elsewhere is refused (UnsafePath)."""
    stamp = f"{now.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(4)}"
    return inside(_uploads(), "activity", participant.study_id, stamp)


def _keep(files: Sequence[ExportFile], folder: Path) -> list[_Kept]:
    """Copy every file into *folder*, one numbered folder each so that equal names do not
    collide and every file keeps its name (some formats read the metric from it)."""
    kept = []
    for position, given in enumerate(files, 1):
        name = Path(given.name.replace("\\", "/")).name or f"file-{position}"
        target = inside(folder, f"{position:02d}", _safe(name))
        target.parent.mkdir(parents=True)
        digest, size = hashlib.sha256(), 0
        with open(target, "xb") as out:
            while chunk := given.content.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        kept.append(_Kept(name, target, size, digest.hexdigest()))
    return kept


#: File statuses whose minutes are in the store (a failed file may be given again).
_STORED = ("imported", "already imported")


def _refuse_repeat(participant: Participant, kept: list[_Kept]) -> None:
    """Raise AlreadyImported if every file was imported for *participant* before."""
    earlier = (
        ImportedFile.objects.filter(
            activity_import__participant=participant,
            sha256__in={k.sha256 for k in kept},
            status__in=_STORED,
        )
        .select_related("activity_import")
        .order_by("activity_import_id")
    )
    found = {f.sha256: f.activity_import for f in reversed(list(earlier))}
    if not kept or any(k.sha256 not in found for k in kept):
        return
    first = found[kept[0].sha256]
    raise AlreadyImported(
        _(
            "these files were already imported for %(study_id)s in import %(number)s of "
            "%(date)s: nothing was stored or counted again"
        )
        % {
            "study_id": participant.study_id,
            "number": first.pk,
            "date": f"{first.imported_at:%Y-%m-%d}",
        },
        earlier=first,
    )


def _safe(name: str) -> str:
    try:
        return get_valid_filename(name)
    except SuspiciousFileOperation:
        return "file"


def _store(plan: _Plan, kept: list[_Kept], participant: Participant, now: dt.datetime) -> _Outcome:
    options = ReadOptions(
        participant_id=None if plan.format in NAMING_FORMATS else plan.tracker_id,
        timezone=plan.time_zone,
    )
    paths = [k.path for k in kept]
    refused = {}
    if plan.format in NAMING_FORMATS:
        refused = foreign_files(paths, plan.format, options, plan.tracker_id, participant)
    chosen = [i for i in range(len(kept)) if i not in refused]
    report = ImportReport(())
    if chosen:
        report = minute_store().import_files(
            [paths[i] for i in chosen],
            plan.format,
            options=options,
            participants={plan.tracker_id},
            imported_at=now,
        )
    read = dict(zip(chosen, report.to_dict()["files"], strict=True))
    files = [_named(read.get(i) or refused[i], kept[i]) for i in range(len(kept))]
    return _Outcome(
        files, report.to_dict()["duplicates"], report.duplicates.total, report.import_id or ""
    )


def _named(entry: dict[str, Any], kept: _Kept) -> dict[str, Any]:
    """The report's entry with the file's own name in place of the server's path."""
    named = {**entry, "file": kept.name}
    if named.get("error"):
        named["error"] = str(named["error"]).replace(str(kept.path), kept.name)
    return named


# ---------------------------------------------------------------- the database


def _record(
    user: User,
    participant: Participant,
    plan: _Plan,
    kept: list[_Kept],
    outcome: _Outcome,
    now: dt.datetime,
) -> ActivityImport:
    fresh = Participant.objects.select_for_update().get(pk=participant.pk)
    _refuse_repeat(fresh, kept)  # an identical upload that ran at the same time recorded first
    reason = REASONS[plan.channel]
    daily = minute_store().daily(RULES, participants={plan.tracker_id}).daily
    if plan.new_account and daily.height:  # the store holds minutes under her id now
        _set_tracker_id(user, fresh, plan.tracker_id, now, reason)
    record = ActivityImport(
        participant=fresh,
        format=plan.format,
        time_zone=plan.time_zone,
        tracker_id=plan.tracker_id,
        channel=plan.channel,
        imported_by=user,
        imported_at=now,
        store_import_id=outcome.store_import_id,
        report={
            "files": outcome.files,
            "duplicates": outcome.duplicates,
            "import_id": outcome.store_import_id or None,
        },
        files_count=len(kept),
        rows_read=sum(int(f["rows_read"]) for f in outcome.files),
        accepted=sum(int(f["accepted"]) for f in outcome.files),
        rejected=sum(int(f["rejected"]) for f in outcome.files),
        duplicates=outcome.duplicates_total,
        days_updated=daily.height,
    )
    audit.save(record, user, reason)
    for position, (file, entry) in enumerate(zip(kept, outcome.files, strict=True), 1):
        audit.save(_file_row(record, position, file, entry), user, reason)
    _upsert_days(fresh, record, daily.iter_rows(named=True), now)
    return record


def _set_tracker_id(
    user: User, participant: Participant, tracker_id: str, now: dt.datetime, reason: str
) -> None:
    """Her tracker id, unless an import that ran at the same time set it first."""
    account = TrackerAccount.objects.filter(participant=participant).first()
    if account is None:
        account = TrackerAccount(
            participant=participant, tracker_id=tracker_id, registered_by=user, registered_at=now
        )
        audit.save(account, user, f"tracker id set by the first import ({reason})")
    elif account.tracker_id != tracker_id:
        raise TrialStateError(
            f"{participant.study_id}'s tracker id was set to {account.tracker_id} by an import "
            f"that ran at the same time; import these files again under that id"
        )


def _file_row(record: ActivityImport, position: int, file: _Kept, entry: dict[str, Any]) -> Any:
    return ImportedFile(
        activity_import=record,
        position=position,
        name=file.name[:255],
        stored_as=str(file.path.relative_to(_uploads())),
        size=file.size,
        sha256=file.sha256,
        status=str(entry["status"]),
    )


def _upsert_days(
    participant: Participant, record: ActivityImport, rows: Any, now: dt.datetime
) -> None:
    DailyActivity.objects.bulk_create(
        [
            DailyActivity(
                participant=participant,
                date=row["date"],
                **{name: row[name] for name in METRICS},
                origin=Origin.STORE,
                activity_import=record,
                updated_at=now,
            )
            for row in rows
        ],
        batch_size=1000,
        update_conflicts=True,
        unique_fields=("participant", "date"),
        update_fields=(*METRICS, "origin", "activity_import", "updated_at"),
    )
