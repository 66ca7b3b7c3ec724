"""Tracker benchmark: Fitabase narrow minute files → daily summaries, against the peers.

``python -m benchmarks trackers`` generates Fitabase narrow exports —
``minuteIntensitiesNarrow_merged.csv`` and ``minuteStepsNarrow_merged.csv``, local time in
Europe/Amsterdam over 270 days spanning both daylight-saving changes — for 36, 72 and 144
participants (14, 28 and 56 million minutes: growth 1×, 2×, 4×), and times the contenders
of :mod:`benchmarks._tracker_peers` on them: exonc, the fastest polars and DuckDB peers we
could write, and the physical floor (parsing the bytes). Each run is a fresh process (its
peak memory is its own); the contenders take turns (A B C … A B C …) so that a change in
the machine's load touches all alike. Every contender's daily rows are compared with
exonc's, clock-change days included.

Figures are kept in ``<data>/results.json`` per input size, so sizes can be measured one
at a time (the full 357-participant input, 138.8 M minutes and 8.9 GiB, once:
``python -m benchmarks.trackers --participants 357 --repeat 1``) and the page written
from all of them. Options: ``--data DIR`` (default ``bench-out/trackers``),
``--participants N …``, ``--repeat N``, ``--contenders NAME …``, ``--no-write``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Final

import numpy as np
import polars as pl

from benchmarks._tracker_peers import CONTENDERS, FITABASE_TIME, FLOORS, LABELS, ZONE

ROOT: Final = Path(__file__).resolve().parent.parent
OUT: Final = ROOT / "bench-out" / "trackers"
START: Final = dt.datetime(2021, 3, 1)
DAYS: Final = 270
SIZES: Final = (36, 72, 144)
REPEATS: Final = {36: 3, 72: 2, 144: 1}
COUNTS: Final = (
    "wear_minutes",
    "sedentary_minutes",
    "light_minutes",
    "moderate_minutes",
    "vigorous_minutes",
    "steps",
)


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


# ---------------------------------------------------------------- measuring


def _child(name: str, folder: Path, output: Path) -> None:
    """In a fresh process: run one contender, keep its daily rows, print its figures."""
    import duckdb  # noqa: F401  - imports are not part of the measured time

    import exonc.trackers  # noqa: F401

    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime
    start = time.perf_counter()
    daily = CONTENDERS[name](folder)
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    figures = {
        "seconds": seconds,
        "cpu": usage.ru_utime + usage.ru_stime - cpu,
        "peak_gib": usage.ru_maxrss / 2**20,
        "days": daily.height,
    }
    if name not in FLOORS:
        daily.write_parquet(output)
    print(json.dumps(figures))


def measure(name: str, folder: Path) -> dict[str, float]:
    """Run contender *name* on *folder* in a fresh process."""
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
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"failed": 1.0, "error": done.stderr.strip().splitlines()[-1][:200]}  # type: ignore[dict-item]
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["load"] = os.getloadavg()[0]
    return figures


def identical(folder: Path, name: str) -> str:
    """How many of exonc's daily rows *name* reproduced exactly (clock-change days too)."""

    def rows(who: str) -> pl.DataFrame:
        frame = pl.read_parquet(folder.parent / f"{folder.name}-{who}.parquet")
        key = "participant_id" if "participant_id" in frame.columns else "Id"
        return frame.select(
            pl.col(key).cast(pl.String).alias("participant_id"),
            "date",
            *(pl.col(c).cast(pl.Int64) for c in COUNTS),
        ).sort("participant_id", "date")

    ours, theirs = rows("exonc"), rows(name)
    same = ours.join(theirs, on=ours.columns, how="semi").height
    return f"{same:,} of {ours.height:,}" + (
        "" if theirs.height == ours.height else f" ({theirs.height:,} rows)"
    )


def run_size(
    args: argparse.Namespace, participants: int, results: dict[str, Any], store: Path
) -> None:
    """Measure every chosen contender on one input size, keeping the figures in *store*
    after each run (a long run interrupted keeps what it measured)."""
    folder = generate(args.data, participants, DAYS)
    chosen = args.contenders or list(CONTENDERS)
    repeat = args.repeat or REPEATS.get(participants, 1)
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in chosen}
    entry: dict[str, Any] = {
        "measured": f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        "load": [round(x, 1) for x in os.getloadavg()],
        "minutes": participants * DAYS * 1440,
        "gib": sum(f.stat().st_size for f in folder.glob("*.csv")) / 2**30,
        "runs": runs,
        "identical": {},
    }
    results[str(participants)] = entry
    for turn in range(repeat):
        for name in chosen:
            figures = measure(name, folder)
            runs[name].append(figures)
            print(f"{participants} participants, turn {turn + 1}: {name} {figures}", flush=True)
            if name != "exonc" and name not in FLOORS and "exonc" in chosen:
                entry["identical"][name] = identical(folder, name)
            store.write_text(json.dumps(results, indent=1))


# ---------------------------------------------------------------- the page


def _median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def _cell(runs: list[dict[str, float]]) -> str:
    if not runs:
        return "—"
    if any("failed" in r for r in runs):
        return "failed"
    times = [r["seconds"] for r in runs]
    wall = f"{statistics.median(times):.1f} s" + (
        f" ({min(times):.1f}–{max(times):.1f})" if len(times) > 1 else ""
    )
    return f"{wall} · {_median(runs, 'cpu'):.1f} CPU s · {max(r['peak_gib'] for r in runs):.2f} GiB"


