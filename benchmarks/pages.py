"""Page speed on the demo database: server time per page and role, and SQL queries per page.

For every demo login, the pages that role reaches by following links from its home page
(:func:`exonc.platform.crawl.crawl`, one address per URL pattern) are requested in-process
with Django's test client against the demo database (``exonc demo``'s build: 357
participants, 76,000 tracker days), so the time is the server's alone: URL routing,
middleware, queries, template rendering — no network, no browser. Each page is requested
once to warm up, then up to ``REPEAT`` times (fewer when a page is slow: at least
``MIN_REPEAT``, stopping after ``BUDGET_S`` seconds). Reported per page and role: median,
p95 (nearest rank) and maximum in milliseconds, and the number of SQL queries of one
request. Issue #11's goal: every staff page ≤ 300 ms at p95. There is no peer to run: the
yardstick is that goal. The demo is built once in ``EXONC_BENCH_PAGES_DIR`` (default a
folder in the system's temporary directory) and reused while it is current; the child
process runs with the platform's own settings (SQLite, ``EXONC_DEBUG`` as configured).
"""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks._report import machine, write_section

REPEAT = int(os.environ.get("EXONC_BENCH_PAGES_REPEAT", "20"))
MIN_REPEAT = min(5, REPEAT)
BUDGET_S = 15.0
GOAL_P95_MS = 300.0


def main() -> None:
    folder = Path(
        os.environ.get("EXONC_BENCH_PAGES_DIR") or Path(tempfile.gettempdir()) / "exonc-bench-pages"
    )
    rows = _child(folder)
    body = _markdown(rows)
    write_section("pages", body)
    print(body)


def _child(folder: Path) -> list[dict[str, Any]]:
    env = {
        **os.environ,
        "EXONC_VAR_DIR": str(folder),
        "DJANGO_SETTINGS_MODULE": "exonc.platform.django_settings",
    }
    for name in ("EXONC_DATABASE_URL", "EXONC_TEST_DATABASE_URL"):
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.pages", "--child"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    rows: list[dict[str, Any]] = json.loads(done.stdout.strip().splitlines()[-1])
    return rows


def _measure_all() -> list[dict[str, Any]]:
    import datetime as dt

    import django

    django.setup()
    from django.test.utils import setup_test_environment

    from exonc.platform import demo_build
    from exonc.platform.demo import DEMO_LOGINS

    setup_test_environment()  # the test client's host name, in-memory e-mail
    demo_build.prepare(
        today=dt.date.today(), rebuild=False, say=lambda s: print(s, file=sys.stderr)
    )
    rows = []
    for login in DEMO_LOGINS:
        rows.extend(_measure_role(login.username, login.role))
    return rows


def _measure_role(username: str, role: str) -> list[dict[str, Any]]:
    from django.test import Client

    from exonc.platform.accounts.models import User
    from exonc.platform.crawl import crawl

    client = Client()
    client.force_login(User.objects.get(username=username))
    first: dict[str, str] = {}
    for link in crawl(client, per_route=1):
        if link.status == 200 and not _excluded(link.url):
            first.setdefault(link.route, link.url)
    return [_measure_page(client, role, route, url) for route, url in sorted(first.items())]


def _excluded(url: str) -> bool:
    """JSON twins and downloads are not pages a person waits for; the admin is Django's."""
    return "format=json" in url or url.endswith(".csv") or url.startswith("/admin/")


def _measure_page(client: Any, role: str, route: str, url: str) -> dict[str, Any]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # the query log is a bounded deque: a full one would count nothing
    with CaptureQueriesContext(connection) as queries:
        client.get(url)  # warm-up, and the query count of one request
    times: list[float] = []
    spent = 0.0
    while len(times) < REPEAT and (len(times) < MIN_REPEAT or spent < BUDGET_S):
        start = time.perf_counter()
        client.get(url)
        elapsed = time.perf_counter() - start
        times.append(elapsed * 1000)
        spent += elapsed
    times.sort()
    return {
        "role": role,
        "route": route,
        "url": url,
        "n": len(times),
        "median": statistics.median(times),
        "p95": times[math.ceil(0.95 * len(times)) - 1],
        "max": times[-1],
        "queries": len(queries.captured_queries),
    }


def _markdown(rows: list[dict[str, Any]]) -> str:
    slow = [r for r in rows if r["p95"] > GOAL_P95_MS]
    lines = [
        "## Pages (`benchmarks/pages.py`)",
        "",
        f"Machine: {machine()}. Command: `python -m benchmarks pages`.",
        "",
        "Server time of each page a demo login reaches by links (Django test client,",
        "in-process, demo database), in ms, and the SQL queries of one request.",
        f"Goal: p95 ≤ {GOAL_P95_MS:.0f} ms. Pages over it: {len(slow)} of {len(rows)}.",
        "",
        "| role | page | example | n | median | p95 | max | queries |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {r['role']} | `{r['route']}` | `{r['url']}` | {r['n']} | {r['median']:.0f} "
        f"| {r['p95']:.0f} | {r['max']:.0f} | {r['queries']} |"
        for r in rows
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    if sys.argv[1:] == ["--child"]:
        print(json.dumps(_measure_all()))
    else:
        main()
