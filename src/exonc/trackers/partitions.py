"""Gathering streamed pieces into one partition per participant, within a memory budget.

Readers stream a file in batches in whatever order the file has; daily summaries need all
of a participant's minutes together. :class:`Partitioner` keeps the pieces per participant
in a compact form (minute as Int32, values in their narrowest types) and, when they exceed
``memory_budget`` bytes, writes the largest participants' pieces to Parquet files under
``spill_dir``, so inputs larger than memory are partitioned on disk. Pieces are tagged with
the index of their input file: :meth:`Partitioner.discard` drops a failed file's pieces,
so a file that fails half-way leaves nothing behind.
"""

from __future__ import annotations

import shutil
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import polars as pl

from exonc.trackers.minutes import Piece, conform, empty_minutes, minute_to_timestamp

__all__ = ["Partitioner", "partition_directory"]

_COMPACT: Final = {
    "utc_offset": pl.Int16,
    "steps": pl.Int16,
    "intensity": pl.Int8,
    "mets": pl.Float32,
    "heart_rate": pl.Float32,
}


def partition_directory(participant_id: str) -> str:
    """A file-system-safe directory name for a participant (percent-encoded)."""
    quoted = urllib.parse.quote(participant_id, safe="") or "%00"
    return quoted.replace(".", "%2E") if quoted in (".", "..") else quoted


@dataclass(frozen=True)
class _Part:
    file_index: int
    source: str
    frame: pl.DataFrame | None
    path: Path | None

    def load(self) -> pl.DataFrame:
        if self.frame is not None:
            return self.frame
        if self.path is None:  # pragma: no cover - a part always has one of the two
            raise ValueError("empty part")
        return pl.read_parquet(self.path)


class Partitioner:
    """Pieces per participant, in memory up to a budget and spilled to Parquet beyond it."""

    def __init__(self, spill_dir: Path | None = None, memory_budget: int = 1 << 30) -> None:
        self.spill_dir = spill_dir
        self.memory_budget = memory_budget
        self._parts: dict[str, list[_Part]] = {}
        self._bytes = 0
        self._spills = 0

    def add(self, file_index: int, piece: Piece) -> None:
        if piece.height == 0:
            return
        frame = _compact(piece.minutes)
        self._parts.setdefault(piece.participant_id, []).append(
            _Part(file_index, piece.source, frame, None)
        )
        self._bytes += int(frame.estimated_size())
        if self.spill_dir is not None and self._bytes > self.memory_budget:
            self.spill()

    def participants(self) -> list[str]:
        return sorted(self._parts)

    def rows(self, participant_id: str) -> int:
        return sum(
            p.frame.height for p in self._parts.get(participant_id, []) if p.frame is not None
        )

    def discard(self, file_index: int) -> None:
        """Forget everything that came from input file *file_index*."""
        for participant, parts in list(self._parts.items()):
            kept = [p for p in parts if p.file_index != file_index]
            for part in parts:
                if part.file_index == file_index and part.path is not None:
                    part.path.unlink(missing_ok=True)
                elif part.file_index == file_index and part.frame is not None:
                    self._bytes -= int(part.frame.estimated_size())
            if kept:
                self._parts[participant] = kept
            else:
                del self._parts[participant]

    def frame(self, participant_id: str) -> pl.DataFrame:
        """All minutes of one participant as a minute frame."""
        parts = self._parts.get(participant_id, [])
        frames = [_expand(part.load(), participant_id, part.source) for part in parts]
        return pl.concat(frames) if frames else empty_minutes()

    def parts(self, participant_id: str) -> list[tuple[pl.DataFrame, str]]:
        """The participant's compact parts (``minute``, ``utc_offset``, metrics) and sources."""
        return [(part.load(), part.source) for part in self._parts.get(participant_id, [])]

    def frames(self) -> Iterator[tuple[str, pl.DataFrame]]:
        for participant in self.participants():
            yield participant, self.frame(participant)

    def spill(self) -> None:
        """Write the largest participants' in-memory pieces to Parquet under ``spill_dir``
        until at most three quarters of the budget stay in memory."""
        if self.spill_dir is None:
            return
        self._spills += 1
        sizes = {
            participant: sum(int(p.frame.estimated_size()) for p in parts if p.frame is not None)
            for participant, parts in self._parts.items()
        }
        for participant in sorted(sizes, key=lambda p: (-sizes[p], p)):
            if self._bytes <= self.memory_budget * 3 // 4:
                break
            self._spill_participant(participant)
            self._bytes -= sizes[participant]

    def _spill_participant(self, participant: str) -> None:
        parts = self._parts[participant]
        folder = self.spill_dir / partition_directory(participant)  # type: ignore[operator]
        for (file_index, source), frame in self._merge_in_memory(parts).items():
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{file_index}-{self._spills}-{source}.parquet"
            frame.write_parquet(path, compression="lz4", statistics=False)
            parts.append(_Part(file_index, source, None, path))
        parts[:] = [p for p in parts if p.frame is None]

    @staticmethod
    def _merge_in_memory(parts: list[_Part]) -> dict[tuple[int, str], pl.DataFrame]:
        grouped: dict[tuple[int, str], list[pl.DataFrame]] = {}
        for part in parts:
            if part.frame is not None:
                grouped.setdefault((part.file_index, part.source), []).append(part.frame)
        return {key: pl.concat(frames, how="diagonal") for key, frames in grouped.items()}

    def close(self) -> None:
        """Forget all pieces and remove spilled files."""
        self._parts.clear()
        self._bytes = 0
        if self.spill_dir is not None and self.spill_dir.exists():
            shutil.rmtree(self.spill_dir, ignore_errors=True)


def _compact(minutes: pl.DataFrame) -> pl.DataFrame:
    """The piece's minute, offset and recorded metrics in their narrowest types."""
    columns = [minutes["minute"].cast(pl.Int32)]
    for name, dtype in _COMPACT.items():
        if name not in minutes.columns:
            continue
        column = minutes[name]
        if name == "utc_offset" or column.null_count() < column.len():
            columns.append(column.cast(dtype))
    return pl.DataFrame(columns)


def _expand(compact: pl.DataFrame, participant_id: str, source: str) -> pl.DataFrame:
    frame = compact.with_columns(
        minute_to_timestamp(pl.col("minute")).alias("timestamp"),
        pl.lit(participant_id).alias("participant_id"),
        pl.lit(source).alias("source"),
    )
    return conform(frame)
