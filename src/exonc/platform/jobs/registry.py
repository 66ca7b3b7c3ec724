"""Job kinds: plain functions the runner calls with a progress callback and JSON parameters.

```python
@job_kind("reports.run")
def run_report(progress: Progress, *, lock_id: int) -> dict[str, object]:
    progress(0.5, _("Fitting the models"))
    return {"url": "/reports/3/"}
```

Apps register their kinds in a ``jobs`` module imported from their ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

JobResult = dict[str, Any] | None


class Progress(Protocol):
    """Record how far a job got: a fraction in [0, 1] and a short text for people."""

    def __call__(self, fraction: float, message: str = "") -> None: ...


JobFunction = Callable[..., JobResult]

KINDS: dict[str, JobFunction] = {}


def job_kind(name: str) -> Callable[[JobFunction], JobFunction]:
    """Register *function* as the job kind *name* (``"<app>.<verb>"``, unique)."""

    def register(function: JobFunction) -> JobFunction:
        if name in KINDS and KINDS[name] is not function:
            raise ValueError(f"job kind {name!r} is registered twice")
        KINDS[name] = function
        return function

    return register
