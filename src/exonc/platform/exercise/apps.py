from __future__ import annotations

from django.apps import AppConfig


class ExerciseConfig(AppConfig):
    name = "exonc.platform.exercise"
    label = "exercise"
    verbose_name = "Exercise delivery"
