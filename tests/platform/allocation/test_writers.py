"""The first-come, first-served writers' queue."""

from __future__ import annotations

import threading
import time

from exonc.platform.allocation.writers import FairLock


def test_waiters_get_the_lock_in_arrival_order() -> None:
    lock = FairLock()
    lock.acquire()
    order: list[int] = []

    def wait_then_record(number: int) -> None:
        with lock.held():
            order.append(number)

    threads = []
    for number in range(5):
        thread = threading.Thread(target=wait_then_record, args=(number,))
        thread.start()
        threads.append(thread)
        while len(lock._waiting) < number + 1:  # until this thread is queued
            time.sleep(0.001)
    lock.release()
    for thread in threads:
        thread.join()
    assert order == [0, 1, 2, 3, 4]
    with lock.held():  # free again afterwards
        pass


def test_an_uncontended_lock_is_taken_and_freed() -> None:
    lock = FairLock()
    with lock.held():
        assert lock._held
    assert not lock._held
