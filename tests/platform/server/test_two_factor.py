"""Two-factor sign-in (django-otp TOTP): required for the roles EXONC_2FA_ROLES names,
set up on a page with a QR code, asked for after the password, events recorded."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from exonc.platform.accounts.models import User
from exonc.platform.security.models import EventKind, SecurityEvent


def _code(device: TOTPDevice, offset: int = 0) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=6, drift=offset)
    return f"{value:06d}"


def _unthrottled(device: TOTPDevice) -> TOTPDevice:
    """django-otp makes a device wait 2^(n-1) seconds after n wrong codes; skip the wait."""
    device.refresh_from_db()
    device.throttle_reset()
    return device


def _signed_in(user: User) -> Client:
    client = Client()
    client.post("/login/", {"username": user.username, "password": f"pw-{user.username}"})
    return client


@override_settings(EXONC_2FA_ROLES=("administrator",))
def test_a_required_role_sets_up_then_verifies_at_each_sign_in(administrator: User) -> None:
    client = _signed_in(administrator)
    home = client.get("/participants/")
    assert home.status_code == 302
    assert home["Location"].startswith("/security/2fa/setup/")
    assert client.get("/api/participants").status_code == 403
    page = client.get(home["Location"])
    assert b"<svg" in page.content  # the QR code, drawn inline (no script, no style)
    device = TOTPDevice.objects.get(user=administrator, confirmed=False)
    assert client.post("/security/2fa/setup/", {"token": "000000"}).status_code == 400
    token = _code(_unthrottled(device))
    answer = client.post("/security/2fa/setup/", {"token": token, "next": "/security/"})
    assert (answer.status_code, answer["Location"]) == (302, "/security/")
    assert client.get("/participants/").status_code == 200
    assert SecurityEvent.objects.filter(kind=EventKind.TWO_FACTOR_ENABLED).count() == 1

    again = _signed_in(administrator)  # a new session asks for a code
    assert again.get("/participants/")["Location"].startswith("/security/2fa/verify/")
    assert again.post("/security/2fa/verify/", {"token": "123456"}).status_code == 400
    failed = SecurityEvent.objects.get(kind=EventKind.TWO_FACTOR_FAILED)
    assert failed.username == administrator.username
    token = _code(_unthrottled(device), offset=1)  # the set-up's code is never accepted twice
    assert again.post("/security/2fa/verify/", {"token": token}).status_code == 302
    assert again.get("/participants/").status_code == 200


@override_settings(EXONC_2FA_ROLES=("administrator",))
def test_other_roles_are_not_asked_unless_they_set_it_up(coordinator: User) -> None:
    client = _signed_in(coordinator)
    assert client.get("/participants/").status_code == 200


@pytest.mark.parametrize("path", ["/security/2fa/setup/", "/security/2fa/verify/"])
def test_the_pages_need_a_signed_in_user(client: Client, path: str, db: None) -> None:
    assert client.get(path)["Location"].startswith("/login/")
