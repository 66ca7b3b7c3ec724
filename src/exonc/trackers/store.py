"""The minute store: Parquet files partitioned by participant, append-only, re-import safe.

Layout under the store's root::

    manifest.json                       the committed imports (the only source of truth)
    minutes/<participant>/<import>.parquet
    staging/<import>/                   work area of an import in progress
    .lock                               one writer at a time

An import reads its files (:func:`exonc.trackers.read_files`), writes one Parquet file per
participant into ``staging``, moves them under ``minutes`` and then commits by rewriting
``manifest.json`` atomically. Readers see only files the manifest lists, so a crash at any
point leaves the store as it was; :meth:`MinuteStore.vacuum` removes the leftovers.

Files are identified by the SHA-256 of their content: a file already imported is reported
as ``already imported`` and not read again. Minutes that overlap earlier imports (a second,
longer export of the same period) are stored and counted as duplicates; summaries resolve
them (:mod:`exonc.trackers.grid`). Nothing is ever rewritten or deleted.

Query the minutes with Polars (:meth:`MinuteStore.scan`) or DuckDB
(:meth:`MinuteStore.register`); each file holds the minute schema, ``participant_id``
included.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final

import duckdb
import polars as pl

from exonc.errors import ImportFormatError
from exonc.trackers.daily import DAILY_SCHEMA, DailyRules, daily_from_grid
from exonc.trackers.grid import DuplicateCounts, to_grid
from exonc.trackers.minutes import empty_minutes
from exonc.trackers.partitions import Partitioner, partition_directory
from exonc.trackers.pipeline import DailyRun, Progress, read_files
from exonc.trackers.readers import ReadOptions
from exonc.trackers.report import FileReport, ImportReport

__all__ = ["MinuteStore", "StoredImport", "file_sha256"]

MANIFEST_VERSION: Final = 1
_CHUNK: Final = 1 << 20


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    except OSError as exc:
        raise ImportFormatError("cannot be read", file=str(path), hint=str(exc)) from exc
    return digest.hexdigest()


@dataclass(frozen=True)
class StoredImport:
    """One committed import: its id, when, its files' report and the files it wrote."""

    import_id: str
    imported_at: str | None
    report: dict[str, Any]
    parts: tuple[tuple[str, str], ...]  # (participant_id, path relative to the root)

    def hashes(self) -> set[str]:
        return {
            str(f["sha256"])
            for f in self.report.get("files", [])
            if f.get("status") == "imported" and f.get("sha256")
        }


