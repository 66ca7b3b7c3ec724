"""The signed-in user's own page: who she is and the language she reads exonc in."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from exonc.platform.accounts.language import centre_time_zone
from exonc.platform.web import user_of


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    return render(
        request,
        "accounts/profile.html",
        {"account": user, "time_zone": centre_time_zone(user)},
    )
