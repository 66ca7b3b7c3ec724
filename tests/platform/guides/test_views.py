"""The public hub: no sign-in and nothing stored; browse, search, read, print, and build a
tailored pack from the self-assessment. JSON twins of every page."""

from __future__ import annotations

import pytest

from exonc.platform.accounts.models import User
from tests.platform.guides.conftest import Approve, client

pytestmark = pytest.mark.django_db

ANSWERS = "walk=10_to_30&chair=once&balance=wobbly&active_days=2_to_4&energy=tired"


def test_the_hub_is_public_and_stores_nothing(approve: Approve) -> None:
    approve()
    for url in ("/guides/", "/guides/sit-to-stand/", f"/guides/pack/?{ANSWERS}"):
        response = client().get(url)
        assert response.status_code == 200, url
        assert response.cookies == {}, url  # no session, no CSRF cookie


def test_nothing_is_public_before_a_clinician_approves() -> None:
    data = client().get("/guides/?format=json").json()
    assert (data["guides"], data["total"]) == ([], 0)
    assert (
        "No guide has been approved by a clinician yet" in client().get("/guides/").content.decode()
    )
    assert client().get("/guides/sit-to-stand/").status_code == 404
    assert client().get("/guides/sit-to-stand/handout.pdf").status_code == 404


def test_browse_by_level_component_and_setting(approve: Approve) -> None:
    approve()
    data = client().get("/guides/?level=1&component=balance&format=json").json()
    slugs = {g["slug"] for g in data["guides"]}
    assert slugs == {"standing-balance-starting-out", "seated-balance-starting-out"}
    assert all(g["draft"] is False and 1 in g["levels"] for g in data["guides"])
    home = client().get("/guides/?setting=home&format=json").json()["guides"]
    assert home
    assert all(g["setting_name"] in ("At home", "Anywhere") for g in home)


def test_search_matches_every_word(approve: Approve) -> None:
    approve()
    data = client().get("/guides/?q=door+band&format=json").json()
    assert {g["slug"] for g in data["guides"]} == {
        "band-row",
        "band-pulldown",
        "band-triceps-press-down",
    }


@pytest.mark.parametrize(
    ("query", "message"),
    [("level=7", "not a known level"), ("component=yoga", "not a known choice")],
)
def test_a_bad_filter_is_a_plain_refusal(approve: Approve, query: str, message: str) -> None:
    approve()
    response = client().get(f"/guides/?{query}&format=json")
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_a_guide_page_its_drawing_and_its_handout(approve: Approve) -> None:
    approve()
    data = client().get("/guides/leg-press-building-up/?format=json").json()
    assert data["title"] == "Leg press: building up"
    assert data["easier_guide"] == {
        "slug": "leg-press-starting-out",
        "title": "Leg press: starting out",
    }
    assert data["draft"] is False
    assert data["approval"].startswith("Reviewed by Carla de Vries")
    assert data["can_approve"] is False
    assert data["attachments"] == []
    svg = client().get("/guides/leg-press-building-up/drawing.svg")
    assert svg["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert b"<title" in svg.content
    assert b"leg-press machine" in svg.content
    pdf = client().get("/guides/leg-press-building-up/handout.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert client().get("/guides/when-to-stop/drawing.svg").status_code == 404


def test_staff_see_drafts_with_a_banner(physio: User) -> None:
    html = client(physio).get("/guides/").content.decode()
    assert "draft: awaiting clinical review" in html
    page = client(physio).get("/guides/sit-to-stand/").content.decode()
    assert "Draft: this guide is awaiting review by a clinician" in page
    pdf = client(physio).get("/guides/sit-to-stand/handout.pdf")
    assert pdf.status_code == 200


def test_the_self_assessment_asks_before_it_suggests(approve: Approve) -> None:
    approve()
    form = client().get("/guides/pack/?format=json").json()
    assert form["complete"] is False
    assert [q["id"] for q in form["questions"]] == [
        "walk",
        "chair",
        "balance",
        "active_days",
        "energy",
    ]
    assert form["suitable"] == []


SMALL = {"band-row", "sit-to-stand", "walking-brisk", "leg-press-building-up", "when-to-stop"}


def test_the_pack_is_tailored_to_level_setting_and_lesion_sites(approve: Approve) -> None:
    approve(lambda slug: slug in SMALL)  # a few guides keep the PDF quick
    data = (
        client().get(f"/guides/pack/?{ANSWERS}&setting=home&site=proximal_femur&format=json").json()
    )
    assert (data["complete"], data["level"], data["level_name"]) == (True, 2, "Building up")
    assert data["site_names"] == ["the top of your thigh bone (near the hip)"]
    suitable = {g["slug"] for g in data["suitable"]}
    assert suitable == {"band-row", "when-to-stop"}  # no machines at home; the rest load the hip
    sit = next(e for e in data["excluded"] if e["slug"] == "sit-to-stand")
    assert sit["because"].startswith(
        "Not for you at the moment, because of the lesion in the top of your thigh bone "
        "(near the hip)"
    )
    assert data["pdf_query"].endswith("&site=proximal_femur&setting=home")
    pdf = client().get(f"/guides/pack.pdf?{data['pdf_query']}")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def test_a_bad_lesion_site_in_the_pack_is_a_plain_refusal(approve: Approve) -> None:
    approve()
    response = client().get(f"/guides/pack/?{ANSWERS}&site=femur")
    assert response.status_code == 400
    assert "not a known lesion site" in response.content.decode()


def test_public_pages_refuse_to_change_anything(approve: Approve) -> None:
    approve()
    assert client().post("/guides/").status_code == 405
    assert client().post("/guides/pack/").status_code == 405