def _size_table(results: dict[str, Any]) -> str:
    sizes = sorted(results, key=int)
    head = " | ".join(
        f"{int(s)} participants ({results[s]['minutes'] / 1e6:.1f} M min)" for s in sizes
    )
    lines = [f"| contender | {head} |", "| --- |" + " ---: |" * len(sizes)]
    for name, label in LABELS.items():
        cells = [
            _cell(results[s]["runs"][name]) if name in results[s]["runs"] else "—" for s in sizes
        ]
        lines.append(f"| {label} | {' | '.join(cells)} |")
    return "\n".join(lines)


_POLARS: Final = ("polars-date-text", "polars-datetime")


def _best(runs: dict[str, list[dict[str, float]]], names: tuple[str, ...], key: str) -> float:
    """The best (smallest) median time, or largest peak memory, among *names*."""
    found = [
        _median(runs[n], key) if key != "peak_gib" else max(r[key] for r in runs[n])
        for n in names
        if runs.get(n) and not any("failed" in r for r in runs[n])
    ]
    return min(found) if found else float("nan")


def _ratios(results: dict[str, Any]) -> str:
    lines = [
        "| input | exonc / best polars | exonc / DuckDB | exonc / floor | "
        "exonc memory / best polars' | rows identical to exonc's |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for size in sorted(results, key=int):
        runs = results[size]["runs"]
        if not runs.get("exonc") or any("failed" in r for r in runs["exonc"]):
            continue
        ours = _median(runs["exonc"], "seconds")
        memory = max(r["peak_gib"] for r in runs["exonc"])
        ratios = [
            ours / _best(runs, _POLARS, "seconds"),
            ours / _best(runs, ("duckdb",), "seconds"),
            ours / _best(runs, ("floor-duckdb",), "seconds"),
            memory / _best(runs, _POLARS, "peak_gib"),
        ]
        same = "; ".join(f"{n}: {v}" for n, v in results[size]["identical"].items())
        shown = " | ".join("—" if r != r else f"{r:.2f}×" for r in ratios)  # NaN: not run
        lines.append(f"| {int(size)} participants | {shown} | {same} |")
    return "\n".join(lines)


def _growth(results: dict[str, Any]) -> str:
    sizes = sorted((s for s in results if int(s) in SIZES), key=int)
    if len(sizes) < 2:
        return ""
    base = sizes[0]
    lines = [
        "| contender | " + " | ".join(f"{int(s) // int(base)}×" for s in sizes) + " |",
        "| --- |" + " ---: |" * len(sizes),
    ]
    for name, label in LABELS.items():
        measured = [_usable(results[s]["runs"].get(name)) for s in sizes]
        if not measured[0]:
            continue
        first = _median(results[base]["runs"][name], "seconds")
        cells = [
            f"{_median(results[s]['runs'][name], 'seconds') / first:.2f}" if ok else "—"
            for s, ok in zip(sizes, measured, strict=True)
        ]
        lines.append(f"| {label} | {' | '.join(cells)} |")
    return "\n".join(lines)


def _usable(runs: list[dict[str, float]] | None) -> bool:
    return bool(runs) and not any("failed" in r for r in runs or [])


def section(results: dict[str, Any], where: str) -> str:
    loads = "; ".join(
        f"{int(s)} participants {results[s]['measured']}, load "
        + " / ".join(map(str, results[s]["load"]))
        for s in sorted(results, key=int)
    )
    return f"""## Trackers: Fitabase narrow minute files → daily summaries

{where}

Command: `python -m benchmarks trackers` (`benchmarks/trackers.py`, contenders in
`benchmarks/_tracker_peers.py`); the full input once with
`python -m benchmarks.trackers --participants 357 --repeat 1`. Input: two Fitabase narrow
files (intensity, steps) for N participants × {DAYS} days, local time in {ZONE}, both
clock changes included. Each cell: median wall time (min–max over the turns), median CPU
time (all threads), peak resident memory of the contender's own process. The contenders
take turns, each in a fresh process, and the machine (2 cores) was shared with other work:
when and at which load each size was measured: {loads}.

{_size_table(results)}

Ratios of medians (below 1: exonc faster or smaller):

{_ratios(results)}

Growth of the median wall time with the input (1× = {min(int(s) for s in results)} participants):

{_growth(results)}

What the contenders do. exonc reads any export format into the minute schema: it checks
every cell (a bad one is rejected with its row, column, value and reason, and the read goes
on), gives local times their UTC offsets (rejecting times the spring change skips, telling
the repeated autumn hour's two instants apart), merges files by instant (duplicates
resolved and counted) and keeps memory bounded by spilling partitions. The peers assume
what these files happen to allow: both files list the same minutes in the same order (they
check it), the file order is time order, and every cell is well formed (one bad cell stops
them). The polars peer that takes the date from the text never parses the time of day. The
floor parses both files into typed columns, times included, and does nothing else; polars
splitting the cells with the time left as text is shown below it.
"""


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv or [])
    if args.child:
        name, folder, output = args.child
        _child(name, Path(folder), Path(output))
        return
    from benchmarks._report import machine, write_section

    store = args.data / "results.json"
    results: dict[str, Any] = json.loads(store.read_text()) if store.exists() else {}
    for participants in args.participants:
        run_size(args, participants, results, store)
    body = section(results, machine())
    print(body)
    if args.write:
        write_section("trackers", body)


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.trackers")
    parser.add_argument("--data", type=Path, default=OUT)
    parser.add_argument("--participants", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--repeat", type=int, default=0)
    parser.add_argument("--contenders", nargs="*", choices=list(CONTENDERS))
    parser.add_argument("--no-write", dest="write", action="store_false")
    parser.add_argument("--child", nargs=3, metavar=("NAME", "FOLDER", "OUTPUT"))
    return parser.parse_args(argv)


if __name__ == "__main__":
    os.environ.setdefault("POLARS_MAX_THREADS", str(os.cpu_count() or 2))
    main(sys.argv[1:])
