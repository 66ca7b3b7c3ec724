"""Finding 9 of issue 16: the OpenAPI schema says what the API does.

Distinct names for the three correction bodies, the refusals (400/401/403/404/409/422)
declared on every operation, empty query values refused, and a bounded schemathesis run over
``/api/`` (every operation, a few generated requests each, as a signed-in coordinator with
a CSRF token) finding no server error and no response that breaks the schema.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from exonc.platform.accounts.models import User
from exonc.platform.api import REFUSALS, api

CORRECTIONS = {
    "/api/participants/{study_id}/allocation/corrections": "AllocationCorrectionIn",
    "/api/economics/participants/{study_id}/resource-use/{visit}/corrections": (
        "ResourceUseCorrectionIn"
    ),
    "/api/participants/{study_id}/questionnaires/{visit}/{instrument}/corrections": (
        "QuestionnaireCorrectionIn"
    ),
}


def _schema() -> dict[str, Any]:
    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/")))


def test_the_correction_bodies_have_their_own_names() -> None:
    paths = _schema()["paths"]
    for path, name in CORRECTIONS.items():
        body = paths[path]["post"]["requestBody"]["content"]["application/json"]["schema"]
        assert body["$ref"] == f"#/components/schemas/{name}"


def test_every_operation_declares_its_refusals() -> None:
    operations = [op for item in _schema()["paths"].values() for op in item.values()]
    assert len(operations) >= 58
    for operation in operations:
        assert {str(s) for s in REFUSALS} <= set(operation["responses"]), operation["operationId"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address",
    [
        "/api/activity/overview?centre=",
        "/api/allocation/report?purpose=",
        "/api/exercise/adherence?level=",
        "/api/economics/analysis?seed=",
        "/api/economics/export?productivity=",
        "/api/economics/items?country=",
        "/api/activity/windows?format=xlsx",
    ],
)
def test_empty_query_values_are_refused(coordinator: User, address: str) -> None:
    client = Client()
    client.force_login(coordinator)
    answer = client.get(address)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["type"] in {"string_too_short", "literal_error"}


# ------------------------------------------------------------------ schemathesis

EXAMPLES = 8
#: A schema-valid request may still be refused by the trial's rules (an unknown centre is
#: a string; a study ID that is not hers is a 404): 400/409 with a one-line ``detail``.
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2XX", "400", "401", "403", "404", "409"]
            }
        }
    }
)
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application(), config=CONFIG)
CSRF = "s" * 32  # an unmasked secret: the cookie and the header agree
_session: dict[str, str] = {}
STATUSES: Counter[int] = Counter()


@schema.auth(refresh_interval=None)
class SignedIn:
    """The coordinator's session, which schemathesis leaves out to check refusals."""

    def get(self, case: Any, context: Any) -> dict[str, str]:
        return dict(_session)

    def set(self, case: Any, data: dict[str, str], context: Any) -> None:
        case.cookies = {**(case.cookies or {}), **data}
        case.headers = {**(case.headers or {}), "X-CSRFToken": CSRF}


@pytest.fixture
def signed_in(client: Client, coordinator: User) -> Iterator[None]:
    """Sign a coordinator in; the WSGI application keeps the test database open (as
    Django's test client does, it does not close connections around each request)."""
    client.force_login(coordinator)
    _session.update(sessionid=client.cookies["sessionid"].value, csrftoken=CSRF)
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)
        _session.clear()


@pytest.mark.slow
@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_its_schema(case: Any, signed_in: None) -> None:
    response = case.call_and_validate()
    STATUSES[response.status_code] += 1


@pytest.fixture(scope="module", autouse=True)
def _statuses() -> Iterator[None]:
    """Print how many requests schemathesis made, by status (``pytest -s`` shows it)."""
    yield
    if STATUSES:
        print(f"\nschemathesis: {sum(STATUSES.values())} requests, by status {dict(STATUSES)}")
