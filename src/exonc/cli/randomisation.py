"""``exonc randomise``: allocation lists, their checksums, REDCap tables and simulations.

Offline companions to the platform's concealed allocation, for trialists who allocate
elsewhere (sealed envelopes, REDCap) or who want to compare designs before choosing one.
"""

from __future__ import annotations

import secrets
from functools import partial
from pathlib import Path
from typing import Annotated, Literal

import numpy as np
import pandas as pd
import typer

from exonc._data import participant_column, repeated_row
from exonc.cli import _randomise_options as options
from exonc.cli._app import console
from exonc.cli._io import read_table, require_columns, write_json, write_table, write_text
from exonc.errors import InputError, ListIntegrityError, RandomisationInputError
from exonc.randomisation import (
    AllocationList,
    Assignment,
    RandomisationDesign,
    RedcapCodes,
    allocation_counts,
    balance_report,
    from_redcap,
    generate_list,
    list_checksum,
    list_to_csv,
    parse_list,
    read_list_csv,
    simulate,
    to_redcap,
    verify_list,
)
from exonc.results import jsonable

randomise = typer.Typer(
    name="randomise",
    help="Allocation lists, checksums, REDCap tables and design simulations.",
    no_args_is_help=True,
)

Strata = Annotated[
    list[str] | None,
    typer.Option(
        "--strata",
        help="A stratification factor and its levels, FACTOR=LEVEL,LEVEL,…; repeat per factor.",
    ),
]
Arms = Annotated[str, typer.Option("--arms", help="Arm names in ratio order, comma-separated.")]
Ratio = Annotated[str, typer.Option("--ratio", help="Integer allocation ratio, e.g. 1:1 or 2:1.")]
Blocks = Annotated[
    str | None,
    typer.Option("--blocks", help="Block sizes, comma-separated multiples of the ratio sum."),
]
Codes = Annotated[
    list[str] | None,
    typer.Option(
        "--code",
        help="A REDCap code, NAME:LABEL=CODE where NAME is 'arm' or a factor "
        "(default codes 1, 2, … in the given order); repeat as needed.",
    ),
]
DagFactor = Annotated[
    str | None,
    typer.Option("--dag-factor", help="Factor held as REDCap's data access group (the centre)."),
]
Purpose = Annotated[
    Literal["live", "test"],
    typer.Option("--purpose", help="'live' list or 'test' (dummy) list from the same seed."),
]
Format = Annotated[
    Literal["text", "json"], typer.Option("--format", help="Output on stdout: text or json.")
]
Output = Annotated[Path, typer.Option("-o", "--output", help="File to write.")]


def register(app: typer.Typer) -> None:
    """Add ``exonc randomise …`` to the root application."""
    app.add_typer(randomise)


@randomise.command("seed")
def seed_command(
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write the seed to this file.")
    ] = None,
) -> None:
    """Print a new secret seed (128 random bits from the operating system)."""
    value = secrets.randbits(128)
    if output is None:
        _say(str(value))
        return
    write_text(f"{value}\n", output)
    output.chmod(0o600)
    _say(f"wrote a new seed to {output}; keep it secret")


@randomise.command("list")
def list_command(
    output: Output,
    per_stratum: Annotated[int, typer.Option("--per-stratum", help="Positions in every stratum.")],
    strata: Strata = None,
    arms: Arms = "exercise,control",
    ratio: Ratio = "1:1",
    blocks: Blocks = None,
    seed: Annotated[int | None, typer.Option("--seed", help="The secret seed.")] = None,
    seed_file: Annotated[
        Path | None, typer.Option("--seed-file", help="Read the secret seed from this file.")
    ] = None,
    purpose: Purpose = "live",
    fmt: Format = "text",
) -> None:
    """Write a stratified permuted-block allocation list; the same seed gives the same file."""
    if blocks is None:
        options.option_error(
            "--blocks", None, "permuted blocks need block sizes", "e.g. --blocks 2,4,6"
        )
    design = options.design(strata, arms, ratio, blocks)
    secret = options.seed(seed, seed_file)
    allocation_list = options.checked(lambda: generate_list(design, secret, per_stratum, purpose))
    text = list_to_csv(allocation_list)
    write_text(text, output)
    _report_list(allocation_list, output, fmt, design)


