"""Writing benchmark figures into ``docs/benchmarks.md``.

Each benchmark owns one section of the page, delimited by HTML comments, and rewrites only
that section, so benchmarks can run one at a time (``python -m benchmarks NAME``).
"""

from __future__ import annotations

import os
import platform
import re
import statistics
import time
from collections.abc import Callable
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
