"""The ``exonc`` command.

Each area of exonc registers its commands from its own module (``exonc.cli.<area>``, with
a ``register(app: typer.Typer)`` function) so that the commands stay next to nothing but
their own argument parsing. Errors a user can cause (:class:`exonc.errors.ExoncError`)
print one line and exit with code 2; any other exception prints one line too and exits
with code 1 (``EXONC_TRACEBACK=1`` shows its traceback), see :func:`main`.

Start-up stays quick because an area's module is imported only when one of its commands
runs (:mod:`exonc.cli._lazy`): ``exonc --help`` lists the commands from :data:`COMMANDS`
below, and pandas, polars, DuckDB, scipy, Django and the synthetic generator load only in
the commands that use them. **Adding an area is one line in** :data:`COMMANDS`: the
command's name, the module(s) whose ``register`` adds it, and the first paragraph of its
help (``tests/cli/test_startup.py`` checks the line against the command). A subcommand of
a shared group (``exonc export …``, ``exonc import …``, see :mod:`exonc.cli._groups`) is
added by appending its module to that group's line. Keep the table in the order
``exonc --help`` lists the commands. A module of an area imports its heavy libraries at
its top freely; only this package, ``_app``, ``_lazy`` and ``_groups`` must stay light.
"""

from __future__ import annotations

import os
import sys

import typer

from exonc.cli import _app
from exonc.cli._lazy import Lazy
from exonc.errors import ExoncError

# fmt: off
COMMANDS: tuple[Lazy, ...] = (
    Lazy("score", "exonc.cli.questionnaires",
         "Score questionnaire answers: QLQ-C30, QLQ-FA12, EQ-5D-5L or HADS."),
    Lazy("demo", "exonc.cli.platform",
         "Build (or reuse) a database holding the synthetic trial, print the logins, and "
         "serve it."),
    Lazy("serve", "exonc.cli.platform",
         "Serve the platform with gunicorn (static files by WhiteNoise) and a task consumer."),
    Lazy("worker", "exonc.cli.platform",
         "Run the task runner's consumer: reminders, imports, analyses and reports."),
    Lazy("synth", "exonc.cli.synth",
         "Generate a synthetic PREFERABLE-EFFECT trial and write one CSV per table."),
    Lazy("allocation", "exonc.cli.allocation",
         "The platform's concealed allocation list or minimisation seed: load, generate, "
         "verify."),
    Lazy("analyse", "exonc.cli.analysis",
         "Statistical analyses: MMRM on a tidy table, or a whole analysis plan."),
    Lazy("power", "exonc.cli.design",
         "Power and sample size of the next trial, by simulation."),
    Lazy("economics", ("exonc.cli.economics", "exonc.cli.economics_export"),
         "Cost-utility analysis of a trial and summaries of PSA draws."),
    Lazy("exercise", "exonc.cli.exercise",
         "Session plans, adherence and fitness-test calculators for the exercise arm."),
    Lazy("redcap", "exonc.cli.interchange",
         "Talk to a REDCap server: download a project."),
    Lazy("guides", "exonc.cli.guides",
         "The exercise-guide library: list, print as PDF, check."),
    Lazy("outcomes", "exonc.cli.outcomes",
         "Questionnaire responses in the platform database."),
    Lazy("randomise", "exonc.cli.randomisation",
         "Allocation lists, checksums, REDCap tables and design simulations."),
    Lazy("trackers", "exonc.cli.trackers",
         "Activity trackers: daily, weekly and per-visit-window activity from exports."),
    Lazy("report", "exonc.cli.report",
         "Write a trial report (HTML, PDF, JSON and figures) from a data folder or a lock."),
    Lazy("export", ("exonc.cli.interchange", "exonc.cli.report"),
         "Write exonc's data for other systems: datasets, REDCap, CDISC ODM, FHIR."),
    Lazy("import", "exonc.cli.interchange",
         "Read data from other systems into exonc's tidy tables or its database."),
)
# fmt: on

app = _app.app


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
    except Exception as error:  # the last guard: one line, never a traceback
        if os.environ.get("EXONC_TRACEBACK") == "1":
            raise
        _app.fail(_unexpected(error), code=_app.EXIT_UNEXPECTED)
    sys.exit(code if isinstance(code, int) else 0)


def _unexpected(error: BaseException) -> str:
    """One line for an error no reader foresaw: what it is and how to report it."""
    text = str(error).strip().splitlines()
    detail = f"{type(error).__name__}: {text[0]}" if text else type(error).__name__
    return (
        f"unexpected {detail[:300]}; if the input is valid this is a bug in exonc: report it "
        "with the command (EXONC_TRACEBACK=1 prints the traceback)"
    )


__all__ = ["COMMANDS", "app", "main"]
