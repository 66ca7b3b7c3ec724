"""``exonc analyse``: the MMRM on any tidy table, and analysis plans on a trial's tables.

File in, results out. Bad input stops with one line (exit 2); a model that does not
converge still prints its results, says so on stderr and exits with code 3.
"""

from __future__ import annotations

import enum
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.table import Table

from exonc.cli._app import EXIT_NOT_CONVERGED, console, err_console
from exonc.errors import ConvergenceWarning, InputError

if TYPE_CHECKING:  # the numerical stack loads only when an analysis runs
    import pandas as pd

    from exonc.analysis import MMRMResult
    from exonc.analysis.plan import AnalysisPlan
    from exonc.analysis.runner import PlanResult

__all__ = ["register"]

analyse = typer.Typer(
    help="Statistical analyses: MMRM on a tidy table, or a whole analysis plan.",
    no_args_is_help=True,
)

T = TypeVar("T")


class Covariance(enum.StrEnum):
    us = "us"
    cs = "cs"
    csh = "csh"
    ar1 = "ar1"
    ar1h = "ar1h"
    toep = "toep"
    toeph = "toeph"
    ad = "ad"
    adh = "adh"


class DegreesOfFreedom(enum.StrEnum):
    satterthwaite = "satterthwaite"
    kenward_roger = "kenward-roger"
    kenward_roger_linear = "kenward-roger-linear"


