"""A coordinator's whole day in Debian's Chromium: she enrols a participant, screens her,
records consent, randomises her and records her baseline visit; a monitor raises a query
on the visit, the coordinator answers it and the monitor closes it; the coordinator
records a withdrawal. Then the same forms refuse bad input with a plain message and write
nothing. At desktop (1280 px) and tablet (820 px) widths. Skipped without /usr/bin/chromium.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from exonc.platform.accounts.models import User
from exonc.platform.allocation import sequences
from exonc.platform.queries.models import DataQuery
from exonc.platform.trial.models import Participant, Visit, Withdrawal
from tests.platform.allocation.conftest import hand_list
from tests.platform.test_outcomes_browser import chromium, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _sign_in(browser: Any, base: str, username: str, width: int) -> Any:
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"pw-{username}")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


@pytest.fixture
def live_list(statistician: User) -> None:
    sequences.forget_verified()
    sequences.load_list(statistician, hand_list(), origin="hand-written", now=timezone.now())


@pytest.mark.parametrize("width", [1280, 820])
def test_a_coordinator_runs_a_participant_from_enrolment_to_withdrawal(
    live_server: Any, coordinator: User, monitor: User, live_list: None, width: int
) -> None:
    with chromium() as browser:
        page = _sign_in(browser, live_server.url, "coord-utr", width)
        _enrol_screen_consent(page)
        _randomise_and_record_the_visit(page)
        query = _query_answered_and_closed(browser, live_server.url, page, width)
        _withdraw(page)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    participant = Participant.objects.get()
    assert participant.study_id == "NL-UTR-001"  # generated from the protocol's pattern
    assert participant.metastatic_sites == ["bone", "liver"]
    assert hasattr(participant, "allocation")
    baseline = Visit.objects.get(participant=participant, code="baseline")
    assert baseline.completed_on == participant.allocation.allocated_on
    assert DataQuery.objects.get(pk=query).status == "closed"
    withdrawal = Withdrawal.objects.get()
    assert (withdrawal.kind, withdrawal.reason) == ("intervention", "too tired after chemotherapy")


def _enrol_screen_consent(page: Any) -> None:
    page.get_by_role("link", name="Enrol a participant").first.click()
    page.get_by_label("Centre").select_option("NL-UTR")
    page.get_by_label("Birth year").fill("1966")
    page.get_by_label("Line of treatment").select_option("1st/2nd")
    page.get_by_label("bone", exact=True).check()
    page.get_by_label("liver", exact=True).check()
    page.get_by_label("ECOG performance status").select_option("1")
    page.get_by_role("button", name="Enrol").click()
    expect(page.get_by_role("heading", name="NL-UTR-001")).to_be_visible()
    expect(page.get_by_text("Participant enrolled.")).to_be_visible()

    page.get_by_role("link", name="Screen eligibility").click()
    for criterion, answer in [
        ("INC-1", "yes"),
        ("INC-2", "yes"),
        ("INC-3", "yes"),
        ("INC-4", "yes"),
        ("EXC-1", "no"),
        ("EXC-2", "no"),
    ]:
        group = page.get_by_role("group", name=re.compile(f"^{criterion} "))
        group.get_by_label(answer, exact=True).check()
    page.get_by_role("button", name="Record the screening").click()
    expect(page.get_by_text("Screening recorded.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Screened .*: eligible$"))).to_be_visible()

    page.get_by_role("link", name="Record consent").click()
    expect(page.get_by_label("Consent form version")).to_have_value("1.0")
    page.get_by_role("button", name="Record consent").click()
    expect(page.get_by_text("Consent recorded.")).to_be_visible()


def _randomise_and_record_the_visit(page: Any) -> None:
    page.get_by_role("link", name="Randomise…").click()
    page.get_by_role("button", name=re.compile("^Randomise NL-UTR-001 now")).click()
    expect(page.get_by_text("is randomised; her visits are scheduled")).to_be_visible()
    page.goto(page.url.replace("/allocation/", "/"))
    page.get_by_role("link", name="Record visit baseline").click()
    page.get_by_label("Done", exact=True).check()
    page.get_by_role("button", name="Record the visit").click()
    expect(page.get_by_text("Visit recorded.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(r"^baseline \d")).first).to_contain_text(
        "completed"
    )


def _query_answered_and_closed(browser: Any, base: str, coordinator: Any, width: int) -> int:
    monitor = _sign_in(browser, base, "monitor-utr", width)
    monitor.goto(f"{base}/participants/NL-UTR-001/")
    expect(monitor.get_by_role("link", name="Record a withdrawal")).to_have_count(0)
    monitor.get_by_role("link", name="Raise a query").click()
    monitor.get_by_label("Record", exact=True).select_option(label="Visit baseline")
    monitor.get_by_label("Field", exact=True).fill("completed_on")
    monitor.get_by_label("Question", exact=True).fill(
        "The source says the visit was a day earlier?"
    )
    monitor.get_by_role("button", name="Open the query").click()
    expect(monitor.get_by_text("Query opened.")).to_be_visible()
    query = int(re.search(r"/queries/(\d+)/", monitor.url).group(1))  # type: ignore[union-attr]

    coordinator.goto(f"{base}/")
    expect(coordinator.get_by_role("region", name="Open data queries")).to_contain_text("NL-UTR")
    coordinator.goto(f"{base}/queries/{query}/")
    coordinator.get_by_label("Answer", exact=True).fill("Checked the source: the date is right.")
    coordinator.get_by_role("button", name="Send the answer").click()
    expect(coordinator.get_by_text("Saved.")).to_be_visible()

    monitor.reload()
    monitor.get_by_role("button", name="Close the query").click()
    expect(monitor.get_by_role("heading", name=re.compile(f"Query {query}"))).to_contain_text(
        "closed"
    )
    monitor.context.close()
    return query


def _withdraw(page: Any) -> None:
    page.goto(page.url.split("/queries/")[0] + "/participants/NL-UTR-001/")
    page.get_by_role("link", name="Record a withdrawal").click()
    page.get_by_label("Stopped the intervention, stays in follow-up").check()
    page.get_by_label("Details").fill("too tired after chemotherapy")
    page.get_by_role("button", name="Record the withdrawal").click()
    expect(page.get_by_text("Withdrawal recorded.")).to_be_visible()
    expect(page.get_by_text("stage: withdrawn (intervention)")).to_be_visible()


def test_bad_input_on_each_form_gets_a_plain_message_and_writes_nothing(
    live_server: Any, coordinator: User
) -> None:
    base = live_server.url
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    with chromium() as browser:
        page = _sign_in(browser, base, "coord-utr", 1280)
        page.goto(f"{base}/participants/new/")
        page.get_by_label("Study ID").fill("NL-UTR-064/..")
        page.get_by_label("Birth year").fill("2023")
        page.get_by_role("button", name="Enrol").click()
        expect(page.get_by_text("May hold only letters, digits and hyphens")).to_be_visible()
        page.get_by_label("Study ID").fill("")
        page.get_by_role("button", name="Enrol").click()
        expect(page.get_by_text("Is not the birth year of an adult.")).to_be_visible()
        page.get_by_label("Birth year").fill("1970")
        page.get_by_role("button", name="Enrol").click()
        expect(page.get_by_role("heading", name="NL-UTR-001")).to_be_visible()

        page.goto(f"{base}/participants/NL-UTR-001/consent/")
        page.get_by_role("button", name="Record consent").click()
        expect(page.get_by_text("Cannot be recorded before a screening.")).to_be_visible()

        page.goto(f"{base}/participants/NL-UTR-001/screening/")
        page.get_by_role("button", name="Record the screening").click()
        expect(page.get_by_text("This field is required.").first).to_be_visible()  # unanswered
        for group in page.get_by_role("group").all():
            group.get_by_label("unknown", exact=True).check()
        page.get_by_label("Screened on").fill(tomorrow)
        page.get_by_role("button", name="Record the screening").click()
        expect(page.get_by_text(re.compile(r"^Is after today"))).to_be_visible()

        page.goto(f"{base}/participants/NL-UTR-001/withdrawal/")
        page.get_by_label("Died").check()
        page.get_by_label("Date").fill(tomorrow)
        page.get_by_role("button", name="Record the withdrawal").click()
        expect(
            page.get_by_text(
                re.compile(r"Details.*\n?.*This field is required|This field is required")
            )
        ).to_be_visible()
    participant = Participant.objects.get()
    assert not participant.screenings.exists()
    assert not participant.consents.exists()
    assert not Withdrawal.objects.exists()
