"""Command groups that several areas add commands to.

``exonc export …`` and ``exonc import …`` gather the ways data leave and enter exonc
(datasets, REDCap, CDISC ODM, FHIR): each area registers its own subcommands on these
groups from its own module, so the groups live here rather than in any one area.
"""

from __future__ import annotations

import typer

export_app = typer.Typer(
    name="export",
    help="Write exonc's data for other systems: datasets, REDCap, CDISC ODM, FHIR.",
    no_args_is_help=True,
)
import_app = typer.Typer(
    name="import",
    help="Read data from other systems into exonc's tidy tables or its database.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add the shared groups to the root application (after the areas registered theirs)."""
    for group in (export_app, import_app):
        if group.registered_commands or group.registered_groups:
            app.add_typer(group)
