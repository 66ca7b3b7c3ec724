"""Settings come from the environment mapping given at the entry point, read once."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from exonc.errors import InputError
from exonc.platform.django_settings import database
from exonc.platform.settings import (
    DEVELOPMENT_SECRET_KEY,
    MINIMUM_SECRET_KEY_LENGTH,
    load_settings,
)


@pytest.fixture(autouse=True)
def _elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in a scratch folder: the default ``./var`` receives a generated key."""
    monkeypatch.chdir(tmp_path)


def test_defaults_need_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings({})
    assert settings.database_url == f"sqlite:///{tmp_path / 'var' / 'exonc.sqlite3'}"
    assert settings.debug is False
    assert len(settings.secret_key) >= MINIMUM_SECRET_KEY_LENGTH
    assert (settings.https, settings.session_idle_minutes) == (False, 30)
    assert (settings.login_failure_limit, settings.login_cooloff_minutes) == (5, 30)
    assert settings.allowed_hosts == ("127.0.0.1", "localhost")
    assert settings.protocol_path is None
    assert settings.tracker_store == tmp_path / "var" / "trackers"


LONG_KEY = "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789" * 2


def test_debug_only_when_asked() -> None:
    settings = load_settings({"EXONC_DEBUG": "1"})
    assert settings.debug is True
    assert settings.secret_key == DEVELOPMENT_SECRET_KEY  # only ever in debug


def test_a_postgresql_deployment_needs_a_secret_key() -> None:
    with pytest.raises(InputError, match="EXONC_SECRET_KEY is not set"):
        load_settings({"EXONC_DATABASE_URL": "postgresql://exonc@db/trial"})
    settings = load_settings(
        {"EXONC_DATABASE_URL": "postgresql://exonc@db/trial", "EXONC_SECRET_KEY": LONG_KEY}
    )
    assert (settings.debug, settings.secret_key) == (False, LONG_KEY)


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        (DEVELOPMENT_SECRET_KEY, "published development key"),
        ("django-insecure-" + "x1y2z3" * 10, "published development key"),
        ("short", "shorter than 50"),
        ("s3cret", "shorter than 50"),
        ("a" * 80, "too repetitive"),
    ],
)
def test_unsafe_keys_are_refused_outside_debug(key: str, problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        load_settings({"EXONC_SECRET_KEY": key})
    assert load_settings({"EXONC_SECRET_KEY": key, "EXONC_DEBUG": "1"}).secret_key == key


def test_the_embedded_default_generates_its_key_once(tmp_path: Path) -> None:
    first = load_settings({"EXONC_VAR_DIR": str(tmp_path)}).secret_key
    key_file = tmp_path / "secret_key"
    assert key_file.read_text(encoding="ascii") == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert load_settings({"EXONC_VAR_DIR": str(tmp_path)}).secret_key == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret_key"]  # no staged leftovers


def test_a_truncated_key_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret_key").write_text("short", encoding="ascii")
    with pytest.raises(InputError, match="delete the file"):
        load_settings({"EXONC_VAR_DIR": str(tmp_path)})


@pytest.mark.parametrize(
    "name", ["EXONC_SESSION_IDLE_MINUTES", "EXONC_LOGIN_FAILURE_LIMIT", "EXONC_DATABASE_POOL_SIZE"]
)
def test_counts_must_be_whole_numbers(name: str) -> None:
    with pytest.raises(InputError, match=f"{name} must be a whole number"):
        load_settings({name: "-3", "EXONC_DEBUG": "1"})


def test_a_bad_flag_is_refused() -> None:
    with pytest.raises(InputError, match="EXONC_DEBUG must be 1 or 0"):
        load_settings({"EXONC_DEBUG": "perhaps"})


def test_explicit_values_are_used(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "EXONC_DATABASE_URL": "postgresql://exonc@db.example.org:5432/trial",
            "EXONC_SECRET_KEY": LONG_KEY,
            "EXONC_VAR_DIR": str(tmp_path),
            "EXONC_ALLOWED_HOSTS": "exonc.example.org, ,localhost",
            "EXONC_PROTOCOL": "/etc/exonc/amended.toml",
        }
    )
    assert settings.var_dir == tmp_path
    assert settings.allowed_hosts == ("exonc.example.org", "localhost")
    assert str(settings.protocol_path) == "/etc/exonc/amended.toml"
    assert database(settings.database_url)["ENGINE"] == "django.db.backends.postgresql"


def test_sqlite_runs_with_wal_foreign_keys_and_immediate_writes(tmp_path: Path) -> None:
    config = database(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert "foreign_keys=ON" in config["OPTIONS"]["init_command"]
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", "sqlite:///{var}/tasks.sqlite3"),
        ("immediate", "immediate"),
        ("redis://queue.example.org:6379/0", "redis://queue.example.org:6379/0"),
        ("sqlite:////srv/exonc/tasks.sqlite3", "sqlite:////srv/exonc/tasks.sqlite3"),
    ],
)
def test_tasks_url(value: str, expected: str, tmp_path: Path) -> None:
    settings = load_settings({"EXONC_VAR_DIR": str(tmp_path), "EXONC_TASKS_URL": value})
    assert settings.tasks_url == expected.format(var=tmp_path)


def test_an_unknown_task_queue_is_refused_with_what_to_use() -> None:
    with pytest.raises(InputError, match=r"EXONC_TASKS_URL.*redis://host:6379/0"):
        load_settings({"EXONC_TASKS_URL": "amqp://guest@localhost//"})


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "file:///srv/mail",
            {
                "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": "/srv/mail",
            },
        ),
        ("console", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
        (
            "smtp+starttls://trial%40h.example:p%2Fw@relay.h.example:587",
            {
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "relay.h.example",
                "EMAIL_PORT": 587,
                "EMAIL_HOST_USER": "trial@h.example",
                "EMAIL_HOST_PASSWORD": "p/w",
                "EMAIL_USE_SSL": False,
                "EMAIL_USE_TLS": True,
            },
        ),
        (
            "smtps://relay.h.example",
            {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True, "EMAIL_USE_TLS": False},
        ),
    ],
)
def test_email_url(url: str, expected: dict[str, object]) -> None:
    from exonc.platform.django_settings import email

    config = email(load_settings({"EXONC_EMAIL_URL": url}).email_url)
    assert {k: config[k] for k in expected} == expected


def test_email_defaults_to_files_in_the_var_dir(tmp_path: Path) -> None:
    settings = load_settings({"EXONC_VAR_DIR": str(tmp_path)})
    assert settings.email_url == f"file://{tmp_path / 'mail'}"
    assert (settings.email_from, settings.site_url) == ("exonc@localhost", "http://127.0.0.1:8000")
    with pytest.raises(InputError, match="EXONC_EMAIL_URL is not a mail transport"):
        load_settings({"EXONC_EMAIL_URL": "pigeon://loft"})


def test_two_factor_roles_are_a_list_of_names() -> None:
    settings = load_settings(
        {"EXONC_2FA_ROLES": " Administrator, statistician ,", "EXONC_DEBUG": "1"}
    )
    assert settings.two_factor_roles == ("administrator", "statistician")
    assert load_settings({"EXONC_DEBUG": "1"}).two_factor_roles == ()
