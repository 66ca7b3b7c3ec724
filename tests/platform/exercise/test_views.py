"""The exercise pages in-process: JSON twins, scoping, the logging form and its hard stops."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from exonc.platform.accounts.models import Role, User
from exonc.platform.exercise import convert
from exonc.platform.exercise import safety_services as register
from exonc.platform.exercise import session_services as sessions
from exonc.platform.exercise.models import ExerciseProfile, Lesion, Override, SessionLog
from tests.platform.exercise.conftest import make_user, session, utrecht_today

pytestmark = pytest.mark.django_db

PELVIS = convert.LesionEntry("pelvis", "left", "lytic", dt.date(2024, 2, 1))


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _today() -> dt.date:
    return utrecht_today()


def _form(items: list[dict[str, Any]] | None = None, **extra: str) -> dict[str, Any]:
    """A logging form as the browser posts it: attended, the plan's items."""
    data: dict[str, Any] = {"attendance": "attended", **extra}
    for item in items or []:
        data.update(item)
    return data


def test_pages_need_login() -> None:
    response = Client().get("/programme/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_home_lists_todays_participants_with_a_json_twin(
    current: ExerciseProfile, physio: User, other_physio: User
) -> None:
    html = _client(physio).get("/programme/").content.decode()
    assert "NL-UTR-001" in html
    assert "Log session" in html
    data = _client(physio).get("/programme/?format=json").json()
    [row] = data["today"]
    assert (row["study_id"], row["week"], row["phase"], row["due"]) == (
        "NL-UTR-001",
        3,
        "mict",
        True,
    )
    assert _client(other_physio).get("/programme/?format=json").json()["today"] == []


def test_plan_page_shows_the_engines_plan(current: ExerciseProfile, physio: User) -> None:
    client = _client(physio)
    plan = client.get("/programme/participants/NL-UTR-001/plan/?format=json").json()
    assert plan["plan"]["week"] == 3
    assert plan["plan"]["aerobic"]["phase"] == "mict"
    # MICT at 50-60 % of Wpeak 160 W = 80-96 W → 5 W steps: 80-95 W.
    assert plan["plan"]["aerobic"]["main"]["watts"] == [80.0, 95.0]
    html = client.get("/programme/participants/NL-UTR-001/plan/").content.decode()
    assert "Leg press" in html
    assert "52.5 kg" in html


def test_other_centre_gets_not_found(current: ExerciseProfile, other_physio: User) -> None:
    client = _client(other_physio)
    for url in ("", "plan/", "log/"):
        assert client.get(f"/programme/participants/NL-UTR-001/{url}").status_code == 404


def test_the_logging_form_is_prefilled_from_the_plan(
    current: ExerciseProfile, physio: User
) -> None:
    html = _client(physio).get("/programme/participants/NL-UTR-001/log/").content.decode()
    assert 'name="r0_exercise" value="leg_press"' in html
    assert 'name="r0_load" value="52.5"' in html
    assert 'name="r0_set1" value="10"' in html  # the lower bound of 10-12
    assert 'name="aerobic_watts" value="80"' in html
    assert 'name="checkin_new_or_worse_bone_pain"' in html


def test_posting_the_form_logs_the_session(current: ExerciseProfile, physio: User) -> None:
    leg = {
        "r0_exercise": "leg_press",
        "r0_load": "52.5",
        "r0_set1": "12",
        "r0_set2": "12",
        "r0_set3": "11",
        "r0_rpe": "6",
    }
    aerobic = {"aerobic_exercise": "cycle_ergometer", "aerobic_bouts": "1"}
    aerobic |= {"aerobic_bout_seconds": "900", "aerobic_watts": "85"}
    response = _client(physio).post(
        "/programme/participants/NL-UTR-001/log/", _form([leg, aerobic], checkin_dizziness="on")
    )
    assert response.status_code == 302
    log = SessionLog.objects.get()
    assert log.logged_by == physio
    assert [s["reps"] for s in log.resistance[0]["sets"]] == [12, 12, 11]
    assert log.aerobic["watts"] == 85
    assert log.check_in["dizziness"] is True
    assert current.participant.symptom_flags.get().kind == "dizziness"


