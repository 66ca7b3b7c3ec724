"""Fixtures of the analysis tests: the reference data sets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest


@pytest.fixture(scope="session")
def fev_data(reference_dir: Path) -> pd.DataFrame:
    """mmrm's ``fev_data`` (see tests/reference/mmrm/PROVENANCE.md)."""
    return pd.read_csv(reference_dir / "mmrm" / "fev_data.csv")


@pytest.fixture(scope="session")
def fev_expected(reference_dir: Path) -> dict[str, Any]:
    with (reference_dir / "mmrm" / "fev_expected.json").open(encoding="utf-8") as handle:
        expected: dict[str, Any] = json.load(handle)
    return expected


@pytest.fixture(scope="session")
def sleep() -> pd.DataFrame:
    """R's ``datasets::sleep``: extra hours of sleep of 10 patients under drugs 1 and 2
    (Cushny and Peebles 1905, via Student 1908); the 20 public values typed in."""
    extra = {
        "1": [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0],
        "2": [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4],
    }
    rows = [
        {"extra": value, "group": group, "ID": str(i + 1)}
        for group, values in extra.items()
        for i, value in enumerate(values)
    ]
    return pd.DataFrame(rows)
