"""Round trips are exact: synthetic trial -> REDCap / ODM / FHIR -> tables, same answers and
the same scores for every instrument (scored by the engine, not by the interchange code)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from exonc.interchange.crf import Forms
from exonc.interchange.exchange import (
    Imported,
    export_fhir,
    export_odm,
    export_redcap,
    import_fhir,
    import_odm,
    import_redcap,
)
from exonc.questionnaires import score
from exonc.synthetic.trial import QUESTIONNAIRE_TABLES

from .conftest import same_table

CREATED = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
CASE_TABLES = (
    "participants", "visits", "withdrawals", "qlq_c30", "qlq_fa12", "eq5d5l", "hads",
    "resource_use",
)  # fmt: skip


def _redcap(tables: dict[str, pd.DataFrame], forms: Forms, tmp: Path) -> Imported:
    export_redcap(tables, forms, tmp / "redcap")
    return import_redcap(tmp / "redcap", forms)


def _odm(tables: dict[str, pd.DataFrame], forms: Forms, tmp: Path) -> Imported:
    export_odm(tables, forms, tmp / "trial.xml", created=CREATED)
    return import_odm(tmp / "trial.xml", forms)


def _fhir(tables: dict[str, pd.DataFrame], forms: Forms, tmp: Path) -> Imported:
    export_fhir(tables, forms, tmp / "fhir")
    return import_fhir(tmp / "fhir", forms)


@pytest.fixture(scope="module", params=["redcap", "odm", "fhir"])
def round_trip(
    request: pytest.FixtureRequest,
    tables: dict[str, pd.DataFrame],
    forms: Forms,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[str, Imported]:
    run = {"redcap": _redcap, "odm": _odm, "fhir": _fhir}[request.param]
    return request.param, run(tables, forms, tmp_path_factory.mktemp(request.param))


@pytest.mark.parametrize("table", CASE_TABLES)
def test_every_table_comes_back_identical(
    round_trip: tuple[str, Imported], tables: dict[str, pd.DataFrame], table: str
) -> None:
    fmt, imported = round_trip
    if fmt == "fhir" and table not in QUESTIONNAIRE_TABLES.values():
        pytest.skip("FHIR import reads questionnaire responses only")
    same_table(tables[table], imported.tables[table])


@pytest.mark.parametrize(("instrument", "table"), QUESTIONNAIRE_TABLES.items())
def test_every_instrument_scores_the_same(
    round_trip: tuple[str, Imported], tables: dict[str, pd.DataFrame], instrument: str, table: str
) -> None:
    _, imported = round_trip
    value_set = "NL" if instrument == "eq-5d-5l" else None
    before = score(instrument, _numeric(tables[table]), value_set)
    after = score(instrument, _numeric(imported.tables[table]), value_set)
    keys = ["participant_id", "visit"]
    pd.testing.assert_frame_equal(
        before.sort_values(keys).reset_index(drop=True),
        after.sort_values(keys).reset_index(drop=True),
    )
    assert before.drop(columns=keys).notna().to_numpy().any()  # there were scores to compare


def _numeric(frame: pd.DataFrame) -> pd.DataFrame:
    answers = [c for c in frame.columns if c not in ("participant_id", "visit", "completed_on")]
    return frame.astype({c: "Float64" for c in answers})


def test_the_imported_answers_score_through_the_cli(
    round_trip: tuple[str, Imported], tmp_path: Path
) -> None:
    from exonc.interchange.exchange import write_imported

    _, imported = round_trip
    write_imported(imported, tmp_path / "back")
    assert (tmp_path / "back" / "import-report.json").is_file()
    frame = pd.read_csv(tmp_path / "back" / "qlq_c30.csv")
    assert score("qlq-c30", frame)["C30_SUMMARY"].notna().sum() > 0
