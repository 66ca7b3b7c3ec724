"""The package re-exports every public name of its modules, and nothing else."""

from __future__ import annotations

import importlib
import pkgutil

import exonc.randomisation as package


def test_all_is_complete_and_sorted() -> None:
    public: set[str] = set()
    for module in pkgutil.iter_modules(package.__path__):
        public |= set(importlib.import_module(f"{package.__name__}.{module.name}").__all__)
    assert set(package.__all__) == public
    assert all(hasattr(package, name) for name in package.__all__)
