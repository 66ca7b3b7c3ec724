"""The REST API (django-ninja): OpenAPI schema and docs at ``/api/docs``.

Each app contributes a router from its ``api.py``. Authentication is the Django session
(with CSRF on writes); errors a user can cause become 400/403/409 with one-line messages.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Router, Schema
from ninja.security import django_auth

from exonc import __version__
from exonc.errors import ExoncError
from exonc.platform.activity.api import router as activity_router
from exonc.platform.allocation.api import router as allocation_router
from exonc.platform.economics.api import router as economics_router
from exonc.platform.exercise.api import router as exercise_router
from exonc.platform.outcomes.api import router as outcomes_router
from exonc.platform.reports.api import router as reports_router
from exonc.platform.trial.api import router as trial_router
from exonc.platform.web import status_for


class ErrorOut(Schema):
    """A refusal: one line saying what and what to do, and the kind of error."""

    detail: str
    error: str | None = None


class InvalidOut(Schema):
    """A request that does not match the schema (a missing field, an empty query value)."""

    detail: list[dict[str, Any]]


#: What every route may answer besides its success (declared in the OpenAPI schema).
REFUSALS: dict[int, type[Schema]] = {
    400: ErrorOut,  # bad input
    401: ErrorOut,  # not signed in
    403: ErrorOut,  # role or centre, or no CSRF token on a write
    404: ErrorOut,  # not there, or not visible to you
    409: ErrorOut,  # the trial's state or a safety rule refuses it
    422: InvalidOut,  # the request does not match the schema
}


def _declare_refusals(router: Router) -> Router:
    """Add :data:`REFUSALS` to every operation of *router* (before it is mounted)."""
    for path_view in router.path_operations.values():
        for operation in path_view.operations:
            for status, schema in REFUSALS.items():
                operation.response_models.setdefault(
                    status, operation._create_response_model(schema)
                )
    return router


api = NinjaAPI(
    title="exonc",
    version=__version__,
    description="Trial operations, exercise delivery and outcomes of exonc.",
    auth=django_auth,
    urls_namespace="api",
)
api.add_router("/", _declare_refusals(trial_router))
api.add_router("/", _declare_refusals(outcomes_router))
api.add_router("/", _declare_refusals(allocation_router))
api.add_router("/", _declare_refusals(exercise_router))
api.add_router("/", _declare_refusals(activity_router))
api.add_router("/", _declare_refusals(economics_router))
api.add_router("/", _declare_refusals(reports_router))


@api.exception_handler(ExoncError)
def _exonc_error(request: HttpRequest, error: ExoncError) -> HttpResponse:
    return api.create_response(
        request, {"detail": str(error), "error": type(error).__name__}, status=status_for(error)
    )
