"""A first-come, first-served queue for SQLite's one writer, within a server process.

SQLite allows one writer at a time. A connection that finds the database locked sleeps
and retries (SQLite's busy handler), and under contention that lets some requests wait for
seconds while later ones pass. Threads of one process therefore queue here first, in
arrival order, and each hands the turn straight to the next. Other processes still meet
the busy handler; PostgreSQL, with row locks, needs none of this.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


class FairLock:
    """A lock that is handed to its waiters in the order they asked for it."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._waiting: deque[threading.Event] = deque()
        self._held = False

    def acquire(self) -> None:
        with self._guard:
            if not self._held:
                self._held = True
                return
            turn = threading.Event()
            self._waiting.append(turn)
        turn.wait()  # the releasing thread hands the lock over: it stays held

    def release(self) -> None:
        with self._guard:
            if self._waiting:
                self._waiting.popleft().set()
            else:
                self._held = False

    @contextmanager
    def held(self) -> Iterator[None]:
        self.acquire()
        try:
            yield
        finally:
            self.release()


_SQLITE_WRITER = FairLock()


@contextmanager
def sqlite_writers_queue() -> Iterator[None]:
    """Queue for the write lock on SQLite (not inside an open transaction, which holds it)."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with _SQLITE_WRITER.held():
        yield
