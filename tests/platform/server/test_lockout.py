"""Login throttling (issue 16, finding 4): a user name is locked for the address it failed
from, the lockout is recorded, and an administrator can lift it with a reason."""

from __future__ import annotations

import pytest
from django.test import Client

from exonc.errors import AccessDenied, InputError
from exonc.platform.accounts.models import User
from exonc.platform.security import services
from exonc.platform.security.models import AppendOnly, EventKind, SecurityEvent

PASSWORD = "pw-coord-utr"  # the platform fixtures' password for the coordinator


def _sign_in(client: Client, username: str, password: str, address: str = "10.0.0.7") -> int:
    response = client.post(
        "/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )
    return response.status_code


@pytest.mark.slow  # 61 sign-ins through the full middleware stack
def test_sixty_wrong_passwords_then_the_right_one_does_not_sign_in(
    client: Client, coordinator: User
) -> None:
    codes = [_sign_in(client, coordinator.username, f"wrong-{i}") for i in range(60)]
    assert codes[:4] == [200] * 4  # the form again, with its error
    assert set(codes[4:]) == {429}  # locked from the fifth failure on
    assert _sign_in(client, coordinator.username, PASSWORD) == 429
    assert "_auth_user_id" not in client.session
    assert client.get("/participants/").status_code == 302  # still signed out
    events = SecurityEvent.objects.filter(kind=EventKind.LOCKOUT, username=coordinator.username)
    assert events.count() >= 1
    assert events.first().ip_address == "10.0.0.7"  # type: ignore[union-attr]


def test_the_lockout_holds_for_that_address_only(client: Client, coordinator: User) -> None:
    for i in range(5):
        _sign_in(client, coordinator.username, f"wrong-{i}")
    assert _sign_in(client, coordinator.username, PASSWORD, address="10.0.0.8") == 302


def test_an_administrator_unlocks_with_a_reason(
    client: Client, coordinator: User, administrator: User
) -> None:
    for i in range(5):
        _sign_in(client, coordinator.username, f"wrong-{i}")
    (lockout,) = services.lockouts(administrator)
    assert (lockout.username, lockout.ip_address, lockout.failures) == ("coord-utr", "10.0.0.7", 5)
    with pytest.raises(InputError, match="needs a reason"):
        services.unlock(administrator, lockout.id, "  ")
    with pytest.raises(AccessDenied):
        services.lockouts(coordinator)

    staff = Client()
    staff.force_login(administrator)
    page = staff.get("/security/")
    assert b"coord-utr" in page.content
    response = staff.post(
        f"/security/lockouts/{lockout.id}/unlock/", {"reason": "identity confirmed by phone"}
    )
    assert response.status_code == 302
    assert services.lockouts(administrator) == []
    unlock = SecurityEvent.objects.get(kind=EventKind.UNLOCK)
    assert (unlock.username, unlock.by, unlock.reason) == (
        "coord-utr",
        administrator,
        "identity confirmed by phone",
    )
    assert _sign_in(client, coordinator.username, PASSWORD) == 302


def test_only_administrators_see_the_security_page(client: Client, coordinator: User) -> None:
    client.force_login(coordinator)
    assert client.get("/security/").status_code == 403
    assert client.post("/security/lockouts/1/unlock/", {"reason": "x"}).status_code == 403


def test_security_events_are_append_only(db: None) -> None:
    event = services.record(EventKind.LOCKOUT, username="someone", ip_address="10.0.0.9")
    event.reason = "rewritten"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()
