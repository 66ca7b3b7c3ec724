"""``exonc import redcap DIR --database URL``: a REDCap project into a new platform
database, through the demo loader's audited builders, with an import report."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from exonc.cli.synth import write_trial
from exonc.errors import RandomisationInputError, TrialStateError
from exonc.interchange.crf import default_forms
from exonc.interchange.exchange import Imported, export_redcap, import_redcap, read_data_dir
from exonc.platform.allocation.models import Allocation, Purpose
from exonc.platform.interchange.models import TrialImport
from exonc.platform.interchange.services import IMPORTER, import_trial
from exonc.platform.outcomes.models import QuestionnaireResponse
from exonc.platform.trial.models import Participant, Visit, Withdrawal
from exonc.questionnaires import score
from exonc.synthetic import generate_trial

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Imported, dict[str, pd.DataFrame]]:
    folder = tmp_path_factory.mktemp("trial")
    write_trial(generate_trial(seed=21, participants_n=24), folder / "synth")
    forms = default_forms()
    tables = read_data_dir(folder / "synth", forms)
    export_redcap(tables, forms, folder / "redcap")
    return import_redcap(folder / "redcap", forms), tables


def test_the_project_becomes_the_trial(imported: tuple[Imported, dict[str, pd.DataFrame]]) -> None:
    result, tables = imported
    record = import_trial(result.tables, result.report)
    assert Participant.objects.count() == len(tables["participants"])
    arms = dict(Allocation.objects.values_list("participant__study_id", "arm"))
    assert arms == dict(
        zip(tables["participants"]["participant_id"], tables["participants"]["arm"], strict=True)
    )
    assert set(Allocation.objects.values_list("purpose", flat=True)) == {Purpose.LIVE}
    assert Visit.objects.count() == 4 * len(tables["participants"])
    assert Withdrawal.objects.count() == len(tables["withdrawals"])
    answered = sum(len(tables[t]) for t in ("qlq_c30", "qlq_fa12", "eq5d5l", "hads"))
    assert QuestionnaireResponse.objects.count() == answered
    assert record.report["tables"]["qlq_c30"] == len(tables["qlq_c30"])
    assert TrialImport.objects.get() == record


def test_imported_answers_are_scored_by_the_engine(
    imported: tuple[Imported, dict[str, pd.DataFrame]],
) -> None:
    result, tables = imported
    import_trial(result.tables, result.report)
    c30 = tables["qlq_c30"]
    items = [c for c in c30.columns if c.startswith("q")]
    expected = score("qlq-c30", c30.astype({c: "Float64" for c in items}))
    first = expected.iloc[0]
    response = QuestionnaireResponse.objects.get(
        instrument="qlq-c30",
        visit__participant__study_id=first["participant_id"],
        visit__code=first["visit"],
    )
    assert response.scores["C30_SUMMARY"] == pytest.approx(first["C30_SUMMARY"], abs=1e-9)


def test_every_record_is_audited_with_the_import_as_reason(
    imported: tuple[Imported, dict[str, pd.DataFrame]],
) -> None:
    result, _ = imported
    import_trial(result.tables, result.report)
    row = Participant.history.first()
    assert row is not None
    assert row.history_user.username == IMPORTER
    assert row.history_change_reason == f"imported from REDCap project {result.report.source}"
    reasons = set(QuestionnaireResponse.history.values_list("history_change_reason", flat=True))
    assert reasons == {row.history_change_reason}


def test_a_database_with_participants_is_refused(
    imported: tuple[Imported, dict[str, pd.DataFrame]],
) -> None:
    result, _ = imported
    import_trial(result.tables, result.report)
    with pytest.raises(TrialStateError, match="holds 24 participants already"):
        import_trial(result.tables, result.report)
    assert TrialImport.objects.count() == 1


def test_nothing_stays_when_a_participant_cannot_be_loaded(
    imported: tuple[Imported, dict[str, pd.DataFrame]],
) -> None:
    result, _ = imported
    tables = dict(result.tables)
    broken = tables["participants"].copy()
    broken.loc[len(broken) - 1, "line_of_treatment"] = None  # no stratum: cannot be allocated
    tables["participants"] = broken
    with pytest.raises(RandomisationInputError, match="missing stratification data"):
        import_trial(tables, result.report)
    assert Participant.objects.count() == 0
    assert TrialImport.objects.count() == 0


@pytest.mark.slow
def test_the_cli_loads_a_new_sqlite_database(
    imported: tuple[Imported, dict[str, pd.DataFrame]], tmp_path: Path
) -> None:
    import os
    import sqlite3
    import subprocess
    import sys

    result, _ = imported
    database = tmp_path / "imported.sqlite3"
    env = {**os.environ, "EXONC_VAR_DIR": str(tmp_path / "var")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [sys.executable, "-m", "exonc.cli", "import", "redcap", result.report.source,
               "--database", f"sqlite:///{database}"]  # fmt: skip
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "loaded into the database" in done.stdout
    with sqlite3.connect(database) as connection:
        (count,) = connection.execute("select count(*) from trial_participant").fetchone()
    assert count == 24
