"""In Debian's Chromium on a phone: a patient opens her guides; a member of the public
builds and prints a pack. Skipped when /usr/bin/chromium is missing."""

from __future__ import annotations

import re
from typing import Any

import pytest

from exonc.platform.accounts.models import User
from exonc.platform.exercise import safety_services as register
from exonc.platform.exercise.models import ExerciseProfile
from tests.platform.exercise.conftest import utrecht_today
from tests.platform.guides.conftest import Approve
from tests.platform.guides.test_patient import PELVIS
from tests.platform.outcomes_setup import give_patient_login
from tests.platform.test_outcomes_browser import PHONE, chromium, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["viewport"]["width"]


def test_a_patient_opens_her_guides_on_a_phone(
    live_server: Any,
    current: ExerciseProfile,
    coordinator: User,
    physio: User,
    approve: Approve,
) -> None:
    approve()
    participant = current.participant
    register.record_lesion(physio, participant, PELVIS, today=utrecht_today())
    give_patient_login(coordinator, participant, randomised_on=utrecht_today())
    base = live_server.url
    with chromium() as browser:
        page = browser.new_context(**PHONE).new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{base}/login/")
        page.fill("#id_username", "pat-utr")
        page.fill("#id_password", "pw-pat-utr")
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/hub/")
        page.get_by_role("link", name="See your guides").click()
        expect(page.get_by_role("heading", name="Your guides", exact=True)).to_be_visible()
        expect(page.get_by_text("Your level: Building up.")).to_be_visible()
        expect(
            page.get_by_role("heading", name="Guides left out to protect your bones")
        ).to_be_visible()
        expect(page.get_by_text("because of the lesion in your pelvis").first).to_be_visible()
        _no_sideways_scroll(page)

        page.get_by_role("link", name="Seated calf raise: building up").first.click()
        drawing = page.locator("img.drawing")
        expect(drawing).to_have_attribute("alt", re.compile("calf-raise machine"))
        # Wait for the drawing to finish loading (a slow server is not a broken image), then
        # check that it decoded: an image that fails to load resolves to false.
        assert drawing.evaluate(
            "img => img.complete ? img.naturalWidth > 0 : new Promise(done => {"
            " img.onload = () => done(img.naturalWidth > 0); img.onerror = () => done(false); })"
        )
        expect(page.get_by_role("heading", name="Stop and call your care team if")).to_be_visible()
        _no_sideways_scroll(page)

        page.goto(f"{base}/programme/today/")
        page.get_by_role("link", name="Leg curl", exact=True).click()
        expect(page).to_have_url(f"{base}/hub/guides/leg-curl-building-up/")
        expect(page.get_by_role("heading", name="Leg curl: building up")).to_be_visible()
        browser.contexts[0].close()


def test_a_member_of_the_public_builds_and_prints_a_pack(
    live_server: Any, approve: Approve
) -> None:
    approve()
    base = live_server.url
    with chromium() as browser:
        context = browser.new_context(**PHONE)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{base}/guides/")
        page.get_by_role("link", name="Answer five questions and get your own pack").click()
        for answer in (
            "10 to 30 minutes",
            "Yes, once or twice",
            "Yes, with some wobbling",
            "2 to 4 days",
            "Tired, but I manage everyday tasks",
            "At home",
        ):
            page.get_by_label(answer, exact=True).check()
        page.get_by_text("Choose the places").click()
        page.get_by_label("The top of your thigh bone (near the hip)").check()
        _no_sideways_scroll(page)
        assert page.locator("label.choice").first.bounding_box()["height"] >= 44  # touch target
        page.get_by_role("button", name="Show my pack").click()
        expect(page.get_by_role("heading", name="Your level: Building up")).to_be_visible()
        expect(page.get_by_role("link", name="Band row")).to_be_visible()
        expect(page.get_by_text("Left out, and why")).to_be_visible()
        assert "site=proximal_femur" in page.url  # the answers live in the address only

        link = page.get_by_role("link", name="Print your pack (PDF)")
        pdf = page.request.get(base + (link.get_attribute("href") or ""))
        assert pdf.headers["content-type"] == "application/pdf"
        assert pdf.body().startswith(b"%PDF")
        assert context.cookies() == []  # nothing stored
        context.close()
