"""Writing benchmark figures into ``docs/benchmarks.md``.

Each benchmark owns one section of the page, delimited by HTML comments, and rewrites only
that section, so benchmarks can run one at a time (``python -m benchmarks NAME``).
"""

from __future__ import annotations

import os
import platform
import re
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

PAGE = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
HEADER = """# Benchmarks

Figures written by `make bench` (`python -m benchmarks [NAME...]`). Each section says what
was measured, on which machine, with which command, and compares exonc with the peer
named in its issue in the same run. Tests never assert speed; this page records it.
"""


def machine() -> str:
    """One line describing where the figures were measured."""
    return (
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} cores, {platform.machine()}, {platform.system()} "
        f"{platform.release()}; measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )


def best_of(fn: Callable[[], object], repeat: int = 5) -> float:
    """Best wall time of *repeat* calls, in seconds (the least disturbed measurement)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def median_of(fn: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def load() -> str:
    """The machine's load averages (1, 5, 15 minutes): other work slows every contender."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f} / {fifteen:.1f} (1 / 5 / 15 min)"


def cpu_seconds() -> float:
    """User + system CPU time of this process so far (all its threads)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass(frozen=True)
class Timing:
    """One measured call: wall seconds, CPU seconds and peak memory in MiB."""

    seconds: float
    cpu: float
    peak_mib: float


def timed(fn: Callable[[], object]) -> tuple[Timing, object]:
    """Call *fn* once; its wall and CPU time and its peak traced allocation (tracemalloc
    follows Python objects and numpy's buffers, not memory that C libraries keep)."""
    tracemalloc.start()
    start, cpu = time.perf_counter(), cpu_seconds()
    out = fn()
    seconds, used = time.perf_counter() - start, cpu_seconds() - cpu
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return Timing(seconds, used, peak), out


def alternate(contenders: dict[str, Callable[[], object]], repeat: int) -> dict[str, list[Timing]]:
    """Time every contender *repeat* times, in turns (A B C A B C …), so that a change in
    the machine's load touches all of them alike."""
    found: dict[str, list[Timing]] = {name: [] for name in contenders}
    for _ in range(repeat):
        for name, fn in contenders.items():
            found[name].append(timed(fn)[0])
    return found


def spread(values: Sequence[float], unit: str = "s", digits: int = 3) -> str:
    """``median (min–max)`` of *values*; one value alone when there is one."""
    if len(values) == 1:
        return f"{values[0]:.{digits}f} {unit}"
    low, mid, high = min(values), statistics.median(values), max(values)
    return f"{mid:.{digits}f} {unit} ({low:.{digits}f}–{high:.{digits}f})"


def median(timings: Sequence[Timing]) -> float:
    return statistics.median(t.seconds for t in timings)


def write_section(name: str, body: str, page: Path = PAGE) -> None:
    """Replace (or append) the section *name* of the benchmarks page with *body*."""
    text = page.read_text(encoding="utf-8") if page.exists() else HEADER
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    section = f"{start}\n{body.strip()}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    text = (
        pattern.sub(lambda _: section, text)
        if pattern.search(text)
        else text.rstrip() + "\n\n" + section + "\n"
    )
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(text, encoding="utf-8")
