"""Helpers shared by the platform's views: every page has a JSON twin."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from exonc.errors import AccessDenied
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
