"""The REST API (django-ninja): OpenAPI schema and docs at ``/api/docs``.

Each app contributes a router from its ``api.py``. Authentication is the Django session
(with CSRF on writes); errors a user can cause become 400/403/409 with one-line messages.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import django_auth

from exonc import __version__
from exonc.errors import ExoncError
from exonc.platform.activity.api import router as activity_router
from exonc.platform.allocation.api import router as allocation_router
from exonc.platform.economics.api import router as economics_router
from exonc.platform.exercise.api import router as exercise_router
from exonc.platform.outcomes.api import router as outcomes_router
from exonc.platform.trial.api import router as trial_router
from exonc.platform.web import status_for

api = NinjaAPI(
    title="exonc",
    version=__version__,
    description="Trial operations, exercise delivery and outcomes of exonc.",
    auth=django_auth,
    urls_namespace="api",
)
api.add_router("/", trial_router)
api.add_router("/", outcomes_router)
api.add_router("/", allocation_router)
api.add_router("/", exercise_router)
api.add_router("/", activity_router)
api.add_router("/", economics_router)


@api.exception_handler(ExoncError)
def _exonc_error(request: HttpRequest, error: ExoncError) -> HttpResponse:
    return api.create_response(
        request, {"detail": str(error), "error": type(error).__name__}, status=status_for(error)
    )
