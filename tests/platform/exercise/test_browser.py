"""A physiotherapist logs a session on a tablet: Debian's Chromium through Playwright."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connections

from exonc.platform.accounts.models import User
from exonc.platform.exercise.models import ExerciseProfile, SessionLog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TABLET = {"width": 820, "height": 1180}  # a 10-inch tablet, portrait


@pytest.fixture
def tablet(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test
    # itself (its assertions) are still synchronous. Request this fixture last, so that
    # the data fixtures run before the loop starts.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport=TABLET, has_touch=True, is_mobile=True)
        yield context.new_page()
        context.close()
        browser.close()
        # Connections opened inside the loop's context are not the ones Django closes at
        # teardown; close them here (PostgreSQL refuses to drop a database still in use).
        connections.close_all()


def test_a_physiotherapist_logs_a_session_on_a_tablet(
    live_server: Any, current: ExerciseProfile, physio: User, clinician: User, tablet: Any
) -> None:
    page = tablet
    page.goto(f"{live_server.url}/login/?next=/programme/")
    page.fill("input[name=username]", "physio-utr")
    page.fill("input[name=password]", "pw-physio-utr")
    page.click("button[type=submit]")
    page.get_by_role("link", name="Log session").click()
    assert page.input_value("input[name=r0_load]") == "52.5"  # prefilled from the plan
    save = page.get_by_role("button", name="Save session")
    box = save.bounding_box()
    assert box is not None
    assert box["height"] >= 44  # a touch target
    page.fill("input[name=r0_set3]", "9")  # she only changes what differs
    page.fill("input[name=r0_rpe]", "8")
    page.get_by_text("Dizziness").tap()
    save.tap()
    page.wait_for_url("**/programme/participants/NL-UTR-001/")
    assert "Flag opened: dizziness" in page.content()
    log = SessionLog.objects.get()
    assert [s["reps"] for s in log.resistance[0]["sets"]] == [10, 10, 9]
    assert log.resistance[0]["rpe"] == 8
    assert log.check_in["dizziness"] is True
    assert current.participant.symptom_flags.get().notifications.get().recipient == clinician
