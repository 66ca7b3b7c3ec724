"""Data queries through their services: open, answer, correct, send back, close."""

from __future__ import annotations

import datetime as dt

import pytest

from exonc.errors import AccessDenied, InputError, TrialStateError
from exonc.platform.accounts.models import User
from exonc.platform.queries import corrections, services
from exonc.platform.queries.models import DataQuery, QueryMessage, QueryStatus, Target
from exonc.platform.trial import services as trial
from exonc.platform.trial.models import Participant
from tests.platform.conftest import TODAY

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2024, 5, 2, 10, 0, tzinfo=dt.UTC)


def _ecog_query(monitor: User, p: Participant) -> DataQuery:
    return services.open_query(
        monitor,
        p,
        target=Target.PARTICIPANT,
        object_id=None,
        field="ecog",
        question="ECOG missing; the clinic letter says 1?",
        now=NOW,
    )


def test_a_monitor_opens_a_query_on_a_value(ready: Participant, monitor: User) -> None:
    query = _ecog_query(monitor, ready)
    assert (query.status, query.value_seen, query.record) == ("open", "—", "Baseline")
    assert [m.step for m in query.messages.all()] == ["opened"]
    assert query.history.get().history_change_reason == "query opened"


@pytest.mark.parametrize(
    ("field", "problem"),
    [("colour", "is not a field of Baseline"), ("ecog", None)],
)
def test_only_fields_of_the_record_are_queried(
    ready: Participant, monitor: User, field: str, problem: str | None
) -> None:
    call = lambda: services.open_query(  # noqa: E731
        monitor, ready, target="participant", object_id=None, field=field, question="?", now=NOW
    )
    if problem is None:
        call()
    else:
        with pytest.raises(InputError, match=problem):
            call()
        assert not DataQuery.objects.exists()


def test_a_query_needs_a_question(ready: Participant, monitor: User) -> None:
    with pytest.raises(InputError, match="column question: is empty"):
        services.open_query(
            monitor,
            ready,
            target="participant",
            object_id=None,
            field="ecog",
            question=" ",
            now=NOW,
        )
    assert not DataQuery.objects.exists()


def test_a_record_of_another_participant_is_refused(
    ready: Participant, enrol: object, coordinator: User, monitor: User
) -> None:
    other = enrol(coordinator, "NL-UTR-002")  # type: ignore[operator]
    trial.schedule_visits(coordinator, ready, randomised_on=TODAY)
    visit = ready.visits.first()
    with pytest.raises(InputError, match="is not a record of NL-UTR-002"):
        services.open_query(
            monitor,
            other,
            target="visit",
            object_id=visit.pk,
            field="completed_on",
            question="?",
            now=NOW,
        )


@pytest.mark.parametrize("opener", ["coordinator", "physio", "statistician", "other_monitor"])
def test_only_monitors_of_the_centre_open_queries(
    request: pytest.FixtureRequest, ready: Participant, opener: str, centres: dict
) -> None:
    if opener == "other_monitor":
        from tests.platform.conftest import _user

        user = _user("monitor-hei", "monitor", [centres["DE-HEI"]])  # type: ignore[arg-type]
    else:
        user = request.getfixturevalue(opener)
    with pytest.raises(AccessDenied):
        _ecog_query(user, ready)
    assert not DataQuery.objects.exists()


def test_answer_then_close(ready: Participant, monitor: User, coordinator: User) -> None:
    query = _ecog_query(monitor, ready)
    query = services.answer(coordinator, query, "ECOG was not assessed at baseline", now=NOW)
    assert query.status == QueryStatus.ANSWERED
    with pytest.raises(AccessDenied):
        services.close(coordinator, query, "", now=NOW)  # the site does not close its own query
    query = services.close(monitor, query, "accepted", now=NOW)
    assert query.status == QueryStatus.CLOSED
    assert query.closed_at == NOW
    assert [m.step for m in query.messages.all()] == ["opened", "answered", "closed"]
    with pytest.raises(TrialStateError, match="already closed"):
        services.close(monitor, query, "", now=NOW)


def test_send_back_reopens(ready: Participant, monitor: User, coordinator: User) -> None:
    query = services.answer(coordinator, _ecog_query(monitor, ready), "see notes", now=NOW)
    query = services.send_back(monitor, query, "which notes?", now=NOW)
    assert query.status == QueryStatus.OPEN
    with pytest.raises(TrialStateError, match="is open, not answered"):
        services.send_back(monitor, query, "again", now=NOW)


def test_a_correction_goes_through_the_owning_service_naming_the_query(
    ready: Participant, monitor: User, coordinator: User
) -> None:
    query = _ecog_query(monitor, ready)
    apply = corrections.applier(coordinator, query, "1", NOW)
    query = services.correct(coordinator, query, "clinic letter of 2 May", now=NOW, apply=apply)
    ready.refresh_from_db()
    assert ready.ecog == 1
    assert ready.history.latest().history_change_reason == (
        f"query {query.pk}: clinic letter of 2 May"
    )
    assert query.status == QueryStatus.ANSWERED
    assert query.messages.last().text == "clinic letter of 2 May (— → 1)"


def test_a_refused_correction_writes_nothing(
    ready: Participant, monitor: User, coordinator: User
) -> None:
    query = _ecog_query(monitor, ready)
    apply = corrections.applier(coordinator, query, "9", NOW)
    with pytest.raises(InputError, match="from 0 to 5"):
        services.correct(coordinator, query, "typo", now=NOW, apply=apply)
    ready.refresh_from_db()
    query.refresh_from_db()
    assert ready.ecog is None
    assert query.status == QueryStatus.OPEN
    assert QueryMessage.objects.count() == 1


def test_a_visit_date_is_corrected_with_the_query_as_reason(
    ready: Participant, monitor: User, coordinator: User
) -> None:
    visit = trial.schedule_visits(coordinator, ready, randomised_on=dt.date(2024, 1, 10))[1]
    trial.complete_visit(coordinator, visit, completed_on=dt.date(2024, 4, 12), today=TODAY)
    query = services.open_query(
        monitor,
        ready,
        target="visit",
        object_id=visit.pk,
        field="completed_on",
        question="CRF says 11 April",
        now=NOW,
    )
    assert query.value_seen == "2024-04-12"
    apply = corrections.applier(coordinator, query, "2024-04-11", NOW)
    services.correct(coordinator, query, "CRF checked", now=NOW, apply=apply)
    visit.refresh_from_db()
    assert visit.completed_on == dt.date(2024, 4, 11)
    assert visit.history.latest().history_change_reason == f"query {query.pk}: CRF checked"


def test_a_monitor_cannot_correct(ready: Participant, monitor: User) -> None:
    query = _ecog_query(monitor, ready)
    with pytest.raises(AccessDenied):
        services.correct(monitor, query, "x", now=NOW, apply=lambda reason: None)
