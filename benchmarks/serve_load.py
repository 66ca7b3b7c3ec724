"""Many simultaneous clients against a running exonc server (issue 16).

``python -m benchmarks.serve_load --url http://127.0.0.1:8000 --clients 200`` opens
*clients* connections at the same moment, each signed in with the same demo session and
each asking for a few pages (the staff home page, the participant list, the login page).
It prints the number of answers by status, the connection errors (resets, refusals,
timeouts) and the latency. It is not part of ``make bench``: it needs a server running
(``exonc serve``), on SQLite or PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx

PAGES = ("/", "/participants/", "/login/")


@dataclass
class Outcome:
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self, clients: int) -> str:
        lat = sorted(self.latencies)
        p50 = statistics.median(lat) if lat else float("nan")
        p95 = lat[int(0.95 * (len(lat) - 1))] if lat else float("nan")
        total = sum(self.statuses.values())
        return (
            f"{clients} simultaneous clients, {total} answers in {self.seconds:.1f} s "
            f"({total / self.seconds:.0f}/s); statuses {dict(sorted(self.statuses.items()))}; "
            f"connection errors {dict(self.errors) or 0}; latency median {p50 * 1000:.0f} ms, "
            f"95th percentile {p95 * 1000:.0f} ms, max {lat[-1] * 1000 if lat else 0:.0f} ms"
        )


def sign_in(url: str, username: str, password: str) -> dict[str, str]:
    """The cookies of a signed-in session (one sign-in: password hashing is not measured)."""
    with httpx.Client(base_url=url, timeout=60) as client:
        page = client.get("/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, "no CSRF token on the login page"
        answer = client.post(
            "/login/",
            data={"username": username, "password": password, "csrfmiddlewaretoken": token[1]},
            headers={"Referer": f"{url}/login/"},
        )
        assert answer.status_code == 302, f"sign-in failed ({answer.status_code})"
        return dict(client.cookies)


async def one_client(
    url: str, cookies: dict[str, str], rounds: int, start: asyncio.Event, outcome: Outcome
) -> None:
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(
        base_url=url, cookies=cookies, timeout=120, limits=limits
    ) as client:
        await start.wait()
        for _ in range(rounds):
            for page in PAGES:
                began = time.perf_counter()
                try:
                    answer = await client.get(page)
                except httpx.TransportError as error:
                    outcome.errors[type(error).__name__] += 1
                    continue
                outcome.latencies.append(time.perf_counter() - began)
                outcome.statuses[answer.status_code] += 1


async def run(url: str, clients: int, rounds: int, cookies: dict[str, str]) -> Outcome:
    outcome = Outcome()
    start = asyncio.Event()
    tasks = [
        asyncio.create_task(one_client(url, cookies, rounds, start, outcome))
        for _ in range(clients)
    ]
    await asyncio.sleep(0.5)  # every client ready, then all at once
    began = time.perf_counter()
    start.set()
    await asyncio.gather(*tasks)
    outcome.seconds = time.perf_counter() - began
    return outcome


def main(argv: list[str] | None = None) -> Outcome:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument(
        "--rounds", type=int, default=2, help="times each client asks for the pages"
    )
    parser.add_argument("--username", default="coordinator")
    parser.add_argument("--password", default="exonc-coordinator")
    options = parser.parse_args(argv)
    url = options.url.rstrip("/")
    cookies = sign_in(url, options.username, options.password)
    outcome = asyncio.run(run(url, options.clients, options.rounds, cookies))
    print(outcome.summary(options.clients))
    return outcome


if __name__ == "__main__":
    main()
