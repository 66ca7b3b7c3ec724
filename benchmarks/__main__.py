"""Run exonc's benchmarks: ``python -m benchmarks [NAME...]`` (``make bench`` runs all).

Each benchmark module has ``main() -> None`` which measures exonc and its peer in the same
run and writes its section of ``docs/benchmarks.md``.
"""

from __future__ import annotations

import importlib
import sys

# One entry per benchmark module in this folder; keep sorted.
BENCHMARKS: list[str] = [
    "allocation",
    "analysis",
    "design",
    "economics",
    "exercise",
    "interchange",
    "pages",
    "questionnaires",
    "report",
    "trackers",
]


def main(argv: list[str]) -> int:
    chosen = argv or BENCHMARKS
    unknown = sorted(set(chosen) - set(BENCHMARKS))
    if unknown:
        print(f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
        return 2
    for name in chosen:
        print(f"== {name}", flush=True)
        importlib.import_module(f"benchmarks.{name}").main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
