"""A small synthetic trial as exonc's tidy tables, shared by the interchange tests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from exonc.cli.synth import write_trial
from exonc.interchange.crf import Forms, default_forms
from exonc.interchange.exchange import read_data_dir
from exonc.synthetic import generate_trial

KEYS = ("participant_id", "visit", "item")


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``exonc synth --participants 40`` (seed 21), as CSV files."""
    folder = tmp_path_factory.mktemp("synth")
    write_trial(generate_trial(seed=21, participants_n=40), folder)
    return folder


@pytest.fixture(scope="session")
def forms() -> Forms:
    return default_forms()


@pytest.fixture(scope="session")
def tables(data_dir: Path, forms: Forms) -> dict[str, pd.DataFrame]:
    return read_data_dir(data_dir, forms, tracker_days=True)


def sorted_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """*frame* with its rows in key order (formats return rows ordered by participant and
    visit; the comparison is of content)."""
    keys = [k for k in KEYS if k in frame.columns]
    return frame.sort_values(keys).reset_index(drop=True).astype(object)


def same_table(original: pd.DataFrame, back: pd.DataFrame) -> None:
    """The round trip gave the same columns and the same text in every cell."""
    assert list(back.columns) == list(original.columns)
    left = sorted_rows(original.astype(object).where(original.notna(), None))
    right = sorted_rows(back.astype(object).where(back.notna(), None))
    pd.testing.assert_frame_equal(left, right, check_dtype=False)
