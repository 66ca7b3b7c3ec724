from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QueriesConfig(AppConfig):
    name = "exonc.platform.queries"
    label = "queries"
    verbose_name = _("Data queries")
