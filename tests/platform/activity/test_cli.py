"""``exonc trackers import`` on the platform database (in-process, the test database)."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from exonc.cli import main
from exonc.platform.accounts.models import User
from exonc.platform.activity.models import ActivityImport, Channel, DailyActivity
from exonc.platform.trial.models import Participant
from tests.platform.activity.conftest import DAILY, FIRST, REFERENCE, TRACKER

pytestmark = pytest.mark.django_db


def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str):
    monkeypatch.setattr(sys, "argv", ["exonc", "trackers", "import", *args])
    monkeypatch.setenv("COLUMNS", "200")
    try:
        main()
        code = 0
    except SystemExit as stop:
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def _args(*names: str, user: str = "coord-utr") -> list[str]:
    files = [str(REFERENCE / n) for n in names]
    return [
        "--format",
        "fitabase",
        "--participant",
        "NL-UTR-001",
        "--tracker-id",
        TRACKER,
        *files,
        "--user",
        user,
    ]


def test_import_prints_the_report_and_records_it(
    monkeypatch, capsys, ready: Participant, coordinator: User
) -> None:
    code, out, err = run(monkeypatch, capsys, *_args(*FIRST))
    assert (code, err) == (0, "")
    record = ActivityImport.objects.get()
    assert out.splitlines()[0] == (
        f"import {record.pk} (imported): 2 files for NL-UTR-001: 8,640 minute values read, "
        "8,640 accepted, 0 rejected, 0 duplicates resolved; 3 days recomputed"
    )
    assert FIRST[0] in out
    assert (record.channel, record.imported_by) == (Channel.COMMAND_LINE, coordinator)
    assert record.history.get().history_change_reason == "imported with exonc trackers import"
    assert DailyActivity.objects.filter(participant=ready).count() == 3


def test_json_output_and_a_second_run_counting_nothing_twice(
    monkeypatch, capsys, ready: Participant, coordinator: User
) -> None:
    run(monkeypatch, capsys, *_args(*FIRST))
    code, out, err = run(monkeypatch, capsys, *_args(*FIRST), "--output-format", "json")
    assert code == 0  # idempotent: running it again is not an error
    assert "already imported for NL-UTR-001" in err
    report = json.loads(out)
    assert report["id"] == ActivityImport.objects.get().pk  # the earlier import, no new one
    assert report["outcome"] == "imported"


def test_a_folder_and_the_login_name_as_user(
    monkeypatch, capsys, ready: Participant, coordinator: User, tmp_path: Path
) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    for name in FIRST:
        shutil.copy(REFERENCE / name, folder / name)
    monkeypatch.setattr("getpass.getuser", lambda: "coord-utr")
    code, _, _ = run(
        monkeypatch,
        capsys,
        "--format",
        "fitabase",
        "--participant",
        "NL-UTR-001",
        "--tracker-id",
        TRACKER,
        str(folder),
    )
    assert code == 0
    assert ActivityImport.objects.get().files_count == 2


def test_a_file_that_cannot_be_imported_exits_2_after_the_report(
    monkeypatch, capsys, ready: Participant, coordinator: User
) -> None:
    code, out, err = run(monkeypatch, capsys, *_args(DAILY, *FIRST))
    assert code == 2
    assert "this is a daily activity file, not a minute file" in out
    record = ActivityImport.objects.get()
    assert err.strip() == (
        f"error: 1 of 3 files could not be imported (import {record.pk} recorded the others); "
        "see the report"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            [
                "--format",
                "fitabase",
                "--participant",
                "NL-UTR-999",
                str(REFERENCE / FIRST[0]),
                "--user",
                "coord-utr",
            ],
            "error: --participant 'NL-UTR-999' is not in the platform database; give the study ID "
            "of an enrolled participant",
        ),
        (
            [
                "--format",
                "fitabase",
                "--participant",
                "NL-UTR-001",
                str(REFERENCE / FIRST[0]),
                "--user",
                "nobody",
            ],
            "error: --user 'nobody' is not an active platform user; give --user with the "
            "username of a coordinator or physiotherapist at her centre, or of an administrator",
        ),
        (
            ["--format", "fitbit", "--participant", "NL-UTR-001", str(REFERENCE / FIRST[0])],
            "error: value 'fitbit': unknown tracker format; choose one of fitabase, fitbit-json, "
            "garmin-fit, apple-health, actigraph, csv",
        ),
        (
            ["--format", "fitabase", "--participant", "NL-UTR-001", "missing.csv"],
            "error: missing.csv: file not found; check the path",
        ),
        (
            [
                "--format",
                "fitabase",
                "--participant",
                "NL-UTR-001",
                str(REFERENCE / FIRST[0]),
                "--user",
                "coord-hei",
            ],
            "error: coord-hei does not work at centre NL-UTR",
        ),
    ],
)
def test_unusable_input_exits_2_with_one_line(
    monkeypatch, capsys, ready: Participant, other_coordinator: User, args: list[str], message: str
) -> None:
    code, out, err = run(monkeypatch, capsys, *args)
    assert (code, out) == (2, "")
    assert err.strip() == message
    assert not ActivityImport.objects.exists()
