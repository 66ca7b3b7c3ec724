"""The tracker benchmark's contenders: exonc, the fastest peers we could write, the floor.

Every contender turns the two Fitabase narrow files of one folder (intensity, steps) into
daily rows ``Id, date, wear_minutes, sedentary … vigorous_minutes, steps`` by the same rule:
a minute is worn unless it lies in a run of at least 60 minutes without a step and without
intensity above sedentary; the day is the local calendar date. The peers follow the files'
row order (a device writes the repeated autumn hour twice, in order), so their days agree
with exonc's on clock-change days too.

The peers rely on what exonc cannot assume of every export: the two files list the same
participant-minutes in the same order (they check it and fail otherwise), and every cell
is well formed (a bad cell stops them; exonc rejects it with a reason and reads on).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Final

import duckdb
import polars as pl

INTENSITY: Final = "minuteIntensitiesNarrow_merged.csv"
STEPS: Final = "minuteStepsNarrow_merged.csv"
FITABASE_TIME: Final = "%m/%d/%Y %I:%M:%S %p"
ZONE: Final = "Europe/Amsterdam"
NON_WEAR: Final = 60


def run_exonc(folder: Path) -> pl.DataFrame:
    from exonc.trackers import ReadOptions, daily_from_files

    files = [folder / INTENSITY, folder / STEPS]
    run = daily_from_files(files, "fitabase", options=ReadOptions(timezone=ZONE))
    return run.daily


# ---------------------------------------------------------------- polars


def _scan(folder: Path) -> pl.LazyFrame:
    """Both files side by side (a positional join), typed as they are read."""
    intensity = pl.scan_csv(
        folder / INTENSITY,
        schema={"Id": pl.Int64, "ActivityMinute": pl.String, "Intensity": pl.Int8},
    )
    steps = pl.scan_csv(
        folder / STEPS, schema={"Id": pl.Int64, "ActivityMinute": pl.String, "Steps": pl.Int32}
    ).select(pl.col("Id").alias("steps_id"), pl.col("ActivityMinute").alias("steps_at"), "Steps")
    return pl.concat([intensity, steps], how="horizontal")


def _polars_daily(minutes: pl.LazyFrame, date: pl.Expr) -> pl.DataFrame:
    idle = (pl.col("Intensity") == 0) & (pl.col("Steps") == 0)
    aligned = (pl.col("Id") == pl.col("steps_id")) & (
        pl.col("ActivityMinute") == pl.col("steps_at")
    )
    worn = pl.col("wear")
    query = (
        minutes.with_columns(date=date, idle=idle, aligned=aligned)
        .with_columns(run=pl.struct("Id", "idle").rle_id())
        .with_columns(wear=~(pl.col("idle") & (pl.len().over("run") >= NON_WEAR)))
        .group_by("Id", "date")
        .agg(
            aligned=pl.col("aligned").all(),
            wear_minutes=worn.sum(),
            sedentary_minutes=(worn & (pl.col("Intensity") == 0)).sum(),
            light_minutes=(worn & (pl.col("Intensity") == 1)).sum(),
            moderate_minutes=(worn & (pl.col("Intensity") == 2)).sum(),
            vigorous_minutes=(worn & (pl.col("Intensity") == 3)).sum(),
            steps=pl.col("Steps").sum(),
        )
    )
    daily = query.collect(engine="streaming")
    if not daily["aligned"].all():
        raise ValueError("the two files do not list the same minutes in the same order")
    return daily.drop("aligned")


def run_polars_datetime(folder: Path) -> pl.DataFrame:
    """polars, lazy and streaming: the time parsed with ``str.to_datetime`` (as documented)."""
    date = pl.col("ActivityMinute").str.to_datetime(FITABASE_TIME).dt.date()
    return _polars_daily(_scan(folder), date)


def run_polars_date_text(folder: Path) -> pl.DataFrame:
    """polars, lazy and streaming, parsing only what the summary needs: the date part of
    the text (``M/D/YYYY`` before the space); times of day are never parsed."""
    text = pl.col("ActivityMinute").str.split_exact(" ", 1).struct.field("field_0")
    return _polars_daily(_scan(folder), text.str.to_date("%m/%d/%Y"))


# ---------------------------------------------------------------- DuckDB

_DUCKDB_READ: Final = """read_csv('{path}', header = true, auto_detect = false,
    timestampformat = '{time}', columns = {{'Id': 'BIGINT', 'ActivityMinute': 'TIMESTAMP',
    '{column}': '{kind}'}})"""

DUCKDB_QUERY: Final = """
WITH minutes AS (
    SELECT i.Id, i.ActivityMinute::DATE AS date, i.Intensity, s.Steps,
        i.Id = s.Id AND i.ActivityMinute = s.ActivityMinute AS aligned,
        i.Intensity = 0 AND s.Steps = 0 AS idle,
        row_number() OVER () AS position
    FROM {intensity} AS i POSITIONAL JOIN {steps} AS s
), runs AS (
    -- gaps and islands: consecutive idle minutes share position - rank
    SELECT *, position - row_number() OVER (PARTITION BY Id, idle ORDER BY position) AS run
    FROM minutes
), worn AS (
    SELECT *, NOT (idle AND count(*) OVER (PARTITION BY Id, idle, run) >= {non_wear}) AS wear
    FROM runs
)
SELECT Id, date, bool_and(aligned) AS aligned,
    count(*) FILTER (wear) AS wear_minutes,
    count(*) FILTER (wear AND Intensity = 0) AS sedentary_minutes,
    count(*) FILTER (wear AND Intensity = 1) AS light_minutes,
    count(*) FILTER (wear AND Intensity = 2) AS moderate_minutes,
    count(*) FILTER (wear AND Intensity = 3) AS vigorous_minutes,
    sum(Steps) AS steps
