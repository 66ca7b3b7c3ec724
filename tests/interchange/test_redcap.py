"""REDCap: the exact dictionary header, the flat format's columns, a foreign project read
through a mapping file, and ``exonc redcap pull`` against a local stand-in of REDCap's API."""

from __future__ import annotations

import csv
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import httpx
import pandas as pd
import pytest

from exonc.errors import InterchangeError
from exonc.interchange.crf import Forms
from exonc.interchange.exchange import export_redcap, import_redcap
from exonc.interchange.redcap.api import pull_project

from .conftest import same_table

# The header as the issue (#14) quotes REDCap's data dictionary, typed out independently.
ISSUE_HEADER = [
    "Variable / Field Name", "Form Name", "Section Header", "Field Type", "Field Label",
    "Choices, Calculations, OR Slider Labels", "Field Note",
    "Text Validation Type OR Show Slider Number", "Text Validation Min", "Text Validation Max",
    "Identifier?", "Branching Logic (Show field only if...)", "Required Field?",
    "Custom Alignment", "Question Number (surveys only)", "Matrix Group Name",
    "Matrix Ranking?", "Field Annotation",
]  # fmt: skip


def _rows(path: Path) -> list[list[str]]:
    with path.open(newline="") as handle:
        return list(csv.reader(handle))


@pytest.fixture(scope="module")
def project(
    tables: dict[str, pd.DataFrame], forms: Forms, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    folder = tmp_path_factory.mktemp("project")
    export_redcap(tables, forms, folder)
    return folder


def test_data_dictionary_has_redcaps_18_columns(project: Path) -> None:
    assert _rows(project / "data_dictionary.csv")[0] == ISSUE_HEADER


def test_records_use_only_fields_of_the_dictionary(project: Path) -> None:
    dictionary = _rows(project / "data_dictionary.csv")[1:]
    fields = {row[0] for row in dictionary}
    boxes = {
        f"{row[0]}___{option.split(',')[0].strip()}"
        for row in dictionary
        if row[3] == "checkbox"
        for option in row[5].split("|")
    }
    forms = {f"{row[1]}_complete" for row in dictionary}
    header = _rows(project / "records.csv")[0]
    assert header[:2] == ["record_id", "redcap_event_name"]
    assert set(header[2:]) <= (fields | boxes | forms)
    assert "metastatic_sites___bone" in header
    assert {"qlq_c30_complete", "hads_complete", "enrolment_complete"} <= set(header)


def test_events_and_designation(project: Path) -> None:
    events = _rows(project / "events.csv")
    assert [row[5] for row in events[1:]] == [
        "baseline_arm_1", "m3_arm_1", "m6_arm_1", "m9_arm_1", "end_of_study_arm_1",
    ]  # fmt: skip
    designation = {tuple(row) for row in _rows(project / "instrument_designation.csv")[1:]}
    assert ("1", "baseline_arm_1", "enrolment") in designation
    assert ("1", "m3_arm_1", "resource_use") in designation
    assert ("1", "baseline_arm_1", "resource_use") not in designation


def _foreign(project: Path, target: Path) -> None:
    """Make a project look like another team's: other names, events and codes."""
    target.mkdir()
    renames = {"qlq_c30_q1": "c30_01", "arm": "rand_group", "eq5d5l_mo": "eq_mobility"}
    events = {"baseline_arm_1": "screening_and_baseline_arm_1", "m3_arm_1": "month_3_arm_1"}
    for name in ("data_dictionary.csv", "events.csv", "instrument_designation.csv"):
        text = (project / name).read_text()
        for old, new in {**renames, **events}.items():
            text = text.replace(f"\n{old},", f"\n{new},").replace(f",{old},", f",{new},")
        text = text.replace("exercise, Supervised", "1, Supervised").replace(
            "control, Usual", "2, Usual"
        )
        (target / name).write_text(text)
    rows = _rows(project / "records.csv")
    header = [renames.get(c, c) for c in rows[0]]
    arm = header.index("rand_group")
    event = header.index("redcap_event_name")
    for row in rows[1:]:
        row[arm] = {"exercise": "1", "control": "2", "": ""}[row[arm]]
        row[event] = events.get(row[event], row[event])
    with (target / "records.csv").open("w", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *rows[1:]])


MAPPING = """
[record]
id = "record_id"

[events]
screening_and_baseline_arm_1 = "baseline"
month_3_arm_1 = "m3"
m6_arm_1 = "m6"
m9_arm_1 = "m9"
end_of_study_arm_1 = "end_of_study"

[fields]
rand_group = "participants.arm"
centre = "participants.centre"
randomised_on = "participants.randomised_on"
c30_01 = "qlq_c30.q1"
qlq_c30_q2 = "qlq_c30.q2"
qlq_c30_date = "qlq_c30.completed_on"
eq_mobility = "eq5d5l.MO"
metastatic_sites = "participants.metastatic_sites"
ru_gp_consultation = "resource_use.gp_consultation"

[recode.rand_group]
1 = "exercise"
2 = "control"

[recode.centre]
1 = "NL-UTR"
2 = "NL-AMS"
3 = "DE-HEI"
4 = "DE-KOL"
5 = "PL-WAW"
6 = "ES-GRA"
7 = "SE-STO"
8 = "AU-MEL"
"""


