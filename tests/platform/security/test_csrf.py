"""CSRF (issue 16): a write without the token is refused, on every page and API operation.

Django's test client skips the CSRF check unless asked; here it is asked
(``enforce_csrf_checks=True``), as a browser session would be checked.
"""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from exonc.platform.accounts.models import User
from exonc.platform.api import api
from exonc.platform.trial.models import Participant
from tests.platform.security.test_access_matrix import routes

pytestmark = pytest.mark.django_db

_PLACEHOLDER = re.compile(r"<(?:\w+:)?(\w+)>|\{(\w+)\}")


def _url(pattern: str) -> str:
    return "/" + _PLACEHOLDER.sub("1", pattern).lstrip("/")


def _checked(user: User) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_every_page_refuses_a_post_without_the_token(coordinator: User) -> None:
    client = _checked(coordinator)
    pages = [r.pattern for r in routes() if not r.pattern.startswith(("api/", "admin/"))]
    assert len(pages) > 70
    accepted = {}
    for pattern in pages:
        answer = client.post(_url(pattern), {"reason": "x"})
        if answer.status_code != 403 or b"CSRF" not in answer.content:
            accepted[pattern] = answer.status_code
    assert accepted == {}


def test_every_api_write_refuses_without_the_token(coordinator: User) -> None:
    client = _checked(coordinator)
    paths = api.get_openapi_schema(path_prefix="/api/")["paths"]
    writes = [(m, p) for p, item in paths.items() for m in item if m in {"post", "patch", "put"}]
    assert len(writes) > 25
    accepted = {}
    for method, path in writes:
        answer = client.generic(method.upper(), _url(path), "{}", content_type="application/json")
        if answer.status_code != 403 or answer.json() != {"detail": "CSRF check Failed"}:
            accepted[f"{method} {path}"] = answer.status_code
    assert accepted == {}


def test_the_admin_refuses_a_post_without_the_token(administrator: User) -> None:
    answer = _checked(administrator).post("/admin/accounts/user/add/", {"username": "x"})
    assert answer.status_code == 403
    assert not User.objects.filter(username="x").exists()


def test_with_the_token_the_same_write_goes_through(coordinator: User) -> None:
    client = _checked(coordinator)
    form = client.get("/participants/new/")
    token = form.cookies["csrftoken"].value if "csrftoken" in form.cookies else None
    token = token or client.cookies["csrftoken"].value
    body = {"centre": "NL-UTR", "birth_year": 1970}
    refused = client.post("/api/participants", json.dumps(body), content_type="application/json")
    assert refused.status_code == 403
    created = client.post(
        "/api/participants",
        json.dumps(body),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert created.status_code == 201
    assert Participant.objects.count() == 1
