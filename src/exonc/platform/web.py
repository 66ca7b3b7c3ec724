"""Helpers shared by the platform's views: every page has a JSON twin."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from exonc.errors import (
    AccessDenied,
    ExoncError,
    InputError,
    RandomisationError,
    SafetyRuleViolation,
    TrialStateError,
    UnknownCentre,
)
from exonc.platform.accounts.models import User
from exonc.results import jsonable


def user_of(request: HttpRequest) -> User:
    """The signed-in user of *request* (views are behind login, API routes behind auth)."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise AccessDenied("sign in first")
    return user


def wants_json(request: HttpRequest) -> bool:
    """``?format=json`` or an ``Accept: application/json`` header asks for the JSON twin."""
    if request.GET.get("format") == "json":
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def page(request: HttpRequest, template: str, data: Any, **extra: Any) -> HttpResponse:
    """Render *data* with *template*, or as JSON when the client asks for it."""
    if wants_json(request):
        return JsonResponse(jsonable(data), safe=False)
    return render(request, template, {"data": data, **extra})


View = Callable[..., HttpResponse]


def status_for(error: ExoncError) -> int:
    """The HTTP status of an error a user can cause, the same for pages and the API:
    403 role or centre, 400 bad input, 409 what the trial's state or a safety rule refuses."""
    if isinstance(error, AccessDenied):
        return 403
    if isinstance(error, UnknownCentre | InputError):
        return 400
    if isinstance(error, TrialStateError | RandomisationError | SafetyRuleViolation):
        return 409
    return 400


def refusal(request: HttpRequest, error: ExoncError) -> HttpResponse:
    """A one-line refusal page (or JSON ``{"detail", "error"}``) with its status."""
    body = {"detail": str(error), "error": type(error).__name__}
    if wants_json(request):
        return JsonResponse(body, status=status_for(error))
    return render(request, "refused.html", body, status=status_for(error))


def refusing(view: View) -> View:
    """An error the user can cause becomes a refusal page (no sign-in needed: public pages)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except ExoncError as error:
            return refusal(request, error)

    return wrapped


def refusals(view: View) -> View:
    """Signed-in users only; an error the user can cause becomes a refusal page."""
    return login_required(refusing(view))
