"""Safe defaults (issue 16, finding 5): headers, Content-Security-Policy, idle staff
sessions, and a clean ``check --deploy`` in a production configuration."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from exonc.platform.accounts.models import User

TEMPLATES = Path(__file__).parents[3] / "src" / "exonc" / "platform"


def test_every_page_carries_the_security_headers(client: Client, db: None) -> None:
    response = client.get("/login/")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    policy = dict(
        ([*part.split(" ", 1), ""])[:2] for part in response["Content-Security-Policy"].split("; ")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"


def test_template_comments_stay_on_one_line() -> None:
    """``{# … #}`` ends at the line's end: a comment broken over lines is printed on the
    page (it was, at the top of every page)."""
    broken = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        for line in path.read_text(encoding="utf-8").splitlines()
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]
    assert broken == []


def test_debug_is_off_and_a_404_lists_no_url_patterns(client: Client, db: None) -> None:
    assert settings.DEBUG is False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"URLconf" not in response.content
    assert b"admin/" not in response.content


def test_no_template_holds_inline_script_style_or_javascript_links() -> None:
    """What the Content-Security-Policy would refuse in the browser, refused here first."""
    inline = re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>|<style\b|\sstyle=\"|"
        r"\son[a-z]+=\"|javascript:|hx-on"
    )
    offending = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.html")
        for match in inline.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offending == []


def test_a_staff_session_ends_after_the_idle_time(
    client: Client, coordinator: User, patient_user: User
) -> None:
    client.force_login(coordinator)
    client.get("/")
    assert client.session.get_expiry_age() == settings.EXONC_SESSION_IDLE_SECONDS == 30 * 60
    client.force_login(patient_user)
    client.get("/")
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE  # two weeks


@pytest.fixture
def patient_user(centres: object) -> User:
    from exonc.platform.accounts.models import Role

    return User.objects.create_user(username="pat", password="pw-pat-long", role=Role.PATIENT)


def _check_deploy(tmp_path: Path, **environ: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "EXONC_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "exonc.platform.django_settings",
        **environ,
    }
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow  # a fresh Python process loading Django and every app
def test_check_deploy_is_clean_in_a_production_configuration(tmp_path: Path) -> None:
    done = _check_deploy(
        tmp_path,
        EXONC_HTTPS="1",
        EXONC_DEBUG="0",
        EXONC_SECRET_KEY=secrets.token_urlsafe(64),
        EXONC_ALLOWED_HOSTS="exonc.hospital.example",
        EXONC_SITE_URL="https://exonc.hospital.example",
    )
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout


@pytest.mark.slow
def test_without_https_check_deploy_names_what_is_missing(tmp_path: Path) -> None:
    done = _check_deploy(tmp_path)  # the embedded default: generated key, debug off
    assert done.returncode == 1
    found = set(re.findall(r"security\.W\d+", done.stderr))
    assert found == {"security.W004", "security.W008", "security.W012", "security.W016"}