FROM worn GROUP BY Id, date
"""


def _duckdb_read(folder: Path, name: str, column: str, kind: str) -> str:
    return _DUCKDB_READ.format(path=folder / name, time=FITABASE_TIME, column=column, kind=kind)


def run_duckdb(folder: Path) -> pl.DataFrame:
    """DuckDB: typed reads, a positional join of the aligned files, runs numbered from the
    row position; all cores, memory capped at 4 GiB with spilling."""
    connection = duckdb.connect()
    connection.execute("SET memory_limit = '4GiB'")
    connection.execute(f"SET temp_directory = '{folder.parent / 'duckdb-spill'}'")
    query = DUCKDB_QUERY.format(
        intensity=_duckdb_read(folder, INTENSITY, "Intensity", "TINYINT"),
        steps=_duckdb_read(folder, STEPS, "Steps", "INTEGER"),
        non_wear=NON_WEAR,
    )
    daily = connection.sql(query).pl()
    if not daily["aligned"].all():
        raise ValueError("the two files do not list the same minutes in the same order")
    return daily.drop("aligned")


# ---------------------------------------------------------------- floors


def floor_duckdb_typed(folder: Path) -> pl.DataFrame:
    """The floor: both files parsed into typed columns (times included) by the fastest
    typed parser on the machine, each batch handed over as Arrow and dropped."""
    rows = 0
    for name, column, kind in ((INTENSITY, "Intensity", "TINYINT"), (STEPS, "Steps", "INTEGER")):
        connection = duckdb.connect()
        relation = connection.sql(f"SELECT * FROM {_duckdb_read(folder, name, column, kind)}")
        for batch in relation.to_arrow_reader(1_000_000):
            rows += batch.num_rows
    return pl.DataFrame({"rows": [rows]})


def floor_polars_text(folder: Path) -> pl.DataFrame:
    """Below the floor: both files split into cells by polars, the time left as text."""
    rows = 0
    for name, column in ((INTENSITY, "Intensity"), (STEPS, "Steps")):
        schema = {"Id": pl.Int64, "ActivityMinute": pl.String, column: pl.Int32}
        rows += pl.read_csv(folder / name, schema=schema).height
    return pl.DataFrame({"rows": [rows]})


CONTENDERS: Final[dict[str, Callable[[Path], pl.DataFrame]]] = {
    "exonc": run_exonc,
    "polars-date-text": run_polars_date_text,
    "polars-datetime": run_polars_datetime,
    "duckdb": run_duckdb,
    "floor-duckdb": floor_duckdb_typed,
    "floor-polars-text": floor_polars_text,
}
LABELS: Final = {
    "exonc": "exonc `daily_from_files` (validation, reject report, time zone)",
    "polars-date-text": "polars lazy/streaming, date taken from the text",
    "polars-datetime": "polars lazy/streaming, `str.to_datetime`",
    "duckdb": "DuckDB, typed reads + positional join + row-position runs",
    "floor-duckdb": "floor: DuckDB typed parse of both files (times parsed)",
    "floor-polars-text": "below the floor: polars cell split, time left as text",
}
FLOORS: Final = ("floor-duckdb", "floor-polars-text")