@randomise.command("verify")
def verify_command(
    path: Annotated[Path, typer.Argument(help="The allocation list (exonc layout).")],
    sha256: Annotated[str, typer.Option("--sha256", help="The recorded checksum.")],
    strata: Strata = None,
    arms: Arms = "exercise,control",
    ratio: Ratio = "1:1",
    blocks: Blocks = None,
    fmt: Format = "text",
) -> None:
    """Check a list against its recorded SHA-256 (and, given one, against the design)."""
    design = options.design(strata, arms, ratio, blocks) if strata or blocks else None
    allocation_list = read_list_csv(options.read_text(path), design=design, file=str(path))
    _verify(allocation_list, sha256, path)
    if fmt == "json":
        write_json({"file": str(path), "sha256": list_checksum(allocation_list), "matches": True})
        return
    _say(f"ok: {path} matches sha256 {list_checksum(allocation_list)}")


@randomise.command("import")
def import_command(
    path: Annotated[Path, typer.Argument(help="The list or REDCap allocation table to import.")],
    output: Output,
    layout: Annotated[
        Literal["exonc", "redcap"], typer.Option("--layout", help="Layout of the input file.")
    ] = "exonc",
    strata: Strata = None,
    arms: Arms = "exercise,control",
    ratio: Ratio = "1:1",
    blocks: Blocks = None,
    code: Codes = None,
    dag_factor: DagFactor = None,
    purpose: Purpose = "live",
    fmt: Format = "text",
) -> None:
    """Validate a list made elsewhere and write it in exonc's canonical layout with its checksum."""
    frame = read_table(path)
    if layout == "redcap":
        design = options.design(strata, arms, ratio, blocks, need_blocks=False)
        codes = options.checked(lambda: RedcapCodes.create(design, options.codes(code), dag_factor))
        allocation_list = from_redcap(frame, design, codes, file=str(path), purpose=purpose)
    else:
        checked = options.design(strata, arms, ratio, blocks) if strata or blocks else None
        allocation_list = parse_list(frame, design=checked, file=str(path), purpose=purpose)
    write_text(list_to_csv(allocation_list), output)
    _report_list(allocation_list, output, fmt, None)


@randomise.command("redcap")
def redcap_command(
    path: Annotated[Path, typer.Argument(help="The allocation list (exonc layout).")],
    output: Output,
    strata: Strata = None,
    arms: Arms = "exercise,control",
    ratio: Ratio = "1:1",
    code: Codes = None,
    dag_factor: DagFactor = None,
    sha256: Annotated[
        str | None, typer.Option("--sha256", help="Verify the list against this checksum first.")
    ] = None,
) -> None:
    """Write a list as a REDCap allocation table (coded values) for upload."""
    design = options.design(strata, arms, ratio, None, need_blocks=False)
    allocation_list = read_list_csv(options.read_text(path), file=str(path))
    if sha256 is not None:
        _verify(allocation_list, sha256, path)
    _check_same_design(allocation_list, design, str(path))
    codes = options.checked(lambda: RedcapCodes.create(design, options.codes(code), dag_factor))
    write_table(to_redcap(allocation_list, codes), output)
    _say(f"wrote {len(allocation_list.entries)} rows to {output}; codes:")
    for name, table in codes.codes.items():
        pairs = ", ".join(f"{c}={label}" for label, c in table.items())
        _say(f"  {codes.column(name)}: {pairs}")


@randomise.command("balance")
def balance_command(
    path: Annotated[Path, typer.Argument(help="Allocations: an arm column and one per factor.")],
    strata: Strata = None,
    arms: Arms = "exercise,control",
    ratio: Ratio = "1:1",
    arm_column: Annotated[str, typer.Option("--arm-column", help="Column of the arm.")] = "arm",
    fmt: Annotated[
        Literal["text", "csv", "json"], typer.Option("--format", help="text, csv or json.")
    ] = "text",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write.")] = None,
) -> None:
    """Balance by arm overall, per factor level and per stratum, and the CONSORT counts."""
    design = options.design(strata, arms, ratio, None, need_blocks=False)
    frame = read_table(path)
    require_columns(frame, [arm_column, *design.factor_names], file=str(path))
    _refuse_repeated_participants(frame, str(path))
    assignments = [
        Assignment({f: row[f] for f in design.factor_names}, row[arm_column])
        for row in frame.to_dict(orient="records")
    ]
    try:
        report = balance_report(design, assignments)
    except InputError as error:
        column = arm_column if error.column == "arm" else error.column
        raise RandomisationInputError(
            error.problem,
            file=str(path),
            row=error.row,
            column=column,
            value=error.value,
            hint=error.hint,
        ) from None
    counts = allocation_counts(design, assignments)
    if fmt == "json":
        write_json({"consort": counts.to_dict(), "balance": report.table}, output)
    elif fmt == "csv":
        write_table(report.table, output)
    else:
        write_text(f"{counts.render()}\n\n{report.render()}\n", output)


