"""Command groups that several areas add commands to.

``exonc export …`` and ``exonc import …`` gather the ways data leave and enter exonc
(datasets, REDCap, CDISC ODM, FHIR): each area registers its own subcommands on these
groups from its own module, so the groups live here rather than in any one area. An area
that adds one appends its module to the group's line in :data:`exonc.cli.COMMANDS`.
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
