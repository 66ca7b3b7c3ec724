"""The access matrix (issue 16): every route × every centre-bound role × another centre's objects.

The routes are read from the URL configuration (pages, the API, the admin), so a new route is
covered the day it is added. Every placeholder is filled with the identifier of an object of
a centre the user does not belong to (a participant's study ID, a centre code, a lesion, a
flag, a notification, an import, a session), and each route is asked with GET — and, when it
names such an object, with POST (and PATCH on the API) — by a coordinator, a
physiotherapist, a clinician, a monitor, a patient and someone not signed in.

A *leak* is an answer that holds the study ID of a participant the user may not see, or a
success (2xx, or a redirect other than to a sign-in page) for a route that names another
centre's object. There must be none.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from exonc.platform import access
from exonc.platform.accounts.models import User
from exonc.platform.activity.models import ActivityImport
from exonc.platform.demo import load_demo
from exonc.platform.exercise.models import Lesion, Notification, SessionLog, SymptomFlag
from exonc.platform.guides.models import GuideAttachment
from exonc.platform.outcomes.models import QuestionnaireResponse
from exonc.platform.trial.models import Participant, Visit
from exonc.synthetic import as_of, generate_trial

#: The demo's centre-bound logins (trial-wide roles see every centre by design).
USERS = ("coordinator", "physio", "clinician", "monitor", "patient", None)
#: Placeholders that name something of one centre.
BOUND = {"study_id", "code", "pk", "lesion_id", "flag_id", "notification_id", "object_id"}
_PLACEHOLDER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
_LOGIN = ("/login/", "/admin/login/")


@dataclass(frozen=True)
class Route:
    pattern: str  # as the URL configuration writes it, without the leading slash

    @property
    def names(self) -> set[str]:
        return {m.group("name") for m in _PLACEHOLDER.finditer(self.pattern)}

    @property
    def bound(self) -> bool:
        return bool(self.names & BOUND)

    @property
    def methods(self) -> tuple[str, ...]:
        if not self.bound:
            return ("GET",)
        return ("GET", "POST", "PATCH") if self.pattern.startswith("api/") else ("GET", "POST")


def routes() -> list[Route]:
    """Every route of the URL configuration (pages, API operations, admin)."""

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> Iterator[str]:
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            else:
                yield prefix + str(p.pattern)

    found = dict.fromkeys(walk(get_resolver().url_patterns, ""))  # API paths repeat per method
    return [Route(p) for p in found if not p.startswith("^")]


@dataclass(frozen=True)
class World:
    """Identifiers of objects outside the demo's site centres (NL-UTR and NL-AMS)."""

    values: dict[str, str]
    by_keyword: dict[str, str]

    def url(self, route: Route) -> str:
        def fill(match: re.Match[str]) -> str:
            name = match.group("name")
            if name in {"pk", "object_id"}:
                for keyword, value in self.by_keyword.items():
                    if keyword in route.pattern:
                        return value
            return self.values.get(name, "1")

        return "/" + _PLACEHOLDER.sub(fill, route.pattern)


def _elsewhere(model: type, **extra: object) -> str:
    row = (
        model._default_manager.exclude(participant__centre__code__in=("NL-UTR", "NL-AMS"))  # type: ignore[attr-defined]
        .filter(**extra)
        .order_by("pk")
        .first()
    )
    return str(row.pk) if row is not None else "999999"


def _world() -> World:
    other = (
        Participant.objects.exclude(centre__code__in=("NL-UTR", "NL-AMS"))
        .filter(allocation__arm="exercise")
        .order_by("study_id")
        .first()
    )
    assert other is not None
    visit = Visit.objects.filter(participant=other).order_by("pk").first()
    response = QuestionnaireResponse.objects.filter(visit__participant=other).first()
    values = {
        "study_id": other.study_id,
        "code": other.centre.code,
        "visit": visit.code if visit else "m3",
        "instrument": response.instrument if response else "hads",
        "lesion_id": _elsewhere(Lesion),
        "flag_id": _elsewhere(SymptomFlag),
        "notification_id": _elsewhere(Notification),
        "job_id": "00000000000000000000000000000000",
        "slug": "wall-push-up",
        "name": "wall-push-up",
        "content_type_id": "1",
    }
    attachment = GuideAttachment.objects.exclude(centre__code__in=("NL-UTR", "NL-AMS")).first()
    by_keyword = {
        "activity/imports": _elsewhere(ActivityImport),
        "attachments": str(attachment.pk) if attachment else "999999",
        "sessions": _elsewhere(SessionLog),
        "lesions": values["lesion_id"],
        "flags": values["flag_id"],
        "notifications": values["notification_id"],
        "admin/": str(other.pk),
    }
    return World(values, by_keyword)


