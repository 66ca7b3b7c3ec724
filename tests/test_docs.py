"""The documentation is checked like code: generated pages are current, links resolve,
every setting is documented."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted([ROOT / "README.md", *DOCS.rglob("*.md")])


def test_cli_reference_is_generated_from_the_code() -> None:
    """docs/cli.md is what `make docs` writes; regenerate it after changing a command."""
    typer = Path(sys.executable).parent / "typer"
    generated = subprocess.run(
        [
            str(typer),
            "exonc.cli",
            "utils",
            "docs",
            "--name",
            "exonc",
            "--title",
            "exonc command line",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert generated.strip() == (DOCS / "cli.md").read_text(encoding="utf-8").strip()


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    broken = [
        target
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text)
        if not re.match(r"[a-z]+:", target) and not (page.parent / target).exists()
    ]
    assert broken == []


def test_every_setting_is_documented() -> None:
    source = (ROOT / "src/exonc/platform/settings.py").read_text(encoding="utf-8")
    documented = (DOCS / "settings.md").read_text(encoding="utf-8")
    names = set(re.findall(r'"(EXONC_[A-Z_]+)"', source))
    assert names
    assert sorted(n for n in names if f"`{n}`" not in documented) == []


def test_every_page_is_reachable_from_the_index() -> None:
    """No orphan pages: every docs page is linked from docs/index.md (or the README)."""
    linked = set()
    for page in (DOCS / "index.md", ROOT / "README.md", DOCS / "decisions" / "README.md"):
        for target in re.findall(r"\]\(([^)#\s]+)", page.read_text(encoding="utf-8")):
            linked.add((page.parent / target).resolve())
    orphans = [
        str(p.relative_to(DOCS))
        for p in DOCS.rglob("*.md")
        if p.resolve() not in linked and p.name != "index.md"
    ]
    assert sorted(orphans) == []


def _blocks(language: str) -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.DOTALL)


def test_readme_python_example_runs() -> None:
    (code,) = _blocks("python")
    namespace: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), namespace)
    assert "C30_SUMMARY" in namespace["scores"].columns  # type: ignore[attr-defined]


@pytest.mark.slow
def test_readme_analysis_example_runs(tmp_path: Path) -> None:
    """`exonc synth` then `exonc analyse plan preferable-effect`, as the README shows."""
    block = next(b for b in _blocks("sh") if "exonc analyse plan" in b)
    exonc = str(Path(sys.executable).parent / "exonc")
    for line in block.strip().splitlines():
        args = line.split()
        assert args[0] == "exonc"
        done = subprocess.run(
            [exonc, *args[1:]],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env={**os.environ, "COLUMNS": "200"},
        )
        assert done.returncode == 0, done.stderr
    assert "QLQ-C30 summary score" in done.stdout
