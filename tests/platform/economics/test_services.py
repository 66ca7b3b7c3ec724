"""Resource-use questionnaires through the services: audit, scoping, role refusals and bad
answers, each refusal writing nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from exonc.errors import AccessDenied, EconomicsInputError, InputError, TrialStateError
from exonc.platform import audit
from exonc.platform.accounts.models import Role, User
from exonc.platform.economics import services
from exonc.platform.economics.models import ResourceUseReport
from exonc.platform.economics.questionnaire import ResourceUseEntry
from exonc.platform.trial import services as trial_services
from exonc.platform.trial.models import Participant
from tests.platform.conftest import TODAY
from tests.platform.economics.conftest import entry, visit

pytestmark = pytest.mark.django_db

M3_OPEN = dt.date(2024, 4, 18)  # the 3-month window opens (randomised 2024-02-02)


def _enter(
    user: User, participant: Participant, answers: ResourceUseEntry, **kw: object
) -> ResourceUseReport:
    return services.enter_resource_use(
        user,
        visit(participant, "m3"),
        answers,
        reported_on=kw.get("on", TODAY),
        today=TODAY,  # type: ignore[arg-type]
    )


def test_staff_entry_is_stored_with_every_item_and_audited(
    utr: Participant, coordinator: User
) -> None:
    answers = entry(
        q_gp_consultation="2",
        q_inpatient_day=3,
        q_home_nursing="1.5",
        paid_work="yes",
        absence_days="10",
        work_hours_per_week=32,
        presenteeism_hours="4",
    )
    report = _enter(coordinator, utr, answers, on=dt.date(2024, 4, 30))
    stored = ResourceUseReport.objects.get()
    assert stored.pk == report.pk
    assert stored.quantities["gp_consultation"] == 2.0
    assert stored.quantities["inpatient_day"] == 3.0
    assert stored.quantities["home_nursing"] == 1.5
    assert stored.quantities["occupational_physician"] == 0.0  # on the NL list
    assert "rehabilitation_day" not in stored.quantities  # asked in DE and PL only
    assert (stored.paid_work, stored.absence_days, stored.work_hours_per_week) == (True, 10, 32)
    assert (stored.presenteeism_hours, stored.absence_continued) == (4, False)
    assert (stored.country, stored.source, stored.reported_on) == (
        "NL",
        "staff",
        dt.date(2024, 4, 30),
    )
    assert stored.entered_by == coordinator
    row = stored.history.get()
    assert (row.history_user, row.history_change_reason) == (coordinator, "entered by staff")


def test_a_physiotherapist_may_enter_too(utr: Participant, physio: User) -> None:
    assert _enter(physio, utr, entry()).entered_by == physio


@pytest.mark.parametrize("role", [Role.CLINICIAN, Role.STATISTICIAN, Role.PATIENT])
def test_other_roles_are_refused_and_nothing_is_written(
    utr: Participant, centres: dict, role: Role
) -> None:
    user = User.objects.create_user(username=f"u-{role}", role=role)
    with pytest.raises(AccessDenied, match="only a trial coordinator, physiotherapist"):
        _enter(user, utr, entry())
    assert not ResourceUseReport.objects.exists()


def test_another_centre_is_refused_and_nothing_is_written(
    utr: Participant, other_coordinator: User
) -> None:
    with pytest.raises(AccessDenied, match="does not work at centre NL-UTR"):
        _enter(other_coordinator, utr, entry())
    assert not ResourceUseReport.objects.exists()


@pytest.mark.parametrize(
    ("answers", "column", "message"),
    [
        (entry(q_gp_consultation="-1"), "gp_consultation", "must be a number of 0 or more"),
        (entry(q_gp_consultation="two"), "gp_consultation", "is not a number"),
        (entry(q_gp_consultation="nan"), "gp_consultation", "must be a number of 0 or more"),
        (entry(q_gp_consultation=True), "gp_consultation", "is not a number"),
        (entry(q_gp_consultation="1.5"), "gp_consultation", "count whole contacts"),
        (entry(q_medication_opioid="2.5"), "medication_opioid", "count whole days of use"),
        # 3 months: at most 31 × 3 + 14 (late window) = 107 days, so 108 inpatient days,
        # 2,569 hours (107 × 24 = 2,568) or 53,501 km (107 × 500 = 53,500) cannot be
        (entry(q_inpatient_day="108"), "inpatient_day", "more than 107 days in a period"),
        (entry(q_home_nursing="2569"), "home_nursing", "more than 2568 hours"),
        (entry(q_travel="53501"), "travel", "more than 53500 km"),
        (entry(q_gp_consultation=""), "gp_consultation", "is empty: enter 0 if none"),
        (entry(q_rehabilitation_day="1"), "rehabilitation_day", "is not on this questionnaire"),
        (entry(paid_work=""), "paid_work", "answer yes or no"),
        (entry(paid_work="maybe"), "paid_work", "answer yes or no"),
        (entry(absence_days="3"), "absence_days", "must be 0 without paid work"),
        (entry(paid_work="yes", absence_days="5"), "work_hours_per_week", "give the hours"),
        (
            entry(paid_work="yes", absence_days="108", work_hours_per_week=36),
            "absence_days",
            "more than 107 days",
        ),
        (
            entry(paid_work="yes", work_hours_per_week="81"),
            "work_hours_per_week",
            "more than 80 hours",
        ),
        (
            entry(paid_work="yes", absence_continued="yes", work_hours_per_week=36),
            "absence_continued",
            "no absence to continue",
        ),
    ],
)
def test_bad_answers_are_refused_naming_the_field_and_nothing_is_written(
    utr: Participant, coordinator: User, answers: ResourceUseEntry, column: str, message: str
) -> None:
    with pytest.raises(EconomicsInputError, match=message) as caught:
        _enter(coordinator, utr, answers)
    assert caught.value.column == column
    assert not ResourceUseReport.objects.exists()


def test_a_missing_item_is_refused(utr: Participant, coordinator: User) -> None:
    answers = entry()
    quantities = dict(answers.quantities)
    del quantities["icu_day"]
    with pytest.raises(EconomicsInputError, match="column icu_day: is empty"):
        _enter(coordinator, utr, ResourceUseEntry(quantities, paid_work="no"))
    assert not ResourceUseReport.objects.exists()


def test_the_baseline_visit_asks_no_questionnaire(utr: Participant, coordinator: User) -> None:
    with pytest.raises(TrialStateError, match="visit baseline has no resource-use questionnaire"):
        services.enter_resource_use(
            coordinator, visit(utr, "baseline"), entry(), reported_on=TODAY, today=TODAY
        )


@pytest.mark.parametrize(
    ("on", "message"),
    [
        (TODAY + dt.timedelta(days=1), "is in the future"),
        (M3_OPEN - dt.timedelta(days=1), "is before visit m3's window opened"),
    ],
)
def test_the_reporting_date_is_checked(
    utr: Participant, coordinator: User, on: dt.date, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        _enter(coordinator, utr, entry(), on=on)
    assert not ResourceUseReport.objects.exists()


def test_answers_given_after_leaving_follow_up_are_refused(
    utr: Participant, coordinator: User
) -> None:
    trial_services.withdraw(
        coordinator, utr, withdrawn_on=dt.date(2024, 4, 20), kind="death", reason="died"
    )
    utr.refresh_from_db()
    with pytest.raises(TrialStateError, match="had left follow-up by 2024-04-25"):
        _enter(coordinator, utr, entry(), on=dt.date(2024, 4, 25))


def test_a_second_entry_is_refused(utr: Participant, coordinator: User) -> None:
    _enter(coordinator, utr, entry(q_gp_consultation=1))
    with pytest.raises(TrialStateError, match="already recorded; a coordinator corrects it"):
        _enter(coordinator, utr, entry(q_gp_consultation=5))
    assert ResourceUseReport.objects.get().quantities["gp_consultation"] == 1


def test_a_correction_keeps_the_old_answers_and_the_reason(
    utr: Participant, coordinator: User, physio: User
) -> None:
    report = _enter(physio, utr, entry(q_gp_consultation=1))
    fixed = services.correct_resource_use(
        coordinator, report, entry(q_gp_consultation=3), reason="transcription error"
    )
    assert fixed.quantities["gp_consultation"] == 3
    rows = list(fixed.history.order_by("history_id"))
    assert [(r.history_user, r.history_change_reason) for r in rows] == [
        (physio, "entered by staff"),
        (coordinator, "transcription error"),
    ]
    assert rows[0].quantities["gp_consultation"] == 1


@pytest.mark.parametrize(
    ("who", "answers", "reason", "error", "message"),
    [
        ("physio", entry(q_gp_consultation=3), "typo", AccessDenied, "only a trial coordinator"),
        ("other", entry(q_gp_consultation=3), "typo", AccessDenied, "does not work at centre"),
        ("coord", entry(q_gp_consultation=3), " ", InputError, "needs a reason"),
        ("coord", entry(q_gp_consultation=1), "typo", InputError, "changes no answer"),
        ("coord", entry(q_gp_consultation=-3), "typo", InputError, "0 or more"),
    ],
)
def test_corrections_are_refused_without_writing(
    utr: Participant,
    coordinator: User,
    other_coordinator: User,
    physio: User,
    who: str,
    answers: ResourceUseEntry,
    reason: str,
    error: type[Exception],
    message: str,
) -> None:
    report = _enter(coordinator, utr, entry(q_gp_consultation=1))
    user = {"coord": coordinator, "other": other_coordinator, "physio": physio}[who]
    with pytest.raises(error, match=message):
        services.correct_resource_use(user, report, answers, reason=reason)
    report.refresh_from_db()
    assert report.quantities["gp_consultation"] == 1
    assert report.history.count() == 1


@pytest.fixture
def patient(utr: Participant, coordinator: User) -> User:
    user = User.objects.create_user(username="pat-utr", role=Role.PATIENT)
    utr.user = user
    audit.save(utr, coordinator, "patient login")
    return user


def test_a_patient_reports_her_own_while_the_window_is_open(
    utr: Participant, patient: User
) -> None:
    report = services.report_own_resource_use(
        patient, visit(utr, "m3"), entry(q_psychologist="2"), today=TODAY
    )
    assert (report.source, report.reported_on, report.entered_by) == ("patient", TODAY, patient)
    assert report.history.get().history_change_reason == "reported online"


def test_a_patient_cannot_report_for_someone_else_or_out_of_window(
    utr: Participant, patient: User, randomised: object, coordinator: User
) -> None:
    other = randomised("NL-UTR-002", "control")  # type: ignore[operator]
    with pytest.raises(AccessDenied, match="only their own"):
        services.report_own_resource_use(patient, visit(other, "m3"), entry(), today=TODAY)
    with pytest.raises(TrialStateError, match="closed on 2024-05-16"):
        services.report_own_resource_use(
            patient, visit(utr, "m3"), entry(), today=dt.date(2024, 5, 17)
        )
    with pytest.raises(AccessDenied, match="only a patient"):
        services.report_own_resource_use(coordinator, visit(utr, "m3"), entry(), today=TODAY)
    assert not ResourceUseReport.objects.exists()
