from __future__ import annotations

from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "exonc.platform.interchange"
    label = "interchange"
    verbose_name = "Interchange (REDCap, CDISC ODM, FHIR)"
