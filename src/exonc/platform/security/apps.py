from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.core.checks import CheckMessage
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "exonc.platform.security"
    label = "security"
    verbose_name = _("Security")

    def ready(self) -> None:
        from django.core import checks

        from exonc.platform.security import handlers  # noqa: F401  # connects the signals

        checks.register(_two_factor_roles_exist)


def _two_factor_roles_exist(app_configs: Any = None, **_: Any) -> list[CheckMessage]:
    """A misspelt role in EXONC_2FA_ROLES would silently require nothing: refuse it."""
    from django.conf import settings
    from django.core.checks import Error

    from exonc.platform.accounts.models import Role

    unknown = sorted(set(settings.EXONC_2FA_ROLES) - {r.value for r in Role})
    if not unknown:
        return []
    known = ", ".join(r.value for r in Role)
    message = f"EXONC_2FA_ROLES names unknown roles: {', '.join(unknown)}"
    return [Error(message, hint=f"use some of {known}", id="exonc.E2FA")]
