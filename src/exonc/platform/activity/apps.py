from __future__ import annotations

from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "exonc.platform.activity"
    label = "activity"
    verbose_name = "Activity trackers"
