"""The package re-exports every public name of its modules."""

from __future__ import annotations

import importlib
import pkgutil

import exonc.exercise


def test_every_public_name_is_re_exported() -> None:
    missing = []
    for module in pkgutil.iter_modules(exonc.exercise.__path__):
        if module.name.startswith("_"):
            continue
        loaded = importlib.import_module(f"exonc.exercise.{module.name}")
        missing += [
            f"{module.name}.{name}"
            for name in getattr(loaded, "__all__", [])
            if name not in exonc.exercise.__all__
        ]
    assert missing == []
    assert all(hasattr(exonc.exercise, name) for name in exonc.exercise.__all__)
