"""exonc's own settings, read from the environment once at the entry point.

- ``EXONC_DATABASE_URL``: database URL, ``sqlite:///path`` or
  ``postgresql://user@host:port/name``; default ``sqlite:///<EXONC_VAR_DIR>/exonc.sqlite3``.
- ``EXONC_VAR_DIR``: folder for the SQLite file, the tracker Parquet store and uploads;
  default ``./var``.
- ``EXONC_SECRET_KEY``: Django's secret key, at least 50 characters and never Django's
  published development key when ``EXONC_DEBUG`` is off; default: with the embedded SQLite
  database, a key generated once into ``<EXONC_VAR_DIR>/secret_key`` (mode 0600), otherwise
  required.
- ``EXONC_DEBUG``: ``1`` for development error pages; ``0`` (default) otherwise.
- ``EXONC_HTTPS``: ``1`` when people reach the platform over HTTPS (HSTS, ``Secure``
  cookies, redirect to HTTPS); default ``0``.
- ``EXONC_SESSION_IDLE_MINUTES``: minutes after which an idle staff session ends; default 30.
- ``EXONC_LOGIN_FAILURE_LIMIT``: failed sign-ins (same user name from the same address)
  before the account is locked for that address; default 5.
- ``EXONC_LOGIN_COOLOFF_MINUTES``: minutes a lockout lasts unless an administrator
  unlocks it; default 30.
- ``EXONC_2FA_ROLES``: comma-separated roles whose users must sign in with a TOTP code
  (e.g. ``administrator,statistician``); default none (anyone may set it up).
- ``EXONC_DATABASE_POOL_SIZE``: largest number of PostgreSQL connections each server
  process keeps in its pool (``0`` turns pooling off); default 10.
- ``EXONC_ALLOWED_HOSTS``: comma-separated host names; default ``127.0.0.1,localhost``.
- ``EXONC_PROTOCOL``: path of a protocol TOML file; default the shipped
  ``preferable-effect.toml``.
- ``EXONC_TEXT_PACK``: path of the questionnaire text pack (item wording) that forms use,
  or of a folder of packs, one per language (forms take the reader's language); default
  the shipped placeholder packs, shown with a "placeholder wording" banner.
- ``EXONC_TASKS_URL``: the task runner's queue: ``sqlite:///path`` (Huey's SQLite store),
  ``redis://host:port/db`` (a Redis server, for a consortium), or ``immediate`` (run each
  task inside the process that submits it); default ``sqlite:///<EXONC_VAR_DIR>/tasks.sqlite3``.
- ``EXONC_EMAIL_URL``: where reminder e-mails go: ``file:///path`` (each message a file in
  that folder, for the demo and tests), ``smtp://user:password@host:port`` (``smtps://``
  for TLS from the start, ``smtp+starttls://`` to upgrade), or ``console``; default
  ``file:///<EXONC_VAR_DIR>/mail``.
- ``EXONC_EMAIL_FROM``: the sender address of those e-mails; default
  ``exonc@localhost``.
- ``EXONC_SITE_URL``: the platform's address as people reach it, for links in e-mails;
  default ``http://127.0.0.1:8000``.

``docs/settings.md`` documents the same list; a test keeps the two in step.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from exonc.errors import InputError

DEVELOPMENT_SECRET_KEY = "exonc-development-only-not-secret"
#: The shortest secret key accepted when debug is off (Django's own deployment check).
MINIMUM_SECRET_KEY_LENGTH = 50
#: Prefix of the keys ``django-admin startproject`` writes, published in every tutorial.
_DJANGO_INSECURE_PREFIX = "django-insecure-"
SECRET_KEY_FILE = "secret_key"


@dataclass(frozen=True)
class Settings:
    database_url: str
    var_dir: Path
    secret_key: str
    debug: bool
    allowed_hosts: tuple[str, ...]
    protocol_path: Path | None
    text_pack: Path | None = None
    tasks_url: str = "immediate"
    email_url: str = "console"
    email_from: str = "exonc@localhost"
    site_url: str = "http://127.0.0.1:8000"
    https: bool = False
    session_idle_minutes: int = 30
    login_failure_limit: int = 5
    login_cooloff_minutes: int = 30
    database_pool_size: int = 10
    two_factor_roles: tuple[str, ...] = ()

    @property
    def tracker_store(self) -> Path:
        """Root of the minute-level Parquet store."""
        return self.var_dir / "trackers"

    @property
    def uploads(self) -> Path:
        return self.var_dir / "uploads"


def load_settings(environ: Mapping[str, str]) -> Settings:
    """Build :class:`Settings` from an environment mapping (``os.environ`` at the entry point)."""
    var_dir = Path(environ.get("EXONC_VAR_DIR", "var")).resolve()
    debug = _flag(environ.get("EXONC_DEBUG", "0"), "EXONC_DEBUG")
    embedded = not environ.get("EXONC_DATABASE_URL", "").strip().startswith("postgres")
    secret = _secret_key(environ.get("EXONC_SECRET_KEY", ""), debug, embedded, var_dir)
    protocol = environ.get("EXONC_PROTOCOL")
    text_pack = environ.get("EXONC_TEXT_PACK")
    return Settings(
        database_url=environ.get("EXONC_DATABASE_URL") or f"sqlite:///{var_dir / 'exonc.sqlite3'}",
        var_dir=var_dir,
        secret_key=secret,
        debug=debug,
        allowed_hosts=tuple(
            h.strip()
            for h in environ.get("EXONC_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
            if h.strip()
        ),
        protocol_path=Path(protocol) if protocol else None,
        text_pack=Path(text_pack) if text_pack else None,
        tasks_url=_tasks_url(environ.get("EXONC_TASKS_URL", ""), var_dir),
        email_url=_email_url(environ.get("EXONC_EMAIL_URL", ""), var_dir),
        email_from=environ.get("EXONC_EMAIL_FROM", "").strip() or "exonc@localhost",
        site_url=(environ.get("EXONC_SITE_URL", "").strip() or "http://127.0.0.1:8000").rstrip("/"),
        https=_flag(environ.get("EXONC_HTTPS", "0"), "EXONC_HTTPS"),
        session_idle_minutes=_count(environ, "EXONC_SESSION_IDLE_MINUTES", 30, minimum=1),
        login_failure_limit=_count(environ, "EXONC_LOGIN_FAILURE_LIMIT", 5, minimum=1),
        login_cooloff_minutes=_count(environ, "EXONC_LOGIN_COOLOFF_MINUTES", 30, minimum=1),
        database_pool_size=_count(environ, "EXONC_DATABASE_POOL_SIZE", 10, minimum=0),
        two_factor_roles=tuple(
            r.strip().lower() for r in environ.get("EXONC_2FA_ROLES", "").split(",") if r.strip()
        ),
    )


def _secret_key(value: str, debug: bool, embedded: bool, var_dir: Path) -> str:
    """The secret key: *value* when it is safe, a generated one kept in *var_dir* for the
    embedded database, Django's development key only in debug."""
    secret = value.strip()
    if not secret:
        if debug:
            return DEVELOPMENT_SECRET_KEY
        if not embedded:
            raise InputError(
                "EXONC_SECRET_KEY is not set",
                hint=f"set a random EXONC_SECRET_KEY of at least {MINIMUM_SECRET_KEY_LENGTH}"
                " characters (python -c 'import secrets; print(secrets.token_urlsafe(64))')",
            )
        return generated_secret_key(var_dir)
    if not debug:
        if secret == DEVELOPMENT_SECRET_KEY or secret.startswith(_DJANGO_INSECURE_PREFIX):
            raise InputError(
                "EXONC_SECRET_KEY is a published development key",
                hint="set a random key of your own, or EXONC_DEBUG=1 on a development machine",
            )
        if len(secret) < MINIMUM_SECRET_KEY_LENGTH or len(set(secret)) < 5:
            raise InputError(
                f"EXONC_SECRET_KEY is shorter than {MINIMUM_SECRET_KEY_LENGTH} characters"
                " or too repetitive",
                hint="python -c 'import secrets; print(secrets.token_urlsafe(64))' makes one",
            )
    return secret


