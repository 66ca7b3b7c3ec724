"""Randomising, previewing and correcting through the services: rules, refusals, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, OperationalError, connection

from exonc.errors import (
    AccessDenied,
    AlreadyRandomised,
    InputError,
    ListExhausted,
    ListIntegrityError,
    NoAllocationSequence,
    NotEligible,
    RandomisationError,
    RandomisationInputError,
    TrialStateError,
)
from exonc.platform.accounts.models import User
from exonc.platform.allocation import services
from exonc.platform.allocation.models import (
    Allocation,
    AllocationCorrection,
    AllocationSequence,
    RefusedRandomisation,
)
from exonc.platform.trial import services as trial_services
from exonc.platform.trial.models import Centre, CentreMembership, Participant, Visit
from tests.platform.allocation.conftest import NOW, UTR_FIRST_LINE, MakeReady
from tests.platform.conftest import TODAY

pytestmark = pytest.mark.django_db

UTR_1 = "centre=NL-UTR|line_of_treatment=1st/2nd"


def test_randomise_allocates_the_next_position_and_schedules_visits(
    hand_sequence: AllocationSequence, ready: Participant, coordinator: User
) -> None:
    allocation = services.randomise(coordinator, ready, now=NOW, expected_stratum=UTR_1)
    assert allocation.arm == UTR_FIRST_LINE[0]
    assert (allocation.sequence, allocation.list_position, allocation.decision) == (1, 1, None)
    assert allocation.stratum == UTR_1
    assert allocation.source == hand_sequence
    assert allocation.purpose == "live"
    assert allocation.method == "blocks"
    assert allocation.allocated_by == coordinator
    assert allocation.allocated_at == NOW
    # 10:30 UTC on 2 May is 12:30 in Utrecht (CEST): the same date.
    assert allocation.allocated_on == dt.date(2024, 5, 2)
    assert allocation.protocol_version.version == "1.0"
    visits = Visit.objects.filter(participant=ready)
    assert sorted(visits.values_list("code", flat=True)) == ["baseline", "m3", "m6", "m9"]
    entry = visits.get(code="m3").history.get()
    assert entry.history_user == coordinator
    assert entry.history_change_reason == "scheduled from randomisation on 2024-05-02"


def test_the_local_date_is_the_centres(
    hand_sequence: AllocationSequence, make_ready: MakeReady, coordinator: User
) -> None:
    # 22:30 UTC on 1 May is already 2 May in Utrecht (UTC+2 in summer).
    late = dt.datetime(2024, 5, 1, 22, 30, tzinfo=dt.UTC)
    allocation = services.randomise(coordinator, make_ready("NL-UTR-002"), now=late)
    assert allocation.allocated_on == dt.date(2024, 5, 2)


def test_positions_run_within_each_stratum(
    hand_sequence: AllocationSequence, make_ready: MakeReady, coordinator: User
) -> None:
    given = [
        services.randomise(coordinator, make_ready(f"NL-UTR-{i:03d}"), now=NOW) for i in range(1, 4)
    ]
    third_line = services.randomise(coordinator, make_ready("NL-UTR-009", line="3rd+"), now=NOW)
    assert [a.arm for a in given] == UTR_FIRST_LINE[:3]
    assert [a.list_position for a in given] == [1, 2, 3]
    # NL-UTR 3rd+ starts at its own position 1 (exercise in the hand list).
    assert (third_line.list_position, third_line.arm) == (1, "exercise")
    assert [a.sequence for a in [*given, third_line]] == [1, 2, 3, 4]


def _refused(participant: Participant) -> RefusedRandomisation:
    return RefusedRandomisation.objects.get(participant=participant)


def _nothing_allocated(participant: Participant) -> None:
    assert not Allocation.objects.filter(participant=participant).exists()
    assert not Visit.objects.filter(participant=participant).exists()


def test_already_randomised_is_refused_and_recorded(
    hand_sequence: AllocationSequence, ready: Participant, coordinator: User
) -> None:
    first = services.randomise(coordinator, ready, now=NOW)
    with pytest.raises(AlreadyRandomised, match="NL-UTR-001 was randomised on 2024-05-02"):
        services.randomise(coordinator, ready, now=NOW)
    assert list(Allocation.objects.all()) == [first]
    assert Visit.objects.filter(participant=ready).count() == 4
    refusal = _refused(ready)
    assert (refusal.user, refusal.error) == (coordinator, "AlreadyRandomised")
    assert "an allocation is final" in refusal.reason


def test_not_screened_is_refused(hand_sequence: AllocationSequence, coordinator: User) -> None:
    participant = trial_services.enrol(
        coordinator,
        trial_services.Enrolment("NL-UTR-050", "NL-UTR", 1970, line_of_treatment="1st/2nd"),
        today=TODAY,
    )
    with pytest.raises(NotEligible, match="NL-UTR-050 has no eligible screening; screen her first"):
        services.randomise(coordinator, participant, now=NOW)
    _nothing_allocated(participant)
    assert _refused(participant).error == "NotEligible"


def test_withdrawn_consent_is_refused(
    hand_sequence: AllocationSequence, ready: Participant, coordinator: User
) -> None:
    consent = ready.consents.get()
    trial_services.withdraw_consent(coordinator, consent, withdrawn_on=TODAY, reason="changed mind")
    with pytest.raises(NotEligible, match="has no active consent"):
        services.randomise(coordinator, ready, now=NOW)
    _nothing_allocated(ready)


def test_withdrawn_participant_is_refused(
    hand_sequence: AllocationSequence, ready: Participant, coordinator: User
) -> None:
    trial_services.withdraw(
        coordinator, ready, withdrawn_on=TODAY, kind="follow-up", reason="moved abroad"
    )
    with pytest.raises(NotEligible, match="has withdrawn from the trial"):
        services.randomise(coordinator, ready, now=NOW)
    _nothing_allocated(ready)


def test_missing_stratification_data_is_refused(
    hand_sequence: AllocationSequence, make_ready: MakeReady, coordinator: User
) -> None:
    participant = make_ready("NL-UTR-060", line="")
    with pytest.raises(
        RandomisationInputError,
        match="column line_of_treatment: missing stratification data; record the participant's",
    ):
        services.randomise(coordinator, participant, now=NOW)
    _nothing_allocated(participant)
    assert _refused(participant).error == "RandomisationInputError"


def test_changed_stratification_data_since_confirmation_is_refused(
    hand_sequence: AllocationSequence, ready: Participant, coordinator: User
) -> None:
    trial_services.update_participant(
        coordinator, ready, {"line_of_treatment": "3rd+"}, reason="was 3rd line"
    )
    with pytest.raises(TrialStateError, match="stratification data changed since you confirmed"):
        services.randomise(coordinator, ready, now=NOW, expected_stratum=UTR_1)
    _nothing_allocated(ready)


def test_coordinator_of_another_centre_is_refused(
    hand_sequence: AllocationSequence, ready: Participant, other_coordinator: User
) -> None:
    with pytest.raises(AccessDenied, match="coord-hei does not work at centre NL-UTR"):
        services.randomise(other_coordinator, ready, now=NOW)
    _nothing_allocated(ready)
    assert _refused(ready).user == other_coordinator


@pytest.mark.parametrize("role", ["physio", "statistician"])
def test_only_coordinators_randomise(
    hand_sequence: AllocationSequence, ready: Participant, role: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(role)
    with pytest.raises(AccessDenied, match="only a trial coordinator may do this"):
        services.randomise(user, ready, now=NOW)
    _nothing_allocated(ready)


def test_administrator_may_randomise(
    hand_sequence: AllocationSequence, ready: Participant, administrator: User
) -> None:
    assert services.randomise(administrator, ready, now=NOW).allocated_by == administrator


def test_exhausted_stratum_is_refused(
    hand_sequence: AllocationSequence, make_ready: MakeReady, coordinator: User
) -> None:
    for i in range(2):  # the hand list has 2 positions for NL-UTR 3rd+
        services.randomise(coordinator, make_ready(f"NL-UTR-11{i}", line="3rd+"), now=NOW)
    third = make_ready("NL-UTR-112", line="3rd+")
    with pytest.raises(ListExhausted, match=r"line_of_treatment=3rd\+ has no unused position"):
        services.randomise(coordinator, third, now=NOW)
    _nothing_allocated(third)


def test_stratum_missing_from_the_list_is_refused(
    hand_sequence: AllocationSequence,
    make_ready: MakeReady,
    coordinator: User,
    centres: dict[str, Centre],
) -> None:
    CentreMembership.objects.create(user=coordinator, centre=centres["NL-AMS"])
    participant = make_ready("NL-AMS-001", centre="NL-AMS")
    with pytest.raises(ListExhausted, match="has no positions for stratum centre=NL-AMS"):
        services.randomise(coordinator, participant, now=NOW)


def test_nothing_loaded_is_refused(ready: Participant, coordinator: User) -> None:
    with pytest.raises(NoAllocationSequence, match="exonc allocation load"):
        services.randomise(coordinator, ready, now=NOW)
    _nothing_allocated(ready)


def _tamper(sql: str, *params: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_changed_list_is_refused(
    hand_sequence: AllocationSequence, ready: Participant, coordinator: User
) -> None:
    changed = hand_sequence.content.replace(
        "NL-UTR|line_of_treatment=1st/2nd,1,1,2,control",
        "NL-UTR|line_of_treatment=1st/2nd,1,1,2,exercise",
    ).replace(
        "NL-UTR|line_of_treatment=1st/2nd,2,1,2,exercise",
        "NL-UTR|line_of_treatment=1st/2nd,2,1,2,control",
    )
    assert changed != hand_sequence.content
    _tamper("UPDATE allocation_allocationsequence SET content = %s", changed)
    with pytest.raises(ListIntegrityError, match="does not match its recorded SHA-256"):
        services.randomise(coordinator, ready, now=NOW)
    _nothing_allocated(ready)
    assert _refused(ready).error == "ListIntegrityError"


def test_a_changed_checksum_is_refused(
    hand_sequence: AllocationSequence, ready: Participant, coordinator: User
) -> None:
    _tamper("UPDATE allocation_allocationsequence SET sha256 = %s", "0" * 64)
    with pytest.raises(ListIntegrityError, match="exonc allocation verify"):
        services.randomise(coordinator, ready, now=NOW)


def test_preview_shows_what_will_be_locked_without_the_arm(
    hand_sequence: AllocationSequence, ready: Participant, coordinator: User
) -> None:
    preview = services.preview(coordinator, ready)
    assert preview.ready
    assert preview.stratum == UTR_1
    assert preview.purpose == "live"
    assert [(f.code, f.level) for f in preview.levels] == [
        ("centre", "NL-UTR"),
        ("line_of_treatment", "1st/2nd"),
    ]
    assert "exercise" not in repr(preview)
    assert "control" not in repr(preview)
    assert not Allocation.objects.exists()
    assert not RefusedRandomisation.objects.exists()


def test_preview_says_why_not(
    hand_sequence: AllocationSequence, make_ready: MakeReady, coordinator: User
) -> None:
    preview = services.preview(coordinator, make_ready("NL-UTR-070", line=""))
    assert not preview.ready
    assert "missing stratification data" in (preview.refusal or "")
    assert preview.levels[1].level == ""


def test_preview_checks_role_and_centre(
    hand_sequence: AllocationSequence, ready: Participant, physio: User, other_coordinator: User
) -> None:
    with pytest.raises(AccessDenied):
        services.preview(physio, ready)
    with pytest.raises(AccessDenied):
        services.preview(other_coordinator, ready)


# ----------------------------------------------------------------- corrections


@pytest.fixture
def given(hand_sequence: AllocationSequence, ready: Participant, coordinator: User) -> Allocation:
    return services.randomise(coordinator, ready, now=NOW)


def test_correction_is_recorded_and_the_allocation_unchanged(
    given: Allocation, coordinator: User
) -> None:
    correction = services.correct(
        coordinator,
        given,
        kind="stratification",
        problem=" randomised as 1st/2nd line, was 3rd line ",
        action="analyse in the 3rd+ stratum; allocation kept",
        now=NOW,
    )
    assert correction.problem == "randomised as 1st/2nd line, was 3rd line"
    assert (correction.recorded_by, correction.recorded_at) == (coordinator, NOW)
    fresh = Allocation.objects.get(pk=given.pk)
    assert (fresh.arm, fresh.stratum) == (given.arm, given.stratum)
    assert list(fresh.corrections.all()) == [correction]


@pytest.mark.parametrize(
    ("kind", "problem", "action", "message"),
    [
        ("typo", "p", "a", "column kind: value 'typo': must be one of stratification"),
        ("other", "  ", "a", "column problem: is empty; say what was wrong"),
        ("other", "p", "", "column action: is empty"),
    ],
)
def test_bad_correction_is_refused(
    given: Allocation, coordinator: User, kind: str, problem: str, action: str, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        services.correct(coordinator, given, kind=kind, problem=problem, action=action, now=NOW)
    assert not AllocationCorrection.objects.exists()


def test_correction_is_scoped_and_role_checked(
    given: Allocation, other_coordinator: User, physio: User
) -> None:
    for user in (other_coordinator, physio):
        with pytest.raises(AccessDenied):
            services.correct(user, given, kind="other", problem="p", action="a", now=NOW)
    assert not AllocationCorrection.objects.exists()


# ----------------------------------------------------------------- append-only


def test_allocations_and_sequences_are_final(
    given: Allocation, hand_sequence: AllocationSequence
) -> None:
    given.arm = "control" if given.arm == "exercise" else "exercise"
    with pytest.raises(AlreadyRandomised, match="final and cannot be changed"):
        given.save()
    with pytest.raises(AlreadyRandomised, match="cannot be deleted"):
        given.delete()
    with pytest.raises(TrialStateError, match="cannot be changed"):
        Allocation.objects.update(arm="control")
    with pytest.raises(TrialStateError, match="cannot be deleted"):
        Allocation.objects.all().delete()
    with pytest.raises(TrialStateError, match="AllocationSequence records are final"):
        hand_sequence.save()
    with pytest.raises(IntegrityError):  # the database refuses a second allocation too
        Allocation.objects.bulk_create([_copy(given)])


def _copy(allocation: Allocation) -> Allocation:
    return Allocation(
        participant=allocation.participant,
        arm=allocation.arm,
        stratum=allocation.stratum,
        method=allocation.method,
        sequence=allocation.sequence + 1,
        source=allocation.source,
        purpose=allocation.purpose,
        list_position=allocation.list_position + 1 if allocation.list_position else None,
        allocated_at=allocation.allocated_at,
        allocated_on=allocation.allocated_on,
        allocated_by=allocation.allocated_by,
        protocol_version=allocation.protocol_version,
    )


# ----------------------------------------------------------------- retries


def test_retry_after_a_lost_race_or_a_busy_database() -> None:
    failures: list[Exception] = [
        IntegrityError("UNIQUE constraint failed"),
        OperationalError("database is locked"),
    ]

    def attempt() -> str:
        if failures:
            raise failures.pop(0)
        return "done"

    assert services._retrying(attempt) == "done"


def test_retry_gives_up_with_a_clear_refusal() -> None:
    def attempt() -> str:
        raise OperationalError("database is locked")

    with pytest.raises(RandomisationError, match="could not be completed in 5 attempts"):
        services._retrying(attempt)


def test_other_database_errors_are_not_retried() -> None:
    calls = []

    def attempt() -> str:
        calls.append(1)
        raise OperationalError("no such table: x")

    with pytest.raises(OperationalError):
        services._retrying(attempt)
    assert calls == [1]