class Format(enum.StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class PlanFormat(enum.StrEnum):
    table = "table"
    json = "json"


def register(app: typer.Typer) -> None:
    app.add_typer(analyse, name="analyse")


@contextmanager
def _located(file: Path) -> Iterator[None]:
    """Name *file* in input errors raised inside."""
    try:
        yield
    except InputError as error:
        raise error.located(str(file)) from error


def _quietly(fit: Callable[[], T]) -> T:
    """Run *fit* with convergence warnings kept on the result instead of printed."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return fit()


def typed_covariates(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Numeric columns where every non-empty value parses as a number; text otherwise."""
    import pandas as pd

    typed = frame.copy()
    for column in columns:
        if column not in typed.columns:
            continue
        numbers = pd.to_numeric(typed[column], errors="coerce")
        if numbers.notna().sum() == typed[column].notna().sum():
            typed[column] = numbers.astype(float)
    return typed


@analyse.command("mmrm")
def mmrm_command(
    data: Annotated[
        Path,
        typer.Argument(metavar="DATA", help="Long table (CSV or Parquet), one row per visit."),
    ],
    subject: Annotated[str, typer.Option("--subject", help="Subject identifier column.")],
    visit: Annotated[str, typer.Option("--visit", help="Visit column.")],
    arm: Annotated[str, typer.Option("--arm", help="Treatment arm column.")],
    outcome: Annotated[str, typer.Option("--outcome", help="Outcome column (numbers).")],
    reference: Annotated[str, typer.Option("--reference", help="Reference (control) arm.")],
    covariate: Annotated[
        list[str] | None,
        typer.Option("--covariate", help="Covariate column (main effect); repeat for more."),
    ] = None,
    covariance: Annotated[
        Covariance, typer.Option("--covariance", help="Within-subject covariance structure.")
    ] = Covariance.us,
    df: Annotated[
        DegreesOfFreedom, typer.Option("--df", help="Degrees of freedom method.")
    ] = DegreesOfFreedom.kenward_roger,
    visit_order: Annotated[
        str | None,
        typer.Option(
            "--visit-order",
            help="Visits in order, comma-separated (default: the protocol's order with "
            "--protocol, else the natural order of the labels: M1, M3, M6, M12).",
        ),
    ] = None,
    protocol: Annotated[
        Path | None,
        typer.Option("--protocol", help="Order the visits as this protocol file lists them."),
    ] = None,
    alpha: Annotated[float, typer.Option("--alpha", help="1 - confidence level.")] = 0.05,
    output_format: Annotated[
        Format, typer.Option("--format", help="Output format.")
    ] = Format.table,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Fit an MMRM (outcome ~ arm * visit + covariates) and report treatment contrasts."""
    from exonc.analysis import fit_mmrm
    from exonc.cli._io import read_table

    covariates = list(covariate or [])
    with _located(data):
        frame = typed_covariates(read_table(data), covariates)
    order = _visit_order(frame, visit, visit_order, protocol)
    with _located(data):
        result = _quietly(
            lambda: fit_mmrm(
                frame,
                subject=subject,
                visit=visit,
                arm=arm,
                outcome=outcome,
                reference=reference,
                covariates=covariates,
                covariance=covariance.value,
                df=df.value,
                visit_order=order,
                alpha=alpha,
            )
        )
    _emit(result, output_format, output)
    _report_problems(result.warnings, converged=result.converged)


def _visit_order(
    frame: pd.DataFrame, visit: str, given: str | None, protocol: Path | None
) -> list[str] | None:
    """``--visit-order``, or the protocol's visits present in *frame* (None: natural order)."""
    if given and protocol:
        raise InputError(
            "--visit-order and --protocol both order the visits", hint="give only one of them"
        )
    if given:
        return [v.strip() for v in given.split(",") if v.strip()]
    if protocol is None:
        return None
    from exonc.protocol import load_protocol

    codes = [v.code for v in load_protocol(protocol).visits]
    present = set(frame[visit].dropna().astype(str)) if visit in frame.columns else set()
    if not present & set(codes):
        raise InputError(
            f"no value of column {visit} is a visit of the protocol",
            file=str(protocol),
            hint=f"the protocol's visits are {', '.join(codes)}",
        )
    return [code for code in codes if code in present]


def _emit(result: MMRMResult, output_format: Format, output: Path | None) -> None:
    from exonc._csv import frame_text
    from exonc.cli._io import write_json, write_text

    if output_format is Format.json:
        write_json(result.to_dict(), output)
    elif output_format is Format.csv:
        write_text(frame_text(result.summary()), output)
    elif output is not None:
        write_text(f"Visits: {result.visit_order}\n{result.render('text')}\n", output)
    else:
        _print_tables(result)


def _print_tables(result: MMRMResult) -> None:
    console.print(
        f"MMRM {result.formula}, {result.covariance_type} covariance, {result.df_method} df; "
        f"{result.n_subjects} subjects, {result.n_observations} observations; "
        f"log-likelihood {result.log_likelihood:.4f}; "
        f"{'converged' if result.converged else 'NOT CONVERGED'}"
    )
    console.print(f"Visits: {result.visit_order}", markup=False)
    contrasts = result.summary().drop(columns="reference")
    console.print(_rich(contrasts, f"Treatment contrasts ({result.arm} minus {result.reference})"))
    console.print(_rich(result.lsmeans, "LS means"))


def _rich(frame: pd.DataFrame, title: str) -> Table:
    table = Table(title=title, title_justify="left")
    for column in frame.columns:
        table.add_column(
            str(column), justify="right" if frame[column].dtype.kind == "f" else "left"
        )
    for row in frame.itertuples(index=False):
        table.add_row(*(_cell(value) for value in row))
    return table


def _cell(value: object) -> str:
    if isinstance(value, float):
        return (
            "" if value != value else (f"{value:.2e}" if 0 < abs(value) < 1e-4 else f"{value:.4f}")
        )
    return str(value)


def _report_problems(problems: Sequence[str], *, converged: bool) -> None:
    for problem in problems:
        err_console.print(f"warning: {problem}", markup=False)
    if not converged:
        # SystemExit, not typer.Exit: main() runs the app with standalone_mode=False, where
        # click turns typer.Exit into a return value and the exit code would be lost
        sys.exit(EXIT_NOT_CONVERGED)


@analyse.command("plan")
def plan_command(
    plan: Annotated[
        str,
        typer.Argument(metavar="PLAN", help="A shipped plan (preferable-effect) or a TOML file."),
    ],
    data_dir: Annotated[
        Path,
        typer.Argument(
            metavar="DATA_DIR", help="Folder with the participants and questionnaire tables."
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write effects, subgroups, sensitivity (CSV) and JSON here."),
    ] = None,
    output_format: Annotated[
        PlanFormat, typer.Option("--format", help="What to print: table or json.")
    ] = PlanFormat.table,
) -> None:
    """Run an analysis plan on a trial's tidy tables (as ``exonc synth`` writes them)."""
    import numpy as np

    from exonc.analysis.runner import run_plan

    analysis_plan = _load_plan(plan)
    participants = _read(data_dir / analysis_plan.participants_table)
    scores = {
        instrument: _scored(instrument, data_dir / name, analysis_plan)
        for instrument, name in analysis_plan.instrument_tables.items()
    }
    with _located(data_dir):
        result = _quietly(
            lambda: run_plan(
                analysis_plan, participants, scores, rng=np.random.default_rng(analysis_plan.seed)
            )
        )
    if out is not None:
        _write_plan_outputs(result, out)
    if output_format is PlanFormat.json:
        from exonc.cli._io import write_json

        write_json(result.to_dict())
    else:
        console.print(_plan_table(result))
        visits = " < ".join(analysis_plan.visits)
        console.print(f"Visits: {visits} (order of the analysis plan)", markup=False)
    _report_problems(result.warnings, converged=result.converged)


def _plan_table(result: PlanResult) -> Table:
    """Effects at the primary visit: estimate, 95% CI, p, adjusted p, effect size."""
    plan = result.plan
    level = f"{100 * (1 - plan.alpha):g}% CI"
    table = Table(
        title=f"{plan.title}: treatment minus {plan.reference} at {plan.primary_visit}"
        " (* co-primary)",
        title_justify="left",
    )
    for name in ("outcome", "estimate", level, "p", f"p ({plan.multiplicity})", "ES"):
        table.add_column(name, justify="left" if name == "outcome" else "right")
    for row in result.summary().itertuples(index=False):
        interval = f"{row.ci_lower:.1f} to {row.ci_upper:.1f}"
        table.add_row(
            f"{row.label}{' *' if row.role == 'primary' else ''}",
            f"{row.estimate:.1f}",
            interval,
            _cell(row.p),
            _cell(row.p_adjusted),
            f"{row.effect_size:.2f}",
        )
    return table


def _load_plan(source: str) -> AnalysisPlan:
    from exonc.analysis.plan import SHIPPED_PLANS, parse_plan, shipped_plan

    if source in SHIPPED_PLANS:
        return shipped_plan(source)
    path = Path(source)
    if not path.is_file():
        raise InputError(
            "no such plan",
            file=source,
            hint=f"name a shipped plan ({', '.join(SHIPPED_PLANS)}) or the path of a TOML file",
        )
    return parse_plan(path.read_text(encoding="utf-8"), source=str(path))


def _read(path: Path) -> pd.DataFrame:
    from exonc.cli._io import read_table

    return read_table(path, allow_empty=True)  # a trial may have no withdrawals yet


def _scored(instrument: str, path: Path, plan: AnalysisPlan) -> pd.DataFrame:
    """The instrument's table with its scale columns, scoring the item answers if needed."""
    from exonc.questionnaires import score

    frame = _read(path)
    scales = [o.scale for o in plan.outcomes if o.instrument == instrument]
    if all(scale in frame.columns for scale in scales):
        return frame
    with _located(path):
        scored: pd.DataFrame = score(instrument, frame)
    return scored


def _write_plan_outputs(result: PlanResult, out: Path) -> None:
    from exonc.cli._io import write_json, write_table

    for name in ("effects", "subgroups", "interactions", "sensitivity"):
        write_table(getattr(result, name), out / f"{name}.csv")
    write_json(result.to_dict(), out / "results.json")
