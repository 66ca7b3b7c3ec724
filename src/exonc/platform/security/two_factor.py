"""Two-factor sign-in with a TOTP app (django-otp): set-up, the verify step after the
password, and the middleware that asks for it.

A user whose role ``EXONC_2FA_ROLES`` names, or who has set up an authenticator, reaches
nothing but the set-up or verify page (and signing out) until a code is verified for the
session. Set-up and wrong codes are security events.
"""

from __future__ import annotations

from collections.abc import Callable

import segno
from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from exonc.platform.security.client import client_address
from exonc.platform.security.models import EventKind
from exonc.platform.security.services import record
from exonc.platform.web import user_of

SETUP = "/security/2fa/setup/"
VERIFY = "/security/2fa/verify/"
OPEN_PATHS = (SETUP, VERIFY, "/logout/", "/login/", "/static/")


def required_for(user: object) -> bool:
    """Whether *user* must use a second factor: their role is named, or they set one up."""
    role = getattr(user, "role", "")
    return role in settings.EXONC_2FA_ROLES or user_has_device(user, confirmed=True)


class TwoFactorMiddleware:
    """Sends a signed-in user who still owes a code to the set-up or verify page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(OPEN_PATHS)
            and not user.is_verified()  # OTPMiddleware adds it
            and required_for(user)
        ):
            if request.path.startswith("/api/"):
                detail = _("enter your two-factor code in the browser first")
                return JsonResponse({"detail": detail, "error": "AccessDenied"}, status=403)
            target = VERIFY if user_has_device(user, confirmed=True) else SETUP
            return redirect(f"{target}?next={request.get_full_path()}")
        return self.get_response(request)


class CodeForm(forms.Form):
    token = forms.RegexField(
        label=gettext_lazy("Six-digit code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": gettext_lazy("Enter the six digits your app shows.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return target if safe else "/"


def setup(request: HttpRequest) -> HttpResponse:
    """Show the QR code of a new authenticator and confirm it with a first code."""
    if not request.user.is_authenticated:
        return redirect("login")
    user = user_of(request)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save()
            otp_login(request, device)
            record(EventKind.TWO_FACTOR_ENABLED, username=user.username, by=user,
                   ip_address=client_address(request))  # fmt: skip
            return redirect(_next(request))
        if form.is_valid():
            form.add_error("token", _("That code does not match; check the time on your phone."))
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#1b2733")
    context = {
        "form": form,
        "qr": mark_safe(qr),  # segno's own SVG, no user input
        "secret": _b32(device.bin_key),
        "next": _next(request),
    }
    return render(request, "security/two_factor_setup.html", context, status=status)


def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the user's authenticator."""
    if not request.user.is_authenticated:
        return redirect("login")
    user = user_of(request)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            token = form.cleaned_data["token"].strip()
            for device in TOTPDevice.objects.filter(user=user, confirmed=True):
                if device.verify_token(token):
                    otp_login(request, device)
                    return redirect(_next(request))
            record(EventKind.TWO_FACTOR_FAILED, username=user.username,
                   ip_address=client_address(request))  # fmt: skip
            form.add_error("token", _("That code does not match; try the next one."))
    context = {"form": form, "next": _next(request)}
    return render(request, "security/two_factor_verify.html", context, status=status)


def _b32(key: bytes) -> str:
    import base64

    text = base64.b32encode(key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))
