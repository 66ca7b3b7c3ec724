"""``exonc power mmrm``: simulation-based power and sample size of an MMRM trial.

    exonc power mmrm DESIGN.toml|preferable-effect [--n-per-arm N | --target-power P]
                     --sims 1000 --seed 1 [--scheduler local|serial|tcp://host:8786]
                     [--format table|json]
    exonc power mmrm --visits 3 --sd 10 --structure cs --correlation 0.6
                     --effect 2,3,4 --dropout 0.1,0.15,0.2 --n-per-arm 100

Everything is checked before anything runs — the design, the sample size and the
scheduler (an address that cannot be reached stops with exit code 2). A progress bar
runs on stderr. The answer for a seed is the same on any scheduler
(``docs/methods/power.md``, ``docs/operations/cluster.md``).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from exonc.cli import _io
from exonc.cli._app import console, err_console
from exonc.errors import DesignInputError

if TYPE_CHECKING:  # the numerical stack loads only when a calculation runs
    from exonc.design import DesignFile, TrialDesign
    from exonc.design.power import PowerResult, Runner
    from exonc.design.sample_size import SampleSizeResult

__all__ = ["register"]

power = typer.Typer(
    help="Power and sample size of the next trial, by simulation.", no_args_is_help=True
)


class Format(enum.StrEnum):
    table = "table"
    json = "json"


class Structure(enum.StrEnum):
    us = "us"
    cs = "cs"
    ar1 = "ar1"


class DegreesOfFreedom(enum.StrEnum):
    kenward_roger = "kenward-roger"
    kenward_roger_linear = "kenward-roger-linear"
    satterthwaite = "satterthwaite"


def register(app: typer.Typer) -> None:
    app.add_typer(power, name="power")


@power.command("mmrm")
def mmrm_command(
    design_file: Annotated[
        str | None,
        typer.Argument(
            metavar="[DESIGN]",
            help="A design TOML file, or a shipped design (preferable-effect). "
            "Leave out to describe a design with --visits, --sd, --effect ...",
        ),
    ] = None,
    n_per_arm: Annotated[
        int | None, typer.Option("--n-per-arm", help="Participants in the control arm.")
    ] = None,
    target_power: Annotated[
        float | None,
        typer.Option("--target-power", help="Find the smallest n per arm reaching this power."),
    ] = None,
    sims: Annotated[int, typer.Option(help="Simulated trials per sample size.")] = 1000,
    seed: Annotated[int, typer.Option(help="Seed: the same seed gives the same answer.")] = 1,
    scheduler: Annotated[
        str,
        typer.Option(
            help="'local' (a Dask LocalCluster, one worker per CPU), 'serial' (this "
            "process, no Dask) or the address of a Dask scheduler (tcp://host:8786)."
        ),
    ] = "local",
    workers: Annotated[
        int | None, typer.Option(help="Workers of the local cluster (default: CPUs).")
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(help="Stop a Dask run that has not finished after this many seconds."),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here.")] = None,
    visits: Annotated[int | None, typer.Option(help="Quick design: number of visits.")] = None,
    sd: Annotated[str | None, typer.Option(help="Quick design: SD, or one per visit.")] = None,
    structure: Annotated[
        Structure, typer.Option(help="Quick design: correlation structure.")
    ] = Structure.cs,
    correlation: Annotated[
        float, typer.Option(help="Quick design: correlation between visits.")
    ] = 0.5,
    effect: Annotated[
        str | None,
        typer.Option(help="Quick design: treatment minus control at each visit, E1,...,EK."),
    ] = None,
    contrast_visit: Annotated[
        int | None, typer.Option(help="Quick design: visit number of the contrast (last).")
    ] = None,
    dropout: Annotated[
        str | None,
        typer.Option(help="Quick design: cumulative share missing at each visit, D1,...,DK."),
    ] = None,
    allocation: Annotated[str, typer.Option(help="Quick design: control:treatment.")] = "1:1",
    alpha: Annotated[float, typer.Option(help="Quick design: two-sided alpha.")] = 0.05,
    df: Annotated[
        DegreesOfFreedom, typer.Option(help="Quick design: degrees-of-freedom method.")
    ] = DegreesOfFreedom.kenward_roger,
) -> None:
    """Power of an MMRM trial at a sample size, or the sample size for a target power."""
    quick = {
        "visits": visits,
        "sd": sd,
        "effect": effect,
        "dropout": dropout,
        "contrast_visit": contrast_visit,
    }
    if design_file is None:
        found = _quick_design(
            visits, sd, structure.value, correlation, effect, contrast_visit, dropout, allocation
        )
        found.design = _with(found.design, alpha=alpha, df=df.value)
    else:
        given = [f"--{k.replace('_', '-')}" for k, v in quick.items() if v is not None]
        if given:
            raise DesignInputError(
                f"{given[0]} describes a quick design, but a design file was given",
                hint="leave out DESIGN or the quick-design options",
            )
        found = _load(design_file)
    n = _sample_size_request(found, n_per_arm, target_power, sims)
    total = sims if n is not None else None  # a search's length is not known in advance
    with _scheduler(scheduler, workers, timeout) as runner, _progress(total) as advance:
        result = _calculate(found.design, n, target_power, sims, seed, runner, advance)
    _show(result, fmt, output)


def _load(name: str) -> DesignFile:
    from exonc.design import SHIPPED_DESIGNS, read_design, shipped_design

    if name in SHIPPED_DESIGNS and not Path(name).exists():
        return shipped_design(name)
    return read_design(Path(name))


def _numbers(text: str | None, option: str) -> list[float]:
    if text is None:
        raise DesignInputError(f"{option} is needed for a design without a file")
    try:
        return [float(part) for part in text.split(",")]
    except ValueError:
        raise DesignInputError(
            "must be numbers separated by commas", key=option, value=text, hint="e.g. 2,3,4"
        ) from None


def _quick_design(
    visits: int | None,
    sd: str | None,
    structure: str,
    correlation: float,
    effect: str | None,
    contrast_visit: int | None,
    dropout: str | None,
    allocation: str,
) -> DesignFile:
    from exonc.design import (
        DesignFile,
        OutcomeDesign,
        TrialDesign,
        covariance_matrix,
        parse_allocation,
    )

    if visits is None or visits < 1:
        raise DesignInputError("--visits (1 or more) is needed for a design without a file")
    labels = tuple(f"visit{k}" for k in range(1, visits + 1))
    effects = _numbers(effect, "--effect")
    if len(effects) != visits:
        raise DesignInputError(
            f"has {len(effects)} values for {visits} visits",
            key="--effect",
            value=effect,
            hint="give one effect (treatment minus control) per visit",
        )
    sds = _numbers(sd, "--sd")
    covariance = covariance_matrix(structure, sds[0] if len(sds) == 1 else sds, correlation, visits)
    chosen = _contrast_label(contrast_visit, labels)
    design = TrialDesign(
        visits=labels,
        outcomes=(OutcomeDesign("outcome", tuple(effects), covariance),),
        allocation=parse_allocation(allocation),
        contrast_visit=chosen,
        dropout=tuple(_numbers(dropout, "--dropout")) if dropout else (),
        structure="us",
        name="command-line design",
    )
    return DesignFile(design, None)


def _contrast_label(number: int | None, labels: tuple[str, ...]) -> str:
    if number is None:
        return labels[-1]
    if not 1 <= number <= len(labels):
        raise DesignInputError(
            f"must be a visit number from 1 to {len(labels)}", key="--contrast-visit", value=number
        )
    return labels[number - 1]


def _with(design: TrialDesign, **changes: Any) -> TrialDesign:
    import dataclasses

    return dataclasses.replace(design, **changes)


def _sample_size_request(
    found: DesignFile, n_per_arm: int | None, target: float | None, sims: int
) -> int | None:
    if sims < 1:
        raise DesignInputError("must be at least 1", key="--sims", value=sims)
    if n_per_arm is not None and target is not None:
        raise DesignInputError(
            "give --n-per-arm or --target-power, not both",
            hint="--n-per-arm gives the power, --target-power the sample size",
        )
    if target is not None:
        if not 0 < target < 1:
            raise DesignInputError("must lie between 0 and 1", key="--target-power", value=target)
        return None
    chosen = n_per_arm if n_per_arm is not None else found.n_per_arm
    if chosen is None:
        raise DesignInputError(
            "give --n-per-arm (or --target-power)", hint="the design names no n_per_arm"
        )
    found.design.arm_sizes(chosen)
    return chosen


@contextmanager
def _scheduler(address: str, workers: int | None, timeout: float | None) -> Iterator[Runner]:
    from exonc.design import local_runner

    if address == "serial":
        yield local_runner
        return
    if workers is not None and workers < 1:
        raise DesignInputError("must be at least 1", key="--workers", value=workers)
    from exonc.design._dask import connect, dask_runner

    with connect(address, workers=workers) as client:
        yield dask_runner(client, timeout=timeout)


def _progress(total: int | None) -> AbstractContextManager[Callable[[int], None]]:
    screen = Console(stderr=True, highlight=False)  # one console for the live display
    if not screen.is_terminal:
        return nullcontext(lambda _: None)
    return _bar(screen, total)


@contextmanager
def _bar(screen: Console, total: int | None) -> Iterator[Callable[[int], None]]:
    columns = (
        TextColumn("simulating"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=screen, transient=True) as bar:
        task = bar.add_task("simulating", total=total)
        yield lambda done: bar.advance(task, done)


def _calculate(
    design: TrialDesign,
    n_per_arm: int | None,
    target: float | None,
    sims: int,
    seed: int,
    runner: Runner,
    advance: Callable[[int], None],
) -> PowerResult | SampleSizeResult:
    from exonc.design import sample_size, simulate_power

    if n_per_arm is not None:
        return simulate_power(
            design, n_per_arm, sims=sims, seed=seed, runner=runner, progress=advance
        )
    if target is None:
        raise DesignInputError("give --n-per-arm or --target-power")
    return sample_size(design, target, sims=sims, seed=seed, runner=runner, progress=advance)


def _show(result: PowerResult | SampleSizeResult, fmt: Format, output: Path | None) -> None:
    if fmt is Format.json:
        _io.write_json(result.to_dict(), output)
        return
    data = result.to_dict()
    table = Table(title=f"MMRM power: {data['design']['name']}")
    for column in ("outcome", "power", "mc_se", "analytical", "mean_estimate", "effect"):
        table.add_column(column, justify="left" if column == "outcome" else "right")
    for row in data["outcomes"]:
        table.add_row(
            *(
                _cell(row.get(c))
                for c in ("outcome", "power", "mc_se", "analytical", "mean_estimate", "effect")
            )
        )
    console.print(table)
    sizes = " + ".join(str(s) for s in data["arm_sizes"])
    console.print(
        f"n per arm {data['n_per_arm']} ({sizes}): power {data['power']:.3f} "
        f"(MC SE {data['mc_se']:.3f}) from {data['sims']} simulations, seed {data['seed']}, "
        f"{data['failed']} failed fits"
    )
    if "search" in data:
        tried = ", ".join(f"{r['n_per_arm']}: {r['power']:.3f}" for r in data["search"])
        console.print(f"target {data['target_power']}; tried {tried}")
    for warning in data["warnings"]:
        err_console.print(f"warning: {warning}", markup=False)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)
