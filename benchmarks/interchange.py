"""Export and re-import of the synthetic trial per format, beside a plain csv-module copy.

Goal (issue #14): exporting the 357-participant synthetic trial and importing it back
takes at most 10 s per format (REDCap, CDISC ODM, FHIR). The reference is what a careful
programmer would write to move the same rows without any format: read each exchanged
table with the ``csv`` module and write it again (and read that back). Each format's
round trip is checked to give back exactly the reference's rows before anything is
timed. Repetitions alternate between the four, in one process; the page reports the
median with min–max, peak Python memory (tracemalloc, in a separate untimed run) and the
growth with the number of participants.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from benchmarks._report import machine, write_section
from exonc.cli.synth import write_trial
from exonc.interchange import exchange
from exonc.interchange.crf import Forms, default_forms
from exonc.synthetic import generate_trial

GOAL = 10.0  # seconds, export + re-import, per format
REPEAT = 3
SIZES = (90, 178)  # smaller trials for the growth table (plus the full 357)
SEED = 21
CREATED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

Run = Callable[[Path, Path], None]


def _csv_copy(source: Path, work: Path, forms: Forms) -> None:
    """The reference: the exchanged tables read and written with the csv module, then read."""
    out = work / "csv"
    out.mkdir(exist_ok=True)
    for table in forms.tables:
        path = source / f"{table}.csv"
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        with (out / path.name).open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, lineterminator="\n").writerows(rows)
    for table in forms.tables:
        with (out / f"{table}.csv").open(newline="", encoding="utf-8") as handle:
            list(csv.reader(handle))


def _redcap(source: Path, work: Path, forms: Forms) -> None:
    exchange.export_redcap(exchange.read_data_dir(source, forms), forms, work / "redcap")
    exchange.write_imported(exchange.import_redcap(work / "redcap", forms), work / "redcap-back")


def _odm(source: Path, work: Path, forms: Forms) -> None:
    tables = exchange.read_data_dir(source, forms)
    exchange.export_odm(tables, forms, work / "trial.xml", created=CREATED)
    exchange.write_imported(exchange.import_odm(work / "trial.xml", forms), work / "odm-back")


def _fhir(source: Path, work: Path, forms: Forms) -> None:
    tables = exchange.read_data_dir(source, forms, tracker_days=True)
    exchange.export_fhir(tables, forms, work / "fhir")
    exchange.write_imported(exchange.import_fhir(work / "fhir", forms), work / "fhir-back")


RUNS = {
    "csv module (reference)": (_csv_copy, "csv"),
    "REDCap": (_redcap, "redcap-back"),
    "CDISC ODM 1.3.2": (_odm, "odm-back"),
    "FHIR R4 NDJSON": (_fhir, "fhir-back"),
}


def _rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    return [header, *sorted(rows)]


def _identical(work: Path, folder: str, forms: Forms) -> bool:
    """The round trip's tables hold exactly the reference's rows (FHIR: the questionnaires)."""
    back = work / folder
    tables = [t for t in forms.tables if (back / f"{t}.csv").exists()]
    return bool(tables) and all(
        _rows(back / f"{t}.csv") == _rows(work / "csv" / f"{t}.csv") for t in tables
    )


def _timed(fn: Callable[[], None]) -> tuple[float, float]:
    """Wall and CPU seconds of one call (CPU: this process's, all threads)."""
    start, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - start, time.process_time() - cpu


def _peak(fn: Callable[[], None]) -> float:
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def _trial(folder: Path, participants: int | None) -> Path:
    write_trial(generate_trial(seed=SEED, participants_n=participants), folder)
    return folder


Times = dict[str, list[tuple[float, float]]]


def _measure(source: Path, work: Path, forms: Forms, repeat: int) -> Times:
    times: Times = {name: [] for name in RUNS}
    for _ in range(repeat):
        for name, (run, _folder) in RUNS.items():  # alternate the runs within each repetition
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir()
            times[name].append(_timed(lambda run=run: run(source, work, forms)))
    return times


def main() -> None:
    forms = default_forms()
    before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="exonc-bench-interchange-") as tmp:
        root = Path(tmp)
        source = _trial(root / "trial", None)
        work = root / "work"
        work.mkdir()
        agree = {}
        for run, _folder in RUNS.values():  # warm up (imports, schema), then verify
            run(source, work, forms)
        for name, (_run, folder) in RUNS.items():
            agree[name] = _identical(work, folder, forms)
        times = _measure(source, work, forms, REPEAT)
        peaks = {}
        for name, (run, _folder) in RUNS.items():
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir()
            peaks[name] = _peak(lambda run=run: run(source, work, forms))
        growth = {}
        for n in SIZES:
            smaller = _trial(root / f"trial-{n}", n)
            growth[n] = {k: _median(v) for k, v in _measure(smaller, work, forms, 1).items()}
        growth[357] = {k: _median(v) for k, v in times.items()}
    load = os.getloadavg()[0]
    write_section("interchange", _page(times, peaks, agree, growth, (before, load)))
    for name, values in times.items():
        print(f"{name}: median {_median(values):.2f} s wall, {_median(values, 1):.2f} s CPU")


