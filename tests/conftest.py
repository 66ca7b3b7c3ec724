"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REFERENCE = Path(__file__).parent / "reference"


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """``tests/reference``: inputs, expected outputs and their provenance."""
    return REFERENCE


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    postgres = bool(os.environ.get("EXONC_TEST_DATABASE_URL"))
    chromium = shutil.which("chromium") is not None
    for item in items:
        if "postgres" in item.keywords and not postgres:
            item.add_marker(pytest.mark.skip(reason="set EXONC_TEST_DATABASE_URL to run"))
        if "browser" in item.keywords and not chromium:
            item.add_marker(pytest.mark.skip(reason="Debian's chromium is not installed"))
