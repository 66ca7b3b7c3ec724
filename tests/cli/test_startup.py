"""Start-up: ``exonc --help`` imports no numerical stack and each command only its own.

Import cost is measured with ``python -X importtime`` in a fresh interpreter (issue 19,
item 3). Timings move with the machine's load, so the budget is what is imported, not how
long it took: the heavy libraries must be absent and the number of modules bounded.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer

import exonc.cli
from exonc.cli import COMMANDS, _lazy

HEAVY = ("pandas", "numpy", "scipy", "polars", "duckdb", "django", "pyarrow", "rich")
# `exonc --help` had 149 modules in sys.modules (typer and the standard library) when this
# budget was set; the margin allows a new small dependency, not a numerical one.
MODULE_BUDGET = 200
HELP = (
    "import exonc.cli",
    "try:",
    "    exonc.cli.app(['--help'], prog_name='exonc', standalone_mode=False)",
    "except SystemExit:",
    "    pass",
)


def _run(*code: str) -> tuple[list[str], dict[str, int]]:
    """Run *code* in a fresh interpreter under ``-X importtime``: the modules loaded at the
    end (``importlib.import_module`` is not logged by importtime, hence ``sys.modules``)
    and the cumulative import time (µs) of each module importtime logged."""
    done = subprocess.run(
        [
            sys.executable, "-X", "importtime", "-c",
            "\n".join([*code, "import json, sys", "print(json.dumps(sorted(sys.modules)))"]),
        ],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    cumulative = {
        fields[2].strip(): int(fields[1])
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and (fields := line[12:].split("|"))[1].strip().isdigit()
    }
    return json.loads(done.stdout.splitlines()[-1]), cumulative


def _heavy(modules: list[str], heavy: tuple[str, ...] = HEAVY) -> list[str]:
    return sorted({name for name in modules if name.split(".")[0] in heavy})


def test_help_imports_no_numerical_stack() -> None:
    modules, cumulative = _run(*HELP)
    assert _heavy(modules) == []
    assert [m for m in modules if m.startswith("exonc.")] == [
        "exonc.cli", "exonc.cli._app", "exonc.cli._lazy", "exonc.errors"]  # fmt: skip
    assert len(modules) <= MODULE_BUDGET, len(modules)
    # Importing exonc.cli costs typer plus little: measured in the same process, so the
    # machine's load scales both (pandas alone would make it twenty times typer's).
    assert cumulative["exonc.cli"] <= 4 * cumulative["typer"], cumulative


def test_import_exonc_is_light() -> None:
    modules, _ = _run("import exonc", "exonc.errors.InputError")
    assert _heavy(modules) == []


def test_a_command_imports_its_own_area_only() -> None:
    modules, _ = _run(*[line.replace("'--help'", "'analyse', 'mmrm', '--help'") for line in HELP])
    assert "exonc.cli.analysis" in modules
    assert _heavy(modules, tuple(set(HEAVY) - {"rich"})) == []  # rich prints its tables
    areas = {m for m in modules if m.startswith("exonc.cli.")}
    assert areas == {"exonc.cli._app", "exonc.cli._lazy", "exonc.cli._groups", "exonc.cli.analysis"}


@pytest.mark.slow
def test_mmrm_loads_no_tracker_database_or_synthetic_code(reference_dir: Path) -> None:
    """A cold ``exonc analyse mmrm`` imports pandas and scipy's linear algebra, not polars,
    DuckDB, Django, scipy.stats or the synthetic generator."""
    fev = reference_dir / "mmrm" / "fev_data.csv"
    args = [
        "analyse", "mmrm", str(fev), "--subject", "USUBJID", "--visit", "AVISIT",
        "--arm", "ARMCD", "--outcome", "FEV1", "--reference", "PBO", "--format", "json",
    ]  # fmt: skip
    modules, _ = _run(
        "import sys, exonc.cli",
        f"sys.argv = ['exonc', *{args!r}]",
        "try:",
        "    exonc.cli.main()",
        "except SystemExit as stop:",
        "    assert stop.code == 0, stop.code",
    )
    assert "pandas" in modules
    assert _heavy(modules, ("polars", "duckdb", "django")) == []
    assert "scipy.stats" not in modules
    assert "exonc.synthetic" not in modules


def test_the_table_agrees_with_the_commands() -> None:
    """Each line of COMMANDS names a command its modules register, with the same help, in
    the order ``exonc --help`` lists them."""
    names = [entry.name for entry in COMMANDS]
    assert len(names) == len(set(names))
    root = typer.main.get_command(exonc.cli.app)
    assert isinstance(root, typer.core.TyperGroup)
    ctx = typer.Context(root)
    assert root.list_commands(ctx) == names
    for entry in COMMANDS:
        command = root.get_command(ctx, entry.name)
        assert command is not None, entry.name
        assert command.name == entry.name
        assert command.help is not None
        assert command.help.split("\n\n")[0] == entry.help, entry.name


def test_lazy_listing_equals_the_loaded_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """``exonc --help`` from the table prints what the loaded commands would print."""
    root = typer.main.get_command(exonc.cli.app)
    ctx = typer.Context(root, info_name="exonc", terminal_width=80, max_content_width=80)
    with monkeypatch.context() as fresh:
        fresh.setattr(_lazy, "REGISTRY", _lazy._Registry())  # nothing loaded yet
        lazy = root.get_help(ctx)
        assert not _lazy.REGISTRY._loaded
    for entry in COMMANDS:
        _lazy.REGISTRY.load(entry)
    assert root.get_help(ctx) == lazy
    assert all(f"\n  {entry.name} " in lazy for entry in COMMANDS)
