"""Navigation that never leads to "Not possible": every link of every page, followed as
every demo login over a small demo trial, answers without an error (issue 11 item 6).

The crawl (exonc.platform.crawl) follows a few addresses per URL pattern; the test fails
listing each link that answered 4xx or 5xx and the page that showed it."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone

from exonc.platform.accounts.models import Role, User
from exonc.platform.crawl import crawl, hrefs, route_of
from exonc.platform.demo import DEMO_LOGINS, load_demo
from exonc.platform.demo_build import ENROLMENT_MONTHS
from exonc.platform.navigation import menu
from exonc.platform.queries import services as queries
from exonc.platform.trial.models import Participant
from exonc.protocol import add_months
from exonc.synthetic import as_of, generate_trial


@pytest.mark.slow
@pytest.mark.django_db
def test_no_link_leads_to_an_error_page_for_any_demo_role() -> None:
    today = timezone.localdate()
    start = add_months(today, -(ENROLMENT_MONTHS + 1))  # as the demo: some finished, some due
    trial = generate_trial(participants_n=40, start=start)
    load_demo(as_of(trial, today))
    monitor = User.objects.get(username="monitor")
    visible = Participant.objects.filter(centre__code="NL-UTR")
    queries.open_query(
        monitor,
        visible.first(),
        target="participant",
        object_id=None,
        field="ecog",
        question="ECOG?",
        now=timezone.now(),
    )
    broken = {}
    for login in DEMO_LOGINS:
        client = Client()
        client.force_login(User.objects.get(username=login.username))
        links = crawl(client, per_route=2)
        assert len(links) > 5, f"{login.username} reached only {[link.url for link in links]}"
        bad = [f"{k.status} {k.url} (from {k.linked_from})" for k in links if k.status >= 400]
        if bad:
            broken[login.username] = bad
    assert broken == {}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (
            Role.STATISTICIAN,
            {"Allocation", "Health economics", "Reports"},
            {"Programme", "Due now", "Data queries"},
        ),
        (
            Role.PHYSIOTHERAPIST,
            {"Programme", "Due now", "Data queries"},
            {"Allocation", "Health economics", "Reports"},
        ),
        (Role.MONITOR, {"Participants", "Data queries"}, {"Programme", "Allocation"}),
        (
            Role.PATIENT,
            {"Your questionnaires", "Your week", "Your programme"},
            {"Participants", "Jobs"},
        ),
    ],
)
def test_the_menu_shows_each_role_its_own_pages(
    role: Role, shown: set[str], hidden: set[str]
) -> None:
    request = RequestFactory().get("/")
    request.user = User.objects.create_user(username=f"u-{role}", role=role)
    labels = {str(link.label) for link in menu(request)["menu"]}
    assert shown <= labels
    assert not hidden & labels


def test_hrefs_and_routes() -> None:
    html = '<a href="/participants/NL-UTR-001/">x</a><a name="top">y</a><a href="?page=2">z</a>'
    assert hrefs(html) == ["/participants/NL-UTR-001/", "?page=2"]
    assert route_of("/participants/NL-UTR-001/") == "participant"
    assert route_of("/participants/?page=2&q=1") == "participants?page&q"