def _median(values: list[tuple[float, float]], which: int = 0) -> float:
    return statistics.median(v[which] for v in values)


def _page(
    times: Times,
    peaks: dict[str, float],
    agree: dict[str, bool],
    growth: dict[int, dict[str, float]],
    load: tuple[float, float],
) -> str:
    rows = "\n".join(
        f"| {name} | {_median(v):.2f} | {min(w for w, _ in v):.2f}–{max(w for w, _ in v):.2f} "
        f"| {_median(v, 1):.2f} | {peaks[name]:.0f} | {'yes' if agree[name] else 'NO'} |"
        for name, v in times.items()
    )
    sizes = sorted(growth)
    grown = "\n".join(
        f"| {name} | " + " | ".join(f"{growth[n][name]:.2f}" for n in sizes) + " |" for name in RUNS
    )
    formats = [v for k, v in times.items() if k in list(RUNS)[1:]]
    worst, worst_cpu = max(_median(v) for v in formats), max(_median(v, 1) for v in formats)
    return f"""## Interchange (REDCap, CDISC ODM, FHIR)

{machine()}

Command: `python -m benchmarks interchange` (part of `make bench`). Data: the synthetic
trial (`exonc synth`, seed {SEED}, 357 participants: 1,428 visits, 4,732 questionnaires,
6,608 resource-use rows, 86,392 tracker days). Each run reads exonc's tidy tables from
disk, exports them (REDCap: four CSV files; ODM: one XML file validated against the XSD;
FHIR: NDJSON with every resource validated by fhir.resources, tracker days included) and
imports the result back into tidy tables on disk. The reference reads and writes the same
tables with the `csv` module and reads them back. {REPEAT} repetitions, the four runs
alternating within each: wall-clock seconds (median and min–max) and this process's CPU
seconds (median). The machine is shared: its 1-minute load average was {load[0]:.1f} when
the run began and {load[1]:.1f} when it ended, on {os.cpu_count()} cores, so wall times
include waiting for a core; CPU seconds are what the work itself took. Peak memory:
tracemalloc's peak of Python allocations in one separate run. "Same rows": the round
trip's tables hold exactly the reference's rows (FHIR brings back the questionnaire tables).

| Run | Median wall s | Min–max wall s | Median CPU s | Peak MiB | Same rows |
| --- | ---: | ---: | ---: | ---: | --- |
{rows}

Growth with the number of participants (wall seconds, one run each; 357 = the median
above):

| Run | {" | ".join(str(n) for n in sizes)} |
| --- | {" | ".join("---:" for _ in sizes)} |
{grown}

Goal ≤ {GOAL:.0f} s per format: {"met" if worst <= GOAL else "NOT met"} in wall time
(slowest format {worst:.2f} s), {"met" if worst_cpu <= GOAL else "NOT met"} in CPU time
(slowest format {worst_cpu:.2f} s).
"""


if __name__ == "__main__":
    main()
    sys.exit(0)
