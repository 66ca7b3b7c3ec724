"""``exonc randomise``: allocation lists, their checksums, REDCap tables and simulations.

Offline companions to the platform's concealed allocation, for trialists who allocate
elsewhere (sealed envelopes, REDCap) or who want to compare designs before choosing one.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Annotated, Any, Literal, NoReturn, TypeVar

import numpy as np
import pandas as pd
import typer

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

T = TypeVar("T")

randomise = typer.Typer(
    name="randomise",
    help="Allocation lists, checksums, REDCap tables and design simulations.",
    no_args_is_help=True,
)

_OPTION_NAMES = {
    "ratio": "--ratio",
    "block_sizes": "--blocks",
    "factors": "--strata",
    "probability": "--probability",
    "weights": "--weight",
    "measure": "--measure",
    "method": "--method",
    "per_stratum": "--per-stratum",
    "seed": "--seed",
    "dag_factor": "--dag-factor",
    "code": "--code",
    "prevalence": "--prevalence",
    "participants": "--participants",
    "trials": "--trials",
}

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
        _option_error("--blocks", None, "permuted blocks need block sizes", "e.g. --blocks 2,4,6")
    design = _design(strata, arms, ratio, blocks)
    secret = _seed(seed, seed_file)
    allocation_list = _checked(lambda: generate_list(design, secret, per_stratum, purpose))
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
    design = _design(strata, arms, ratio, blocks) if strata or blocks else None
    allocation_list = read_list_csv(_read_text(path), design=design, file=str(path))
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
        design = _design(strata, arms, ratio, blocks, need_blocks=False)
        codes = _checked(lambda: RedcapCodes.create(design, _codes(code), dag_factor))
        allocation_list = from_redcap(frame, design, codes, file=str(path), purpose=purpose)
    else:
        checked = _design(strata, arms, ratio, blocks) if strata or blocks else None
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
    design = _design(strata, arms, ratio, None, need_blocks=False)
    allocation_list = read_list_csv(_read_text(path), file=str(path))
    if sha256 is not None:
        _verify(allocation_list, sha256, path)
    _check_same_design(allocation_list, design, str(path))
    codes = _checked(lambda: RedcapCodes.create(design, _codes(code), dag_factor))
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
    design = _design(strata, arms, ratio, None, need_blocks=False)
    frame = read_table(path)
    require_columns(frame, [arm_column, *design.factor_names], file=str(path))
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
        _option_error(
            "--blocks", None, "simulating permuted blocks needs block sizes", "e.g. --blocks 2,4,6"
        )
    shares = {f: [float(v) for v in ls] for f, ls in _pairs(prevalence, "--prevalence", _floats)}
    weights = {f: w for f, w in _pairs(weight, "--weight", _float)}
    rng = np.random.default_rng(seed)
    rows = []
    for name in methods:
        design = _design(
            strata,
            arms,
            ratio,
            blocks if name == "blocks" else None,
            method=name,
            probability=probability,
            weights=weights,
            measure=measure,
        )
        result = _checked(partial(simulate, design, participants, trials, rng, shares))
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


def _design(
    strata: Sequence[str] | None,
    arms: str,
    ratio: str,
    blocks: str | None,
    *,
    need_blocks: bool = True,
    method: str = "blocks",
    probability: float = 0.8,
    weights: dict[str, float] | None = None,
    measure: str = "range",
) -> RandomisationDesign:
    names = _split(arms, "--arms")
    shares = [_int(part, "--ratio") for part in ratio.split(":")]
    if len(shares) != len(names):
        _option_error(
            "--ratio",
            ratio,
            f"gives {len(shares)} shares for {len(names)} arms",
            f"name the arms with --arms (now {arms})",
        )
    sizes: list[int] = []
    if method == "blocks":
        if blocks is None and need_blocks:
            _option_error(
                "--blocks",
                None,
                "give the block sizes the list was made with",
                "e.g. --blocks 2,4,6",
            )
        sizes = (
            [_int(part, "--blocks") for part in _split(blocks, "--blocks")]
            if blocks
            else [sum(shares)]
        )
    factors = {name: levels for name, levels in _pairs(strata, "--strata", _split)}
    return _checked(
        lambda: RandomisationDesign.create(
            method=method,
            ratio=dict(zip(names, shares, strict=True)),
            factors=factors,
            block_sizes=sizes,
            probability=probability,
            weights=weights,
            measure=measure,
        )
    )


def _checked(make: Callable[[], T]) -> T:
    """Call *make*; turn a design error into a one-line message naming the CLI option."""
    try:
        return make()
    except RandomisationInputError as error:
        if error.file is not None or error.row is not None:
            raise
        option = _OPTION_NAMES.get(error.column or "", error.column)
        _option_error(option, error.value, error.problem, error.hint)


def _option_error(option: str | None, value: object, problem: str, hint: str | None) -> NoReturn:
    where = f"{option}: " if option else ""
    shown = f"value {value!r}: " if value is not None else ""
    raise InputError(f"{where}{shown}{problem}", hint=hint)


_PAIR_FORMS = {
    "--strata": "FACTOR=LEVEL,LEVEL,…",
    "--prevalence": "FACTOR=SHARE,SHARE,…",
    "--weight": "FACTOR=WEIGHT",
}


def _pairs(values: Sequence[str] | None, option: str, parse: Any) -> list[tuple[str, Any]]:
    pairs = []
    for value in values or []:
        name, sep, rest = value.partition("=")
        if not sep or not name or not rest:
            _option_error(option, value, f"must look like {_PAIR_FORMS[option]}", None)
        pairs.append((name, parse(rest, option)))
    return pairs


def _split(text: str, option: str) -> list[str]:
    parts = text.split(",")
    if any(not p for p in parts):
        _option_error(option, text, "has an empty item", "separate items with single commas")
    return parts


def _int(text: str, option: str) -> int:
    if not text.isdigit():
        _option_error(option, text, "must be whole numbers", None)
    return int(text)


def _float(text: str, option: str) -> float:
    try:
        return float(text)
    except ValueError:
        _option_error(option, text, "must be a number", None)


def _floats(text: str, option: str) -> list[float]:
    return [_float(part, option) for part in _split(text, option)]


def _codes(values: Sequence[str] | None) -> dict[str, dict[str, str]]:
    codes: dict[str, dict[str, str]] = {}
    for value in values or []:
        name, sep, rest = value.partition(":")
        label, eq, code = rest.rpartition("=")
        if not sep or not eq or not name or not label or not code:
            _option_error(
                "--code", value, "must look like NAME:LABEL=CODE", "e.g. --code arm:exercise=1"
            )
        codes.setdefault(name, {})[label] = code
    return codes


def _seed(seed: int | None, seed_file: Path | None) -> int:
    if (seed is None) == (seed_file is None):
        _option_error(
            "--seed",
            None,
            "give exactly one of --seed and --seed-file",
            "make a seed with `exonc randomise seed`",
        )
    if seed is not None:
        return seed
    text = _read_text(seed_file).strip() if seed_file is not None else ""
    if not text.isdigit():
        raise InputError(
            "must hold one non-negative whole number",
            file=str(seed_file),
            hint="make one with `exonc randomise seed -o FILE`",
        )
    return int(text)


def _verify(allocation_list: AllocationList, sha256: str, path: Path) -> None:
    try:
        verify_list(allocation_list, sha256)
    except ListIntegrityError as error:
        raise ListIntegrityError(f"{path}: {error}") from None


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("file not found", file=str(path), hint="check the path") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot be read ({error})", file=str(path)) from None


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