class MinuteStore:
    """A directory of participant-partitioned minute files and its manifest."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    # ------------------------------------------------------------ reading

    def imports(self) -> list[StoredImport]:
        path = self.root / "manifest.json"
        if not path.exists():
            return []
        data = json.loads(path.read_text(encoding="utf-8"))
        return [
            StoredImport(
                entry["import_id"],
                entry.get("imported_at"),
                entry["report"],
                tuple((str(p), str(f)) for p, f in entry["parts"]),
            )
            for entry in data["imports"]
        ]

    def participants(self) -> list[str]:
        return sorted({p for stored in self.imports() for p, _ in stored.parts})

    def files(self, participant_id: str | None = None) -> list[Path]:
        """Committed files, of one participant or all, oldest import first."""
        return [
            self.root / relative
            for stored in self.imports()
            for participant, relative in stored.parts
            if participant_id is None or participant == participant_id
        ]

    def minutes(self, participant_id: str) -> pl.DataFrame:
        """Every stored row of one participant (duplicates included) as a minute frame."""
        files = self.files(participant_id)
        return pl.read_parquet(files) if files else empty_minutes()

    def scan(self) -> pl.LazyFrame:
        """All committed minutes as a Polars lazy frame."""
        files = self.files()
        return pl.scan_parquet(files) if files else empty_minutes().lazy()

    def register(self, connection: duckdb.DuckDBPyConnection, name: str = "minutes") -> None:
        """Create (or replace) a DuckDB view *name* over the committed minutes."""
        files = self.files()
        if not files:
            connection.register(name, empty_minutes().to_arrow())
            return
        listed = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files)
        connection.execute(
            f'CREATE OR REPLACE VIEW "{name}" AS SELECT * FROM read_parquet([{listed}])'
        )

    def daily(
        self, rules: DailyRules | None = None, participants: Collection[str] | None = None
    ) -> DailyRun:
        """Daily summaries of stored participants (all, or *participants*)."""
        chosen = rules or DailyRules()
        frames: list[pl.DataFrame] = []
        duplicates = DuplicateCounts()
        for participant in self.participants():
            if participants is not None and participant not in participants:
                continue
            grid = to_grid(self.minutes(participant))
            frames.append(daily_from_grid(grid, chosen))
            duplicates = duplicates + grid.duplicates
        daily = pl.concat(frames) if frames else pl.DataFrame(schema=DAILY_SCHEMA)
        return DailyRun(daily, ImportReport((), duplicates))

    # ------------------------------------------------------------ writing

    def import_files(
        self,
        paths: Sequence[Path],
        fmt: str,
        *,
        options: ReadOptions | None = None,
        participants: Collection[str] | None = None,
        imported_at: dt.datetime | None = None,
        memory_budget: int = 1 << 30,
        on_rows: Progress | None = None,
    ) -> ImportReport:
        """Import *paths* in format *fmt*; returns the report that the manifest also keeps."""
        chosen = replace(options or ReadOptions(), keep_going=True)
        with self._locked():
            self.vacuum()
            stored = self.imports()
            hashes = [file_sha256(Path(p)) for p in paths]
            import_id = _import_id(len(stored) + 1, hashes)
            known = {h: s.import_id for s in stored for h in s.hashes()}
            fresh, repeated = _split_repeats(paths, hashes, known, import_id, fmt)
            staging = self.root / "staging" / import_id
            partitioner = Partitioner(staging / "spill", memory_budget)
            try:
                reports = read_files(
                    [paths[i] for i in fresh],
                    fmt,
                    partitioner,
                    options=chosen,
                    participants=participants,
                    on_rows=on_rows,
                    hashes=[hashes[i] for i in fresh],
                )
                written, duplicates = self._stage(partitioner, staging, import_id)
            finally:
                partitioner.close()
            report = ImportReport(
                tuple(_in_order(paths, fresh, reports, repeated)), duplicates, import_id
            )
            self._commit(import_id, imported_at, report, written)
        return report

    def vacuum(self) -> list[Path]:
        """Remove files the manifest does not list (left by an interrupted import)."""
        listed = {self.root / relative for s in self.imports() for _, relative in s.parts}
        removed = [p for p in (self.root / "minutes").rglob("*.parquet") if p not in listed]
        for path in removed:
            path.unlink()
        shutil.rmtree(self.root / "staging", ignore_errors=True)
        return removed

    def _stage(
        self, partitioner: Partitioner, staging: Path, import_id: str
    ) -> tuple[list[tuple[str, Path]], DuplicateCounts]:
        written: list[tuple[str, Path]] = []
        duplicates = DuplicateCounts()
        for participant, frame in partitioner.frames():
            path = staging / "out" / partition_directory(participant) / f"{import_id}.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            frame.write_parquet(path, compression="zstd")
            written.append((participant, path))
            duplicates = duplicates + self._new_duplicates(participant, frame)
        return written, duplicates

    def _new_duplicates(self, participant: str, frame: pl.DataFrame) -> DuplicateCounts:
        """Duplicates the new rows add to what the store already holds for *participant*."""
        before = self.minutes(participant)
        if before.height == 0:
            return to_grid(frame).duplicates
        after = to_grid(pl.concat([before, frame])).duplicates
        old = to_grid(before).duplicates
        return DuplicateCounts(
            **{
                name: getattr(after, name) - getattr(old, name)
                for name in ("steps", "intensity", "mets", "heart_rate", "conflicting", "minutes")
            }
        )

    def _commit(
        self,
        import_id: str,
        imported_at: dt.datetime | None,
        report: ImportReport,
        written: list[tuple[str, Path]],
    ) -> None:
        parts: list[tuple[str, str]] = []
        for participant, staged in written:
            target = self.root / "minutes" / partition_directory(participant) / staged.name
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, target)
            parts.append((participant, str(target.relative_to(self.root))))
        entry = {
            "import_id": import_id,
            "imported_at": imported_at.isoformat() if imported_at else None,
            "report": report.to_dict(),
            "parts": parts,
        }
        existing = [
            {
                "import_id": s.import_id,
                "imported_at": s.imported_at,
                "report": s.report,
                "parts": [list(p) for p in s.parts],
            }
            for s in self.imports()
        ]
        _write_atomically(
            self.root / "manifest.json",
            json.dumps({"version": MANIFEST_VERSION, "imports": [*existing, entry]}, indent=1),
        )
        shutil.rmtree(self.root / "staging" / import_id, ignore_errors=True)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _import_id(sequence: int, hashes: Sequence[str]) -> str:
    combined = hashlib.sha256("".join(hashes).encode("ascii")).hexdigest()
    return f"{sequence:06d}-{combined[:12]}"


def _split_repeats(
    paths: Sequence[Path], hashes: Sequence[str], known: dict[str, str], import_id: str, fmt: str
) -> tuple[list[int], dict[int, FileReport]]:
    """Indexes of files to read, and reports for those imported before (or listed twice)."""
    fresh: list[int] = []
    repeated: dict[int, FileReport] = {}
    first_seen: dict[str, int] = {}
    for index, digest in enumerate(hashes):
        earlier = known.get(digest) or (import_id if digest in first_seen else None)
        if earlier is None:
            first_seen[digest] = index
            fresh.append(index)
            continue
        repeated[index] = FileReport(
            str(paths[index]), fmt, "already imported", sha256=digest, duplicate_of=earlier
        )
    return fresh, repeated


def _in_order(
    paths: Sequence[Path],
    fresh: list[int],
    reports: list[FileReport],
    repeated: dict[int, FileReport],
) -> list[FileReport]:
    by_index = dict(zip(fresh, reports, strict=True)) | repeated
    return [by_index[i] for i in range(len(paths))]


def _write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.partial")
    with open(partial, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)
