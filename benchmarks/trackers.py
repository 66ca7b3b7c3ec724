"""Tracker benchmark: Fitabase narrow minute files → daily summaries.

``python -m benchmarks trackers`` generates (once, under ``bench-out/trackers/``) a Fitabase
narrow export — ``minuteIntensitiesNarrow_merged.csv`` and ``minuteStepsNarrow_merged.csv``
— for 357 participants × 270 days (138.8 million minutes, local time in Europe/Amsterdam,
spanning both daylight-saving changes), then times in separate processes, one after the
other, on the same files:

* exonc: ``exonc.trackers.daily_from_files`` (format ``fitabase``, time zone given);
* DuckDB: one hand-written SQL query (join, 60-minute non-wear runs, daily counts);
* pandas: ``read_csv`` + merge + groupby with the same rules, on a tenth of the
  participants (the full input does not fit in memory as pandas frames); its time is
  scaled by the row ratio and marked as such.

Each contender's wall time and peak resident memory are measured in its own process. The
outputs are compared day by day (days touched by a clock change excluded: the peers read
local time without offsets). Options: ``--participants N --days N`` for a quick run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Final

import numpy as np
import polars as pl

ROOT: Final = Path(__file__).resolve().parent.parent
OUT: Final = ROOT / "bench-out" / "trackers"
ZONE: Final = "Europe/Amsterdam"
START: Final = dt.datetime(2021, 3, 1)
FITABASE_TIME: Final = "%m/%d/%Y %I:%M:%S %p"
GOAL_WALL_SECONDS: Final = 60.0
GOAL_MEMORY_GIB: Final = 4.0
PANDAS_SHARE: Final = 10


# ---------------------------------------------------------------- input


def generate(folder: Path, participants: int, days: int, seed: int = 20240725) -> Path:
    """Write the two narrow files for *participants* × *days* into *folder* (if missing)."""
    target = folder / f"p{participants}-d{days}"
    done = target / "DONE"
    if done.exists():
        return target
    target.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    stamps = _local_stamps(days)
    with (
        open(target / "minuteIntensitiesNarrow_merged.csv", "w", encoding="utf-8") as intensity,
        open(target / "minuteStepsNarrow_merged.csv", "w", encoding="utf-8") as steps,
    ):
        intensity.write("Id,ActivityMinute,Intensity\n")
        steps.write("Id,ActivityMinute,Steps\n")
        for number in range(participants):
            classes, counts = _participant(rng, stamps.height, days)
            ids = pl.repeat(1_500_000_000 + 7919 * number, stamps.height, eager=True)
            frame = stamps.with_columns(Id=ids, Intensity=classes, Steps=counts)
            frame.select("Id", "ActivityMinute", "Intensity").write_csv(
                intensity, include_header=False
            )
            frame.select("Id", "ActivityMinute", "Steps").write_csv(steps, include_header=False)
    done.write_text(f"{participants} participants x {days} days\n", encoding="utf-8")
    return target


def _local_stamps(days: int) -> pl.DataFrame:
    """Every UTC minute of the span, written as the device's local wall-clock time."""
    first = START.replace(tzinfo=dt.UTC) - dt.timedelta(hours=1)
    utc = pl.datetime_range(
        first, first + dt.timedelta(days=days, minutes=-1), "1m", time_zone="UTC", eager=True
    )
    local = utc.dt.convert_time_zone(ZONE).dt.replace_time_zone(None)
    text = local.dt.strftime(FITABASE_TIME).str.replace(r"^0", "").str.replace(r"/0", "/")
    text = text.str.replace(r" 0(\d):", " $1:")
    return pl.DataFrame({"ActivityMinute": text})


