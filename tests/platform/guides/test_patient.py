"""The patient's "Your guides": her level from her tests, her arm's guides, her lesions'
exclusions with reasons, and today's plan linking each exercise to its guide."""

from __future__ import annotations

import datetime as dt

import pytest

from exonc.platform.accounts.models import User
from exonc.platform.exercise import convert
from exonc.platform.exercise import safety_services as register
from exonc.platform.exercise.models import ExerciseProfile
from exonc.platform.trial.models import Participant
from tests.platform.exercise.conftest import utrecht_today
from tests.platform.guides.conftest import Approve, client, login

pytestmark = pytest.mark.django_db

PELVIS = convert.LesionEntry("pelvis", "left", "lytic", dt.date(2024, 2, 1))


def _yours(user: User) -> dict:  # type: ignore[type-arg]
    response = client(user).get("/hub/guides/?format=json")
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def test_the_exercise_arm_follows_her_prescription(
    patient: User, current: ExerciseProfile, approve: Approve
) -> None:
    approve()
    data = _yours(patient)
    # Steep Ramp Test 250 W (the fixture's baseline) → "building up"; no other mapped test.
    assert (data["access"], data["level"], data["level_name"]) == ("prescription", 2, "Building up")
    assert data["level_basis"][0].startswith("Steep Ramp Test on ")
    assert data["level_basis"][0].endswith(": 250 W")
    assert [g["slug"] for g in data["programme"]] == [
        "cycling-building-up",
        "leg-press-building-up",
        "leg-curl-building-up",
        "leg-extension-building-up",
        "chest-press-building-up",
        "seated-row-building-up",
        "lat-pulldown-building-up",
        "standing-balance-building-up",
    ]
    shown = [g for s in data["sections"] for g in s["guides"]]
    assert all(2 in g["levels"] for g in shown)
    assert data["excluded"] == []
    assert data["note"] is None
    assert data["awaiting_review"] == 0


def test_her_lesions_exclude_guides_with_reasons_and_the_plan_substitutes(
    patient: User, current: ExerciseProfile, physio: User, approve: Approve
) -> None:
    approve()
    register.record_lesion(physio, current.participant, PELVIS, today=utrecht_today())
    data = _yours(patient)
    programme = [g["slug"] for g in data["programme"]]
    assert "leg-press-building-up" not in programme
    assert "seated-calf-raise-building-up" in programme  # the plan's substitute
    excluded = {e["slug"]: e for e in data["excluded"]}
    assert excluded["sit-to-stand"]["because"] == (
        "Not for you at the moment, because of the lesion in your pelvis: it involves "
        "straightening the hip (pushing the leg back) against weight."
    )
    html = client(patient).get("/hub/guides/").content.decode()
    assert "Guides left out to protect your bones" in html
    page = client(patient).get("/hub/guides/sit-to-stand/").content.decode()
    assert "because of the lesion in your pelvis" in page


def test_only_approved_guides_reach_her(
    patient: User, current: ExerciseProfile, approve: Approve
) -> None:
    approve(lambda slug: slug.startswith("walking"))
    data = _yours(patient)
    shown = {g["slug"] for s in data["sections"] for g in s["guides"]} | {
        g["slug"] for g in data["programme"]
    }
    assert shown == {"walking-brisk"}
    assert data["awaiting_review"] > 20
    assert client(patient).get("/hub/guides/band-row/").status_code == 404


def test_the_control_arm_sees_the_everyday_activity_guides_only(
    control: Participant, approve: Approve
) -> None:
    approve()
    user = login(control, "pat-ctl")
    data = _yours(user)
    assert data["access"] == "everyday_activity"
    assert data["note"].startswith(
        "In your study group, the hub shows the everyday-activity guides"
    )
    assert data["programme"] == []
    assert [s["component"] for s in data["sections"]] == ["everyday_activity"]
    assert client(user).get("/hub/guides/leg-press-starting-out/").status_code == 404
    assert client(user).get("/hub/guides/when-to-stop/").status_code == 200


def test_todays_plan_links_each_exercise_to_her_guide(
    patient: User, current: ExerciseProfile, approve: Approve
) -> None:
    """Only exercises with an approved guide at her level are links: a link never ends in a
    refusal. The address itself still answers kindly while the guide awaits review."""
    today = client(patient).get("/programme/today/?format=json").json()
    strength = next(s for s in today["steps"] if s["title"] == "Strength exercises")
    assert strength["guides"] == []
    html = client(patient).get("/programme/today/").content.decode()
    assert 'href="/hub/guides/exercise/leg_press/"' not in html
    missing = client(patient).get("/hub/guides/exercise/leg_press/")
    assert missing.status_code == 404
    assert "still being reviewed by a clinician" in missing.content.decode()
    approve()
    today = client(patient).get("/programme/today/?format=json").json()
    strength = next(s for s in today["steps"] if s["title"] == "Strength exercises")
    assert [g["exercise"] for g in strength["guides"]][:2] == ["leg_press", "leg_curl"]
    html = client(patient).get("/programme/today/").content.decode()
    assert 'href="/hub/guides/exercise/leg_press/"' in html
    found = client(patient).get("/hub/guides/exercise/leg_press/")
    assert (found.status_code, found["Location"]) == (302, "/hub/guides/leg-press-building-up/")
    assert 'href="/hub/guides/"' in client(patient).get("/hub/").content.decode()


def test_her_guides_print_as_one_pdf(
    patient: User, current: ExerciseProfile, approve: Approve
) -> None:
    approve(lambda slug: slug in {"walking-brisk", "when-to-stop"})
    pdf = client(patient).get("/hub/guides/guides.pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def test_staff_have_no_your_guides_page(physio: User) -> None:
    response = client(physio).get("/hub/guides/")
    assert response.status_code == 403
