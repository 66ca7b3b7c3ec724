"""Bad input: one line naming the file, record or element and the problem, exit code 2,
and nothing imported (the output folder is not created)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import exonc.cli
from exonc.interchange.crf import Forms
from exonc.interchange.exchange import export_fhir, export_odm, export_redcap

CREATED = dt.datetime(2026, 1, 2, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def exported(
    tables: dict[str, pd.DataFrame], forms: Forms, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    folder = tmp_path_factory.mktemp("exported")
    export_redcap(tables, forms, folder / "redcap")
    export_odm(tables, forms, folder / "trial.xml", created=CREATED)
    export_fhir(tables, forms, folder / "fhir")
    return folder


def _copy(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / source.name
    (shutil.copytree if source.is_dir() else shutil.copy)(source, target)
    return target


def _edit_records(
    project: Path, change: dict[str, str], *, rename: tuple[str, str] | None = None
) -> None:
    path = project / "records.csv"
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    if rename:
        header[header.index(rename[0])] = rename[1]
    row = rows[1]
    for column, value in change.items():
        row[header.index(column)] = value
    with path.open("w", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


Fails = Callable[..., str]


@pytest.fixture
def fails(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> Fails:
    """Run ``exonc ARGS -o OUT``; check it failed in one line with exit code 2 and wrote
    nothing; give the line."""

    def run(*argv: str) -> str:
        out = tmp_path / "imported"
        monkeypatch.setattr("sys.argv", ["exonc", *argv, "-o", str(out)])
        with pytest.raises(SystemExit) as exited:
            exonc.cli.main()
        err = capsys.readouterr().err
        assert exited.value.code == 2
        assert err.count("\n") == 1, err
        assert not out.exists()  # nothing imported
        return err

    return run


def test_redcap_record_with_a_field_missing_from_the_dictionary(
    exported: Path, tmp_path: Path, fails: Fails
) -> None:
    project = _copy(exported / "redcap", tmp_path)
    _edit_records(project, {}, rename=("qlq_c30_q1", "qlq_c30_q99"))
    err = fails("import", "redcap", str(project))
    assert "records.csv" in err
    assert "column qlq_c30_q99: is not a field of" in err
    assert "record NL-UTR-001 (event baseline_arm_1)" in err


def test_redcap_choice_outside_its_list(exported: Path, tmp_path: Path, fails: Fails) -> None:
    project = _copy(exported / "redcap", tmp_path)
    _edit_records(project, {"eq5d5l_mo": "7"})
    err = fails("import", "redcap", str(project))
    assert "records.csv, record NL-UTR-001 (event baseline_arm_1), row 1, column eq5d5l_mo" in err
    assert "value '7': is not one of the choices 1, 2, 3, 4, 5 of eq5d5l_mo" in err


def test_odm_file_that_fails_the_xsd(exported: Path, tmp_path: Path, fails: Fails) -> None:
    path = tmp_path / "trial.xml"
    text = (exported / "trial.xml").read_text(encoding="utf-8")
    path.write_text(
        text.replace('<ItemData ItemOID="I.centre"', '<ItemData Bogus="1" ItemOID="I.centre"', 1)
    )
    err = fails("import", "odm", str(path))
    assert "trial.xml, element ItemData" in err
    assert "does not follow CDISC ODM 1.3.2" in err
    assert "Bogus" in err


def test_odm_value_outside_the_code_list(exported: Path, tmp_path: Path, fails: Fails) -> None:
    path = tmp_path / "trial.xml"
    text = (exported / "trial.xml").read_text(encoding="utf-8")
    path.write_text(
        re.sub(r'ItemOID="I.arm" Value="[a-z]+"', 'ItemOID="I.arm" Value="yoga"', text, count=1)
    )
    err = fails("import", "odm", str(path))
    assert "element ItemData I.arm (line" in err
    assert "value 'yoga': is not one of the choices exercise, control of arm" in err


def test_fhir_resource_that_fails_validation(exported: Path, tmp_path: Path, fails: Fails) -> None:
    folder = _copy(exported / "fhir", tmp_path)
    path = folder / "QuestionnaireResponse.ndjson"
    lines = path.read_text().splitlines()
    broken = json.loads(lines[2])
    broken["authored"] = "03.01.2020"
    lines[2] = json.dumps(broken)
    path.write_text("\n".join(lines) + "\n")
    err = fails("import", "fhir", str(folder))
    assert "QuestionnaireResponse.ndjson, record QuestionnaireResponse/" in err
    assert "row 3" in err
    assert "element authored" in err


def test_mapping_naming_an_unknown_item(exported: Path, tmp_path: Path, fails: Fails) -> None:
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        '[events]\nbaseline_arm_1 = "baseline"\n\n[fields]\nqlq_c30_q1 = "qlq_c30.q31"\n'
    )
    err = fails("import", "redcap", str(exported / "redcap"), "--mapping", str(mapping))
    expected = "mapping.toml, key fields.qlq_c30_q1: value 'qlq_c30.q31': "
    assert expected + "qlq_c30 has no column or item 'q31'" in err


def test_a_project_exonc_did_not_write_needs_a_mapping(
    exported: Path, tmp_path: Path, fails: Fails
) -> None:
    project = _copy(exported / "redcap", tmp_path)
    dictionary = project / "data_dictionary.csv"
    dictionary.write_text(dictionary.read_text().replace("\nage,", "\nage_years,"))
    _edit_records(project, {}, rename=("age", "age_years"))
    err = fails("import", "redcap", str(project))
    assert "value 'age_years': is not one of exonc's fields" in err
    assert "a project exonc did not write needs a mapping file (--mapping)" in err
