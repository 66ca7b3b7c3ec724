"""The simulation figures in ``docs/concepts/randomisation.md`` are the commands' output.

The page lists ``exonc randomise simulate`` commands between ``<!-- figures:commands -->``
markers and their results as a table between ``<!-- figures:table -->`` markers. The slow
test reruns the commands and compares. To refresh the table after a change, run::

    .venv/bin/python -m tests.randomisation.test_docs
"""

from __future__ import annotations

import json
import re
import shlex
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exonc.cli import app

PAGE = Path(__file__).resolve().parents[2] / "docs" / "concepts" / "randomisation.md"
_BLOCK = r"<!-- figures:{name} -->\n(.*?)<!-- /figures:{name} -->"
HEADER = (
    "| method | correct guesses (SE) | excess over chance | worst within-stratum imbalance "
    "| largest margin imbalance: mean / 95th pct / max | overall imbalance: mean / max |\n"
    "| --- | --- | --- | --- | --- | --- |\n"
)


def _section(text: str, name: str) -> str:
    match = re.search(_BLOCK.format(name=name), text, re.DOTALL)
    if match is None:
        raise AssertionError(f"{PAGE} has no figures:{name} section")
    return match.group(1)


def commands(text: str) -> list[list[str]]:
    """The documented commands, one per line of the fenced block (without ``exonc``)."""
    body = _section(text, "commands")
    lines = [line for line in body.splitlines() if line.startswith("exonc ")]
    return [shlex.split(line)[1:] for line in lines]


def _run(args: list[str]) -> list[dict[str, object]]:
    result = CliRunner().invoke(app, [*args, "--format", "json"])
    if result.exit_code != 0:
        raise AssertionError(f"exonc {shlex.join(args)} failed: {result.output}")
    rows: list[dict[str, object]] = json.loads(result.stdout)
    return rows


def _label(args: list[str], row: dict[str, object]) -> str:
    if row["method"] == "blocks":
        return f"permuted blocks {args[args.index('--blocks') + 1]}"
    p = args[args.index("--probability") + 1] if "--probability" in args else "0.8"
    return f"minimisation, p = {p}"


def render_table(text: str) -> str:
    lines = []
    for args in commands(text):
        for row in _run(args):
            lines.append(
                f"| {_label(args, row)} | {row['correct_guess']:.3f} ({row['se']:.4f}) "
                f"| {row['excess']:.3f} | {row['max_stratum_imbalance']:g} "
                f"| {row['mean_margin_imbalance']:.2f} / {row['p95_margin_imbalance']:g} "
                f"/ {row['max_margin_imbalance']:g} "
                f"| {row['mean_overall_imbalance']:.2f} / {row['max_overall_imbalance']:g} |"
            )
    return HEADER + "\n".join(lines) + "\n"


def test_page_lists_the_commands() -> None:
    assert len(commands(PAGE.read_text(encoding="utf-8"))) >= 2


@pytest.mark.slow
def test_figures_on_the_page_are_the_commands_output() -> None:
    text = PAGE.read_text(encoding="utf-8")
    assert _section(text, "table") == render_table(text)


def update() -> None:
    text = PAGE.read_text(encoding="utf-8")
    table = render_table(text)
    updated = re.sub(
        _BLOCK.format(name="table"),
        lambda _: f"<!-- figures:table -->\n{table}<!-- /figures:table -->",
        text,
        flags=re.DOTALL,
    )
    PAGE.write_text(updated, encoding="utf-8")
    sys.stdout.write(table)


if __name__ == "__main__":
    update()
