"""ActiGraph files: ``.agd`` epoch files and ``.gt3x`` raw files.

``.agd`` (what ActiLife writes after integrating a recording into epochs) is a SQLite
database: table ``data`` holds one row per epoch (``dataTimestamp`` in .NET ticks of local
time, ``axis1`` the vertical counts, ``steps`` when recorded), table ``settings`` the
``epochlength`` in seconds and the ``subjectname``. It is read with Python's own
``sqlite3``, in batches.

``.gt3x`` holds raw acceleration; it is read with ActiGraph's ``pygt3x`` and turned into
counts per minute with ActiGraph's published counts algorithm (``agcounts``, Neishabouri
et al. 2022, Sci Rep 12:16417). Both packages are GPL-3.0 and optional:
``pip install "exonc[actigraph]"``. The whole recording is read at once (a week at 30 Hz
is about half a gigabyte).

Epochs shorter than a minute are summed per minute; the minute's vertical counts give its
intensity by the cut-points in ``ReadOptions.count_cut_points`` (Freedson 1998 by default,
Troiano 2008 optional; see :mod:`exonc.trackers.intensity`). Times are the device's local
clock; give the time zone for offsets. The participant is the file's subject name unless
``ReadOptions.participant_id`` is given.
"""

from __future__ import annotations

import sqlite3
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import polars as pl

from exonc.errors import ImportFormatError
from exonc.trackers.minutes import REJECT_SCHEMA, minute_to_timestamp
from exonc.trackers.readers._base import Batch, ReadOptions, localise

__all__ = ["read"]

_TICKS_PER_MINUTE: Final = 600_000_000
_TICKS_AT_UNIX_EPOCH: Final = 621_355_968_000_000_000  # .NET ticks of 1970-01-01
_MINUTE_SECONDS: Final = 60


def read(path: Path, options: ReadOptions) -> Iterator[Batch]:
    """Read an ActiGraph .agd or .gt3x file into minutes of counts-derived intensity."""
    suffix = path.suffix.lower()
    if suffix == ".agd":
        yield from _read_agd(path, options)
    elif suffix == ".gt3x":
        yield _read_gt3x(path, options)
    else:
        raise ImportFormatError(
            "not an ActiGraph file", file=str(path), hint="give an .agd or .gt3x file"
        )


def _read_agd(path: Path, options: ReadOptions) -> Iterator[Batch]:
    name = str(path)
    if not path.is_file():
        raise ImportFormatError("file not found", file=name, hint="check the path")
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        settings = dict(connection.execute("SELECT settingName, settingValue FROM settings"))
        columns = {row[1] for row in connection.execute("PRAGMA table_info(data)")}
    except sqlite3.DatabaseError as exc:
        raise ImportFormatError(
            f"not a readable .agd database ({exc})",
            file=name,
            hint="export the .agd again from ActiLife",
        ) from exc
    epoch = _epoch_seconds(settings, name)
    participant = options.participant_id or str(settings.get("subjectname") or "").strip()
    if not participant:
        raise ImportFormatError(
            "the file names no subject", file=name, hint="give the participant's id (--participant)"
        )
    if "axis1" not in columns or "dataTimestamp" not in columns:
        raise ImportFormatError(
            "the data table has no dataTimestamp/axis1", file=name, hint="export the .agd again"
        )
    step_column = "steps" if "steps" in columns else "NULL"
    query = f"SELECT dataTimestamp, axis1, {step_column} FROM data ORDER BY dataTimestamp"
    clock = options.clock()
    try:
        cursor = connection.execute(query)
        row = 0
        while rows := cursor.fetchmany(options.batch_rows):
            yield _agd_batch(participant, rows, row, epoch, options, clock)
            row += len(rows)
    except sqlite3.DatabaseError as exc:
        raise ImportFormatError(
            f"the .agd database is damaged ({exc})", file=name, hint="export it again"
        ) from exc
    finally:
        connection.close()


def _epoch_seconds(settings: dict[str, Any], file: str) -> int:
    try:
        epoch = int(settings.get("epochlength", ""))
    except ValueError:
        epoch = 0
    if epoch <= 0 or _MINUTE_SECONDS % epoch:
        raise ImportFormatError(
            "epoch length missing or not a divisor of 60 seconds",
            file=file,
            column="epochlength",
            value=settings.get("epochlength"),
            hint="integrate the recording into 1-60 s epochs in ActiLife",
        )
    return epoch


