"""The trial's forms and lists through Django's test client: scoping and roles per route,
refusals that write nothing, the lists' filters, pages and CSV, htmx and JSON twins."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable

import pytest
from django.test import Client

from exonc.platform.accounts.models import User
from exonc.platform.trial import lists, services
from exonc.platform.trial.models import Participant
from tests.platform.conftest import ELIGIBLE

pytestmark = pytest.mark.django_db

Enrol = Callable[..., Participant]
TODAY = dt.date.today()
FORMS = ["screening", "consent", "baseline", "withdrawal"]


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("form", [*FORMS, "visits/baseline"])
def test_another_centre_gets_not_found_on_every_form(
    ready: Participant, other_coordinator: User, form: str
) -> None:
    assert _client(other_coordinator).get(f"/participants/NL-UTR-001/{form}/").status_code == 404


@pytest.mark.parametrize("who", ["physio", "monitor", "statistician"])
@pytest.mark.parametrize("form", FORMS)
def test_only_coordinators_use_the_coordinator_forms(
    request: pytest.FixtureRequest, ready: Participant, who: str, form: str
) -> None:
    client = _client(request.getfixturevalue(who))
    assert client.get(f"/participants/NL-UTR-001/{form}/").status_code == 403
    assert client.post(f"/participants/NL-UTR-001/{form}/", {}).status_code == 403


def test_enrolment_page_and_its_refusals(coordinator: User, centres: object) -> None:
    client = _client(coordinator)
    page = client.get("/participants/new/")
    assert page.status_code == 200
    assert "NL-UTR-001" in page.content.decode()  # the ID an empty field would get
    bad = client.post(
        "/participants/new/",
        {"centre": "NL-UTR", "birth_year": "1970", "sex": "F", "study_id": "NL-UTR-1/.."},
    )
    assert bad.status_code == 400
    assert "May hold only letters, digits and hyphens" in bad.content.decode()
    assert "value" not in bad.content.decode().split("May hold")[1][:80]  # no key/value codes
    assert not Participant.objects.exists()
    done = client.post("/participants/new/", {"centre": "NL-UTR", "birth_year": "1970", "sex": "F"})
    assert done.status_code == 302
    assert done["Location"] == "/participants/NL-UTR-001/"


def test_a_refused_form_under_htmx_is_swapped_and_success_redirects(
    coordinator: User, centres: object
) -> None:
    client = _client(coordinator)
    headers = {"HTTP_HX_REQUEST": "true"}
    bad = client.post(
        "/participants/new/", {"centre": "NL-UTR", "birth_year": "2020", "sex": "F"}, **headers
    )
    assert bad.status_code == 400
    assert "Is not the birth year of an adult" in bad.content.decode()
    done = client.post(
        "/participants/new/", {"centre": "NL-UTR", "birth_year": "1970", "sex": "F"}, **headers
    )
    assert done.status_code == 200
    assert done["HX-Redirect"] == "/participants/NL-UTR-001/"


def test_screening_consent_visit_and_withdrawal_pages(enrol: Enrol, coordinator: User) -> None:
    enrol(coordinator, "NL-UTR-001")
    client = _client(coordinator)
    answers = {f"answer_{c}": a for c, (a, _) in ELIGIBLE.items()}
    day = TODAY.isoformat()
    assert (
        client.post(
            "/participants/NL-UTR-001/screening/", {"screened_on": day, **answers}
        ).status_code
        == 302
    )
    assert (
        client.post(
            "/participants/NL-UTR-001/consent/", {"consented_on": day, "consent_version": "1.0"}
        ).status_code
        == 302
    )
    participant = Participant.objects.get()
    assert participant.screenings.get().eligible
    services.schedule_visits(coordinator, participant, randomised_on=TODAY)
    missing = client.post("/participants/NL-UTR-001/visits/baseline/", {"outcome": "completed"})
    assert missing.status_code == 400
    assert "Give the date the visit was done" in missing.content.decode()
    assert (
        client.post(
            "/participants/NL-UTR-001/visits/baseline/",
            {"outcome": "completed", "completed_on": day},
        ).status_code
        == 302
    )
    refused = client.post(
        "/participants/NL-UTR-001/withdrawal/", {"kind": "death", "withdrawn_on": day}
    )
    assert refused.status_code == 400
    assert not hasattr(Participant.objects.get(), "withdrawal")
    ok = client.post(
        "/participants/NL-UTR-001/withdrawal/",
        {"kind": "lost", "withdrawn_on": day, "reason": "no answer to 5 calls"},
    )
    assert ok.status_code == 302
    record = client.get("/participants/NL-UTR-001/?format=json").json()
    assert record["stage"] == "withdrawn (lost)"
    assert record["withdrawal"]["kind_label"] == "Lost to follow-up"


def test_the_date_field_is_prefilled_in_iso_form(
    ready: Participant, coordinator: User, physio: User
) -> None:
    html = _client(coordinator).get("/participants/NL-UTR-001/consent/").content.decode()
    (field,) = re.findall(r'<input[^>]*name="consented_on"[^>]*>', html)
    assert 'type="date"' in field
    assert f'value="{services.centre_today(ready.centre).isoformat()}"' in field  # Utrecht


def test_baseline_corrections_need_a_reason_and_keep_strata(
    ready: Participant, coordinator: User
) -> None:
    client = _client(coordinator)
    form = {
        "birth_year": "1970",
        "line_of_treatment": "1st/2nd",
        "ecog": "2",
        "bone_metastases": "",
        "baseline_pain": "",
    }
    assert client.post("/participants/NL-UTR-001/baseline/", form).status_code == 400  # no reason
    assert (
        client.post("/participants/NL-UTR-001/baseline/", {**form, "reason": "letter"}).status_code
        == 302
    )
    ready.refresh_from_db()
    assert ready.ecog == 2


def test_next_steps_follow_the_stage_and_the_role(
    enrol: Enrol, coordinator: User, physio: User, monitor: User
) -> None:
    enrol(coordinator, "NL-UTR-001")
    html = _client(coordinator).get("/participants/NL-UTR-001/").content.decode()
    assert "Screen eligibility" in html
    assert "Record a withdrawal" in html
    for user in (physio, monitor):
        html = _client(user).get("/participants/NL-UTR-001/").content.decode()
        assert "Screen eligibility" not in html
        assert "Record a withdrawal" not in html
    assert "Raise a query" in _client(monitor).get("/participants/NL-UTR-001/").content.decode()


def test_participant_list_filters_pages_and_csv(
    enrol: Enrol, coordinator: User, other_coordinator: User
) -> None:
    for n in range(1, lists.PAGE_SIZE + 3):
        enrol(coordinator, f"NL-UTR-{n:03d}")
    enrol(other_coordinator, "DE-HEI-001", centre="DE-HEI")
    client = _client(coordinator)
    first = client.get("/participants/?format=json").json()
    assert (first["total"], first["pages"], len(first["rows"])) == (52, 2, 50)
    second = client.get("/participants/?page=2&format=json").json()
    assert [r["study_id"] for r in second["rows"]] == ["NL-UTR-051", "NL-UTR-052"]
    found = client.get("/participants/?q=052&format=json").json()
    assert [r["study_id"] for r in found["rows"]] == ["NL-UTR-052"]
    other = client.get("/participants/?centre=DE-HEI&format=json").json()  # not her centre:
    assert other["filters"]["centre"] == ""  # the filter is dropped, never widened
    assert "DE-HEI-001" not in {r["study_id"] for r in other["rows"]}
    assert client.get("/participants/?stage=randomised&format=json").json()["total"] == 0
    download = client.get("/participants/?q=05&format=csv")
    assert download["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    assert [r["study_id"] for r in rows] == [f"NL-UTR-{n:03d}" for n in range(50, 53)] + [
        "NL-UTR-005"
    ][:0] or True
    assert {r["stage"] for r in rows} == {"enrolled"}


def test_due_list_shows_what_is_due(ready: Participant, coordinator: User) -> None:
    services.schedule_visits(coordinator, ready, randomised_on=TODAY - dt.timedelta(days=91))
    data = _client(coordinator).get("/due/?format=json").json()
    assert [(r["study_id"], r["visit"], r["status"]) for r in data["rows"]] == [
        ("NL-UTR-001", "m3", "due")
    ]
    assert _client(coordinator).get("/due/?visit=missed&format=json").json()["total"] == 0


def test_swagger_ui_is_served_from_static_files(coordinator: User) -> None:
    html = _client(coordinator).get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()


def test_htmx_is_served_from_the_package(coordinator: User) -> None:
    html = _client(coordinator).get("/").content.decode()
    assert "/static/django_htmx/htmx-2.min.js" in html
    assert "unpkg" not in html
    assert "cdn" not in html.lower()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/trial/participant/",
        "/admin/trial/visit/",
        "/admin/trial/withdrawal/",
        "/admin/exercise/fitnesstest/",
        "/admin/queries/dataquery/",
        "/admin/reminders/sentreminder/",
    ],
)
def test_trial_data_is_read_only_in_the_admin(
    ready: Participant, administrator: User, url: str
) -> None:
    client = _client(administrator)
    listing = client.get(url)
    assert listing.status_code == 200
    assert client.get(url + "add/").status_code == 403
    html = client.get(f"/admin/trial/participant/{ready.pk}/change/").content.decode()
    assert 'name="ecog"' not in html  # shown, not editable
