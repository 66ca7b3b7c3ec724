"""Importing tracker exports: stored minutes, daily rows, the report, audit and refusals."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path

import pytest

from exonc.errors import (
    AccessDenied,
    AlreadyImported,
    ImportFormatError,
    InputError,
    TrialStateError,
)
from exonc.platform.accounts.models import User
from exonc.platform.activity import services
from exonc.platform.activity.models import (
    ActivityImport,
    DailyActivity,
    ImportedFile,
    TrackerAccount,
)
from exonc.platform.activity.reports import import_summary
from exonc.platform.activity.tracking import minute_store
from exonc.platform.trial.models import Participant
from exonc.trackers import MinuteStore, ReadOptions, daily_from_files
from tests.platform.activity.conftest import (
    DAILY,
    FIRST,
    LATER,
    NOW,
    OTHER,
    REFERENCE,
    TRACKER,
    upload,
    uploaded_files,
)

pytestmark = pytest.mark.django_db

#: Fitbit's own daily totals (dailyActivity_1503960366_0420-0423.csv, columns
#: FairlyActiveMinutes, VeryActiveMinutes, LightlyActiveMinutes, TotalSteps).
FITBIT = {
    dt.date(2016, 4, 20): (12, 28, 205, 10544),
    dt.date(2016, 4, 21): (8, 19, 211, 9819),
    dt.date(2016, 4, 22): (27, 66, 130, 12764),
    dt.date(2016, 4, 23): (21, 41, 262, 14371),
}
#: Each wide line holds 60 minute values; the first export has 72 lines per file.
FIRST_ROWS = 2 * 72 * 60


def _days(participant: Participant) -> dict[dt.date, DailyActivity]:
    return {d.date: d for d in DailyActivity.objects.filter(participant=participant)}


def test_an_import_stores_minutes_and_fitbits_daily_values(
    ready: Participant, coordinator: User, var_dir: Path
) -> None:
    record = services.import_exports(coordinator, ready, upload(*FIRST), now=NOW)
    assert (record.rows_read, record.accepted, record.rejected, record.duplicates) == (
        FIRST_ROWS,
        FIRST_ROWS,
        0,
        0,
    )
    assert (record.format, record.time_zone, record.tracker_id) == (
        "fitabase",
        "Europe/Amsterdam",  # the centre's, as none was given
        TRACKER,
    )
    days = _days(ready)
    assert sorted(days) == sorted(d for d in FITBIT if d.day <= 22)
    for day, row in days.items():
        moderate, vigorous, light, steps = FITBIT[day]
        assert (row.moderate_minutes, row.vigorous_minutes, row.light_minutes, row.steps) == (
            moderate,
            vigorous,
            light,
            steps,
        )
        assert row.active_minutes == moderate + vigorous
        assert row.goal_met == (moderate + vigorous >= 30)  # 21 April: 27 minutes
        assert row.activity_import == record
    assert TrackerAccount.objects.get(participant=ready).tracker_id == TRACKER
    assert minute_store().participants() == [TRACKER]


def test_daily_rows_are_what_the_trackers_pipeline_computes(
    ready: Participant, coordinator: User
) -> None:
    services.import_exports(coordinator, ready, upload(*FIRST), now=NOW)
    direct = daily_from_files(
        [REFERENCE / name for name in FIRST],
        "fitabase",
        options=ReadOptions(timezone="Europe/Amsterdam"),
    ).daily
    stored = _days(ready)
    for row in direct.iter_rows(named=True):
        kept = stored[row["date"]]
        assert (kept.wear_minutes, kept.sedentary_minutes, kept.valid_day) == (
            row["wear_minutes"],
            row["sedentary_minutes"],
            row["valid_day"],
        )


def test_files_are_kept_with_their_names_and_hashes(
    ready: Participant, coordinator: User, var_dir: Path
) -> None:
    record = services.import_exports(coordinator, ready, upload(*FIRST), now=NOW)
    files = list(ImportedFile.objects.filter(activity_import=record))
    assert [f.name for f in files] == list(FIRST)
    for f in files:
        kept = var_dir / "uploads" / f.stored_as
        assert kept.read_bytes() == (REFERENCE / f.name).read_bytes()
        assert f.sha256 == hashlib.sha256(kept.read_bytes()).hexdigest()
        assert f.status == "imported"
        assert f.stored_as.startswith("activity/NL-UTR-001/")
    assert [e["file"] for e in record.report["files"]] == list(FIRST)  # no server paths


def test_the_import_and_its_files_are_audited(ready: Participant, coordinator: User) -> None:
    record = services.import_exports(coordinator, ready, upload(*FIRST), now=NOW)
    for instance in (record, *record.files.all(), ready.tracker_account):
        entry = instance.history.get()
        assert entry.history_user == coordinator
        assert "tracker export uploaded" in entry.history_change_reason


def test_uploading_the_same_files_again_records_and_keeps_nothing(
    ready: Participant, coordinator: User, var_dir: Path
) -> None:
    """Issue 16, finding 7: an identical re-import adds no import record and no copy."""
    first = services.import_exports(coordinator, ready, upload(*FIRST), now=NOW)
    before = {d: (r.active_minutes, r.steps) for d, r in _days(ready).items()}
    kept = uploaded_files(var_dir)
    with pytest.raises(AlreadyImported) as repeat:
        services.import_exports(coordinator, ready, upload(*FIRST), now=NOW + dt.timedelta(hours=1))
    assert repeat.value.earlier == first
    assert str(repeat.value) == (
        f"these files were already imported for NL-UTR-001 in import {first.pk} of "
        "2024-05-02: nothing was stored or counted again"
    )
    assert ActivityImport.objects.count() == 1
    assert ImportedFile.objects.count() == 2
    assert uploaded_files(var_dir) == kept
    assert {d: (r.active_minutes, r.steps) for d, r in _days(ready).items()} == before


def test_a_file_imported_before_among_new_ones_is_reported_and_not_counted_twice(
    ready: Participant, coordinator: User
) -> None:
    first = services.import_exports(coordinator, ready, upload(FIRST[0]), now=NOW)
    again = services.import_exports(coordinator, ready, upload(*FIRST), now=NOW)
    assert again.statuses == ["already imported", "imported"]
    summary = import_summary(again, coordinator)
    assert summary.files[0].message == (
        f"already imported in import {first.pk} of 2024-05-02: nothing read again or counted twice"
    )


def test_an_overlapping_later_export_adds_a_day_and_counts_duplicates(
    ready: Participant, coordinator: User
) -> None:
    services.import_exports(coordinator, ready, upload(*FIRST), now=NOW)
    later = services.import_exports(coordinator, ready, upload(*LATER, tracker_id=""), now=NOW)
    # 22 April is in both exports: 1,440 minutes of steps and of intensity (PROVENANCE.md)
    assert later.duplicates == 2 * 1440
    assert later.days_updated == 4
    days = _days(ready)
    assert sorted(days) == sorted(FITBIT)
    assert (days[dt.date(2016, 4, 22)].active_minutes, days[dt.date(2016, 4, 22)].steps) == (
        27 + 66,
        12764,
    )
    assert days[dt.date(2016, 4, 23)].steps == FITBIT[dt.date(2016, 4, 23)][3]


def test_a_file_of_someone_else_is_reported_and_not_burnt(
    ready: Participant, enrol, coordinator: User
) -> None:
    record = services.import_exports(coordinator, ready, upload(*FIRST, OTHER), now=NOW)
    assert record.statuses == ["imported", "imported", "failed"]
    message = import_summary(record, coordinator).files[2].message
    assert message.startswith(
        f"not imported: {OTHER}: holds the minutes of participant 1624580081, not of NL-UTR-001 "
        f"(tracker id {TRACKER}); nothing imported"
    )
    assert record.report["files"][2]["rejected"] == 24 * 60
    assert minute_store().participants() == [TRACKER]
    # the file was kept away from the store, so it still imports for its own participant
    other = enrol(coordinator, "NL-UTR-002")
    theirs = services.import_exports(
        coordinator, other, upload(OTHER, tracker_id="1624580081"), now=NOW
    )
    assert theirs.statuses == ["imported"]
    assert DailyActivity.objects.filter(participant=other).count() == 1


def test_a_shared_export_imports_her_minutes_and_rejects_the_others(
    ready: Participant, coordinator: User
) -> None:
    header, *hers = (REFERENCE / FIRST[1]).read_text().splitlines()
    theirs = (REFERENCE / OTHER).read_text().splitlines()[1:]
    shared = "\n".join([header, *hers, *theirs]) + "\n"
    given = services.Upload(
        "fitabase",
        [services.ExportFile("minuteStepsWide_merged.csv", io.BytesIO(shared.encode()))],
        tracker_id=TRACKER,
    )
    record = services.import_exports(coordinator, ready, given, now=NOW)
    (entry,) = record.report["files"]
    # 72 of her hours and 24 of the other participant's, 60 minute values each
    assert (entry["accepted"], entry["rejected"]) == (72 * 60, 24 * 60)
    assert entry["reasons"] == {"unknown participant": 24 * 60}
    summary = import_summary(record, coordinator)
    assert summary.outcome == "partly imported"
    assert summary.files[0].message == (
        "imported: 4,320 minute values accepted, 1,440 rejected (reasons below); the minutes "
        "of participant 1624580081 were not imported and this file cannot be imported again "
        "for them — upload each participant's own export"
    )


def test_a_file_with_the_wrong_columns_fails_alone(ready: Participant, coordinator: User) -> None:
    record = services.import_exports(coordinator, ready, upload(DAILY, *FIRST), now=NOW)
    assert record.statuses == ["failed", "imported", "imported"]
    message = import_summary(record, coordinator).files[0].message
    assert message.startswith(
        f"not imported: {DAILY}: this is a daily activity file, not a minute file"
    )
    assert import_summary(record, coordinator).outcome == "partly imported"
    assert len(_days(ready)) == 3


def test_a_fitabase_file_without_her_tracker_id_is_refused_with_what_to_do(
    ready: Participant, coordinator: User
) -> None:
    record = services.import_exports(coordinator, ready, upload(*FIRST, tracker_id=""), now=NOW)
    assert record.statuses == ["failed", "failed"]
    assert "give her tracker id if this is hers" in record.report["files"][0]["error"]
    assert record.accepted == 0
    assert not TrackerAccount.objects.exists()  # her id is set by the first stored minutes
    assert import_summary(record, coordinator).outcome == "nothing imported"


def test_formats_that_name_nobody_are_stored_under_her_study_id(
    ready: Participant, coordinator: User, reference_dir: Path
) -> None:
    steps = reference_dir / "trackers" / "fitbit_json" / "steps-2024-03-30.json"
    given = services.Upload(
        format="fitbit-json",
        files=[services.ExportFile(steps.name, io.BytesIO(steps.read_bytes()))],
    )
    record = services.import_exports(coordinator, ready, given, now=NOW)
    assert record.statuses == ["imported"]
    assert record.tracker_id == "NL-UTR-001"
    assert minute_store().participants() == ["NL-UTR-001"]
    assert DailyActivity.objects.filter(participant=ready).exists()


def test_her_tracker_id_cannot_change_once_minutes_are_stored(
    ready: Participant, coordinator: User, var_dir: Path
) -> None:
    services.import_exports(coordinator, ready, upload(*FIRST), now=NOW)
    kept = uploaded_files(var_dir)
    with pytest.raises(TrialStateError, match="stored under tracker id 1503960366"):
        services.import_exports(coordinator, ready, upload(*LATER, tracker_id="999"), now=NOW)
    assert ActivityImport.objects.count() == 1
    assert uploaded_files(var_dir) == kept


def test_a_tracker_id_of_another_participant_is_refused(
    ready: Participant, enrol, coordinator: User
) -> None:
    services.import_exports(coordinator, ready, upload(*FIRST), now=NOW)
    other = enrol(coordinator, "NL-UTR-002")
    with pytest.raises(InputError, match="tracker_id: value '1503960366': belongs to another"):
        services.import_exports(coordinator, other, upload(*LATER), now=NOW)
    with pytest.raises(InputError, match="value 'NL-UTR-001': belongs to another participant"):
        services.import_exports(
            coordinator, other, upload(*LATER, tracker_id="NL-UTR-001"), now=NOW
        )


def _nothing_written(var_dir: Path) -> None:
    assert not ActivityImport.objects.exists()
    assert not DailyActivity.objects.exists()
    assert not TrackerAccount.objects.exists()
    assert uploaded_files(var_dir) == []
    assert MinuteStore(var_dir / "trackers").imports() == []


def test_staff_of_another_centre_are_refused(
    ready: Participant, other_coordinator: User, var_dir: Path
) -> None:
    with pytest.raises(AccessDenied, match="coord-hei does not work at centre NL-UTR"):
        services.import_exports(other_coordinator, ready, upload(*FIRST), now=NOW)
    _nothing_written(var_dir)


@pytest.mark.parametrize("who", ["statistician", "clinician"])
def test_only_coordinators_and_physiotherapists_upload(
    request: pytest.FixtureRequest, ready: Participant, who: str, var_dir: Path
) -> None:
    user = request.getfixturevalue(who)
    with pytest.raises(AccessDenied, match="only a trial coordinator, physiotherapist may do"):
        services.import_exports(user, ready, upload(*FIRST), now=NOW)
    _nothing_written(var_dir)


def test_a_physiotherapist_at_her_centre_may_upload(ready: Participant, physio: User) -> None:
    record = services.import_exports(physio, ready, upload(*FIRST), now=NOW)
    assert record.imported_by == physio


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"fmt": "fitbit-csv"}, "column format: value 'fitbit-csv': is not a tracker format"),
        ({"time_zone": "Mars/Olympus"}, "column time_zone: value 'Mars/Olympus': is not a time"),
        ({"channel": "fax"}, "column channel: value 'fax': is not an import channel"),
    ],
)
def test_bad_input_is_refused_before_anything_is_written(
    ready: Participant, coordinator: User, var_dir: Path, change: dict[str, str], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        services.import_exports(coordinator, ready, upload(*FIRST, **change), now=NOW)
    _nothing_written(var_dir)


def test_an_upload_without_files_is_refused(
    ready: Participant, coordinator: User, var_dir: Path
) -> None:
    with pytest.raises(InputError, match="column files: no files were given"):
        services.import_exports(coordinator, ready, services.Upload("fitabase", []), now=NOW)
    _nothing_written(var_dir)


def test_a_store_failure_leaves_nothing_behind(
    ready: Participant, coordinator: User, var_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ImportFormatError("cannot be read", file="x.csv")

    monkeypatch.setattr(MinuteStore, "import_files", broken)
    with pytest.raises(ImportFormatError):
        services.import_exports(coordinator, ready, upload(*FIRST), now=NOW)
    _nothing_written(var_dir)


def test_a_database_failure_after_the_store_heals_on_uploading_again(
    ready: Participant, coordinator: User, var_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database went away")

    with monkeypatch.context() as patch:
        patch.setattr(services, "_upsert_days", broken)
        with pytest.raises(RuntimeError):
            services.import_exports(coordinator, ready, upload(*FIRST), now=NOW)
    assert not ActivityImport.objects.exists()
    assert not TrackerAccount.objects.exists()
    assert uploaded_files(var_dir) == []
    assert minute_store().participants() == [TRACKER]  # the store had committed
    again = services.import_exports(coordinator, ready, upload(*FIRST), now=NOW)
    assert again.statuses == ["already imported", "already imported"]
    assert again.days_updated == 3
    assert len(_days(ready)) == 3