def _refuse_repeated_participants(frame: pd.DataFrame, file: str) -> None:
    """An allocation log counts each participant once (when it names them)."""
    who = participant_column(frame)
    found = repeated_row(frame, [who]) if who else None
    if who and found:
        raise RandomisationInputError(
            f"repeats the participant of row {found[1]}",
            file=file,
            row=found[0],
            column=who,
            value=frame[who].iloc[found[0] - 1],
            hint="each participant is allocated once: remove the copy",
        )


@randomise.command("simulate")
def simulate_command(
    strata: Strata = None,
    arms: Arms = "exercise,control",
    ratio: Ratio = "1:1",
    blocks: Blocks = None,
    method: Annotated[
        Literal["both", "blocks", "minimisation"],
        typer.Option("--method", help="Which method to simulate."),
    ] = "both",
    probability: Annotated[
        float, typer.Option("--probability", help="Minimisation: chance of the preferred arm.")
    ] = 0.8,
    weight: Annotated[
        list[str] | None, typer.Option("--weight", help="Minimisation weight, FACTOR=W.")
    ] = None,
    measure: Annotated[
        Literal["range", "variance"], typer.Option("--measure", help="Minimisation imbalance.")
    ] = "range",
    participants: Annotated[int, typer.Option("--participants", help="Per trial.")] = 357,
    trials: Annotated[int, typer.Option("--trials", help="Number of simulated trials.")] = 1000,
    prevalence: Annotated[
        list[str] | None,
        typer.Option(
            "--prevalence", help="Level shares of a factor, FACTOR=W,W,… (default equal)."
        ),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the simulation.")] = 1,
    fmt: Annotated[
        Literal["text", "csv", "json"], typer.Option("--format", help="text, csv or json.")
    ] = "text",
) -> None:
    """Balance and predictability (Blackwell–Hodges correct guesses) over simulated trials."""
    methods = ["blocks", "minimisation"] if method == "both" else [method]
    if "blocks" in methods and blocks is None:
        options.option_error(
            "--blocks", None, "simulating permuted blocks needs block sizes", "e.g. --blocks 2,4,6"
        )
    shares = {
        f: [float(v) for v in ls]
        for f, ls in options.pairs(prevalence, "--prevalence", options.numbers)
    }
    weights = {f: w for f, w in options.pairs(weight, "--weight", options.number)}
    rng = np.random.default_rng(seed)
    rows = []
    for name in methods:
        design = options.design(
            strata,
            arms,
            ratio,
            blocks if name == "blocks" else None,
            method=name,
            probability=probability,
            weights=weights,
            measure=measure,
        )
        result = options.checked(partial(simulate, design, participants, trials, rng, shares))
        rows.append(result.summary())
    table = pd.concat(rows, ignore_index=True)
    if fmt == "json":
        write_json(table)
    elif fmt == "csv":
        write_table(table, None)
    else:
        _say(table.round(4).to_string(index=False))


# ---------------------------------------------------------------- helpers


def _say(text: str) -> None:
    console.print(text, markup=False, soft_wrap=True)


def _verify(allocation_list: AllocationList, sha256: str, path: Path) -> None:
    try:
        verify_list(allocation_list, sha256)
    except ListIntegrityError as error:
        raise ListIntegrityError(f"{path}: {error}") from None


def _check_same_design(
    allocation_list: AllocationList, design: RandomisationDesign, file: str
) -> None:
    if allocation_list.factors != design.factor_names:
        raise InputError(
            f"the list's factors ({', '.join(allocation_list.factors) or 'none'}) are not "
            f"those given with --strata ({', '.join(design.factor_names) or 'none'})",
            file=file,
        )
    for number, entry in enumerate(allocation_list.entries, start=1):
        try:
            design.stratum_of(entry.levels)
        except InputError as error:
            raise InputError(
                error.problem,
                file=file,
                row=number,
                column=error.column,
                value=error.value,
                hint=f"{error.hint}, or give the levels with --strata",
            ) from None
        if entry.arm not in design.arm_names:
            raise InputError(
                "is not one of the arms given with --arms",
                file=file,
                row=number,
                column="arm",
                value=entry.arm,
            )


def _report_list(
    allocation_list: AllocationList, output: Path, fmt: str, design: RandomisationDesign | None
) -> None:
    checksum = list_checksum(allocation_list)
    summary = {
        "file": str(output),
        "purpose": allocation_list.purpose,
        "strata": len(allocation_list.strata),
        "positions": len(allocation_list.entries),
        "sha256": checksum,
        "design": jsonable(design) if design is not None else None,
    }
    if fmt == "json":
        write_json(summary)
        return
    _say(
        f"wrote the {allocation_list.purpose} list: {summary['positions']} positions in "
        f"{summary['strata']} strata to {output}\nsha256 {checksum}\n"
        "record the checksum; keep the seed and the list away from site staff"
    )
