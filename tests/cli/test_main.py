"""The console script's exit codes: 0 done, 2 bad input or usage, 3 not converged, 130 aborted."""

from __future__ import annotations

import pytest
import typer

import exonc.cli
from exonc.errors import InputError


def _run(monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> int:
    toy = typer.Typer()

    @toy.command()
    def ok() -> None:
        """Succeed."""

    @toy.command()
    def stop() -> None:
        raise typer.Exit(3)

    @toy.command()
    def bad() -> None:
        raise InputError("is broken", file="a.csv", row=2, column="q1", value="x")

    monkeypatch.setattr(exonc.cli, "app", toy)
    monkeypatch.setattr("sys.argv", ["exonc", *argv])
    with pytest.raises(SystemExit) as exited:
        exonc.cli.main()
    return int(exited.value.code or 0)


@pytest.mark.parametrize(
    ("argv", "code"), [(["ok"], 0), (["stop"], 3), (["bad"], 2), (["nonsense"], 2)]
)
def test_exit_codes(monkeypatch: pytest.MonkeyPatch, argv: list[str], code: int) -> None:
    assert _run(monkeypatch, argv) == code


def test_input_errors_print_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(monkeypatch, ["bad"])
    err = capsys.readouterr().err
    assert err == "error: a.csv, row 2, column q1: value 'x': is broken\n"
