"""Trial operations through the services: scoping, audit, and refusals that change nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from exonc.errors import AccessDenied, DuplicateStudyId, InputError, NotEligible, UnknownCentre
from exonc.platform import access
from exonc.platform.accounts.models import User
from exonc.platform.trial import services
from exonc.platform.trial.models import Participant, Visit
from tests.platform.conftest import ELIGIBLE, TODAY

pytestmark = pytest.mark.django_db

Enrol = Callable[..., Participant]


def test_enrolment_records_protocol_version_and_audit(enrol: Enrol, coordinator: User) -> None:
    participant = enrol(coordinator, "NL-UTR-001")
    assert participant.protocol_version.name == "PREFERABLE-EFFECT"
    assert participant.protocol_version.version == "1.0"
    (entry,) = participant.history.all()
    assert entry.history_user == coordinator
    assert entry.history_change_reason == "enrolled"
    assert entry.history_type == "+"


def test_duplicate_study_id_is_refused_and_changes_nothing(enrol: Enrol, coordinator: User) -> None:
    enrol(coordinator, "NL-UTR-001")
    with pytest.raises(DuplicateStudyId, match="NL-UTR-001 is already in use"):
        enrol(coordinator, "NL-UTR-001")
    assert Participant.objects.count() == 1


def test_unknown_centre_is_refused(enrol: Enrol, coordinator: User) -> None:
    with pytest.raises(UnknownCentre, match="unknown centre 'XX-YYY'"):
        enrol(coordinator, "X-1", centre="XX-YYY")
    assert not Participant.objects.exists()


def test_staff_cannot_enrol_at_another_centre(enrol: Enrol, coordinator: User) -> None:
    with pytest.raises(AccessDenied, match="does not work at centre DE-HEI"):
        enrol(coordinator, "DE-HEI-001", centre="DE-HEI")
    assert not Participant.objects.exists()


def test_physiotherapist_cannot_enrol(enrol: Enrol, physio: User) -> None:
    with pytest.raises(AccessDenied, match="only a trial coordinator"):
        enrol(physio, "NL-UTR-009")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("birth_year", 2020, "column birth_year: value 2020: is not the birth year of an adult"),
        ("line_of_treatment", "2nd", r"value '2nd': must be one of 1st/2nd, 3rd\+"),
        ("ecog", 7, "column ecog: value 7: must be a whole number from 0 to 5"),
        ("metastatic_sites", ["liver", "banana"], "value 'banana': is not a metastatic site"),
    ],
)
def test_bad_enrolment_values_name_the_field(
    coordinator: User, centres: object, field: str, value: object, message: str
) -> None:
    data = {"study_id": "NL-UTR-001", "centre": "NL-UTR", "birth_year": 1970, field: value}
    with pytest.raises(InputError, match=message):
        services.enrol(coordinator, services.Enrolment(**data), today=TODAY)  # type: ignore[arg-type]
    assert not Participant.objects.exists()


def test_centre_scoping_shows_only_own_centres(
    enrol: Enrol, coordinator: User, other_coordinator: User, statistician: User, physio: User
) -> None:
    enrol(coordinator, "NL-UTR-001")
    enrol(other_coordinator, "DE-HEI-001", centre="DE-HEI")
    everyone = Participant.objects.all()
    assert [p.study_id for p in access.scope(everyone, coordinator)] == ["NL-UTR-001"]
    assert [p.study_id for p in access.scope(everyone, physio)] == ["NL-UTR-001"]
    assert [p.study_id for p in access.scope(everyone, other_coordinator)] == ["DE-HEI-001"]
    assert {p.study_id for p in access.scope(everyone, statistician)} == {
        "NL-UTR-001",
        "DE-HEI-001",
    }


def test_scoping_follows_the_participant_path(
    ready: Participant, coordinator: User, other_coordinator: User
) -> None:
    services.schedule_visits(coordinator, ready, randomised_on=TODAY)
    visits = Visit.objects.all()
    assert access.scope(visits, coordinator, participant="participant").count() == 4
    assert access.scope(visits, other_coordinator, participant="participant").count() == 0


def test_patient_sees_only_herself(enrol: Enrol, coordinator: User) -> None:
    patient = User.objects.create_user(username="pat", password="x", role="patient")
    own = enrol(coordinator, "NL-UTR-001")
    enrol(coordinator, "NL-UTR-002")
    own.user = patient
    own.save()
    assert [p.study_id for p in access.scope(Participant.objects.all(), patient)] == ["NL-UTR-001"]


def test_scheduling_without_consent_is_refused(enrol: Enrol, coordinator: User) -> None:
    participant = enrol(coordinator, "NL-UTR-001")
    services.screen(coordinator, participant, ELIGIBLE, screened_on=TODAY)
    with pytest.raises(NotEligible, match="no active consent"):
        services.schedule_visits(coordinator, participant, randomised_on=TODAY)
    assert not Visit.objects.exists()


def test_scheduling_an_ineligible_participant_is_refused(enrol: Enrol, coordinator: User) -> None:
    participant = enrol(coordinator, "NL-UTR-001")
    answers = {**ELIGIBLE, "EXC-1": ("yes", "lytic lesion, SINS 14")}
    screening = services.screen(coordinator, participant, answers, screened_on=TODAY)
    assert not screening.eligible
    assert screening.history.get().history_change_reason == "fails EXC-1"
    services.record_consent(coordinator, participant, consented_on=TODAY)
    with pytest.raises(NotEligible, match="no eligible screening"):
        services.schedule_visits(coordinator, participant, randomised_on=TODAY)


def test_withdrawn_consent_blocks_scheduling(ready: Participant, coordinator: User) -> None:
    consent = ready.consents.get()
    services.withdraw_consent(coordinator, consent, withdrawn_on=TODAY, reason="changed her mind")
    with pytest.raises(NotEligible, match="no active consent"):
        services.schedule_visits(coordinator, ready, randomised_on=TODAY)


def test_visits_follow_the_protocol_schedule(ready: Participant, coordinator: User) -> None:
    visits = services.schedule_visits(coordinator, ready, randomised_on=dt.date(2023, 11, 30))
    assert [(v.code, v.due_date) for v in visits] == [
        ("baseline", dt.date(2023, 11, 30)),
        ("m3", dt.date(2024, 2, 29)),  # leap-year February
        ("m6", dt.date(2024, 5, 30)),
        ("m9", dt.date(2024, 8, 30)),
    ]
    assert visits[1].window_start == dt.date(2024, 2, 15)
    assert visits[1].window_end == dt.date(2024, 3, 14)


def test_correcting_a_visit_date_needs_a_reason_and_is_audited(
    ready: Participant, coordinator: User
) -> None:
    visit = services.schedule_visits(coordinator, ready, randomised_on=dt.date(2024, 1, 10))[1]
    done = services.complete_visit(
        coordinator, visit, completed_on=dt.date(2024, 4, 12), today=TODAY
    )
    with pytest.raises(InputError, match="needs a reason"):
        services.complete_visit(coordinator, done, completed_on=dt.date(2024, 4, 11), today=TODAY)
    services.complete_visit(
        coordinator, done, completed_on=dt.date(2024, 4, 11), today=TODAY, reason="typo on the form"
    )
    reasons = [h.history_change_reason for h in done.history.order_by("history_date")]
    assert reasons == [
        "scheduled from randomisation on 2024-01-10",
        "completed",
        "typo on the form",
    ]


def test_a_visit_cannot_be_completed_in_the_future(ready: Participant, coordinator: User) -> None:
    visit = services.schedule_visits(coordinator, ready, randomised_on=TODAY)[0]
    with pytest.raises(InputError, match=r"is after today \(2024-05-02\)"):
        services.complete_visit(
            coordinator, visit, completed_on=TODAY + dt.timedelta(days=1), today=TODAY
        )


def test_other_centre_cannot_change_a_participant(
    ready: Participant, other_coordinator: User
) -> None:
    with pytest.raises(AccessDenied):
        services.update_participant(other_coordinator, ready, {"ecog": 2}, reason="x")
    ready.refresh_from_db()
    assert ready.ecog is None


def test_corrections_keep_who_and_why(ready: Participant, coordinator: User) -> None:
    services.update_participant(
        coordinator, ready, {"line_of_treatment": "3rd+"}, reason="oncologist letter"
    )
    latest = ready.history.latest()
    assert latest.line_of_treatment == "3rd+"
    assert latest.history_change_reason == "oncologist letter"
    assert latest.prev_record.line_of_treatment == "1st/2nd"
    with pytest.raises(InputError, match="needs a reason"):
        services.update_participant(coordinator, ready, {"ecog": 1}, reason=" ")


@pytest.mark.postgres
def test_withdrawals_take_the_participant_lock_randomisation_takes(
    ready: Participant, coordinator: User
) -> None:
    """Withdrawing consent locks the participant's row, as randomising does, so the two
    never interleave (PostgreSQL; SQLite serialises every writer anyway)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        services.withdraw_consent(
            coordinator, ready.consents.get(), withdrawn_on=TODAY, reason="changed her mind"
        )
    locks = [q["sql"] for q in captured if "FOR NO KEY UPDATE" in q["sql"]]
    assert any('"trial_participant"' in sql for sql in locks)