def _participant(
    rng: np.random.Generator, minutes: int, days: int
) -> tuple[np.ndarray, np.ndarray]:
    """Sleep at night, 10 % of days not worn, blocks of activity while awake."""
    minute_of_day = np.arange(minutes) % 1440
    wake = np.repeat(rng.normal(7 * 60, 45, days + 1), 1440)[:minutes]
    sleep = np.repeat(rng.normal(23 * 60, 45, days + 1), 1440)[:minutes]
    worn = np.repeat(rng.random(days + 1) > 0.10, 1440)[:minutes]
    awake = (minute_of_day >= wake) & (minute_of_day < sleep) & worn
    blocks = rng.choice(4, size=minutes // 10 + 1, p=[0.70, 0.22, 0.05, 0.03])
    classes = np.where(awake, np.repeat(blocks, 10)[:minutes], 0).astype(np.int8)
    low = np.array([0, 5, 80, 120])
    high = np.array([12, 60, 120, 170])
    counts = rng.integers(low[classes], high[classes] + 1)
    counts = np.where(awake & ((classes > 0) | (rng.random(minutes) < 0.3)), counts, 0)
    return classes, counts.astype(np.int32)


# ---------------------------------------------------------------- contenders


def run_exonc(folder: Path) -> pl.DataFrame:
    from exonc.trackers import ReadOptions, daily_from_files

    files = [folder / "minuteIntensitiesNarrow_merged.csv", folder / "minuteStepsNarrow_merged.csv"]
    run = daily_from_files(files, "fitabase", options=ReadOptions(timezone=ZONE))
    return run.daily


DUCKDB_QUERY: Final = """
WITH intensity AS (
    SELECT Id, ActivityMinute AS ts, Intensity
    FROM read_csv('{folder}/minuteIntensitiesNarrow_merged.csv', header = true,
        timestampformat = '%m/%d/%Y %I:%M:%S %p',
        columns = {{'Id': 'BIGINT', 'ActivityMinute': 'TIMESTAMP', 'Intensity': 'TINYINT'}})
), steps AS (
    SELECT Id, ActivityMinute AS ts, Steps
    FROM read_csv('{folder}/minuteStepsNarrow_merged.csv', header = true,
        timestampformat = '%m/%d/%Y %I:%M:%S %p',
        columns = {{'Id': 'BIGINT', 'ActivityMinute': 'TIMESTAMP', 'Steps': 'INTEGER'}})
), minutes AS (
    SELECT Id, ts, max(Intensity) AS intensity, max(Steps) AS steps
    FROM (SELECT * FROM intensity FULL JOIN steps USING (Id, ts))
    GROUP BY Id, ts
), runs AS (
    SELECT *, coalesce(intensity, 0) = 0 AND coalesce(steps, 0) = 0 AS idle,
        sum(CASE WHEN coalesce(intensity, 0) > 0 OR coalesce(steps, 0) > 0 THEN 1 ELSE 0 END)
            OVER (PARTITION BY Id ORDER BY ts ROWS UNBOUNDED PRECEDING) AS run
    FROM minutes
), worn AS (
    SELECT *, NOT (idle AND count(*) FILTER (WHERE idle) OVER (PARTITION BY Id, run) >= 60)
        AS wear
    FROM runs
)
SELECT Id::VARCHAR AS participant_id, ts::DATE AS date,
    count(*) FILTER (WHERE wear) AS wear_minutes,
    count(*) FILTER (WHERE wear AND intensity = 0) AS sedentary_minutes,
    count(*) FILTER (WHERE wear AND intensity = 1) AS light_minutes,
    count(*) FILTER (WHERE wear AND intensity = 2) AS moderate_minutes,
    count(*) FILTER (WHERE wear AND intensity = 3) AS vigorous_minutes,
    count(*) FILTER (WHERE wear AND intensity >= 2) AS active_minutes,
    sum(steps) AS steps,
    count(*) FILTER (WHERE wear) >= 600 AS valid_day,
    count(*) FILTER (WHERE wear AND intensity >= 2) >= 30 AS goal_met
FROM worn
GROUP BY ALL
ORDER BY participant_id, date
"""


def run_duckdb(folder: Path) -> pl.DataFrame:
    """The query, with the memory goal exonc has (4 GiB) and a folder to spill to."""
    import duckdb

    connection = duckdb.connect()
    connection.execute(f"SET memory_limit = '{GOAL_MEMORY_GIB:.0f}GiB'")
    connection.execute(f"SET temp_directory = '{folder.parent / 'duckdb-spill'}'")
    return connection.sql(DUCKDB_QUERY.format(folder=folder)).pl()


def run_pandas(folder: Path) -> pl.DataFrame:
    import pandas as pd

    def read(name: str, column: str, dtype: str) -> pd.DataFrame:
        frame = pd.read_csv(folder / name, dtype={"Id": "int64", column: dtype})
        frame["ts"] = pd.to_datetime(frame.pop("ActivityMinute"), format=FITABASE_TIME)
        return frame

    intensity = read("minuteIntensitiesNarrow_merged.csv", "Intensity", "int8")
    steps = read("minuteStepsNarrow_merged.csv", "Steps", "int32")
    minutes = intensity.merge(steps, on=["Id", "ts"], how="outer").sort_values(["Id", "ts"])
    minutes["idle"] = (minutes["Intensity"].fillna(0) == 0) & (minutes["Steps"].fillna(0) == 0)
    minutes["run"] = (~minutes["idle"]).groupby(minutes["Id"]).cumsum()
    run_length = minutes.groupby(["Id", "run"])["idle"].transform("sum")
    minutes["wear"] = ~(minutes["idle"] & (run_length >= 60))
    minutes["date"] = minutes["ts"].dt.date
    worn = minutes["wear"]
    for name, level in (("sedentary", 0), ("light", 1), ("moderate", 2), ("vigorous", 3)):
        minutes[name] = worn & (minutes["Intensity"] == level)
    minutes["active"] = minutes["moderate"] | minutes["vigorous"]
    daily = (
        minutes.groupby(["Id", "date"])
        .agg(
            wear_minutes=("wear", "sum"),
            sedentary_minutes=("sedentary", "sum"),
            light_minutes=("light", "sum"),
            moderate_minutes=("moderate", "sum"),
            vigorous_minutes=("vigorous", "sum"),
            active_minutes=("active", "sum"),
            steps=("Steps", "sum"),
        )
        .reset_index()
    )
    daily["valid_day"] = daily["wear_minutes"] >= 600
    daily["goal_met"] = daily["active_minutes"] >= 30
    daily["participant_id"] = daily.pop("Id").astype(str)
    return pl.from_pandas(daily)


CONTENDERS: Final = {"exonc": run_exonc, "duckdb": run_duckdb, "pandas": run_pandas}


def _measure(name: str, folder: Path, output: Path) -> None:
    """Child process: run one contender, write its daily frame and its own figures."""
    import duckdb  # noqa: F401  - imports are not part of the measured time
    import pandas  # noqa: F401

    import exonc.trackers  # noqa: F401

    start = time.perf_counter()
    daily = CONTENDERS[name](folder)
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    daily.write_parquet(output)
    print(json.dumps({"seconds": seconds, "peak_gib": peak_kib / 2**20, "days": daily.height}))


def measure(name: str, folder: Path) -> dict[str, float]:
    """Run *name* in a fresh process (so its peak memory is its own)."""
    output = folder.parent / f"{folder.name}-{name}.parquet"
    command = [
        sys.executable,
        "-m",
        "benchmarks.trackers",
        "--child",
        name,
        str(folder),
        str(output),
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


# ---------------------------------------------------------------- comparison and report


def agreement(folder: Path, name: str) -> float:
    """Share of exonc's days (outside clock-change days) that *name* reproduced exactly."""
    columns = ["wear_minutes", "moderate_minutes", "vigorous_minutes", "steps", "valid_day"]
    ours = pl.read_parquet(folder.parent / f"{folder.name}-exonc.parquet")
    theirs = pl.read_parquet(folder.parent / f"{folder.name}-{name}.parquet")
    clock_days = [dt.date(2021, 3, 28), dt.date(2021, 10, 31)]
    joined = ours.filter(~pl.col("date").is_in(clock_days)).join(
        theirs.select("participant_id", "date", *columns).cast({c: pl.Int64 for c in columns[:4]}),
        on=["participant_id", "date"],
        suffix="_peer",
    )
    same = pl.all_horizontal(pl.col(c).cast(pl.Int64) == pl.col(f"{c}_peer") for c in columns[:4])
    return float(joined.select(same.mean()).item() or 0.0)


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv or [])
    if args.child:
        name, folder, output = args.child
        _measure(name, Path(folder), Path(output))
        return
    from benchmarks._report import machine, write_section

    load = os.getloadavg()[0]
    full = generate(OUT, args.participants, args.days)
    share = max(1, args.participants // PANDAS_SHARE)
    small = generate(OUT, share, args.days)
    figures = {
        "exonc": measure("exonc", full),
        "duckdb": measure("duckdb", full),
        "pandas_small": measure("pandas", small),
        "exonc_small": measure("exonc", small),
    }
    where = f"{machine()}; load average {load:.1f} when the run started"
    body = _section(args, share, figures, full, small, where)
    print(body)
    if args.write:
        write_section("trackers", body)


def _section(
    args: argparse.Namespace,
    share: int,
    figures: dict[str, dict[str, float]],
    full: Path,
    small: Path,
    where: str,
) -> str:
    exonc, duck = figures["exonc"], figures["duckdb"]
    pandas_small, exonc_small = figures["pandas_small"], figures["exonc_small"]
    minutes = args.participants * args.days * 1440
    size_gib = sum(f.stat().st_size for f in full.glob("*.csv")) / 2**30
    ratio_duck = exonc["seconds"] / duck["seconds"]
    ratio_pandas = pandas_small["seconds"] / exonc_small["seconds"]
    goal = (
        exonc["seconds"] <= GOAL_WALL_SECONDS
        and exonc["peak_gib"] <= GOAL_MEMORY_GIB
        and ratio_duck <= 1.5
        and ratio_pandas >= 5
    )
    rows = [
        ("exonc `daily_from_files`", exonc),
        ("DuckDB, one hand-written SQL query", duck),
        (f"exonc, {share} participants", exonc_small),
        (f"pandas read_csv + merge + groupby, {share} participants", pandas_small),
    ]
    table = "\n".join(
        f"| {label} | {f['seconds']:.1f} s | {f['peak_gib']:.2f} GiB | {f['days']:,.0f} |"
        for label, f in rows
    )
    return f"""## Trackers: Fitabase narrow minute files → daily summaries

{where}

Command: `python -m benchmarks trackers` (`benchmarks/trackers.py`; a quick run:
`python -m benchmarks.trackers --participants 36 --days 30 --no-write`).
Input: {args.participants} participants × {args.days} days = {minutes:,} minutes in two
Fitabase narrow files (intensity, steps; {size_gib:.1f} GiB of CSV), local time in {ZONE}.
pandas runs on {share} participants (the full input does not fit in memory as pandas
frames); its ratio compares it with exonc on the same smaller input. Each contender runs
alone in its own process, one after the other; other work on the machine slows them all.

| | wall time | peak memory | days |
| --- | ---: | ---: | ---: |
{table}

exonc / DuckDB: {ratio_duck:.2f}× (goal ≤ 1.5×); pandas / exonc: {ratio_pandas:.1f}× (goal ≥ 5×);
exonc {exonc["seconds"]:.0f} s and {exonc["peak_gib"]:.2f} GiB (goal ≤ {GOAL_WALL_SECONDS:.0f} s,
≤ {GOAL_MEMORY_GIB:.0f} GiB on 2 cores). Days identical to exonc's (clock-change days excluded,
as the peers read local time without offsets): DuckDB {agreement(full, "duckdb"):.2%},
pandas {agreement(small, "pandas"):.2%}.
**Goal met: {"yes" if goal else "no"}.**
"""


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.trackers")
    parser.add_argument("--participants", type=int, default=357)
    parser.add_argument("--days", type=int, default=270)
    parser.add_argument("--no-write", dest="write", action="store_false")
    parser.add_argument("--child", nargs=3, metavar=("NAME", "FOLDER", "OUTPUT"))
    return parser.parse_args(argv)


if __name__ == "__main__":
    os.environ.setdefault("POLARS_MAX_THREADS", str(os.cpu_count() or 2))
    main(sys.argv[1:])
