"""The top-level package: what its docstring promises is in ``__all__`` and resolves, and
importing it stays light (the command line imports it on every start)."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

import exonc
import exonc.errors

SOURCE = Path(exonc.__file__).parent


def _promised() -> set[str]:
    """Every ``name`` in double backquotes in the docstring, but the module paths."""
    names = set(re.findall(r"``([A-Za-z_][\w]*)``", exonc.__doc__ or ""))
    return names - {"exonc", "__all__"}


def test_all_is_exactly_what_the_docstring_promises() -> None:
    errors = set(exonc.errors.__all__)
    assert set(exonc.__all__) - {"__version__"} == _promised() | errors
    assert len(exonc.__all__) == len(set(exonc.__all__))


def test_every_domain_package_is_exported() -> None:
    packages = {
        p.name
        for p in SOURCE.iterdir()
        if (p / "__init__.py").exists() and not p.name.startswith("_")
    }
    assert packages - {"cli", "platform"} == set(exonc.PACKAGES)


@pytest.mark.parametrize("name", exonc.__all__)
def test_every_exported_name_is_its_home_object(name: str) -> None:
    value = getattr(exonc, name)
    if name in exonc.PACKAGES:
        assert value is importlib.import_module(f"exonc.{name}")
    elif name != "__version__":
        home = importlib.import_module(f"exonc.{exonc._HOME[name]}")
        assert name in home.__all__
        assert value is getattr(home, name)


def test_unknown_names_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'fit_mmmr'"):
        exonc.fit_mmmr  # noqa: B018


def test_importing_exonc_loads_no_numerical_stack() -> None:
    code = "import sys, exonc; print(sorted({'numpy', 'pandas', 'django'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
