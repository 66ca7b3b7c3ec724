"""Django settings for the exonc platform, built from :func:`exonc.platform.settings.load_settings`.

The environment is read here, once, when Django starts (the web server, ``exonc demo`` or
the test runner); nothing else in exonc reads it.
"""

from __future__ import annotations

import datetime as dt
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


def database(url: str, pool_size: int = 0) -> dict[str, Any]:
    """Django's DATABASES entry for *url*; SQLite gets WAL, foreign keys and immediate writes,
    PostgreSQL a connection pool of *pool_size* per process (none when 0)."""
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=0))
    if config["ENGINE"] == "django.db.backends.postgresql" and pool_size > 0:
        # Each server process keeps at most *pool_size* connections and lends them to its
        # requests; callers beyond that wait (up to 30 s) instead of exhausting the server.
        config.setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": pool_size,
            "timeout": 30,
        }
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


DATABASES = {"default": database(EXONC.database_url, EXONC.database_pool_size)}


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
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
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


# ---------------------------------------------------------------- security (issue 16)
# Kept in one block: static files, headers, cookies, sessions, login lockout. The values
# come from ``EXONC`` (docs/settings.md); ``manage.py check --deploy`` is clean with
# EXONC_HTTPS=1, a long key and debug off (tests/platform/server/test_defaults.py).
INSTALLED_APPS += ["csp", "axes", "exonc.platform.security"]
# WhiteNoise serves static files right after the security middleware; the CSP header is
# added to every response; the idle-session clock runs after authentication; axes stays
# last, as its documentation asks.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
MIDDLEWARE += [
    "csp.middleware.CSPMiddleware",
    "exonc.platform.security.middleware.IdleStaffSessionMiddleware",
    "axes.middleware.AxesMiddleware",
]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing folder
# Served straight from the apps' static folders: nothing to collect before starting (a
# proxy that serves /static/ itself runs ``collectstatic`` into STATIC_ROOT).
WHITENOISE_USE_FINDERS = True

# Content-Security-Policy: nothing inline, nothing from elsewhere. Templates keep scripts
# and styles in static files (htmx's own indicator style is turned off in base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
REFERRER_POLICY = "same-origin"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if EXONC.https:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31_536_000  # one year
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True  # only allows a submission to browsers' preload lists
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = [EXONC.site_url] if EXONC.site_url.startswith("https://") else []

# The admin shows trial data read-only; simple-history's "revert" button is hidden too (the
# admin's ReadOnly class refuses the save itself, tests/platform/server/test_admin.py).
SIMPLE_HISTORY_REVERT_DISABLED = True

# Staff sessions end after this many idle seconds (exonc.platform.security.middleware).
EXONC_SESSION_IDLE_SECONDS = EXONC.session_idle_minutes * 60

# Login lockout (django-axes): a user name is locked for the address it failed from after
# EXONC_LOGIN_FAILURE_LIMIT failures, for EXONC_LOGIN_COOLOFF_MINUTES or until an
# administrator unlocks it; exonc.platform.security records each lockout.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = EXONC.login_failure_limit
AXES_COOLOFF_TIME = dt.timedelta(minutes=EXONC.login_cooloff_minutes)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "exonc.platform.security.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "exonc.platform.security.client.client_address"
AXES_ENABLE_ADMIN = False  # unlocking happens on /security/, where it is recorded
AXES_VERBOSE = False
EXONC_BEHIND_PROXY = EXONC.https  # HTTPS ends at a proxy that appends X-Forwarded-For

# Two-factor sign-in (django-otp, TOTP): required for the roles EXONC_2FA_ROLES names,
# optional for everyone else (exonc.platform.security.two_factor).
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("exonc.platform.security.middleware.IdleStaffSessionMiddleware"),
    "exonc.platform.security.two_factor.TwoFactorMiddleware",
)
EXONC_2FA_ROLES = EXONC.two_factor_roles
OTP_TOTP_ISSUER = "exonc"
# ---------------------------------------------------------------- languages (issue 17)
# The language of a page: the signed-in user's saved preference, else the switcher's
# cookie, else the browser's Accept-Language (LocaleMiddleware); times in the centre's
# time zone. See docs/translations.md and decision 0012.
from exonc.platform.languages import LANGUAGES as _LANGUAGES  # noqa: E402
from exonc.platform.languages import SOURCE_LANGUAGE as _SOURCE_LANGUAGE  # noqa: E402

LANGUAGE_CODE = _SOURCE_LANGUAGE
LANGUAGES = list(_LANGUAGES)
LOCALE_PATHS = [HERE / "locale"]
USE_I18N = True
LANGUAGE_COOKIE_NAME = "exonc_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware") + 1,
    "django.middleware.locale.LocaleMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "exonc.platform.accounts.language.UserLanguageMiddleware",
)
