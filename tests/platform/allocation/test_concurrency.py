"""Simultaneous randomisation requests through the real service and database.

Each request runs in its own thread with its own database connection (as a web server's
workers do) and all start together at a barrier. On SQLite the transactions are IMMEDIATE
(the database's write lock is taken when they begin); on PostgreSQL the current sequence's
row is locked with ``SELECT … FOR UPDATE``. Either way: no list position is used twice, no
participant is allocated twice, and no request fails other than with a clear refusal.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import connection

from exonc.errors import AlreadyRandomised
from exonc.platform.accounts.models import User
from exonc.platform.allocation import services
from exonc.platform.allocation.models import Allocation, RefusedRandomisation
from exonc.platform.trial.models import Centre, Consent, Participant, Screening, Visit
from exonc.platform.trial.protocols import protocol_version
from exonc.randomisation import AllocationList
from tests.platform.allocation.conftest import NOW
from tests.platform.conftest import TODAY

pytestmark = pytest.mark.django_db(transaction=True)

LINES = ("1st/2nd", "3rd+")


def _ready_many(centre: Centre, coordinator: User, n: int) -> list[Participant]:
    """*n* eligible, consented participants at *centre*, alternating line of treatment."""
    version = protocol_version()
    Participant.objects.bulk_create(
        Participant(
            study_id=f"C-{i:03d}",
            centre=centre,
            protocol_version=version,
            birth_year=1970,
            sex="F",
            line_of_treatment=LINES[i % 2],
        )
        for i in range(n)
    )
    people = list(Participant.objects.filter(study_id__startswith="C-").order_by("study_id"))
    Screening.objects.bulk_create(
        Screening(
            participant=p,
            protocol_version=version,
            screened_on=TODAY,
            screened_by=coordinator,
            eligible=True,
        )
        for p in people
    )
    Consent.objects.bulk_create(
        Consent(
            participant=p,
            protocol_version=version,
            consent_version="1.0",
            consented_on=TODAY,
            recorded_by=coordinator,
        )
        for p in people
    )
    return people


def _race(calls: list[Callable[[], object]]) -> tuple[list[object], list[BaseException]]:
    """Run *calls* in threads that start together; their results and exceptions."""
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


def _randomise(user: User, participant: Participant) -> Callable[[], object]:
    return lambda: services.randomise(user, participant, now=NOW)


def _check_distinct_positions(allocation_list: AllocationList) -> None:
    given = list(Allocation.objects.all())
    assert len({a.participant_id for a in given}) == len(given)
    assert sorted(a.sequence for a in given) == list(range(1, len(given) + 1))
    per_stratum = Counter(a.stratum for a in given)
    for stratum, n in per_stratum.items():
        positions = sorted(a.list_position or 0 for a in given if a.stratum == stratum)
        assert positions == list(range(1, n + 1))  # none twice, none skipped
    for a in given:  # every arm is the list's arm at the position given
        assert a.arm == allocation_list.stratum(a.stratum)[(a.list_position or 0) - 1].arm


def test_sixty_simultaneous_requests_for_different_participants(
    long_sequence: AllocationList, centres: dict[str, Centre], coordinator: User
) -> None:
    people = _ready_many(centres["NL-UTR"], coordinator, 60)
    results, errors = _race([_randomise(coordinator, p) for p in people])
    assert errors == []
    assert len(results) == 60
    _check_distinct_positions(long_sequence)
    assert Visit.objects.count() == 4 * 60


def test_fifty_simultaneous_requests_for_one_participant(
    long_sequence: AllocationList, centres: dict[str, Centre], coordinator: User
) -> None:
    (participant,) = _ready_many(centres["NL-UTR"], coordinator, 1)
    results, errors = _race([_randomise(coordinator, participant) for _ in range(50)])
    assert len(results) == 1
    assert len(errors) == 49
    assert all(isinstance(e, AlreadyRandomised) for e in errors), {type(e) for e in errors}
    assert Allocation.objects.count() == 1
    assert Visit.objects.count() == 4
    assert RefusedRandomisation.objects.filter(error="AlreadyRandomised").count() == 49


def _mixed_race(allocation_list: AllocationList, centre: Centre, coordinator: User) -> None:
    people = _ready_many(centre, coordinator, 30)
    calls = [_randomise(coordinator, p) for p in people for _ in range(2)]
    results, errors = _race(calls)
    assert len(results) == 30
    assert len(errors) == 30
    assert all(isinstance(e, AlreadyRandomised) for e in errors), {type(e) for e in errors}
    _check_distinct_positions(allocation_list)


def test_each_participant_requested_twice_at_once(
    long_sequence: AllocationList, centres: dict[str, Centre], coordinator: User
) -> None:
    _mixed_race(long_sequence, centres["NL-UTR"], coordinator)


@pytest.mark.postgres
def test_row_lock_on_postgresql(
    long_sequence: AllocationList, centres: dict[str, Centre], coordinator: User
) -> None:
    """The same race on PostgreSQL, where the per-sequence row lock does the work."""
    assert connection.vendor == "postgresql"
    _mixed_race(long_sequence, centres["NL-UTR"], coordinator)
