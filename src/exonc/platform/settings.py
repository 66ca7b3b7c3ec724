"""exonc's own settings, read from the environment once at the entry point.

- ``EXONC_DATABASE_URL``: database URL, ``sqlite:///path`` or
  ``postgresql://user@host:port/name``; default ``sqlite:///<EXONC_VAR_DIR>/exonc.sqlite3``.
- ``EXONC_VAR_DIR``: folder for the SQLite file, the tracker Parquet store and uploads;
  default ``./var``.
- ``EXONC_SECRET_KEY``: Django's secret key; required when ``EXONC_DEBUG`` is off.
- ``EXONC_DEBUG``: ``1`` (default) for development error pages, ``0`` in production.
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

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from exonc.errors import InputError

DEVELOPMENT_SECRET_KEY = "exonc-development-only-not-secret"


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
    debug = _flag(environ.get("EXONC_DEBUG", "1"), "EXONC_DEBUG")
    secret = environ.get("EXONC_SECRET_KEY", "")
    if not secret:
        if not debug:
            raise InputError(
                "EXONC_SECRET_KEY is not set",
                hint="set a long random EXONC_SECRET_KEY when EXONC_DEBUG=0",
            )
        secret = DEVELOPMENT_SECRET_KEY
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
    )


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
