"""The health-economics pages and their JSON twins (Django's test client)."""

from __future__ import annotations

import datetime as dt
import io
import re
from unittest import mock

import pandas as pd
import pytest
from django.test import Client

from exonc.platform import audit
from exonc.platform.accounts.models import Role, User
from exonc.platform.economics.dataset import columns
from exonc.platform.economics.models import DeliveryDefaults, DeliveryRecord, ResourceUseReport
from exonc.platform.trial.models import Participant
from tests.platform.economics.conftest import entry, log

pytestmark = pytest.mark.django_db

#: Noon in Utrecht on TODAY (2024-05-02): NL-UTR-001's 3-month window is open.
NOW = dt.datetime(2024, 5, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_clock() -> object:
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form(**given: object) -> dict[str, object]:
    answers = entry(**given)
    return {**answers.quantities, "paid_work": answers.paid_work}


def test_the_analysis_page_and_its_json_twin(
    small_trial: list[Participant], statistician: User
) -> None:
    client = _client(statistician)
    html = client.get("/economics/?bootstrap=200")
    assert html.status_code == 200
    text = html.content.decode()
    assert "Base case: sessions as logged, societal perspective" in text
    assert "Cost-effectiveness acceptability curve" in text
    assert "exonc economics cea economics.csv --arm arm --reference control" in text
    # drawn as inline SVG: no script but htmx, which every page loads from static files
    assert re.findall(r"<script[^>]*>", text) == [
        '<script src="/static/django_htmx/htmx-2.min.js" defer>'
    ]
    data = client.get("/economics/?bootstrap=200&format=json").json()
    assert data["options"] == {
        "bootstrap": 200,
        "seed": 0,
        "missing": "complete-case",
        "productivity": "friction-cost",
    }
    assert [a["arm"] for a in data["arms"]] == ["exercise", "control"]
    assert len(data["plane"]) == 200


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.PHYSIOTHERAPIST, Role.PATIENT])
def test_site_staff_and_patients_do_not_get_the_analysis_or_export(
    centres: dict, role: Role
) -> None:
    client = _client(User.objects.create_user(username=f"u-{role}", role=role))
    assert client.get("/economics/").status_code == 403
    refused = client.get("/economics/export.csv", HTTP_ACCEPT="application/json")
    assert refused.status_code == 403
    assert refused.json()["error"] == "AccessDenied"


def test_a_bad_option_is_a_one_line_400(statistician: User) -> None:
    response = _client(statistician).get("/economics/?format=json&missing=drop")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "column missing: value 'drop': choose complete-case or impute",
        "error": "EconomicsInputError",
    }


