"""From tracker files to daily summaries, one participant partition at a time.

The run has two stages, each a plain function:

1. :func:`read_files` streams every file through its reader, applies the shared checks
   (:func:`~exonc.trackers.minutes.screen`) and gathers the accepted minutes per participant
   in a :class:`~exonc.trackers.partitions.Partitioner` (in memory, spilling to Parquet
   beyond a budget). A file that fails leaves nothing behind; every rejected row is counted.
2. :func:`summarise_partition` turns one participant's minutes into daily summaries — a
   pure function of a minute frame, so a Dask cluster can map it over partitions (for
   example over the participant directories of a :class:`~exonc.trackers.store.MinuteStore`)
   unchanged. :func:`summarise_partitions` takes a *mapper* for that: ``exonc trackers
   daily --scheduler`` passes one that runs :func:`summarise_parts` on a cluster
   (``docs/operations/cluster.md``), with output identical to a local run.

:func:`daily_from_files` runs both and returns the summaries with the import report.
"""

from __future__ import annotations

import functools
import os
import tempfile
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl

from exonc.errors import ImportFormatError
from exonc.results import Result
from exonc.trackers.daily import DAILY_SCHEMA, DailyRules, daily_from_grid
from exonc.trackers.grid import DuplicateCounts, grid_from_parts, to_grid
from exonc.trackers.minutes import Limits, screen
from exonc.trackers.partitions import Partitioner
from exonc.trackers.readers import Reader, ReadOptions, reader_for
from exonc.trackers.report import FileReport, FileTally, ImportReport, Rejection

__all__ = [
    "DailyRun",
    "daily_from_files",
    "read_files",
    "summarise_many",
    "summarise_partition",
    "summarise_partitions",
    "summarise_parts",
]

Progress = Callable[[int], None]
Parts = tuple[str, list[tuple[pl.DataFrame, str]]]
# ``mapper(function, items)`` returns ``[function(item) for item in items]``, in order
Mapper = Callable[[Callable[[Any], Any], Sequence[Any]], list[Any]]
MAPPED_BATCH = 512  # participants whose minutes are in flight at once with a mapper
MAPPED_TASK = 32  # participants per mapped task (one participant takes a few ms)


@dataclass(frozen=True)
class DailyRun(Result):
    """Daily summaries (the columns of :data:`~exonc.trackers.daily.DAILY_COLUMNS`) and the
    report of the files they came from."""

    daily: pl.DataFrame
    report: ImportReport = field(default_factory=lambda: ImportReport(()))

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.report.warnings

    def summary(self) -> pd.DataFrame:
        return self.daily.to_pandas()


@dataclass(frozen=True)
class _Run:
    reader: Reader
    partitioner: Partitioner
    options: ReadOptions
    limits: Limits
    participants: Collection[str] | None
    on_rows: Progress | None


def read_files(
    paths: Sequence[Path],
    fmt: str,
    partitioner: Partitioner,
    *,
    options: ReadOptions | None = None,
    participants: Collection[str] | None = None,
    on_rows: Progress | None = None,
    hashes: Sequence[str | None] | None = None,
) -> list[FileReport]:
    """Read *paths* (all in format *fmt*) into *partitioner*; one report per file.

    With ``options.keep_going`` false the first rejected row or failing file raises
    :class:`~exonc.errors.ImportFormatError`; otherwise failing files are reported as
    ``failed`` and contribute nothing.
    """
    chosen = options or ReadOptions()
    run = _Run(reader_for(fmt), partitioner, chosen, chosen.limits, participants, on_rows)
    reports: list[FileReport] = []
    for index, path in enumerate(paths):
        tally = FileTally(str(path), fmt, sha256=hashes[index] if hashes else None)
        try:
            skipped = _read_one(run, path, index, tally)
        except ImportFormatError as error:
            partitioner.discard(index)
            located = error.located(str(path))
            if not run.options.keep_going:
                raise located from error
            reports.append(tally.failed(str(located)))
            continue
        reports.append(tally.finish(skipped))
    return reports


def _read_one(run: _Run, path: Path, index: int, tally: FileTally) -> list[int]:
    skipped: list[int] = []
    for batch in run.reader(path, run.options):
        screened = [screen(piece, run.limits, run.participants) for piece in batch.pieces]
        _stop_on([batch.rejects, *(rejects for _, rejects in screened)], run.options, str(path))
        tally.reject(batch.rejects, exact_rows=bool(batch.structural_rows))
        skipped.extend(batch.structural_rows)
        for kept, rejects in screened:
            tally.reject(rejects)
            tally.accept(kept.participant_id, kept.height)
            run.partitioner.add(index, kept)
        if run.on_rows is not None:
            run.on_rows(batch.rejects.height + sum(piece.height for piece in batch.pieces))
    return skipped