def test_the_form_refuses_a_blocked_exercise_and_keeps_the_input(
    current: ExerciseProfile, physio: User
) -> None:
    register.record_lesion(physio, current.participant, PELVIS, today=_today())
    client = _client(physio)
    html = client.get("/programme/participants/NL-UTR-001/log/").content.decode()
    assert 'value="leg_press"' not in html  # the plan substitutes it: no input for it
    assert 'value="seated_calf_raise"' in html
    # A crafted submission that names the blocked exercise is refused by the service.
    crafted = {"r0_exercise": "leg_press", "r0_load": "40", "r0_set1": "10"}
    response = client.post("/programme/participants/NL-UTR-001/log/", _form([crafted]))
    assert response.status_code == 409
    body = response.content.decode()
    assert "Leg press (leg_press) loads a movement restricted" in body
    assert 'name="r0_load" value="40"' in body  # what she typed is kept
    assert not SessionLog.objects.exists()


def test_participant_page_shows_lesions_flags_and_history(
    current: ExerciseProfile, physio: User, clinician: User
) -> None:
    lesion = register.record_lesion(physio, current.participant, PELVIS, today=_today())
    register.record_override(
        clinician,
        lesion,
        exercise="leg_press",
        reason="stable",
        starts_on=_today(),
        today=_today(),
    )
    sessions.log_session(
        physio, current.participant, session(_today(), check_in={"fever": True}), today=_today()
    )
    html = _client(clinician).get("/programme/participants/NL-UTR-001/").content.decode()
    for text in ("Lesion register", "pelvis", "override: leg press", "open: progression held"):
        assert text in html
    assert "Close" in html  # clinicians close flags
    record = _client(physio).get("/programme/participants/NL-UTR-001/?format=json").json()
    assert record["lesions"][0]["restrictions"][0].startswith("site rule")
    assert [v["version"] for v in record["prescriptions"]] == [1]
    assert record["adherence"][0]["supervised_attended"] == 1
    assert {h["what"] for h in record["history"]} >= {"Lesion created", "Override created"}
    assert "clear" not in record["actions"]  # physiotherapists do not clear lesions


def test_override_form_refuses_a_non_clinician_and_a_missing_reason(
    current: ExerciseProfile, physio: User, clinician: User
) -> None:
    lesion = register.record_lesion(physio, current.participant, PELVIS, today=_today())
    url = f"/programme/lesions/{lesion.pk}/override/"
    data = {"exercise": "leg_press", "reason": "stable", "starts_on": _today().isoformat()}
    assert _client(physio).post(url, data).status_code == 403
    refused = _client(clinician).post(url, {**data, "reason": ""})
    assert refused.status_code == 400
    assert "An override needs the clinician&#x27;s reason" in refused.content.decode()
    assert not Override.objects.exists()
    assert _client(clinician).post(url, data).status_code == 302
    assert Override.objects.get().clinician == clinician


def test_clinicians_see_notifications_and_close_flags(
    current: ExerciseProfile, physio: User, clinician: User
) -> None:
    sessions.log_session(
        physio,
        current.participant,
        session(_today(), check_in={"chest_pain": True}),
        today=_today(),
    )
    client = _client(clinician)
    home = client.get("/programme/?format=json").json()
    [note] = home["notifications"]
    assert "chest pain" in note["message"]
    assert home["open_flags"][0]["kind"] == "chest_pain"
    flag_id = home["open_flags"][0]["id"]
    response = client.post(
        f"/programme/flags/{flag_id}/close/",
        {"closed_on": _today().isoformat(), "reason": "ECG normal"},
    )
    assert response.status_code == 302
    assert client.get("/programme/?format=json").json()["open_flags"] == []


