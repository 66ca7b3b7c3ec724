"""Settings come from the environment mapping given at the entry point, read once."""

from __future__ import annotations

from pathlib import Path

import pytest

from exonc.errors import InputError
from exonc.platform.django_settings import database
from exonc.platform.settings import DEVELOPMENT_SECRET_KEY, load_settings


def test_defaults_need_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings({})
    assert settings.database_url == f"sqlite:///{tmp_path / 'var' / 'exonc.sqlite3'}"
    assert settings.debug is True
    assert settings.secret_key == DEVELOPMENT_SECRET_KEY
    assert settings.allowed_hosts == ("127.0.0.1", "localhost")
    assert settings.protocol_path is None
    assert settings.tracker_store == tmp_path / "var" / "trackers"


def test_production_needs_a_secret_key() -> None:
    with pytest.raises(InputError, match="EXONC_SECRET_KEY is not set"):
        load_settings({"EXONC_DEBUG": "0"})
    assert load_settings({"EXONC_DEBUG": "0", "EXONC_SECRET_KEY": "s3cret"}).debug is False


def test_a_bad_flag_is_refused() -> None:
    with pytest.raises(InputError, match="EXONC_DEBUG must be 1 or 0"):
        load_settings({"EXONC_DEBUG": "perhaps"})


def test_explicit_values_are_used(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "EXONC_DATABASE_URL": "postgresql://exonc@db.example.org:5432/trial",
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