def _agd_batch(
    participant: str,
    rows: list[tuple[Any, ...]],
    seen: int,
    epoch: int,
    options: ReadOptions,
    clock: Any,
) -> Batch:
    ticks = np.array([r[0] for r in rows], dtype=np.int64)
    counts = np.array([np.nan if r[1] is None else r[1] for r in rows], dtype=np.float64)
    steps = np.array([np.nan if r[2] is None else r[2] for r in rows], dtype=np.float64)
    minutes = (ticks - _TICKS_AT_UNIX_EPOCH) // _TICKS_PER_MINUTE
    frame = pl.DataFrame(
        {
            "minute": minutes,
            "counts": counts,
            "steps": steps,
            "row": np.arange(seen + 1, seen + 1 + len(rows)),
        }
    )
    bad = frame.filter(pl.col("counts").is_nan() | (pl.col("counts") < 0))
    frame = frame.filter(~(pl.col("counts").is_nan() | (pl.col("counts") < 0)))
    piece, gaps = localise(participant, "actigraph", _per_minute(frame, options), clock)
    rejects = _count_rejects(participant, bad)
    return Batch((piece,), pl.concat([rejects, gaps]) if gaps.height else rejects)


def _per_minute(frame: pl.DataFrame, options: ReadOptions) -> pl.DataFrame:
    """Sum epochs per minute; classify the minute's vertical counts."""
    minutes = frame.group_by("minute", maintain_order=True).agg(
        pl.col("counts").sum(),
        pl.when(pl.col("steps").is_nan().all())
        .then(None)
        .otherwise(pl.col("steps").fill_nan(0).sum())
        .alias("steps"),
        pl.col("row").min(),
    )
    classes = options.count_cut_points.classify(minutes["counts"].to_numpy())
    return minutes.with_columns(
        pl.col("minute").cast(pl.Int32),
        pl.Series("intensity", classes, dtype=pl.Int8),
        pl.col("steps").cast(pl.Int32),
    ).drop("counts")


def _count_rejects(participant: str, bad: pl.DataFrame) -> pl.DataFrame:
    return bad.select(
        pl.col("row").cast(pl.Int64),
        pl.lit(participant).alias("participant_id"),
        minute_to_timestamp(pl.col("minute")).dt.strftime("%Y-%m-%d %H:%M").alias("timestamp"),
        pl.lit("axis1").alias("column"),
        pl.col("counts").cast(pl.String).alias("value"),
        pl.lit("counts missing or negative").alias("reason"),
    ).cast(dict(REJECT_SCHEMA))  # type: ignore[arg-type]


def _read_gt3x(path: Path, options: ReadOptions) -> Batch:
    raw, rate, subject = _raw_gt3x(path)
    participant = options.participant_id or subject.strip()
    if not participant:
        raise ImportFormatError(
            "the file names no subject",
            file=str(path),
            hint="give the participant's id (--participant)",
        )
    seconds = np.asarray(raw.index, dtype=np.float64)
    start = int(seconds[0] // _MINUTE_SECONDS) if seconds.size else 0
    vertical = _vertical_counts(raw[["X", "Y", "Z"]].to_numpy(), rate)
    frame = pl.DataFrame(
        {
            "minute": np.arange(start, start + vertical.size, dtype=np.int64),
            "counts": vertical,
            "steps": np.full(vertical.size, np.nan),
            "row": np.arange(1, vertical.size + 1),
        }
    )
    piece, gaps = localise(participant, "actigraph", _per_minute(frame, options), options.clock())
    return Batch((piece,), gaps)


def _raw_gt3x(path: Path) -> tuple[Any, int, str]:
    """Calibrated acceleration (pandas, index in seconds), sample rate and subject name."""
    try:
        from pygt3x.reader import FileReader
    except ImportError as exc:
        raise _needs_extra(path) from exc
    try:
        with warnings.catch_warnings():
            # pygt3x still calls pandas APIs that pandas 3 deprecates; not ours to fix
            warnings.simplefilter("ignore", DeprecationWarning)
            warnings.simplefilter("ignore", FutureWarning)
            with FileReader(str(path)) as reader:
                return (
                    reader.to_pandas(),
                    int(reader.info.sample_rate),
                    str(reader.info.subject_name or ""),
                )
    except Exception as exc:  # pygt3x raises many kinds of errors on a damaged file
        raise ImportFormatError(
            f"not a readable .gt3x file ({type(exc).__name__}: {exc})",
            file=str(path),
            hint="copy the file from the device again",
        ) from exc


def _vertical_counts(acceleration: npt.NDArray[Any], rate: int) -> npt.NDArray[np.float64]:
    """ActiGraph counts per whole minute of the vertical axis (axis 1 is the device's Y)."""
    from agcounts.extract import get_counts

    whole = (acceleration.shape[0] // (rate * _MINUTE_SECONDS)) * rate * _MINUTE_SECONDS
    counts = get_counts(acceleration[:whole], freq=rate, epoch=_MINUTE_SECONDS)
    return np.asarray(counts[:, 1], dtype=np.float64)


def _needs_extra(path: Path) -> ImportFormatError:
    return ImportFormatError(
        "reading .gt3x needs the optional packages pygt3x and agcounts",
        file=str(path),
        hint='pip install "exonc[actigraph]" (GPL-3.0), or export an .agd file from ActiLife',
    )
