"""Django settings for the exonc platform, built from :func:`exonc.platform.settings.load_settings`.

The environment is read here, once, when Django starts (the web server, ``exonc demo`` or
the test runner); nothing else in exonc reads it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import dj_database_url

from exonc.platform.settings import load_settings

EXONC = load_settings(os.environ)
HERE = Path(__file__).resolve().parent

SECRET_KEY = EXONC.secret_key
DEBUG = EXONC.debug
ALLOWED_HOSTS = list(EXONC.allowed_hosts)


def database(url: str) -> dict[str, Any]:
    """Django's DATABASES entry for *url*; SQLite gets WAL, foreign keys and immediate writes."""
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=0))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            # WAL lets readers proceed during a write; IMMEDIATE takes the write lock at the
            # start of a transaction so that concurrent writers queue instead of failing.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
    return config


DATABASES = {"default": database(EXONC.database_url)}


def task_queue(url: str) -> dict[str, Any]:
    """Huey's configuration (``HUEY``) for the task queue at *url* (see ``EXONC_TASKS_URL``)."""
    consumer = {"workers": 2, "worker_type": "thread"}
    if url == "immediate":
        return {"name": "exonc", "immediate": True, "consumer": consumer}
    if url.startswith("sqlite:///"):
        filename = Path(url.removeprefix("sqlite:///"))
        filename.parent.mkdir(parents=True, exist_ok=True)  # Huey opens its store at start-up
        return {
            "name": "exonc",
            "huey_class": "huey.SqliteHuey",
            "filename": str(filename),
            "immediate": False,
            "consumer": consumer,
        }
    return {
        "name": "exonc",
        "huey_class": "huey.RedisHuey",
        "url": url,
        "immediate": False,
        "consumer": consumer,
    }


HUEY = task_queue(EXONC.tasks_url)


def email(url: str) -> dict[str, Any]:
    """Django's e-mail settings for *url* (see ``EXONC_EMAIL_URL``)."""
    if url == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    parts = urlsplit(url)
    if parts.scheme == "file":
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": parts.path,
        }
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 587),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_USE_TLS": parts.scheme == "smtp+starttls",
    }


_EMAIL = email(EXONC.email_url)
EMAIL_BACKEND = _EMAIL["EMAIL_BACKEND"]
EMAIL_FILE_PATH = _EMAIL.get("EMAIL_FILE_PATH")
EMAIL_HOST = _EMAIL.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _EMAIL.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _EMAIL.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _EMAIL.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_SSL = _EMAIL.get("EMAIL_USE_SSL", False)
EMAIL_USE_TLS = _EMAIL.get("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = EXONC.email_from
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "huey.contrib.djhuey",
    "ninja",  # serves Swagger UI's assets from static files, not a CDN
    "django_htmx",
    "exonc.platform.accounts",
    "exonc.platform.trial",
    "exonc.platform.allocation",
    "exonc.platform.outcomes",
    "exonc.platform.exercise",
    "exonc.platform.activity",
    "exonc.platform.hub",
    "exonc.platform.guides",
    "exonc.platform.economics",
    "exonc.platform.jobs",
    "exonc.platform.interchange",
    "exonc.platform.queries",
    "exonc.platform.reminders",
    "exonc.platform.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

AUTH_USER_MODEL = "accounts.User"
ROOT_URLCONF = "exonc.platform.urls"
WSGI_APPLICATION = "exonc.platform.wsgi.application"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [HERE / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "exonc.platform.navigation.menu",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = EXONC.var_dir / "static"
STATICFILES_DIRS = [HERE / "static"]
MEDIA_ROOT = EXONC.uploads

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
