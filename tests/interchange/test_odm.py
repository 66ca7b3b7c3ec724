"""CDISC ODM 1.3.2: every export validates against the official XSD; an audit trail (the
platform's history) travels as AuditRecords in a Transactional file and comes back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from lxml import etree

from exonc.interchange.audit import AUDIT_COLUMNS
from exonc.interchange.crf import Forms
from exonc.interchange.exchange import export_odm, import_odm
from exonc.interchange.odm.schema import odm_schema

from .conftest import same_table

CREATED = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
NS = {"odm": "http://www.cdisc.org/ns/odm/v1.3"}


def _history(tables: dict[str, pd.DataFrame]) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """A correction: NL-UTR-001's baseline QLQ-C30 q1 was first entered as another answer."""
    c30 = tables["qlq_c30"]
    row = c30[(c30["participant_id"] == "NL-UTR-001") & (c30["visit"] == "baseline")].iloc[0]
    current = str(row["q1"])
    first = "4" if current != "4" else "3"
    arm = tables["participants"].set_index("participant_id").loc["NL-UTR-001", "arm"]
    entries = [
        ("qlq_c30", "baseline", "q1", first, "2020-01-03T10:00:00+01:00", "physio-utr", None),
        ("qlq_c30", "baseline", "q1", current, "2020-01-05T09:30:00+01:00", "coordinator",
         "transcription error on the paper form"),
        ("participants", None, "arm", arm, "2020-01-10T12:00:00+01:00", "coordinator", None),
    ]  # fmt: skip
    audit = pd.DataFrame(
        [
            ["NL-UTR-001", t, v, c, None, value, at, by, why]
            for t, v, c, value, at, by, why in entries
        ],
        columns=list(AUDIT_COLUMNS),
    )
    return {**tables, "audit_trail": audit}, audit


def test_the_export_validates_against_the_xsd(
    tables: dict[str, pd.DataFrame], forms: Forms, tmp_path: Path
) -> None:
    export_odm(tables, forms, tmp_path / "trial.xml", created=CREATED)
    document = etree.parse(str(tmp_path / "trial.xml"))
    assert odm_schema().validate(document), odm_schema().error_log
    assert document.getroot().get("FileType") == "Snapshot"
    for tag in (
        "StudyEventDef",
        "FormDef",
        "ItemGroupDef",
        "ItemDef",
        "CodeList",
        "MeasurementUnit",
        "RangeCheck",
    ):
        assert document.find(f".//odm:{tag}", NS) is not None, tag


def test_the_schema_refuses_a_broken_document(
    tables: dict[str, pd.DataFrame], forms: Forms, tmp_path: Path
) -> None:
    export_odm(tables, forms, tmp_path / "trial.xml", created=CREATED)
    document = etree.parse(str(tmp_path / "trial.xml"))
    for item in document.iterfind(".//odm:ItemDef", NS):
        del item.attrib["DataType"]
        break
    assert not odm_schema().validate(document)


def test_audit_records_go_out_and_come_back(
    tables: dict[str, pd.DataFrame], forms: Forms, tmp_path: Path
) -> None:
    with_history, audit = _history(tables)
    export_odm(with_history, forms, tmp_path / "trial.xml", created=CREATED)
    document = etree.parse(str(tmp_path / "trial.xml"))
    assert document.getroot().get("FileType") == "Transactional"
    records = document.findall(".//odm:ItemData[@ItemOID='I.qlq_c30_q1']/odm:AuditRecord", NS)
    assert len(records) == 2
    assert (
        records[1].findtext("odm:ReasonForChange", namespaces=NS)
        == "transcription error on the paper form"
    )
    imported = import_odm(tmp_path / "trial.xml", forms)
    same_table(tables["qlq_c30"], imported.tables["qlq_c30"])
    order = ["participant_id", "table", "column", "changed_at"]
    back = imported.tables["audit_trail"]
    pd.testing.assert_frame_equal(
        audit.astype(object).where(audit.notna(), None).sort_values(order).reset_index(drop=True),
        back.astype(object).where(back.notna(), None).sort_values(order).reset_index(drop=True),
        check_dtype=False,
    )


def test_an_audit_trail_that_disagrees_with_the_tables_is_refused(
    tables: dict[str, pd.DataFrame], forms: Forms, tmp_path: Path
) -> None:
    from exonc.errors import InterchangeError

    with_history, audit = _history(tables)
    audit.loc[1, "value"] = audit.loc[0, "value"]
    with pytest.raises(InterchangeError, match="the audit trail's last value of qlq_c30_q1"):
        export_odm(with_history, forms, tmp_path / "trial.xml", created=CREATED)
    assert not (tmp_path / "trial.xml").exists()


def test_text_with_markup_characters_and_line_breaks_comes_back(
    tables: dict[str, pd.DataFrame], forms: Forms, tmp_path: Path
) -> None:
    withdrawals = tables["withdrawals"].copy()
    withdrawals.loc[0, "reason"] = 'moved away & "too far" <300 km>\nsecond line\tend'
    changed = {**tables, "withdrawals": withdrawals}
    export_odm(changed, forms, tmp_path / "trial.xml", created=CREATED)
    same_table(withdrawals, import_odm(tmp_path / "trial.xml", forms).tables["withdrawals"])