def generated_secret_key(var_dir: Path) -> str:
    """The key kept in ``<var_dir>/secret_key`` (mode 0600), generated on first use."""
    path = var_dir / SECRET_KEY_FILE
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        staged = path.with_name(f".{SECRET_KEY_FILE}.{os.getpid()}")
        descriptor = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(secrets.token_urlsafe(64))
        with contextlib.suppress(FileExistsError):
            os.link(staged, path)  # the first process to get here wins; the others reuse it
        staged.unlink()
    secret = path.read_text(encoding="ascii").strip()
    if len(secret) < MINIMUM_SECRET_KEY_LENGTH:
        raise InputError(
            f"{path} holds a secret key shorter than {MINIMUM_SECRET_KEY_LENGTH} characters",
            hint="delete the file: exonc generates a new one (signed-in users must sign in again)",
        )
    return secret


def _count(environ: Mapping[str, str], name: str, default: int, *, minimum: int) -> int:
    value = environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < minimum:
        raise InputError(f"{name} must be a whole number of at least {minimum}", value=value)
    return int(value)


def _email_url(value: str, var_dir: Path) -> str:
    url = value.strip() or f"file://{var_dir / 'mail'}"
    if url == "console" or url.startswith(("file:///", "smtp://", "smtps://", "smtp+starttls://")):
        return url
    raise InputError(
        "EXONC_EMAIL_URL is not a mail transport exonc knows",
        value=value,
        hint="use smtp://user:password@host:587, file:///path/to/folder or console",
    )


def _tasks_url(value: str, var_dir: Path) -> str:
    url = value.strip() or f"sqlite:///{var_dir / 'tasks.sqlite3'}"
    if url == "immediate" or url.startswith(("sqlite:///", "redis://", "rediss://")):
        return url
    raise InputError(
        "EXONC_TASKS_URL is not a task queue exonc knows",
        value=value,
        hint="use sqlite:///path/tasks.sqlite3, redis://host:6379/0 or immediate",
    )


def _flag(value: str, name: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise InputError(f"{name} must be 1 or 0", value=value)
