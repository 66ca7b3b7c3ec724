"""The address a sign-in came from, for the lockout (``AXES_CLIENT_IP_CALLABLE``)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """``REMOTE_ADDR``; behind the TLS proxy (``EXONC_HTTPS=1``) the address the proxy
    appended last to ``X-Forwarded-For``, the one a client cannot choose."""
    if settings.EXONC_BEHIND_PROXY:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded[-1]:
            return str(forwarded[-1])
    address = request.META.get("REMOTE_ADDR")
    return str(address) if address else None
