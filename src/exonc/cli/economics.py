"""``exonc economics``: the trial-based cost-utility analysis and PSA summaries.

* ``exonc economics cea PATIENTS --arm COL --reference LEVEL --utility COL@MONTHS...
  --cost COL... [--wtp 20000,50000,80000] [--bootstrap N] [--seed S] [--format json]``
* ``exonc economics psa DRAWS --reference NAME [--wtp ...] [--format json]``

Per-WTP values in the JSON are keyed by each WTP value as written on the command line.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, cast

import numpy as np
import typer
from rich.table import Table

from exonc._data import PARTICIPANT_COLUMNS, participant_column
from exonc.cli._app import console, err_console, fail
from exonc.cli._io import read_table, write_json, write_table
from exonc.economics import (
    MIN_EQ5D5L_UTILITY,
    CeaResult,
    MissingPolicy,
    PmmImputer,
    PsaResult,
    UtilityColumn,
    analyse_cea,
    ce_plane_data,
    ceac_data,
    ceaf_data,
    evpi_data,
    patient_data_from_frame,
    psa_draws_from_frame,
    summarise_psa,
    wtp_grid,
)
from exonc.errors import EconomicsInputError, ExoncError, InputError

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_WTP = "20000,50000,80000"
DEFAULT_SEED = 0
Format = Literal["text", "json"]

economics = typer.Typer(
    name="economics",
    help="Cost-utility analysis of a trial and summaries of PSA draws.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def register(app: typer.Typer) -> None:
    app.add_typer(economics, name="economics")


@contextlib.contextmanager
def _one_line_errors(file: Path | None = None) -> Iterator[None]:
    """Turn exonc's errors into one line on stderr and exit code 2, naming *file*."""
    try:
        yield
    except InputError as error:
        fail(str(error.located(str(file)) if file else error))
    except ExoncError as error:
        fail(str(error))


def parse_wtp(values: list[str]) -> tuple[list[str], list[float]]:
    """WTP tokens as written (comma-separated, option repeatable) and their values."""
    labels = [t.strip() for v in values for t in v.split(",") if t.strip()]
    if not labels:
        raise EconomicsInputError("no willingness-to-pay values", hint="e.g. --wtp 20000,50000")
    numbers = []
    for label in labels:
        try:
            number = float(label)
        except ValueError:
            number = math.nan
        if not math.isfinite(number) or number < 0:
            raise EconomicsInputError(
                f"willingness to pay {label!r} is not a number ≥ 0", hint="e.g. --wtp 20000,50000"
            )
        numbers.append(number)
    if len(set(labels)) != len(labels):
        raise EconomicsInputError("a willingness-to-pay value is given twice")
    return labels, numbers


def parse_utilities(specs: list[str]) -> list[UtilityColumn]:
    """``COL@MONTHS`` options in the order given."""
    columns = []
    for spec in specs:
        column, at, month = spec.rpartition("@")
        try:
            value = float(month)
        except ValueError:
            value = math.nan
        if not at or not column or not math.isfinite(value):
            raise EconomicsInputError(
                f"--utility {spec!r} is not COLUMN@MONTHS", hint="e.g. --utility u_m3@3"
            )
        columns.append(UtilityColumn(column, value))
    return columns


def _id_column(table: pd.DataFrame, given: str | None) -> str:
    """``--id``, or the participant column the table has: a table without one could hold a
    patient twice unnoticed."""
    found = given or participant_column(table)
    if found is None:
        raise EconomicsInputError(
            "no column identifies the patients",
            hint=f"name it with --id (looked for {', '.join(PARTICIPANT_COLUMNS)})",
        )
    return found