def _stop_on(found: list[pl.DataFrame], options: ReadOptions, file: str) -> None:
    """Without rejection, raise the batch's first rejected row (by row number)."""
    found = [rejects for rejects in found if rejects.height]
    if options.keep_going or not found:
        return
    first = pl.concat(found).sort("row", nulls_last=True).row(0, named=True)
    raise Rejection(**first).error(file)


def summarise_partition(
    minutes: pl.DataFrame, rules: DailyRules | None = None
) -> tuple[pl.DataFrame, DuplicateCounts]:
    """Daily summaries of one participant's minutes and the duplicates resolved on the way."""
    grid = to_grid(minutes)
    return daily_from_grid(grid, rules or DailyRules()), grid.duplicates


def summarise_parts(item: Parts, rules: DailyRules) -> tuple[pl.DataFrame, DuplicateCounts]:
    """Daily summaries of one participant's compact parts (``(participant, parts)``)."""
    participant, parts = item
    grid = grid_from_parts(participant, parts)
    return daily_from_grid(grid, rules), grid.duplicates


def summarise_many(
    items: Sequence[Parts], rules: DailyRules
) -> list[tuple[pl.DataFrame, DuplicateCounts]]:
    """:func:`summarise_parts` of several participants (one task on a cluster)."""
    return [summarise_parts(item, rules) for item in items]


def summarise_partitions(
    partitioner: Partitioner, rules: DailyRules | None = None, mapper: Mapper | None = None
) -> tuple[pl.DataFrame, DuplicateCounts]:
    """:func:`summarise_partition` over every participant of *partitioner*.

    With a *mapper* (e.g. one running on a Dask cluster) the participants' parts are sent
    :data:`MAPPED_BATCH` at a time, :data:`MAPPED_TASK` to a task; the result is the same
    as without one.
    """
    chosen = rules or DailyRules()
    frames: list[pl.DataFrame] = []
    duplicates = DuplicateCounts()
    for daily, found in _mapped(partitioner, chosen, mapper):
        frames.append(daily)
        duplicates = duplicates + found
    daily = pl.concat(frames) if frames else pl.DataFrame(schema=DAILY_SCHEMA)
    return daily, duplicates


def _mapped(
    partitioner: Partitioner, rules: DailyRules, mapper: Mapper | None
) -> list[tuple[pl.DataFrame, DuplicateCounts]]:
    task = functools.partial(summarise_parts, rules=rules)
    participants = partitioner.participants()
    if mapper is None:

        def one(participant: str) -> tuple[pl.DataFrame, DuplicateCounts]:
            return task((participant, partitioner.parts(participant)))

        # numpy releases the GIL in its loops, so two partitions proceed at once on two cores
        with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
            return list(pool.map(one, participants))
    many = functools.partial(summarise_many, rules=rules)
    found: list[tuple[pl.DataFrame, DuplicateCounts]] = []
    for start in range(0, len(participants), MAPPED_BATCH):
        batch = participants[start : start + MAPPED_BATCH]
        tasks = [
            [(p, partitioner.parts(p)) for p in batch[first : first + MAPPED_TASK]]
            for first in range(0, len(batch), MAPPED_TASK)
        ]
        for results in mapper(many, tasks):
            found.extend(results)
    return found


def daily_from_files(
    paths: Sequence[Path],
    fmt: str,
    *,
    options: ReadOptions | None = None,
    rules: DailyRules | None = None,
    participants: Collection[str] | None = None,
    memory_budget: int = 2 << 30,
    spill_dir: Path | None = None,
    on_rows: Progress | None = None,
    mapper: Mapper | None = None,
) -> DailyRun:
    """Daily summaries of tracker files, with the report of what was read.

    Minutes beyond *memory_budget* bytes are spilled to Parquet under *spill_dir* (a
    temporary directory when not given), so inputs larger than memory can be summarised.
    A *mapper* runs the per-participant summaries elsewhere (on a Dask cluster), see
    :func:`summarise_partitions`.
    """
    with tempfile.TemporaryDirectory(prefix="exonc-trackers-", dir=spill_dir) as scratch:
        partitioner = Partitioner(Path(scratch), memory_budget)
        try:
            reports = read_files(
                paths,
                fmt,
                partitioner,
                options=options,
                participants=participants,
                on_rows=on_rows,
            )
            daily, duplicates = summarise_partitions(partitioner, rules, mapper)
        finally:
            partitioner.close()
    return DailyRun(daily, ImportReport(tuple(reports), duplicates))
