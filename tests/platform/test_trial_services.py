"""Trial operations through the services: scoping, audit, and refusals that change nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from exonc.errors import (
    AccessDenied,
    DuplicateStudyId,
    InputError,
    NotEligible,
    TrialStateError,
    UnknownCentre,
)
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


# ------------------------------------------------------------------ issue 11: plausibility


def test_an_empty_study_id_is_numbered_by_the_pattern(coordinator: User, centres: object) -> None:
    first = services.enrol(coordinator, services.Enrolment("", "NL-UTR", 1970), today=TODAY)
    services.enrol(coordinator, services.Enrolment("NL-UTR-063", "NL-UTR", 1971), today=TODAY)
    third = services.enrol(coordinator, services.Enrolment("", "NL-UTR", 1972), today=TODAY)
    assert (first.study_id, third.study_id) == ("NL-UTR-001", "NL-UTR-064")


@pytest.mark.parametrize("study_id", ["../etc/passwd", "NL-UTR-001/x", "NL UTR 1", "UTR-001"])
def test_study_ids_off_the_pattern_are_refused(
    coordinator: User, centres: object, study_id: str
) -> None:
    with pytest.raises(InputError, match="column study_id"):
        services.enrol(coordinator, services.Enrolment(study_id, "NL-UTR", 1970), today=TODAY)
    assert not Participant.objects.exists()


def test_a_future_screening_is_refused(enrol: Enrol, coordinator: User) -> None:
    participant = enrol(coordinator, "NL-UTR-001")
    with pytest.raises(InputError, match="column screened_on: value '2024-05-03': is after today"):
        services.screen(
            coordinator, participant, ELIGIBLE, screened_on=TODAY + dt.timedelta(1), today=TODAY
        )
    assert not participant.screenings.exists()


@pytest.mark.parametrize(
    ("consented_on", "message"),
    [
        (dt.date(2031, 1, 1), "is after today"),  # issue 11: a consent dated 2031 was accepted
        (TODAY - dt.timedelta(days=1), r"is before the first screening \(2024-05-02\)"),
    ],
)
def test_implausible_consent_dates_are_refused(
    enrol: Enrol, coordinator: User, consented_on: dt.date, message: str
) -> None:
    participant = enrol(coordinator, "NL-UTR-001")
    services.screen(coordinator, participant, ELIGIBLE, screened_on=TODAY, today=TODAY)
    with pytest.raises(InputError, match=message):
        services.record_consent(coordinator, participant, consented_on=consented_on, today=TODAY)
    assert not participant.consents.exists()


def test_re_consent_after_an_amendment(ready: Participant, coordinator: User) -> None:
    with pytest.raises(TrialStateError, match=r"already has active consent to version 1\.0"):
        services.record_consent(coordinator, ready, consented_on=TODAY, today=TODAY)
    again = services.record_consent(
        coordinator, ready, consented_on=TODAY, consent_version="1.1", today=TODAY
    )
    assert [c.consent_version for c in ready.consents.all()] == ["1.0", "1.1"]
    assert again.history.get().history_change_reason == "consent to version 1.1 given"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ecog": 9}, "column ecog: value 9: must be a whole number from 0 to 5"),
        ({"birth_year": 2023}, "column birth_year: value 2023: is not the birth year of an adult"),
        ({"metastatic_sites": ["banana"]}, "value 'banana': is not a metastatic site"),
        ({"bone_metastases": "maybe"}, "must be yes, no or not known"),
        ({"study_id": "NL-UTR-002"}, "column study_id: cannot be changed here"),
    ],
)
def test_update_participant_validates_like_enrolment(
    ready: Participant, coordinator: User, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        services.update_participant(coordinator, ready, changes, reason="typo", today=TODAY)
    ready.refresh_from_db()
    assert (ready.ecog, ready.birth_year, ready.metastatic_sites) == (None, 1970, [])


def test_a_stratification_factor_is_fixed_at_randomisation(
    ready: Participant, coordinator: User
) -> None:
    from tests.platform.exercise.conftest import randomise

    randomise(ready, "exercise", coordinator)
    with pytest.raises(TrialStateError, match=r"line of treatment.*stratification factor"):
        services.update_participant(
            coordinator, ready, {"line_of_treatment": "3rd+"}, reason="letter", today=TODAY
        )
    services.update_participant(coordinator, ready, {"ecog": 1}, reason="letter", today=TODAY)
    ready.refresh_from_db()
    assert (ready.line_of_treatment, ready.ecog) == ("1st/2nd", 1)


def test_a_visit_missed_with_a_reason(ready: Participant, coordinator: User) -> None:
    visit = services.schedule_visits(coordinator, ready, randomised_on=dt.date(2024, 1, 10))[1]
    with pytest.raises(InputError, match="column missed_reason: is empty"):
        services.record_missed_visit(coordinator, visit, missed_reason=" ", today=TODAY)
    missed = services.record_missed_visit(
        coordinator, visit, missed_reason="in hospital", today=TODAY
    )
    assert str(missed.status(TODAY)) == "missed"
    with pytest.raises(InputError, match="needs a reason"):
        services.complete_visit(coordinator, missed, completed_on=TODAY, today=TODAY)
    done = services.complete_visit(
        coordinator, missed, completed_on=TODAY, today=TODAY, reason="she came after all"
    )
    assert (done.missed_reason, str(done.status(TODAY))) == ("", "out of window")


@pytest.mark.parametrize(
    ("kind", "withdrawn_on", "message"),
    [
        ("moon", TODAY, "column kind: value 'moon': must be one of"),
        ("death", TODAY + dt.timedelta(days=1), "column withdrawn_on.*is after today"),
    ],
)
def test_implausible_withdrawals_are_refused(
    ready: Participant, coordinator: User, kind: str, withdrawn_on: dt.date, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        services.withdraw(
            coordinator, ready, withdrawn_on=withdrawn_on, kind=kind, reason="x", today=TODAY
        )
    assert not hasattr(Participant.objects.get(pk=ready.pk), "withdrawal")


def test_a_withdrawn_participant_is_not_screened_again(
    ready: Participant, coordinator: User
) -> None:
    services.withdraw(
        coordinator, ready, withdrawn_on=TODAY, kind="other", reason="moved", today=TODAY
    )
    with pytest.raises(TrialStateError, match="has withdrawn"):
        services.screen(coordinator, ready, ELIGIBLE, screened_on=TODAY, today=TODAY)
