"""The ``exonc`` command.

Each area of exonc registers its commands from its own module (``exonc.cli.<area>``) so
that the commands stay next to nothing but their own argument parsing. Errors a user can
cause (:class:`exonc.errors.ExoncError`) print one line and exit with code 2.
"""

from __future__ import annotations

import sys

import typer

from exonc import __version__
from exonc.cli import (
    _app,
    _groups,
    allocation,
    analysis,
    design,
    economics,
    economics_export,
    exercise,
    guides,
    interchange,
    outcomes,
    platform,
    questionnaires,
    randomisation,
    synth,
    trackers,
)
from exonc.errors import ExoncError

app = _app.app

# Commands, one module per area, each with a ``register(app)`` function.
# Keep the list sorted by area.
allocation.register(app)
analysis.register(app)
design.register(app)
economics.register(app)
economics_export.register(app)
exercise.register(app)
interchange.register(app)
guides.register(app)
outcomes.register(app)
questionnaires.register(app)
randomisation.register(app)
trackers.register(app)
platform.register(app)
synth.register(app)
# Shared groups last: the areas above add their subcommands to them first.
_groups.register(app)


def main() -> None:
    """Entry point of the console script."""
    try:
        # Without standalone mode click returns the code of a typer.Exit instead of raising.
        code = app(standalone_mode=False)
    except typer.Exit as stop:
        sys.exit(stop.exit_code)
    except ExoncError as error:
        _app.fail(str(error))
    except (typer.Abort, KeyboardInterrupt):
        _app.fail("aborted", code=130)
    except typer.TyperException as error:  # usage errors (Typer's click): message and exit 2
        show = getattr(error, "show", None)
        if callable(show):
            show()
        sys.exit(int(getattr(error, "exit_code", 2)))
    sys.exit(code if isinstance(code, int) else 0)


__all__ = ["__version__", "app", "main"]
