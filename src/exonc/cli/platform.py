"""``exonc demo`` and ``exonc serve``: the web platform on this machine."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from exonc.cli._app import console, fail, start_django

if TYPE_CHECKING:
    from exonc.platform.demo_build import DemoOutcome


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
    app.command("serve")(serve)
    app.command("worker")(worker)


def demo(
    serve_after: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the platform when the data is ready.")
    ] = True,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Rebuild the demo database even if it is current.")
    ] = False,
    host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8000,
) -> None:
    """Build (or reuse) a database holding the synthetic trial, print the logins, and serve it."""
    start_django()
    from exonc.platform import demo_build

    outcome = demo_build.prepare(today=dt.date.today(), rebuild=rebuild, say=console.print)
    _print_summary(outcome)
    if serve_after:
        serve(host=host, port=port, workers=None, threads=DEFAULT_THREADS, dev=False)


def _print_summary(outcome: DemoOutcome) -> None:
    from exonc.platform.demo import DEMO_LOGINS

    table = Table(title=f"Demo database {outcome.database} ({outcome.action})")
    table.add_column("records")
    table.add_column("count", justify="right")
    for name, count in outcome.counts.items():
        table.add_row(name, str(count))
    console.print(table)
    console.print("Demo logins (synthetic data only):")
    for login in DEMO_LOGINS:
        where = ", ".join(login.centres) or (
            "own record" if login.role == "patient" else "all centres"
        )
        note = f" — {login.note}" if login.note else ""
        console.print(f"  {login.username:<13} {login.password:<20} {login.role} ({where}){note}")


#: Threads per gunicorn worker: requests wait on the database more than on the CPU.
DEFAULT_THREADS = 4


def default_workers() -> int:
    """Gunicorn's rule of thumb, two processes per core and one more, at most 9."""
    return min(2 * (os.cpu_count() or 1) + 1, 9)


def serve(
    host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8000,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Server processes (default: two per CPU core and one more)."),
    ] = None,
    threads: Annotated[
        int, typer.Option(min=1, help="Threads per server process.")
    ] = DEFAULT_THREADS,
    dev: Annotated[
        bool,
        typer.Option("--dev", help="Django's development server instead (one process)."),
    ] = False,
) -> None:
    """Serve the platform with gunicorn (static files by WhiteNoise) and a task consumer.

    ``--dev`` uses Django's development server instead."""
    start_django()
    from django.core import checks
    from django.core.management import call_command
    from django.db import connections

    errors = [e for e in checks.run_checks() if e.level >= checks.ERROR]
    if errors:  # e.g. a misspelt role in EXONC_2FA_ROLES
        fail("; ".join(f"{e.msg} ({e.hint})" if e.hint else e.msg for e in errors))
    call_command("migrate", interactive=False, verbosity=0)
    from exonc.platform.allocation.checks import refuse_unverified

    refuse_unverified()
    connections.close_all()  # the server's processes open their own
    with task_consumer():
        console.print(f"serving exonc at http://{host}:{port}/ (Ctrl+C to stop)")
        if dev:
            call_command("runserver", f"{host}:{port}", use_reloader=False)
        else:
            _gunicorn(host, port, workers or default_workers(), threads)


def _gunicorn(host: str, port: int, workers: int, threads: int) -> None:
    """Run gunicorn in a child process until it ends or this process is stopped."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "exonc.platform.wsgi:application",
        f"--bind={host}:{port}",
        f"--workers={workers}",
        f"--threads={threads}",
        "--timeout=120",  # long work runs in the task consumer; this guards stuck requests
        "--graceful-timeout=20",
        "--backlog=2048",
        # A client's next request on a kept-alive connection must not meet a close: on a
        # busy machine gunicorn's 2-second default dropped a few (ReadError at 200 clients).
        "--keep-alive=30",
        "--access-logfile=-",
        # exonc does not use gunicorn's control interface; its one socket per user
        # (~/.gunicorn/gunicorn.ctl) would be shared by two servers on one machine
        "--no-control-socket",
    ]
    server = subprocess.Popen(command)
    try:
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C, or SIGTERM (task_consumer)
            server.wait()
    finally:
        if server.poll() is None:
            server.terminate()  # SIGTERM: gunicorn finishes the requests in flight
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.wait(timeout=30)
            if server.poll() is None:
                server.kill()
    if server.returncode not in (0, -signal.SIGTERM, -signal.SIGINT):
        raise typer.Exit(server.returncode)


def worker() -> None:
    """Run the task runner's consumer: reminders, imports, analyses and reports.

    ``exonc serve`` starts one itself; a deployment runs ``exonc worker`` as its own service."""
    start_django()
    from django.core.management import call_command

    call_command("run_huey")


@contextlib.contextmanager
def task_consumer() -> Iterator[None]:
    """A task consumer in a child process for as long as the server runs (none when tasks
    run immediately in the web process, ``EXONC_TASKS_URL=immediate``)."""
    from django.conf import settings

    if settings.HUEY.get("immediate"):
        yield
        return
    child = subprocess.Popen([sys.executable, "-m", "exonc.cli", "worker"])
    # A service manager stops the server with SIGTERM: leave through the same path as
    # Ctrl+C so that the consumer is stopped too.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        child.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=10)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