def _hidden(user: User | None) -> re.Pattern[str]:
    """Study IDs *user* may not see, as one pattern that matches whole IDs only."""
    everyone = Participant.objects.all()
    seen = set(access.scope(everyone, user).values_list("study_id", flat=True)) if user else set()
    hidden = sorted(set(everyone.values_list("study_id", flat=True)) - seen)
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, hidden)) + r")(?![\w-])")


def _ask(client: Client, method: str, url: str) -> tuple[int, str, str]:
    if method == "GET":
        answer = client.get(url)
    elif url.startswith("/api/"):
        answer = client.generic(method, url, "{}", content_type="application/json")
    else:
        answer = client.generic(method, url, "", content_type="application/x-www-form-urlencoded")
    body = b"".join(answer.streaming_content) if answer.streaming else answer.content
    return answer.status_code, answer.get("Location", ""), body.decode("utf-8", "replace")


def _leak(route: Route, status: int, location: str, body: str, hidden: re.Pattern[str]) -> str:
    if hidden.search(body):
        return f"holds {hidden.search(body).group(0)}"  # type: ignore[union-attr]
    if route.bound and 200 <= status < 300:
        return f"answered {status}"
    if route.bound and 300 <= status < 400 and not location.startswith(_LOGIN):
        return f"redirected to {location}"
    return ""


@pytest.fixture
def demo(db: None) -> World:
    trial = as_of(generate_trial(participants_n=60, start=dt.date(2024, 1, 8)), dt.date(2025, 3, 1))
    load_demo(trial)
    return _world()


@pytest.mark.slow
def test_no_route_shows_another_centres_data(demo: World) -> None:
    table = routes()
    statuses: Counter[int] = Counter()
    leaks = []
    for username in USERS:
        user = User.objects.get(username=username) if username else None
        client = Client()
        if user is not None:
            client.force_login(user)
        hidden = _hidden(user)
        for route in table:
            url = demo.url(route)
            for method in route.methods:
                status, location, body = _ask(client, method, url)
                statuses[status] += 1
                if problem := _leak(route, status, location, body, hidden):
                    leaks.append(f"{username or 'anonymous'} {method} {url}: {problem}")
    requests = sum(statuses.values())
    print(
        f"\naccess matrix: {len(table)} routes ({sum(r.bound for r in table)} naming another "
        f"centre's object) x {len(USERS)} users = {requests} requests, by status "
        f"{dict(sorted(statuses.items()))}; {len(leaks)} leaks"
    )
    assert leaks == []


def test_the_matrix_reads_every_route_of_the_url_configuration(db: None) -> None:
    table = {r.pattern for r in routes()}
    assert {
        "participants/<str:study_id>/",
        "api/participants/<study_id>",
        "programme/lesions/<int:pk>/clearance/",
        "admin/trial/participant/<path:object_id>/change/",
    } <= table
    assert len(table) > 300


def test_a_body_with_a_hidden_study_id_is_a_leak() -> None:
    hidden = re.compile(r"(?<![\w-])(?:DE-HEI-001)(?![\w-])")
    page = Route("participants/")
    assert _leak(page, 200, "", "<td>DE-HEI-001</td>", hidden) == "holds DE-HEI-001"
    assert _leak(page, 200, "", "<td>DE-HEI-0011</td>", hidden) == ""
    one = Route("participants/<str:study_id>/")
    assert _leak(one, 200, "", "", hidden) == "answered 200"
    assert _leak(one, 302, "/login/?next=/x", "", hidden) == ""
    assert _leak(one, 302, "/participants/", "", hidden) == "redirected to /participants/"
    assert json.dumps(sorted(one.names)) == '["study_id"]'
