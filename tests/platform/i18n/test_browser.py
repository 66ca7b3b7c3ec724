"""German at phone width in Debian's Chromium: the browser asks for German, the sign-in
page answers in German, and no page of a patient's visit scrolls sideways at 375 px with
German's long words. Skipped when /usr/bin/chromium is missing."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from exonc.platform.accounts.models import User
from exonc.platform.trial.models import Participant
from exonc.platform.trial.services import local_today
from tests.platform.outcomes_setup import give_patient_login
from tests.platform.test_outcomes_browser import chromium, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PHONE = {
    "viewport": {"width": 375, "height": 812},
    "has_touch": True,
    "is_mobile": True,
    "locale": "de-DE",  # Accept-Language: de-DE
}
PAGES = ("/hub/", "/questionnaires/", "/questionnaires/m3/hads/1/", "/account/", "/guides/")


def test_a_german_patient_on_a_phone_sees_german_and_no_sideways_scrolling(
    live_server: Any, ready: Participant, coordinator: User
) -> None:
    today = local_today(ready.centre, timezone.now())
    give_patient_login(coordinator, ready, randomised_on=today - dt.timedelta(days=91))
    shots = (
        Path(os.environ.get("EXONC_SCREENSHOTS", "")) if "EXONC_SCREENSHOTS" in os.environ else None
    )
    base = live_server.url
    with chromium() as browser:
        page = browser.new_context(**PHONE).new_page()
        page.set_default_timeout(30_000)
        page.goto(f"{base}/login/")
        expect(page.get_by_role("heading", name="Anmelden")).to_be_visible()
        assert page.evaluate("document.documentElement.lang") == "de"
        _no_sideways_scroll(page, "/login/", shots)
        page.fill("#id_username", "pat-utr")
        page.fill("#id_password", "pw-pat-utr")
        page.get_by_role("button", name="Anmelden").click()
        page.wait_for_url(f"{base}/hub/")
        expect(page.get_by_role("heading", name="Ihre Fragebögen")).to_be_visible()
        for path in PAGES:
            page.goto(f"{base}{path}")
            assert page.evaluate("document.documentElement.lang") == "de", path
            _no_sideways_scroll(page, path, shots)
        page.get_by_role("button", name="Abmelden").click()
        page.wait_for_url(f"{base}/login/")
        expect(page.get_by_role("heading", name="Anmelden")).to_be_visible()


def _no_sideways_scroll(page: Any, path: str, shots: Path | None) -> None:
    if shots is not None:
        name = path.strip("/").replace("/", "-") or "root"
        page.screenshot(path=str(shots / f"de-{name}.png"), full_page=True)
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 375, f"{path} is {width} px wide at 375 px"
