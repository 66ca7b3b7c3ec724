"""Questionnaire pages and API, in-process with Django's test client (today's date)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from exonc.platform.accounts.models import User
from exonc.platform.outcomes import services
from exonc.platform.outcomes.models import QuestionnaireResponse
from exonc.platform.trial.models import Participant
from exonc.platform.trial.services import local_today
from exonc.questionnaires import score_response
from tests.platform.outcomes_setup import HADS_ONES, give_patient_login, visit

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def patient(ready: Participant, coordinator: User) -> User:
    """A patient whose 3-month questionnaires are open today."""
    today = local_today(ready.centre, timezone.now())
    return give_patient_login(coordinator, ready, randomised_on=today - dt.timedelta(days=91))


def _post_json(client: Client, url: str, body: dict[str, Any], method: str = "post") -> Any:
    send = getattr(client, method)
    return send(url, json.dumps(body), content_type="application/json")


def test_the_patient_answers_leaves_resumes_and_submits(ready: Participant, patient: User) -> None:
    client = _client(patient)
    listing = client.get("/questionnaires/").content.decode()
    assert "Placeholder wording." in listing
    assert listing.count(">Start<") == 4
    assert client.get("/questionnaires/m3/hads/")["Location"] == "/questionnaires/m3/hads/1/"
    first = client.get("/questionnaires/m3/hads/1/").content.decode()
    assert "question 1 of 14" in first
    assert '<progress max="14" value="0"' in first
    assert 'type="radio" name="answer" value="3"' in first  # HADS item 1 printed from 3 to 0
    step = client.post("/questionnaires/m3/hads/1/", {"answer": "2", "action": "next"})
    assert step["Location"] == "/questionnaires/m3/hads/2/"
    empty = client.post("/questionnaires/m3/hads/2/", {"action": "next"})
    assert empty.status_code == 400
    assert "Choose an answer, or skip this question." in empty.content.decode()
    tampered = client.post("/questionnaires/m3/hads/2/", {"answer": "9", "action": "next"})
    assert tampered.status_code == 400
    assert "Choose one of the answers shown." in tampered.content.decode()
    assert client.post("/questionnaires/m3/hads/2/", {"action": "skip"})["Location"].endswith("/3/")
    leave = client.post("/questionnaires/m3/hads/3/", {"answer": "1", "action": "leave"})
    assert leave["Location"] == "/questionnaires/"
    assert QuestionnaireResponse.objects.get().answers == {"q1": 2, "q2": None, "q3": 1}
    mine = client.get("/questionnaires/?format=json").json()
    hads = mine["visits"][0]["instruments"][3]
    assert (hads["status"], hads["answered"], hads["resume_at"]) == ("in progress", 2, 4)
    assert client.get("/questionnaires/m3/hads/")["Location"] == "/questionnaires/m3/hads/4/"
    for position in range(4, 15):
        client.post(f"/questionnaires/m3/hads/{position}/", {"answer": "1", "action": "next"})
    review = client.get("/questionnaires/m3/hads/review/").content.decode()
    assert "you answered 13 of 14 questions" in review
    assert "Not answered" in review
    assert (
        client.post("/questionnaires/m3/hads/review/")["Location"]
        == "/questionnaires/m3/hads/done/"
    )
    done = client.get("/questionnaires/m3/hads/done/").content.decode()
    assert "Thank you — your answers were submitted" in done
    assert client.get("/questionnaires/m3/hads/5/")["Location"] == "/questionnaires/m3/hads/done/"
    stored = QuestionnaireResponse.objects.get()
    assert stored.status == "submitted"
    assert stored.scores == dict(score_response("hads", stored.answers).scores)
    assert stored.scores["DEPRESSION"] is None  # item 2 unanswered: HADS needs all 7


def test_the_numeric_vas_screen(ready: Participant, patient: User) -> None:
    client = _client(patient)
    page = client.get("/questionnaires/m3/eq-5d-5l/6/").content.decode()
    assert 'type="number" id="answer" name="answer" min="0" max="100"' in page
    bad = client.post("/questionnaires/m3/eq-5d-5l/6/", {"answer": "101", "action": "next"})
    assert bad.status_code == 400
    assert client.post("/questionnaires/m3/eq-5d-5l/6/", {"answer": "70"})["Location"].endswith(
        "/review/"
    )
    assert QuestionnaireResponse.objects.get().answers == {"VAS": 70}


def test_patients_see_only_their_own_questionnaires(
    ready: Participant, patient: User, coordinator: User
) -> None:
    client = _client(patient)
    assert client.get("/questionnaires/m3/sf-36/").status_code == 404
    assert client.get("/questionnaires/m7/hads/").status_code == 404
    assert client.get("/questionnaires/m3/hads/15/").status_code == 404
    assert client.get("/participants/NL-UTR-001/questionnaires/").status_code == 403
    assert client.get("/api/participants/NL-UTR-001/questionnaires").status_code == 403
    staff_page = _client(coordinator).get("/questionnaires/m3/hads/1/")
    assert staff_page.status_code == 403
    unlinked = User.objects.create_user(username="no-record", password="x", role="patient")
    assert _client(unlinked).get("/questionnaires/").status_code == 403


def test_staff_see_completion_on_their_pages(
    ready: Participant, patient: User, coordinator: User, other_coordinator: User
) -> None:
    m3 = visit(ready, "m3")
    services.save_answers(patient, m3, "hads", HADS_ONES, now=timezone.now())
    services.submit(patient, m3, "hads", now=timezone.now())
    client = _client(coordinator)
    overview = client.get("/questionnaires/?format=json").json()
    assert overview["visits"] == [
        {
            "study_id": "NL-UTR-001",
            "centre": "NL-UTR",
            "visit": "m3",
            "window_end": m3.window_end.isoformat(),
            "completion": "partly",
            "submitted": 1,
            "instruments_due": 4,
        }
    ]
    assert overview["counts"] == {"all submitted": 0, "partly": 1, "none": 0}
    home = client.get("/").content.decode()
    assert "Questionnaires at open visits" in home
    record = client.get("/participants/NL-UTR-001/").content.decode()
    assert 'class="badge partly">partly<' in record
    data = client.get("/participants/NL-UTR-001/questionnaires/?format=json").json()
    assert data["eq5d_value_set"] == "NL"
    (m3_data,) = [v for v in data["visits"] if v["visit"] == "m3"]
    assert (m3_data["completion"], m3_data["submitted"]) == ("partly", 1)
    hads = m3_data["instruments"][3]
    assert (hads["status"], hads["entry"], hads["mode"]) == ("submitted", "patient", "web")
    assert hads["scores"] == {"ANXIETY": 7.0, "DEPRESSION": 7.0}
    html = client.get("/participants/NL-UTR-001/questionnaires/").content.decode()
    assert "ANXIETY 7.0 · DEPRESSION 7.0" in html
    other = _client(other_coordinator)
    assert other.get("/participants/NL-UTR-001/questionnaires/").status_code == 404
    assert other.get("/questionnaires/?format=json").json()["visits"] == []


def test_staff_enter_a_paper_form_with_engine_validation(
    ready: Participant, patient: User, coordinator: User
) -> None:
    client = _client(coordinator)
    url = "/participants/NL-UTR-001/questionnaires/m3/hads/paper/"
    assert "Date on the paper form" in client.get(url).content.decode()
    form = {f"q{i}": "1" for i in range(1, 15)} | {"q3": "5", "q7": "x"}
    today = local_today(ready.centre, timezone.now()).isoformat()
    refused = client.post(url, {**form, "answered_on": today})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "q3: value &#x27;5&#x27;: is outside the range 0–3 of item q3" in page
    assert "q7: value &#x27;x&#x27;: is not a number" in page
    assert not QuestionnaireResponse.objects.exists()
    future = client.post(url, {**form, "q3": "1", "q7": "1", "answered_on": "2999-01-01"})
    assert "is in the future" in future.content.decode()
    saved = client.post(url, {**form, "q3": "1", "q7": "", "answered_on": today})
    assert saved["Location"] == "/participants/NL-UTR-001/questionnaires/m3/hads/"
    detail = client.get(saved["Location"] + "?format=json").json()
    assert (detail["status"], detail["entry"], detail["mode"]) == ("submitted", "staff", "paper")
    assert detail["entered_by"] == "coord-utr"
    assert {s["code"]: s["value"] for s in detail["scores"]} == {"ANXIETY": None, "DEPRESSION": 7.0}
    assert detail["history"][0]["reason"] == "paper form entered by staff"
    html = client.get(saved["Location"]).content.decode()
    assert "Scoring hads/1983/1" in html


def test_staff_correct_with_a_reason_on_the_page(
    ready: Participant, patient: User, coordinator: User
) -> None:
    m3 = visit(ready, "m3")
    services.save_answers(patient, m3, "hads", HADS_ONES, now=timezone.now())
    services.submit(patient, m3, "hads", now=timezone.now())
    client = _client(coordinator)
    url = "/participants/NL-UTR-001/questionnaires/m3/hads/correct/"
    page = client.get(url).content.decode()
    assert 'name="q1" value="1"' in page
    assert "Reason for the correction" in page
    form = {f"q{i}": "1" for i in range(1, 15)} | {"q1": "3"}
    missing = client.post(url, form)
    assert "changing the answers to hads needs a reason" in missing.content.decode()
    assert QuestionnaireResponse.objects.get().answers == HADS_ONES
    done = client.post(url, {**form, "reason": "patient's paper copy says 3"})
    assert done.status_code == 302
    assert QuestionnaireResponse.objects.get().scores == {"ANXIETY": 9.0, "DEPRESSION": 7.0}


def test_record_the_visit_done_from_the_page(
    ready: Participant, patient: User, coordinator: User
) -> None:
    m3 = visit(ready, "m3")
    client = _client(coordinator)
    url = "/participants/NL-UTR-001/questionnaires/m3/complete/"
    refused = client.post(url, follow=True).content.decode()
    assert "0 of 4 questionnaires of visit m3 are submitted" in refused
    today = local_today(ready.centre, timezone.now())
    answers = {
        "qlq-c30": {f"q{i}": 1 for i in range(1, 31)},
        "qlq-fa12": {f"q{i}": 1 for i in range(1, 13)},
        "eq-5d-5l": {"MO": 1, "SC": 1, "UA": 1, "PD": 1, "AD": 1},
        "hads": HADS_ONES,
    }
    for name, given in answers.items():
        services.enter_paper_form(
            coordinator, m3, name, given, answered_on=today, now=timezone.now()
        )
    page = client.get("/participants/NL-UTR-001/questionnaires/").content.decode()
    assert "Record visit m3 as done" in page
    done = client.post(url, follow=True).content.decode()
    assert f"Visit m3 recorded as done on {today}" in done
    assert visit(ready, "m3").completed_on == today


def test_the_patient_api(ready: Participant, patient: User) -> None:
    client = _client(patient)
    mine = client.get("/api/me/questionnaires").json()
    assert [i["instrument"] for i in mine["visits"][0]["instruments"]] == [
        "qlq-c30",
        "qlq-fa12",
        "eq-5d-5l",
        "hads",
    ]
    form = client.get("/api/me/questionnaires/m3/hads").json()
    assert form["placeholder"] is True
    assert form["items"][0]["options"][0] == {
        "value": 3,
        "label": "[Placeholder] answer 3",
        "checked": False,
    }
    url = "/api/me/questionnaires/m3/hads/answers"
    bad = _post_json(client, url, {"answers": {"q1": 4}}, "put")
    assert bad.status_code == 400
    assert bad.json() == {
        "detail": "column q1: value 4: is outside the range 0–3 of item q1; "
        "choose one of the answers the form offers",
        "error": "ScoringError",
    }
    saved = _post_json(client, url, {"answers": HADS_ONES | {"q2": None}}, "put").json()
    assert (saved["status"], saved["answered"]) == ("in progress", 13)
    submitted = client.post("/api/me/questionnaires/m3/hads/submit").json()
    assert (submitted["status"], submitted["scores"]) == ("submitted", None)
    again = client.post("/api/me/questionnaires/m3/hads/submit")
    assert again.status_code == 409


def test_the_staff_api(
    ready: Participant, patient: User, coordinator: User, other_coordinator: User
) -> None:
    client = _client(coordinator)
    today = local_today(ready.centre, timezone.now()).isoformat()
    url = "/api/participants/NL-UTR-001/questionnaires/m3/eq-5d-5l"
    body = {
        "answers": {"MO": 2, "SC": 1, "UA": 1, "PD": 1, "AD": 1, "VAS": 80},
        "answered_on": today,
    }
    bad = _post_json(client, url, {**body, "answers": {"MO": 6}})
    assert bad.status_code == 400
    assert "column MO: value 6: is outside the range 1–5 of item MO" in bad.json()["detail"]
    assert _post_json(_client(other_coordinator), url, body).status_code == 404
    created = _post_json(client, url, body)
    assert created.status_code == 201
    # Netherlands, state 21111: 1 - 0.047 - 0.035 (tests/reference/domain.md 6.3 test vector)
    assert created.json()["scores"] == {"utility": pytest.approx(0.918, abs=1e-12)}
    assert created.json()["value_set"] == "NL"
    assert _post_json(client, url, body).status_code == 409
    fix = _post_json(client, url + "/corrections", {"answers": {"MO": 1}, "reason": "typo"})
    # Netherlands, state 11111: no problems, index 1
    assert fix.json()["scores"] == {"utility": pytest.approx(1.0, abs=1e-12)}
    detail = client.get(url).json()
    assert [h["reason"] for h in detail["history"]] == ["typo", "paper form entered by staff"]
    listing = client.get("/api/participants/NL-UTR-001/questionnaires").json()
    assert listing["visits"][1]["instruments"][2]["status"] == "submitted"
    assert client.get("/api/questionnaires/overview").json()["counts"]["partly"] == 1
    complete = client.post("/api/participants/NL-UTR-001/questionnaires/m3/complete-visit")
    assert complete.status_code == 409
    schema = client.get("/api/openapi.json").json()
    assert "/api/me/questionnaires/{visit}/{instrument}/answers" in schema["paths"]


def test_the_api_requires_authentication() -> None:
    assert Client().get("/api/me/questionnaires").status_code == 401
    assert Client().get("/questionnaires/").status_code == 302


def test_every_questionnaire_route_is_documented(coordinator: User) -> None:
    documented = (Path(__file__).parents[2] / "docs" / "concepts" / "outcomes.md").read_text(
        encoding="utf-8"
    )
    schema = _client(coordinator).get("/api/openapi.json").json()
    routes = [
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        if "questionnaires" in path
        for method in operations
    ]
    assert len(routes) == 10
    assert [r for r in routes if f"`{r}`" not in documented] == []


def test_fa12_subscales_are_labelled_provisional_on_the_pages(
    ready: Participant, patient: User, coordinator: User
) -> None:
    """docs/instruments/qlq-fa12.md: the subscale item map is not verified (issue 18)."""
    m3 = visit(ready, "m3")
    ones = {f"q{i}": 1 for i in range(1, 13)}
    services.save_answers(patient, m3, "qlq-fa12", ones, now=timezone.now())
    services.submit(patient, m3, "qlq-fa12", now=timezone.now())
    client = _client(coordinator)
    base = "/participants/NL-UTR-001/questionnaires/"
    html = client.get(base).content.decode()
    assert "PHYSICAL (provisional item map) 0.0" in html
    assert "TOTAL 0.0" in html  # items 1-10: verified
    data = client.get(base + "?format=json").json()
    (m3_data,) = [v for v in data["visits"] if v["visit"] == "m3"]
    (fa12,) = [q for q in m3_data["instruments"] if q["instrument"] == "qlq-fa12"]
    assert fa12["provisional"] == ["PHYSICAL", "EMOTIONAL", "COGNITIVE"]
    detail = client.get(base + "m3/qlq-fa12/?format=json").json()
    flags = {s["code"]: s["provisional"] for s in detail["scores"]}
    assert flags == {
        "PHYSICAL": True,
        "EMOTIONAL": True,
        "COGNITIVE": True,
        "INTERFERENCE": False,
        "SOCIAL": False,
        "TOTAL": False,
    }
    page = client.get(base + "m3/qlq-fa12/").content.decode()
    assert page.count('class="badge provisional">provisional item map<') == 3
