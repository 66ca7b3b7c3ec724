"""Power on a real Dask LocalCluster: the same answer on 1 and 2 workers and after a worker
dies mid-run; a task that keeps killing workers stops with a clear message."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from exonc.design import TrialDesign, simulate_power
from exonc.design._dask import connect, dask_runner, map_partitions
from exonc.errors import ClusterError

LIMIT = 300.0  # seconds: a stuck cluster fails the test instead of hanging the suite
pytestmark = [
    pytest.mark.slow,
    # distributed leaves sockets to the garbage collector when workers die or close
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]


@pytest.fixture(scope="module")
def two_workers() -> Iterator[Any]:
    with connect("local", workers=2) as client:
        yield client


def test_same_answer_serial_one_worker_two_workers(design: TrialDesign, two_workers: Any) -> None:
    serial = simulate_power(design, 12, sims=8, seed=21, chunk_size=3)
    on_two = simulate_power(
        design, 12, sims=8, seed=21, chunk_size=3, runner=dask_runner(two_workers, timeout=LIMIT)
    )
    with connect("local", workers=1) as client:
        on_one = simulate_power(
            design, 12, sims=8, seed=21, chunk_size=5, runner=dask_runner(client, timeout=LIMIT)
        )
    np.testing.assert_array_equal(serial.p_values, on_two.p_values)
    np.testing.assert_array_equal(serial.p_values, on_one.p_values)


def test_a_worker_dying_mid_run_changes_nothing(design: TrialDesign, two_workers: Any) -> None:
    serial = simulate_power(design, 12, sims=8, seed=22, chunk_size=2)
    killed: list[str] = []

    def kill_one(done: int) -> None:
        if not killed:
            pids = two_workers.run(os.getpid)  # {worker address: pid} of our own cluster
            victim = sorted(pids)[0]
            killed.append(victim)
            os.kill(pids[victim], signal.SIGKILL)

    found = simulate_power(
        design,
        12,
        sims=8,
        seed=22,
        chunk_size=2,
        runner=dask_runner(two_workers, timeout=LIMIT),
        progress=kill_one,
    )
    assert killed
    np.testing.assert_array_equal(serial.p_values, found.p_values)


def test_a_task_that_kills_every_worker_stops_with_a_clear_message() -> None:
    # Dask gives up after 3 deaths (KilledWorker); on a busy machine the nanny may fail to
    # restart the only worker first, and then the timeout is what stops the run
    message = "workers died running it|did not finish within"
    with connect("local", workers=1) as client, pytest.raises(ClusterError, match=message):
        map_partitions(client, os._exit, [1], timeout=120.0)
