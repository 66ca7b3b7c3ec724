"""The package re-exports every public name of its modules."""

from __future__ import annotations

import importlib
import pkgutil

import exonc.economics as economics


def test_all_is_complete_and_importable() -> None:
    exported = set(economics.__all__)
    for module in pkgutil.iter_modules(economics.__path__):
        if module.name.startswith("_"):
            continue
        names = set(importlib.import_module(f"exonc.economics.{module.name}").__all__)
        assert names <= exported, f"{module.name}: {sorted(names - exported)}"
    assert all(hasattr(economics, name) for name in exported)
