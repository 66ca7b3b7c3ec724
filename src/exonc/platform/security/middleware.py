"""Idle staff sessions end: each request of signed-in staff restarts the idle clock."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from exonc.platform.accounts.models import Role


class IdleStaffSessionMiddleware:
    """A staff member's session expires ``EXONC_SESSION_IDLE_SECONDS`` after their last
    request (patients keep Django's default session length)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "role", "") != Role.PATIENT:
            request.session.set_expiry(settings.EXONC_SESSION_IDLE_SECONDS)
        return self.get_response(request)
