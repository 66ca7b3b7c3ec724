"""The boundaries of ``docs/architecture.md``, checked on the source tree."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import exonc

SRC = Path(exonc.__file__).parent
DOMAIN = list(exonc.PACKAGES)  # the domain packages (tests/test_init.py: all of them)
FORBIDDEN = ("django", "ninja", "simple_history", "exonc.platform", "exonc.cli")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


@pytest.mark.parametrize("package", DOMAIN)
def test_domain_package_never_imports_platform_or_django(package: str) -> None:
    offenders = [
        f"{path.relative_to(SRC)} imports {name}"
        for path in sorted((SRC / package).rglob("*.py"))
        for name in _imports(path)
        if name.split(".")[0] in FORBIDDEN or name.startswith(FORBIDDEN)
    ]
    assert offenders == []


@pytest.mark.parametrize("package", DOMAIN)
def test_domain_package_never_reads_the_environment(package: str) -> None:
    offenders = [
        str(path.relative_to(SRC))
        for path in sorted((SRC / package).rglob("*.py"))
        if "os.environ" in path.read_text(encoding="utf-8")
        or "getenv(" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
