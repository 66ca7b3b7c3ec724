"""Running work on a dask.distributed cluster (internal; ``docs/operations/cluster.md``).

:func:`connect` opens a client: ``"local"`` starts a :class:`distributed.LocalCluster`
with one single-threaded worker process per CPU (or *workers*), any other address
(``tcp://host:8786``) connects to a running scheduler. An address that cannot be reached
stops with a :class:`~exonc.errors.DesignInputError` before anything runs.

:func:`dask_runner` maps :func:`exonc.design.power.run_chunk` over chunks of simulations
(a :class:`~exonc.design.power.Runner`); :func:`map_partitions` does the same for any
function over a list of inputs (the tracker pipeline's participant partitions). Tasks
are pure functions of their arguments, so when a worker dies its tasks are run again on
another worker (``retries``) and the answer does not change; when every retry fails
the run stops with a :class:`~exonc.errors.ClusterError` saying which task and why.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from exonc.design.power import ChunkResult, Progress, Runner, run_chunk
from exonc.design.spec import TrialDesign
from exonc.errors import ClusterError, DesignInputError

__all__ = ["RETRIES", "connect", "dask_runner", "map_partitions"]

T = TypeVar("T")
RETRIES = 3
_CONNECT_TIMEOUT = "5s"


@contextmanager
def connect(address: str, *, workers: int | None = None) -> Iterator[Any]:
    """A ``distributed.Client`` for *address* (``"local"`` or ``tcp://host:port``)."""
    import distributed

    if address == "local":
        count = workers or os.cpu_count() or 1
        with (
            distributed.LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=count,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",
                silence_logs=40,
            ) as cluster,
            distributed.Client(cluster) as client,  # type: ignore[no-untyped-call]
        ):
            yield client
        return
    try:
        client = distributed.Client(address, timeout=_CONNECT_TIMEOUT)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError, ValueError) as error:
        raise DesignInputError(
            f"cannot reach the Dask scheduler ({error.__class__.__name__})",
            key="scheduler",
            value=address,
            hint="start one with 'dask scheduler' and 'dask worker ADDRESS', "
            "or use --scheduler local",
        ) from None
    with client:
        yield client


def map_partitions(
    client: Any,
    function: Callable[..., T],
    items: Sequence[Any],
    *args: Any,
    progress: Callable[[int, T], None] | None = None,
    timeout: float | None = None,
) -> list[T]:
    """``[function(item, *args) for item in items]`` on the cluster, in input order.

    *timeout* (seconds, default none) stops a run that has not finished in time with a
    :class:`~exonc.errors.ClusterError`.
    """
    import distributed

    futures = client.map(function, items, *[[a] * len(items) for a in args], retries=RETRIES)
    where = {future.key: number for number, future in enumerate(futures)}
    found: list[Any] = [None] * len(items)
    try:
        for future in distributed.as_completed(futures, timeout=timeout):  # type: ignore[no-untyped-call]
            value = future.result()
            found[where[future.key]] = value
            if progress is not None:
                progress(where[future.key], value)
    except TimeoutError:
        raise ClusterError(
            f"the cluster did not finish within {timeout} s",
            hint="check that the workers are running ('dask worker ...') and not overloaded",
        ) from None
    except distributed.KilledWorker as error:
        raise ClusterError(
            f"the cluster lost task {error.task} {RETRIES + 1} times: workers died running it",
            hint="check the workers' memory and logs, then run again (results are reproducible)",
        ) from None
    finally:
        client.cancel(futures)
    return found


def dask_runner(client: Any, *, timeout: float | None = None) -> Runner:
    """A :class:`~exonc.design.power.Runner` that runs the chunks on *client*'s cluster."""

    def run(
        design: TrialDesign,
        n_per_arm: int,
        seed: int,
        parts: Sequence[range],
        progress: Progress | None,
    ) -> list[ChunkResult]:
        def advance(number: int, _: ChunkResult) -> None:
            if progress is not None:
                progress(len(parts[number]))

        return map_partitions(
            client, _chunk, parts, design, n_per_arm, seed, progress=advance, timeout=timeout
        )

    return run


def _chunk(part: range, design: TrialDesign, n_per_arm: int, seed: int) -> ChunkResult:
    return run_chunk(design, n_per_arm, seed, part)
