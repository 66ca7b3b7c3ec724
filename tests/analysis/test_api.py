"""The public API of exonc.analysis is what __all__ says, and every name exists."""

from __future__ import annotations

import importlib
import pkgutil

import exonc.analysis


def test_all_names_exist() -> None:
    missing = [name for name in exonc.analysis.__all__ if not hasattr(exonc.analysis, name)]
    assert missing == []


def test_every_public_name_of_the_modules_is_exported() -> None:
    exported = set(exonc.analysis.__all__)
    internal = {"lsmeans", "likelihood", "dataset", "design", "estimation", "optimise", "inference"}
    unexported = []
    for module in pkgutil.iter_modules(exonc.analysis.__path__):
        if module.name.startswith("_") or module.name in internal:
            continue
        names = importlib.import_module(f"exonc.analysis.{module.name}").__all__
        unexported += [name for name in names if name not in exported and name.isidentifier()]
    allowed = {"ALL_VISITS", "MULTIPLICITY_METHODS", "SHIPPED_PLANS"}
    assert sorted(set(unexported) - allowed) == []