@economics.command("cea")
def cea(
    patients: Annotated[Path, typer.Argument(help="CSV or Parquet, one row per patient.")],
    arm: Annotated[str, typer.Option(help="Column holding each patient's arm.")],
    reference: Annotated[str, typer.Option(help="Arm level to compare against (control).")],
    utility: Annotated[
        list[str], typer.Option(help="COL@MONTHS: utility column and its month (repeat).")
    ],
    cost: Annotated[list[str], typer.Option(help="Cost column summed into total cost (repeat).")],
    wtp: Annotated[
        list[str], typer.Option(help="Willingness to pay per QALY, comma-separated.")
    ] = [DEFAULT_WTP],  # noqa: B006 (Typer reads the default)
    bootstrap: Annotated[int, typer.Option(min=0, help="Bootstrap replicates (0: none).")] = 0,
    seed: Annotated[int, typer.Option(help="Seed of the bootstrap and imputation.")] = DEFAULT_SEED,
    bootstrap_qaly: Annotated[
        str, typer.Option(help="QALY difference bootstrapped: adjusted or unadjusted.")
    ] = "adjusted",
    death: Annotated[str | None, typer.Option(help="Column with the month of death.")] = None,
    id_column: Annotated[
        str | None,
        typer.Option(
            "--id",
            help="Column identifying each patient (default: participant_id, study_id or "
            "participant, whichever the table has).",
        ),
    ] = None,
    missing: Annotated[
        str, typer.Option(help="Missing values: error, complete-case or impute.")
    ] = "error",
    imputations: Annotated[int, typer.Option(min=1, help="Imputed data sets.")] = 20,
    min_utility: Annotated[
        float, typer.Option(help="Lowest valid utility (default: Germany's 55555).")
    ] = MIN_EQ5D5L_UTILITY,
    plane: Annotated[Path | None, typer.Option(help="Write the CE-plane points (CSV).")] = None,
    curves: Annotated[
        Path | None, typer.Option(help="Write CEAC, CEAF and EVPI over a 100-point grid (CSV).")
    ] = None,
    format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """Cost-utility analysis of a two-arm trial from patient-level data."""
    with _one_line_errors():
        fmt = _format(format)
        labels, values = parse_wtp(wtp)
        utilities = parse_utilities(utility)
        if bootstrap_qaly not in ("adjusted", "unadjusted"):
            raise EconomicsInputError(
                f"--bootstrap-qaly {bootstrap_qaly!r}", hint="choose adjusted or unadjusted"
            )
        if missing not in ("error", "complete-case", "impute"):
            raise EconomicsInputError(
                f"--missing {missing!r}", hint="choose error, complete-case or impute"
            )
    with _one_line_errors(patients):
        table = read_table(patients)
        data = patient_data_from_frame(
            table,
            arm=arm,
            utilities=utilities,
            costs=cost,
            death=death,
            id_column=_id_column(table, id_column),
            min_utility=min_utility,
            allow_missing_costs=missing != "error",
            file=str(patients),
        )
        result = analyse_cea(
            data,
            reference=reference,
            wtp=values,
            bootstrap=bootstrap,
            rng=np.random.default_rng(seed),
            missing=cast(MissingPolicy, missing),  # checked above
            imputer=PmmImputer(imputations=imputations),
            adjust_bootstrap=bootstrap_qaly == "adjusted",
        )
        _write_figures(result, values, plane, curves)
    for note in result.warnings:
        err_console.print(f"warning: {note}", markup=False)
    if fmt == "json":
        write_json(result.to_dict(labels) | ({"seed": seed} if bootstrap else {}))
    else:
        _print_cea(result, labels)


@economics.command("psa")
def psa(
    draws: Annotated[Path, typer.Argument(help="CSV with e.<strategy> and c.<strategy> columns.")],
    reference: Annotated[str, typer.Option(help="Strategy to compare against (usual care).")],
    wtp: Annotated[
        list[str], typer.Option(help="Willingness to pay per QALY, comma-separated.")
    ] = [DEFAULT_WTP],  # noqa: B006 (Typer reads the default)
    format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """BCEA-style summaries of probabilistic sensitivity analysis draws."""
    with _one_line_errors():
        fmt = _format(format)
        labels, values = parse_wtp(wtp)
    with _one_line_errors(draws):
        parsed = psa_draws_from_frame(read_table(draws), file=str(draws))
        result = summarise_psa(parsed, reference=reference, wtp=values)
    if fmt == "json":
        write_json(result.to_dict(labels))
    else:
        _print_psa(result, labels)


def _format(value: str) -> Format:
    if value not in ("text", "json"):
        raise EconomicsInputError(f"--format {value!r}", hint="choose text or json")
    return "json" if value == "json" else "text"


def _write_figures(
    result: CeaResult, wtp: list[float], plane: Path | None, curves: Path | None
) -> None:
    if (plane or curves) and result.bootstrap is None:
        raise EconomicsInputError("--plane and --curves need --bootstrap N")
    if result.bootstrap is None:
        return
    if plane:
        write_table(ce_plane_data(result.bootstrap), plane)
    if curves:
        grid = wtp_grid(max(max(wtp), 1.0) * 1.5)
        boot, names = result.bootstrap, (result.intervention, result.reference)
        frame = ceac_data(boot, grid, intervention=result.intervention).rename(
            columns={"probability": "ceac"}
        )
        frame["ceaf"] = ceaf_data(boot, grid, names=names)["probability"]
        frame["optimal"] = ceaf_data(boot, grid, names=names)["strategy"]
        frame["evpi"] = evpi_data(boot, grid)["evpi"]
        write_table(frame, curves)


def _print_cea(result: CeaResult, labels: list[str]) -> None:
    arms = Table(title=f"{result.intervention} vs {result.reference}")
    for header in ("arm", "n", "mean QALY", "mean cost"):
        arms.add_column(header, justify="right" if header != "arm" else "left")
    for level in (result.intervention, result.reference):
        arms.add_row(
            level,
            str(result.n[level]),
            f"{result.mean_qaly[level]:.4f}",
            f"{result.mean_cost[level]:,.2f}",
        )
    console.print(arms)
    frame = result.summary()
    frame.index = [_label(t, result, labels) for t in frame.index]
    console.print(frame.round(4).to_string(na_rep=""), markup=False)
    console.print(f"dominance: {result.dominance.value}", markup=False)
    if result.bootstrap is not None:
        for label, p in zip(labels, result.ceac(), strict=True):
            console.print(f"P(cost-effective at {label}) = {p:.3f}", markup=False)


def _label(term: str, result: CeaResult, labels: list[str]) -> str:
    """Show per-WTP rows with the WTP as the user wrote it."""
    keys = {f"inmb@{k:.15g}": f"inmb@{label}" for k, label in zip(result.wtp, labels, strict=True)}
    return keys.get(term, term)


def _print_psa(result: PsaResult, labels: list[str]) -> None:
    for w, label in enumerate(labels):
        table = Table(title=f"WTP {label}: best {result.best[w]}, EVPI {result.evpi[w]:,.2f}")
        for header in ("strategy", "ENB", "EIB", "ICER", "CEAC", "P(best)"):
            table.add_column(header, justify="left" if header == "strategy" else "right")
        for j, s in enumerate(result.strategies):
            other = s != result.reference
            table.add_row(
                s,
                f"{result.enb[w, j]:,.2f}",
                f"{result.eib[w, j]:,.2f}" if other else "",
                f"{result.icer[s]:,.0f}" if other else "",
                f"{result.ceac[w, j]:.3f}" if other else "",
                f"{result.prob_best[w, j]:.3f}",
            )
        console.print(table)
    for point in result.switch_points:
        console.print(
            f"switch point: {point.before} → {point.after} at {point.wtp:,.0f}", markup=False
        )


__all__ = ["cea", "economics", "parse_utilities", "parse_wtp", "psa", "register"]