def test_the_export_is_the_pseudonymised_table(
    small_trial: list[Participant], statistician: User
) -> None:
    response = _client(statistician).get("/economics/export.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="economics.csv"'
    frame = pd.read_csv(io.BytesIO(response.content), dtype=str, keep_default_na=False)
    assert list(frame.columns) == columns()
    assert list(frame["participant"]) == [f"NL-UTR-{i:03d}" for i in range(1, 17)]
    # study IDs are the only identifiers: no names, birth years, dates or staff
    assert not {"birth_year", "randomised_on", "user", "name"} & set(frame.columns)


def test_the_worklist_lists_due_questionnaires_of_her_centres(
    utr: Participant, randomised: object, coordinator: User, other_coordinator: User
) -> None:
    randomised("DE-HEI-001", "control", centre="DE-HEI")  # type: ignore[operator]
    data = _client(coordinator).get("/economics/resource-use/?format=json").json()
    assert [(d["study_id"], d["visit"], d["status"]) for d in data["due"]] == [
        ("NL-UTR-001", "m3", "due")
    ]
    other = _client(other_coordinator).get("/economics/resource-use/?format=json").json()
    assert [d["study_id"] for d in other["due"]] == ["DE-HEI-001"]


def test_staff_enter_a_questionnaire_through_the_form(utr: Participant, physio: User) -> None:
    client = _client(physio)
    form = client.get("/economics/resource-use/NL-UTR-001/m3/")
    assert form.status_code == 200
    assert "Occupational physician" in form.content.decode()  # on the NL questionnaire
    posted = client.post(
        "/economics/resource-use/NL-UTR-001/m3/",
        _form(q_gp_consultation="2") | {"reported_on": "2024-05-01"},
    )
    assert posted.status_code == 302
    report = ResourceUseReport.objects.get()
    assert (report.quantities["gp_consultation"], report.entered_by) == (2.0, physio)
    page = client.get("/economics/resource-use/NL-UTR-001/?format=json").json()
    m3 = next(r for r in page["reports"] if r["visit"] == "m3")
    assert (m3["status"], m3["used"]) == ("recorded", {"gp_consultation": 2.0})


def test_a_form_with_bad_answers_shows_each_and_saves_nothing(
    utr: Participant, coordinator: User
) -> None:
    posted = _client(coordinator).post(
        "/economics/resource-use/NL-UTR-001/m3/",
        _form(q_gp_consultation="-1", q_icu_day="1.5")
        | {"paid_work": "", "reported_on": "2024-05-01"},
    )
    assert posted.status_code == 400
    text = posted.content.decode()
    assert "3 answers to correct" in text
    assert "must be a number of 0 or more" in text
    assert "count whole days" in text
    assert 'value="-1"' in text  # what was typed is kept
    assert not ResourceUseReport.objects.exists()


def test_a_coordinator_corrects_with_a_reason(utr: Participant, coordinator: User) -> None:
    client = _client(coordinator)
    client.post(
        "/economics/resource-use/NL-UTR-001/m3/",
        _form(q_gp_consultation="2") | {"reported_on": "2024-05-01"},
    )
    without = client.post("/economics/resource-use/NL-UTR-001/m3/", _form(q_gp_consultation="3"))
    assert without.status_code == 400
    assert "needs a reason" in without.content.decode()
    fixed = client.post(
        "/economics/resource-use/NL-UTR-001/m3/", _form(q_gp_consultation="3") | {"reason": "typo"}
    )
    assert fixed.status_code == 302
    report = ResourceUseReport.objects.get()
    assert report.quantities["gp_consultation"] == 3
    assert report.history.latest().history_change_reason == "typo"


def test_another_centre_does_not_see_the_participant(
    utr: Participant, other_coordinator: User
) -> None:
    client = _client(other_coordinator)
    assert client.get("/economics/resource-use/NL-UTR-001/").status_code == 404
    assert client.post("/economics/resource-use/NL-UTR-001/m3/", _form()).status_code == 404
    assert not ResourceUseReport.objects.exists()


def test_the_patient_answers_her_own(utr: Participant, coordinator: User) -> None:
    patient = User.objects.create_user(username="pat", role=Role.PATIENT)
    utr.user = patient
    audit.save(utr, coordinator, "patient login")
    client = _client(patient)
    mine = client.get("/economics/resource-use/?format=json").json()
    assert [(v["visit"], v["status"]) for v in mine["visits"]] == [("m3", "due")]
    form = client.get("/economics/resource-use/mine/m3/")
    assert "Your use of care" in form.content.decode()
    posted = client.post("/economics/resource-use/mine/m3/", _form(q_psychologist="1"))
    assert posted.status_code == 302
    assert ResourceUseReport.objects.get().source == "patient"
    again = client.get("/economics/resource-use/?format=json").json()
    assert [(v["visit"], v["status"]) for v in again["visits"]] == [("m3", "submitted")]
    assert client.get("/economics/resource-use/NL-UTR-001/").status_code == 403
    not_open = client.get("/economics/resource-use/mine/m6/")
    assert not_open.status_code == 409
    assert "open on" in not_open.content.decode()


def test_session_delivery_and_centre_defaults_through_the_pages(
    utr: Participant, physio: User, coordinator: User
) -> None:
    session = log(utr, dt.date(2024, 3, 5), by=physio)
    client = _client(physio)
    posted = client.post(
        f"/economics/sessions/{session.pk}/delivery/",
        {"therapist_minutes": "50", "group_size": "4"},
    )
    assert posted.status_code == 302
    assert (
        DeliveryRecord.objects.get().therapist_minutes,
        DeliveryRecord.objects.get().group_size,
    ) == (50, 4)
    page = client.get("/economics/resource-use/NL-UTR-001/?format=json").json()
    assert [(s["therapist_minutes"], s["group_size"], s["source"]) for s in page["sessions"]] == [
        (50.0, 4, "session")
    ]
    assert (
        client.post(
            "/economics/centres/NL-UTR/delivery/", {"therapist_minutes": "70", "group_size": "2"}
        ).status_code
        == 302
    )
    assert not DeliveryDefaults.objects.exists()  # a physiotherapist may not: refused
    coord = _client(coordinator)
    coord.post(
        "/economics/centres/NL-UTR/delivery/", {"therapist_minutes": "70", "group_size": "2"}
    )
    shown = coord.get("/economics/centres/NL-UTR/delivery/?format=json").json()
    assert (shown["therapist_minutes"], shown["group_size"], shown["source"]) == (70.0, 2, "centre")


def test_too_few_participants_is_said_plainly(utr: Participant, statistician: User) -> None:
    response = _client(statistician).get("/economics/?format=json")
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "not enough participants to analyse yet (control 0, exercise 0 with follow-up over and "
        "complete data); each arm needs at least two"
    )