def test_a_foreign_project_through_a_mapping_file(
    project: Path, tables: dict[str, pd.DataFrame], forms: Forms, tmp_path: Path
) -> None:
    _foreign(project, tmp_path / "foreign")
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(MAPPING)
    imported = import_redcap(tmp_path / "foreign", forms, mapping)
    columns = ["participant_id", "centre", "arm", "randomised_on", "metastatic_sites"]
    same_table(tables["participants"][columns], imported.tables["participants"][columns])
    c30 = ["participant_id", "visit", "completed_on", "q1", "q2"]
    same_table(tables["qlq_c30"][c30], imported.tables["qlq_c30"][c30])
    gp = tables["resource_use"][tables["resource_use"]["item"] == "gp_consultation"]
    same_table(gp, imported.tables["resource_use"])
    assert any("not mapped" in note for note in imported.report.ignored)


def test_a_recode_to_a_value_exonc_does_not_allow(
    project: Path, forms: Forms, tmp_path: Path
) -> None:
    _foreign(project, tmp_path / "foreign")
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(MAPPING.replace('2 = "control"', '2 = "placebo"'))
    with pytest.raises(
        InterchangeError, match=r"key recode.rand_group.2: value 'placebo': is not one of"
    ):
        import_redcap(tmp_path / "foreign", forms, mapping)


class _StandIn(BaseHTTPRequestHandler):
    """Answers like REDCap's API (POST of form fields; errors as JSON when
    returnFormat=json, with the HTTP status codes REDCap's API documentation lists).
    A test stand-in, not REDCap."""

    project: Path
    token = "0123456789ABCDEF0123456789ABCDEF"

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        if form.get("token") != self.token:
            return self._answer(403, '{"error": "You do not have permissions to use the API"}')
        files = {
            "metadata": "data_dictionary.csv",
            "event": "events.csv",
            "formEventMapping": "instrument_designation.csv",
            "record": "records.csv",
        }
        name = files.get(form.get("content", ""))
        if name is None or form.get("format") != "csv":
            return self._answer(
                400, '{"error": "The value of the parameter \\"content\\" is not valid"}'
            )
        text = (self.project / name).read_text()
        if name == "data_dictionary.csv":  # the API exports the dictionary under snake-case names
            from exonc.interchange.redcap.dictionary import API_HEADER

            text = ",".join(API_HEADER) + text[text.index("\n") :]
        return self._answer(200, text, "text/csv")

    def _answer(self, status: int, body: str, kind: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def stand_in(project: Path) -> Iterator[str]:
    handler = type("Handler", (_StandIn,), {"project": project})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/api/"
    server.shutdown()
    server.server_close()


def test_pull_downloads_the_project(
    stand_in: str, forms: Forms, tables: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    with httpx.Client() as client:
        counts = pull_project(client, stand_in, _StandIn.token, tmp_path / "pulled")
    assert counts["records.csv"] > 0
    assert _rows(tmp_path / "pulled" / "data_dictionary.csv")[0] == ISSUE_HEADER
    imported = import_redcap(tmp_path / "pulled", forms)
    same_table(tables["hads"], imported.tables["hads"])


def test_pull_sends_what_the_api_documents(stand_in: str, project: Path, tmp_path: Path) -> None:
    import exonc.interchange.redcap.api as api

    seen: list[dict[str, str]] = []

    def record(request: httpx.Request) -> None:
        seen.append(dict(urllib.parse.parse_qsl(request.content.decode())))

    with httpx.Client(event_hooks={"request": [record]}) as client:
        api.pull_project(client, stand_in, _StandIn.token, tmp_path / "pulled")
    records = next(form for form in seen if form["content"] == "record")
    assert records | {"token": "-"} == {
        "token": "-", "content": "record", "format": "csv", "type": "flat", "rawOrLabel": "raw",
        "rawOrLabelHeaders": "raw", "exportCheckboxLabel": "false", "returnFormat": "json",
    }  # fmt: skip
    assert {form["content"] for form in seen} == {"metadata", "event", "formEventMapping", "record"}


def test_pull_with_a_wrong_token_says_what_redcap_said(stand_in: str, tmp_path: Path) -> None:
    with (
        httpx.Client() as client,
        pytest.raises(
            InterchangeError,
            match="REDCap answered 403 to content=metadata: You do not have permissions to use",
        ),
    ):
        pull_project(client, stand_in, "F" * 32, tmp_path / "pulled")
    assert not (tmp_path / "pulled").exists()


def test_the_pull_command(
    stand_in: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import exonc.cli

    token = tmp_path / "token.txt"
    token.write_text(_StandIn.token + "\n")
    out = tmp_path / "pulled"
    argv = [
        "exonc",
        "redcap",
        "pull",
        "--url",
        stand_in,
        "--token-file",
        str(token),
        "-o",
        str(out),
    ]
    monkeypatch.setattr("sys.argv", argv)
    with pytest.raises(SystemExit) as exited:
        exonc.cli.main()
    assert exited.value.code == 0, capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == [
        "data_dictionary.csv", "events.csv", "instrument_designation.csv", "records.csv",
    ]  # fmt: skip


def test_a_token_file_without_a_token(tmp_path: Path) -> None:
    from exonc.interchange.redcap.api import read_token

    path = tmp_path / "token.txt"
    path.write_text("not a token\n")
    with pytest.raises(InterchangeError, match="does not hold a REDCap API token"):
        read_token(path)
