"""``exonc demo`` and ``exonc serve``: the web platform on this machine."""

from __future__ import annotations

import contextlib
import datetime as dt
import signal
import subprocess
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from exonc.cli._app import console, start_django

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
        serve(host=host, port=port)


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


def serve(
    host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8000,
) -> None:
    """Serve the platform over the configured database (Django's development server)."""
    start_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from exonc.platform.allocation.checks import refuse_unverified

    refuse_unverified()
    with task_consumer():
        console.print(f"serving exonc at http://{host}:{port}/ (Ctrl+C to stop)")
        call_command("runserver", f"{host}:{port}", use_reloader=False)


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
