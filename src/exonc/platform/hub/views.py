"""The patient hub page and its JSON twin."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from exonc.platform.hub.services import patient_hub
from exonc.platform.web import page, refusals, user_of


@refusals
def hub(request: HttpRequest) -> HttpResponse:
    return page(request, "hub/hub.html", patient_hub(user_of(request), timezone.now()))
