"""Job kinds for the consumer test: one that succeeds and one that sums its parameters."""

from __future__ import annotations

from exonc.platform.jobs.registry import Progress, job_kind


@job_kind("test.sum")
def add_up(progress: Progress, *, numbers: list[int]) -> dict[str, object]:
    progress(0.5, "adding")
    return {"sum": sum(numbers)}
