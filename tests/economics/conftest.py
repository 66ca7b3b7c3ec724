"""Fixtures of the economics tests: the public reference patients and PSA draws."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from exonc.economics import PatientData, UtilityColumn, patient_data_from_frame

COSTS = ["cost_intervention", "cost_healthcare", "cost_productivity"]
UTILITIES = [UtilityColumn(f"u_m{m}", float(m)) for m in (0, 3, 6, 9)]


@pytest.fixture(scope="session")
def economics_dir(reference_dir: Path) -> Path:
    return reference_dir / "economics"


@pytest.fixture(scope="session")
def expected(economics_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((economics_dir / "cea_public_expected.json").read_text())
    return data


@pytest.fixture(scope="session")
def patients_frame(economics_dir: Path) -> pd.DataFrame:
    return pd.read_csv(
        economics_dir / "cea_public_patients.csv", dtype=str, keep_default_na=False, na_values=[""]
    )


@pytest.fixture(scope="session")
def patients(patients_frame: pd.DataFrame) -> PatientData:
    return patient_data_from_frame(
        patients_frame, arm="arm", utilities=UTILITIES, costs=COSTS, id_column="pid"
    )


@pytest.fixture(scope="session")
def psa_frame(economics_dir: Path) -> pd.DataFrame:
    return pd.read_csv(economics_dir / "cea_public_psa.csv")
