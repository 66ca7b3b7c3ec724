"""The administrators' security page: lockouts in force (with an audited unlock) and the
security events."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from exonc.errors import ExoncError
from exonc.platform.security import services
from exonc.platform.web import done, form_error, page, refusals, user_of


class UnlockForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=500,
        help_text=gettext_lazy("For example: identity confirmed by telephone."),
    )


@refusals
def overview(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    data = {
        "lockouts": services.lockouts(user),
        "events": services.recent_events(user),
    }
    return page(request, "security/overview.html", data, form=UnlockForm())


@refusals
def unlock(request: HttpRequest, lockout_id: int) -> HttpResponse:
    user = user_of(request)
    services.require_administrator(user)
    if request.method != "POST":
        return redirect("security:overview")
    form = UnlockForm(request.POST)
    if form.is_valid():
        try:
            found = services.unlock(user, lockout_id, form.cleaned_data["reason"])
        except ExoncError as error:
            form_error(form, error)
        else:
            return done(
                request,
                _("%(username)s can sign in again.") % {"username": found.username},
                "/security/",
            )
    data = {"lockouts": services.lockouts(user), "events": services.recent_events(user)}
    context = {"data": data, "form": form, "failed": lockout_id}
    return render(request, "security/overview.html", context, status=400)


def locked_out(
    request: HttpRequest, response: HttpResponse | None, credentials: object
) -> HttpResponse:
    """What a locked-out sign-in sees (django-axes' ``AXES_LOCKOUT_CALLABLE``): 429."""
    from django.conf import settings

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "security/locked_out.html", {"minutes": minutes}, status=429)
