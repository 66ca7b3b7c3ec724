"""``exonc guides``: the Physical Activity Resource Hub's guide library on the command line.

``list`` shows the guides (for one level, and whether each suits someone with the given
lesion sites), ``pdf`` prints guides as a handout and ``check`` validates a library against
the rule table and the programme. File-based: nothing here touches the platform's database,
so the review shown is the one recorded in the guide files (docs/concepts/guides.md).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from exonc.cli import _app, _io
from exonc.errors import GuideDataError

__all__ = ["register"]

guides_app = typer.Typer(
    name="guides",
    help="The exercise-guide library: list, print as PDF, check.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


class ListFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


LibraryOption = Annotated[
    Path | None,
    typer.Option("--library", help="A guide library folder replacing the shipped one."),
]
RulesOption = Annotated[
    Path | None, typer.Option("--rules", help="A rule table replacing the shipped one.")
]


def register(app: typer.Typer) -> None:
    """Add the ``guides`` command group to the root application."""
    app.add_typer(guides_app)


def _library(folder: Path | None) -> Any:
    from exonc.guides import default_library, load_library

    if folder is None:
        return default_library()
    if not folder.is_dir():
        raise GuideDataError("not a folder", file=str(folder), hint="give a guide library folder")
    return load_library(folder)


def _rules(path: Path | None) -> Any:
    from exonc.exercise import default_safety_rules, load_safety_rules

    return load_safety_rules(path) if path else default_safety_rules()


@guides_app.command("list")
def list_command(
    level: Annotated[
        str | None, typer.Option("--level", help="Only guides for this level: 1, 2 or 3.")
    ] = None,
    lesion: Annotated[
        list[str] | None,
        typer.Option(
            "--lesion",
            help="A lesion site (e.g. proximal_femur); repeat for several. Adds 'suitable' "
            "and 'excluded_because'.",
        ),
    ] = None,
    output_format: Annotated[ListFormat, typer.Option("--format")] = ListFormat.TABLE,
    library: LibraryOption = None,
    rules: RulesOption = None,
) -> None:
    """List the guides, optionally for one level and tailored to lesion sites."""
    from exonc.exercise import assess_lesions
    from exonc.guides import parse_level, parse_site, site_lesions, tailor

    chosen_level = parse_level(level, "--level") if level is not None else None
    sites = [parse_site(s, "--lesion") for s in lesion or []]
    lib = _library(library)
    guides = [g for g in lib.guides if chosen_level is None or g.suits(chosen_level)]
    table = _rules(rules)
    rows = [_row(g, table) for g in guides]
    if sites:
        today = dt.date.today()
        lesions = site_lesions(sites, today)
        restrictions = assess_lesions(lesions, table, today)
        tailored = tailor(
            guides, restrictions, lib.words, sites={x.id: x.site for x in lesions}, on=today
        )
        for row, item in zip(rows, tailored, strict=True):
            row["suitable"] = item.suitable
            row["excluded_because"] = item.excluded_because
    if output_format is ListFormat.JSON:
        _io.write_json(rows)
    else:
        _print_list(rows, bool(sites))


def _row(guide: Any, rules: Any) -> dict[str, Any]:
    """The JSON fields of one guide (a public interface: docs/concepts/guides.md)."""
    loaded = set(guide.regions)
    for movement in guide.movements:
        loaded |= rules.movement_regions[movement]
    drawing = guide.illustration
    review = guide.review
    return {
        "slug": guide.slug,
        "title": guide.title,
        "component": guide.component.value,
        "levels": [int(level) for level in guide.levels],
        "regions": sorted(r.value for r in loaded),
        "steps": list(guide.steps),
        "illustration": drawing.alt if drawing is not None else None,
        "review": {
            "status": review.status.value,
            "reviewer": review.reviewer or None,
            "date": review.date.isoformat() if review.date else None,
        },
    }


def _print_list(rows: list[dict[str, Any]], tailored: bool) -> None:
    table = Table()
    table.add_column("slug", no_wrap=True)
    for column in ("title", "component", "levels", "review"):
        table.add_column(column, overflow="fold")
    if tailored:
        table.add_column("suitable")
        table.add_column("excluded because", overflow="fold")
    for row in rows:
        cells = [
            row["slug"],
            row["title"],
            row["component"],
            ",".join(str(n) for n in row["levels"]),
            row["review"]["status"],
        ]
        if tailored:
            cells += ["yes" if row["suitable"] else "no", row["excluded_because"] or ""]
        table.add_row(*cells)
    _app.console.print(table)
    _app.console.print(f"{len(rows)} guides", markup=False)


@guides_app.command("pdf")
def pdf_command(
    slugs: Annotated[list[str], typer.Argument(help="The guides to print, by slug.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The PDF file to write.")],
    library: LibraryOption = None,
) -> None:
    """Print guides as one PDF handout (each guide on its own page)."""
    from exonc.guides import file_approvals, handout_pdf

    lib = _library(library)
    unknown = [s for s in slugs if not lib.has(s)]
    if unknown:
        raise GuideDataError(
            "no guide has this slug",
            value=unknown[0],
            hint="list the guides with 'exonc guides list'",
        )
    guides = [lib.guide(s) for s in dict.fromkeys(slugs)]
    pdf = handout_pdf(guides, lib, approvals=file_approvals(guides))
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(f".{output.name}.partial")
    partial.write_bytes(pdf)
    partial.replace(output)
    _app.err_console.print(f"wrote {len(guides)} guides to {output}", markup=False)


@guides_app.command("check")
def check_command(
    library: LibraryOption = None,
    rules: RulesOption = None,
    programme: Annotated[
        str,
        typer.Option(help="A bundled programme name (preferable-effect) or a programme file."),
    ] = "preferable-effect",
) -> None:
    """Validate a guide library: every field, every movement and region known to the rule
    table, every programme exercise taught at every level. Exit 2 on any problem."""
    from exonc.exercise import load_programme
    from exonc.guides import check_library

    lib = _library(library)
    result = check_library(lib, _rules(rules), load_programme(programme))
    table = Table(title=f"{result.guides} guides")
    table.add_column("component")
    for level in (1, 2, 3):
        table.add_column(f"level {level}", justify="right")
    components = sorted({c for c, _ in result.by_component_and_level})
    for component in components:
        counts = [str(result.by_component_and_level.get((component, n), 0)) for n in (1, 2, 3)]
        table.add_row(component, *counts)
    _app.console.print(table)
    _app.console.print(
        f"{len(result.awaiting_review)} of {result.guides} guides await clinical review",
        markup=False,
    )
    for problem in result.problems:
        _app.err_console.print(f"error: {problem}", markup=False)
    if not result.ok:
        raise typer.Exit(_app.EXIT_INPUT)
