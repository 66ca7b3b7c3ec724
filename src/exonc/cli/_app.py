"""The root Typer application and the helpers every command uses."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, cast

import typer

from exonc.cli._lazy import LazyGroup

if TYPE_CHECKING:
    from rich.console import Console

app = typer.Typer(
    name="exonc",
    help="Run, monitor and evaluate supervised exercise programmes in metastatic cancer.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    cls=LazyGroup,  # areas' commands load when they run (exonc.cli.COMMANDS)
)


class _PerUse:
    """A rich Console made afresh for each use, so the terminal's width (``COLUMNS``) is
    read when printing rather than frozen when the CLI module was imported."""

    def __init__(self, **options: Any) -> None:
        self._options = options

    def __getattr__(self, name: str) -> Any:
        from rich.console import Console  # loads on first print, not at start-up

        return getattr(Console(**self._options), name)


err_console = cast("Console", _PerUse(stderr=True, highlight=False, soft_wrap=True))
console = cast("Console", _PerUse(highlight=False, soft_wrap=True))

EXIT_UNEXPECTED = 1  # an exception no reader foresaw (a bug, or input nobody thought of)
EXIT_INPUT = 2
EXIT_NOT_CONVERGED = 3


def start_django() -> None:
    """Start Django for a database command, with the settings read from the environment
    (``exonc.platform.django_settings`` is the only place they are read)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exonc.platform.django_settings")
    import django

    django.setup()


def fail(message: str, code: int = EXIT_INPUT) -> NoReturn:
    """Print *message* as one line on stderr and exit with *code*."""
    err_console.print(f"error: {message}", markup=False)
    sys.exit(code)


def _version(value: bool) -> None:
    if value:
        from exonc import __version__

        console.print(f"exonc {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Run, monitor and evaluate supervised exercise programmes in metastatic cancer."""