def test_forms_for_tests_lesions_and_events(current: ExerciseProfile, physio: User) -> None:
    client = _client(physio)
    base = "/programme/participants/NL-UTR-001"
    today = _today().isoformat()
    bad = client.post(
        f"{base}/tests/new/",
        {
            "kind": "multiple_rm",
            "tested_on": today,
            "exercise": "leg_press",
            "load_kg": "40",
            "reps": "15",
        },
    )
    assert bad.status_code == 400
    assert "2–10 repetitions" in bad.content.decode()
    good = client.post(
        f"{base}/tests/new/",
        {
            "kind": "multiple_rm",
            "tested_on": today,
            "exercise": "leg_press",
            "load_kg": "70",
            "reps": "8",
        },
    )
    assert good.status_code == 302
    lesion = {"site": "ribs", "laterality": "left", "lesion_type": "blastic", "imaging_date": today}
    assert client.post(f"{base}/lesions/new/", lesion).status_code == 302
    assert Lesion.objects.get().label == "L1"
    event = {
        "onset": today,
        "description": "muscle soreness",
        "grade": "1",
        "relatedness": "probable",
        "outcome": "recovered",
    }
    assert client.post(f"{base}/adverse-events/new/", event).status_code == 302


def test_adherence_page(current: ExerciseProfile, physio: User, statistician: User) -> None:
    sessions.log_session(physio, current.participant, session(_today()), today=_today())
    data = _client(statistician).get("/programme/adherence/?level=centre&format=json").json()
    assert data["rows"][0]["centre"] == "NL-UTR"
    assert data["rows"][0]["attendance_rate"] == 1.0
    assert _client(physio).get("/programme/adherence/").status_code == 200


def test_patient_sees_her_plan_in_plain_language(
    current: ExerciseProfile, physio: User, centres: object
) -> None:
    patient = make_user("pat-001", Role.PATIENT, [])
    participant = current.participant
    participant.user = patient
    participant.save()
    register.record_lesion(physio, participant, PELVIS, today=_today())
    client = _client(patient)
    assert client.get("/programme/").status_code == 302  # to her own plan
    html = client.get("/programme/today/").content.decode()
    assert "Cycle for 15 minutes at 80 to 95 watts." in html
    assert "Seated calf raise (instead of leg press)" in html
    assert "Because of the lesion in your pelvis (L1): no" in html
    assert "straightening the hip" in html
    assert client.get("/programme/participants/NL-UTR-001/").status_code == 403
    assert (
        client.get("/programme/participants/NL-UTR-001/?format=json").json()["error"]
        == "AccessDenied"
    )


def test_centre_equipment_and_rules_pages(
    current: ExerciseProfile, physio: User, clinician: User
) -> None:
    url = "/programme/centres/NL-UTR/equipment/"
    data = {
        "default_increment_kg": "2.5",
        "ergometer_increment_w": "5",
        "increments_kg": "leg_press=5",
    }
    assert _client(physio).post(url, data).status_code == 302
    page = _client(physio).get(url).content.decode()
    assert 'value="leg_press=5"' in page
    bad = _client(physio).post(url, {**data, "increments_kg": "leg_press=heavy", "reason": "x"})
    assert bad.status_code == 400
    assert _client(physio).get("/programme/centres/DE-HEI/equipment/").status_code == 404
    rules = "/programme/centres/NL-UTR/rules/"
    assert _client(physio).post(rules, {"safety_rules": "", "reason": "x"}).status_code == 403
    broken = _client(clinician).post(rules, {"safety_rules": "[table]\nstatus = 1", "reason": "r"})
    assert broken.status_code == 400
    assert "NL-UTR rule table" in broken.content.decode()


def test_administrators_read_the_records_in_the_admin(
    current: ExerciseProfile, administrator: User
) -> None:
    client = _client(administrator)
    for model in ("sessionlog", "prescriptionversion", "lesion", "fitnesstest"):
        assert client.get(f"/admin/exercise/{model}/").status_code == 200
    version = current.participant.prescriptions.get()
    assert (
        client.get(f"/admin/exercise/prescriptionversion/{version.pk}/change/").status_code == 200
    )
