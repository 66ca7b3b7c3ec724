"""A patient answers the HADS on a phone in Debian's Chromium: leaves, resumes, submits; staff
then see it submitted and scored. Skipped when /usr/bin/chromium is missing."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from exonc.platform.accounts.models import User
from exonc.platform.outcomes.models import QuestionnaireResponse
from exonc.platform.trial.models import Participant
from exonc.platform.trial.services import local_today
from tests.platform.outcomes_setup import give_patient_login

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

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
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium under Playwright. Open it after the test's own database work and
    close it before more: its sync API runs an event loop in this thread, where Django
    refuses synchronous queries."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _sign_in(browser: Any, base: str, username: str, **context: Any) -> Any:
    page = browser.new_context(**context).new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"pw-{username}")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/hub/" if username.startswith("pat") else f"{base}/")
    return page


def _answer(page: Any, label: str) -> None:
    page.get_by_label(label, exact=True).check()
    page.locator("button[value=next]").click()  # "Next question", or on the last one "Check…"


def test_a_patient_answers_on_a_phone_resumes_and_staff_see_the_scores(
    live_server: Any, ready: Participant, coordinator: User
) -> None:
    today = local_today(ready.centre, timezone.now())
    give_patient_login(coordinator, ready, randomised_on=today - dt.timedelta(days=91))
    with chromium() as browser:
        _patient_answers_leaves_and_resumes(browser, live_server.url)
        _staff_see_it_scored(browser, live_server.url)
    response = QuestionnaireResponse.objects.get()
    # item 1 = 2 (keyboard), every other item = 1: anxiety = 2 + 6 = 8, depression = 7
    assert response.answers == {f"q{i}": 1 for i in range(2, 15)} | {"q1": 2}
    assert response.scores == {"ANXIETY": 8.0, "DEPRESSION": 7.0}
    assert (response.entry, response.mode) == ("patient", "web")


def _patient_answers_leaves_and_resumes(browser: Any, base: str) -> None:
    page = _sign_in(browser, base, "pat-utr", **PHONE)
    page.get_by_role("link", name="Answer your questionnaires").click()
    expect(page.get_by_text("Placeholder wording.")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Start .*Hospital Anxiety")).click()
    expect(page.locator("#progress-label")).to_contain_text("question 1 of 14")

    # Keyboard only: the first answer has focus; arrows move within the radio group, and
    # Enter submits to the next question. The focused answer shows a visible outline.
    page.keyboard.press("ArrowDown")  # HADS item 1 prints 3, 2, 1, 0: now on 2
    focused = page.locator("label.choice:has(input:focus)")
    assert focused.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    expect(page.locator("#progress-label")).to_contain_text("question 2 of 14")

    choice = page.locator("label.choice").first.bounding_box()
    assert choice["height"] >= 44  # touch target (WCAG 2.5.5 / platform guidance: 44 px)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390  # no sideways scroll
    for _ in range(2, 5):
        _answer(page, "[Placeholder] answer 1")
    page.get_by_label("[Placeholder] answer 1", exact=True).check()
    page.get_by_role("button", name="Save and finish later").click()
    expect(page.get_by_text("5 of 14 questions answered")).to_be_visible()
    page.context.close()  # she puts the phone away

    page = _sign_in(browser, base, "pat-utr", **PHONE)
    page.goto(f"{base}/questionnaires/")
    page.get_by_role("link", name=re.compile(r"^Continue .*Hospital Anxiety")).click()
    expect(page.locator("#progress-label")).to_contain_text("question 6 of 14")
    for _ in range(6, 15):
        _answer(page, "[Placeholder] answer 1")
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    expect(page.get_by_text("you answered 14 of 14 questions")).to_be_visible()
    page.get_by_role("button", name="Submit my answers").click()
    expect(
        page.get_by_role("heading", name="Thank you — your answers were submitted")
    ).to_be_visible()
    page.context.close()


def _staff_see_it_scored(browser: Any, base: str) -> None:
    staff = _sign_in(browser, base, "coord-utr", viewport={"width": 1200, "height": 900})
    staff.goto(f"{base}/participants/NL-UTR-001/questionnaires/")
    m3 = staff.get_by_role("region", name=re.compile(r"^m3 "))
    expect(m3).to_contain_text("1 of 4 questionnaires submitted")
    row = m3.get_by_role("row", name=re.compile("Hospital Anxiety"))
    expect(row).to_contain_text("submitted")
    expect(row).to_contain_text("ANXIETY 8.0 · DEPRESSION 7.0")
    expect(row).to_contain_text("patient (web)")
