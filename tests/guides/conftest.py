"""Guide fixtures: the shipped library, and a copy of it to break on purpose."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from exonc.exercise import Programme, SafetyRules, default_safety_rules, load_programme
from exonc.guides import Library, default_library
from exonc.guides.library import data_folder


@pytest.fixture(scope="session")
def library() -> Library:
    return default_library()


@pytest.fixture(scope="session")
def rules() -> SafetyRules:
    return default_safety_rules()


@pytest.fixture(scope="session")
def programme() -> Programme:
    return load_programme("preferable-effect")


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped library folder."""
    target = tmp_path / "library"
    shutil.copytree(data_folder(), target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    """Replace *old* (which must occur) by *new* in *path*."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
