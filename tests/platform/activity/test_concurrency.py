"""Simultaneous uploads for one participant, through the real service, store and database.

Each upload runs in its own thread with its own database connection (as a web server's
workers do). The minute store takes its file lock for each import; the database
transaction locks the participant's row (PostgreSQL) or the database (SQLite, IMMEDIATE)
while her days are recomputed, so the last to commit has read every committed import.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from django.db import connection

from exonc.errors import AlreadyImported
from exonc.platform.accounts.models import User
from exonc.platform.activity import services
from exonc.platform.activity.models import ActivityImport, DailyActivity, TrackerAccount
from exonc.platform.trial.models import Participant
from tests.platform.activity.conftest import FIRST, LATER, NOW, upload

pytestmark = pytest.mark.django_db(transaction=True)


def _race(calls: list[Callable[[], object]]) -> tuple[list[object], list[BaseException]]:
    barrier = threading.Barrier(len(calls))
    results: list[object] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            result = call()
            with lock:
                results.append(result)
        except BaseException as error:
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def _uploads_at_once(ready: Participant, coordinator: User) -> None:
    calls = [
        lambda names=names: services.import_exports(coordinator, ready, upload(*names), now=NOW)
        for names in (FIRST, FIRST, LATER, LATER)
    ]
    results, errors = _race(calls)
    # each export recorded once; its twin is told it was already imported (issue 16, 7)
    assert len(results) == 2
    assert [type(e) for e in errors] == [AlreadyImported] * 2
    assert ActivityImport.objects.count() == 2
    assert TrackerAccount.objects.get(participant=ready).tracker_id == "1503960366"
    days = {d.date: d for d in DailyActivity.objects.filter(participant=ready)}
    assert sorted(days) == [dt.date(2016, 4, d) for d in (20, 21, 22, 23)]
    assert days[dt.date(2016, 4, 22)].steps == 12764  # Fitbit's TotalSteps: not doubled


def test_the_same_and_overlapping_exports_uploaded_at_once(
    ready: Participant, coordinator: User
) -> None:
    _uploads_at_once(ready, coordinator)


@pytest.mark.postgres
def test_the_same_race_on_postgresql(ready: Participant, coordinator: User) -> None:
    assert connection.vendor == "postgresql"
    _uploads_at_once(ready, coordinator)
