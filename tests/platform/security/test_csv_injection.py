"""Finding 3 of issue 16: no CSV download runs a formula in a spreadsheet.

A cell such as ``=HYPERLINK(…)`` (here a recorded arm written around the services) is
downloaded as ``'=HYPERLINK(…)`` from the activity-window page and API, and from every other
writer (:mod:`exonc._csv` is the one writer; ``tests/test_csv.py`` checks it on its own).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from django.test import Client

from exonc.interchange.data_dir import write_csv, write_frame
from exonc.platform.accounts.models import User
from exonc.platform.economics.analysis import csv_text
from exonc.platform.exports import ExportTable
from exonc.platform.trial.models import Participant
from exonc.randomisation import AllocationList, ListEntry, list_to_csv
from tests.platform.activity.conftest import add_days, allocate

ATTACK = '=HYPERLINK("//evil.io","x")'  # 27 characters: fits the arm column


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


@pytest.fixture
def injected(enrol: Callable[..., Participant], coordinator: User) -> Participant:
    participant = enrol(coordinator, "NL-UTR-001")
    allocate(participant, ATTACK, dt.date(2024, 1, 31), coordinator)
    add_days(participant, dt.date(2024, 1, 26), [(700, 40)] * 2, coordinator)
    return participant


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address", ["/activity/windows/?format=csv", "/api/activity/windows?format=csv"]
)
def test_activity_window_downloads_quote_formulas(
    injected: Participant, statistician: User, address: str
) -> None:
    client = Client()
    client.force_login(statistician)
    answer = client.get(address)
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/csv")
    cells = _cells(answer.content.decode())
    assert "'" + ATTACK in cells
    assert ATTACK not in cells
    assert not [c for c in cells if c.startswith(("=", "+", "@", "\t", "\r"))]


def test_export_tables_quote_formulas() -> None:
    table = ExportTable(["id", "note"], [{"id": "NL-UTR-001", "note": "@cmd"}])
    assert _cells(table.csv_text()) == ["id", "note", "NL-UTR-001", "'@cmd"]


def test_economics_table_quotes_formulas_and_keeps_negative_numbers() -> None:
    frame = pd.DataFrame({"participant_id": [ATTACK], "net_benefit": [-1.5]})
    assert _cells(csv_text(frame)) == ["participant_id", "net_benefit", "'" + ATTACK, "-1.5"]


def test_interchange_files_quote_formulas(tmp_path: Path) -> None:
    write_csv(tmp_path / "a.csv", ["field", "min"], [["+cmd", "-3"]])
    assert _cells((tmp_path / "a.csv").read_text()) == ["field", "min", "'+cmd", "-3"]
    write_frame(tmp_path / "b.csv", pd.DataFrame({"record_id": ["-x"], "score": [-2.5]}))
    assert _cells((tmp_path / "b.csv").read_text()) == ["record_id", "score", "'-x", "-2.5"]


def test_allocation_lists_keep_their_bytes() -> None:
    """The checksum is of these bytes: ordinary lists are written exactly as before."""
    entry = ListEntry("all", 1, "control", {}, 1, 2)
    allocation_list = AllocationList((), (entry,), "live")
    assert list_to_csv(allocation_list) == (
        "stratum,position,block,block_size,arm\nall,1,1,2,control\n"
    )
