"""PostgreSQL connection pooling (issue 16, finding 10): 200 concurrent callers share a
pool of at most ``EXONC_DATABASE_POOL_SIZE`` connections instead of exhausting the
server ("too many clients")."""

from __future__ import annotations

import os
import threading
from typing import Any

import pytest
from django.db import connection
from django.db.utils import ConnectionHandler

from exonc.platform.django_settings import database

CALLERS = 200
POOL = 10


def test_postgresql_urls_get_a_pool_and_sqlite_does_not(tmp_path: Any) -> None:
    pooled = database("postgresql://exonc@db.example.org/trial", pool_size=POOL)
    assert pooled["OPTIONS"]["pool"] == {"min_size": 1, "max_size": POOL, "timeout": 30}
    assert pooled["CONN_MAX_AGE"] == 0  # Django refuses persistent connections with a pool
    assert "pool" not in database("postgresql://exonc@db/trial", pool_size=0).get("OPTIONS", {})
    assert "pool" not in database(f"sqlite:///{tmp_path / 'x.sqlite3'}", pool_size=POOL)["OPTIONS"]


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.django_db
def test_two_hundred_concurrent_callers_share_the_pool() -> None:
    config = database(os.environ["EXONC_TEST_DATABASE_URL"], pool_size=POOL)
    name = connection.settings_dict["NAME"]  # the test database
    config["NAME"] = name
    handler = ConnectionHandler({"default": connection.settings_dict, "pooled": config})
    seen: list[int] = []
    errors: list[str] = []
    start = threading.Barrier(CALLERS)

    def call() -> None:
        start.wait()
        pooled = handler["pooled"]  # this thread's wrapper; the pool is shared
        try:
            with pooled.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [name])
                seen.append(cursor.fetchone()[0])
                cursor.execute("SELECT pg_sleep(0.02)")
        except Exception as error:  # every failure is reported below
            errors.append(repr(error))
        finally:
            pooled.close()  # back to the pool

    threads = [threading.Thread(target=call) for _ in range(CALLERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    handler["pooled"].close_pool()

    assert errors == []
    assert len(seen) == CALLERS
    assert max(seen) <= POOL + 1  # the pool, and the test's own connection
