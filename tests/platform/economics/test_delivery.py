"""Programme delivery: therapist minutes and group size per session, derived from the
session's record, else the centre's defaults, else the trial's (60 min, one-to-one)."""

from __future__ import annotations

import datetime as dt

import pytest

from exonc.errors import AccessDenied, EconomicsInputError, InputError, TrialStateError
from exonc.platform.accounts.models import User
from exonc.platform.economics import delivery
from exonc.platform.economics.models import DeliveryDefaults, DeliveryRecord
from exonc.platform.exercise.models import SessionLog
from exonc.platform.trial.models import Centre, Participant
from tests.platform.economics.conftest import log

pytestmark = pytest.mark.django_db

TUESDAY = dt.date(2024, 3, 5)


@pytest.fixture
def sessions(utr: Participant, physio: User) -> list[SessionLog]:
    return [
        log(utr, TUESDAY, by=physio),
        log(utr, TUESDAY + dt.timedelta(days=2), by=physio),
        log(utr, TUESDAY + dt.timedelta(days=7), attendance="missed", by=physio),
        log(utr, TUESDAY + dt.timedelta(days=9), setting="home", attendance="home_done", by=physio),
    ]


def test_a_record_is_stored_and_audited(sessions: list[SessionLog], physio: User) -> None:
    record = delivery.record_delivery(physio, sessions[0], therapist_minutes="45", group_size="4")
    assert (record.therapist_minutes, record.group_size, record.recorded_by) == (45.0, 4, physio)
    row = record.history.get()
    assert (row.history_user, row.history_change_reason) == (physio, "delivery recorded")


def test_a_change_needs_a_reason(sessions: list[SessionLog], physio: User) -> None:
    delivery.record_delivery(physio, sessions[0], therapist_minutes=45, group_size=1)
    with pytest.raises(InputError, match="needs a reason"):
        delivery.record_delivery(physio, sessions[0], therapist_minutes=50, group_size=1)
    changed = delivery.record_delivery(
        physio, sessions[0], therapist_minutes=50, group_size=1, reason="notes took longer"
    )
    assert changed.therapist_minutes == 50
    assert changed.history.latest().history_change_reason == "notes took longer"


def test_derivation_takes_the_session_then_the_centre_then_the_trial(
    sessions: list[SessionLog], physio: User, coordinator: User, centres: dict[str, Centre]
) -> None:
    delivery.record_delivery(physio, sessions[0], therapist_minutes=45, group_size=4)
    logs = SessionLog.objects.all()
    before = delivery.delivered(logs)
    # the home session has no therapist: three supervised sessions, one missed
    assert [(d.therapist_minutes, d.group_size, d.source, d.attended) for d in before] == [
        (45.0, 4, "session", True),
        (60.0, 1, "trial", True),
        (60.0, 1, "trial", False),
    ]
    delivery.set_delivery_defaults(
        coordinator, centres["NL-UTR"], therapist_minutes=70, group_size=2
    )
    after = delivery.delivered(logs)
    assert [(d.therapist_minutes, d.group_size, d.source) for d in after] == [
        (45.0, 4, "session"),
        (70.0, 2, "centre"),
        (70.0, 2, "centre"),
    ]
    fact = after[0].fact()
    assert (fact.participant, fact.therapist_minutes, fact.group_size, fact.attended) == (
        "NL-UTR-001",
        45.0,
        4,
        True,
    )


def test_a_home_session_has_no_therapist(sessions: list[SessionLog], physio: User) -> None:
    with pytest.raises(TrialStateError, match="home session"):
        delivery.record_delivery(physio, sessions[3], therapist_minutes=10, group_size=1)
    assert not DeliveryRecord.objects.exists()


@pytest.mark.parametrize(
    ("who", "message"),
    [("other_physio", "does not work at centre NL-UTR"), ("clinician", "only a physiotherapist")],
)
def test_refusals_write_nothing(
    sessions: list[SessionLog], request: pytest.FixtureRequest, who: str, message: str
) -> None:
    user = request.getfixturevalue(who)
    with pytest.raises(AccessDenied, match=message):
        delivery.record_delivery(user, sessions[0], therapist_minutes=45, group_size=1)
    assert not DeliveryRecord.objects.exists()


@pytest.mark.parametrize(
    ("minutes", "group", "column", "message"),
    [
        ("-5", 1, "therapist_minutes", "must be 0 to 480 minutes"),
        ("481", 1, "therapist_minutes", "must be 0 to 480 minutes"),
        ("an hour", 1, "therapist_minutes", "is not a number"),
        ("inf", 1, "therapist_minutes", "is not a number"),
        (60, 0, "group_size", "whole number from 1 to 20"),
        (60, "2.5", "group_size", "whole number from 1 to 20"),
        (60, 21, "group_size", "whole number from 1 to 20"),
        (60, None, "group_size", "is not a number"),
    ],
)
def test_bad_figures_are_refused(
    sessions: list[SessionLog],
    physio: User,
    minutes: object,
    group: object,
    column: str,
    message: str,
) -> None:
    with pytest.raises(EconomicsInputError, match=message) as caught:
        delivery.record_delivery(physio, sessions[0], therapist_minutes=minutes, group_size=group)
    assert caught.value.column == column
    assert not DeliveryRecord.objects.exists()


def test_centre_defaults_are_for_coordinators_and_audited(
    centres: dict[str, Centre], coordinator: User, physio: User, other_coordinator: User
) -> None:
    utrecht = centres["NL-UTR"]
    with pytest.raises(AccessDenied, match="only a trial coordinator"):
        delivery.set_delivery_defaults(physio, utrecht, therapist_minutes=70, group_size=4)
    with pytest.raises(AccessDenied, match="does not work at centre NL-UTR"):
        delivery.set_delivery_defaults(
            other_coordinator, utrecht, therapist_minutes=70, group_size=4
        )
    with pytest.raises(EconomicsInputError, match="must be 1 to 480"):
        delivery.set_delivery_defaults(coordinator, utrecht, therapist_minutes=0, group_size=4)
    assert not DeliveryDefaults.objects.exists()
    assert delivery.centre_defaults(utrecht).source == "trial"
    delivery.set_delivery_defaults(coordinator, utrecht, therapist_minutes=70, group_size=4)
    with pytest.raises(InputError, match="needs a reason"):
        delivery.set_delivery_defaults(coordinator, utrecht, therapist_minutes=75, group_size=4)
    delivery.set_delivery_defaults(
        coordinator, utrecht, therapist_minutes=75, group_size=4, reason="longer warm-up"
    )
    shown = delivery.centre_defaults(utrecht)
    assert (shown.therapist_minutes, shown.group_size, shown.source) == (75.0, 4, "centre")
    assert [h["reason"] for h in shown.history] == ["longer warm-up", "delivery defaults set"]
