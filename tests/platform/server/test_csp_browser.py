"""Pages work under the Content-Security-Policy: Chromium reports no refused script, style
or link on the main pages of staff, patients and administrators (htmx, the activity bars,
Swagger UI, the admin). Skipped without /usr/bin/chromium."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from exonc.platform.accounts.models import User
from exonc.platform.trial.models import Participant
from exonc.platform.trial.services import local_today
from tests.platform.outcomes_setup import give_patient_login
from tests.platform.test_outcomes_browser import chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PAGES = {
    "coord-utr": ["/", "/participants/", "/participants/NL-UTR-001/", "/participants/new/",
                  "/activity/", "/jobs/", "/api/docs"],
    "pat-utr": ["/hub/", "/activity/", "/questionnaires/"],
    "admin": ["/security/", "/security/2fa/setup/", "/admin/", "/admin/trial/participant/"],
}  # fmt: skip


def test_no_page_breaks_the_content_security_policy(
    live_server: Any, ready: Participant, coordinator: User, administrator: User
) -> None:
    today = local_today(ready.centre, timezone.now())
    give_patient_login(coordinator, ready, randomised_on=today - dt.timedelta(days=91))
    refused: list[str] = []
    statuses: dict[str, int] = {}
    with chromium() as browser:
        for username, paths in PAGES.items():
            page = browser.new_context().new_page()
            page.set_default_timeout(20_000)
            page.on("console", lambda m, at=username: _note(refused, at, m.text))
            page.goto(f"{live_server.url}/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", f"pw-{username}")
            page.click("button[type=submit]")
            page.wait_for_load_state()
            for path in paths:
                answer = page.goto(f"{live_server.url}{path}")
                page.wait_for_load_state("networkidle")
                statuses[f"{username} {path}"] = answer.status if answer else 0
            page.context.close()
    assert {k: v for k, v in statuses.items() if v != 200} == {}
    assert refused == []


def _note(refused: list[str], username: str, text: str) -> None:
    if "Content Security Policy" in text:
        refused.append(f"{username}: {text}")
