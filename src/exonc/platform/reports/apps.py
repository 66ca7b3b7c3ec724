from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "exonc.platform.reports"
    label = "reports"
    verbose_name = _("Reports and locked datasets")

    def ready(self) -> None:
        from exonc.platform.reports import jobs  # noqa: F401 (registers the job kinds)
