"""Routes of the exercise pages (mounted under /programme/)."""

from __future__ import annotations

from django.urls import path

from exonc.platform.exercise import views

app_name = "exercise"

urlpatterns = [
    path("", views.home, name="home"),
    path("today/", views.today, name="today"),
    path("adherence/", views.adherence, name="adherence"),
    path("participants/<str:study_id>/", views.participant, name="participant"),
    path("participants/<str:study_id>/plan/", views.plan, name="plan"),
    path("participants/<str:study_id>/log/", views.log, name="log"),
    path("participants/<str:study_id>/start/", views.start, name="start"),
    path("participants/<str:study_id>/tests/new/", views.fitness_test, name="test"),
    path("participants/<str:study_id>/lesions/new/", views.lesion, name="lesion"),
    path("participants/<str:study_id>/adverse-events/new/", views.adverse_event, name="event"),
    path("lesions/<int:pk>/clearance/", views.clear, name="clear"),
    path("lesions/<int:pk>/override/", views.override, name="override"),
    path("flags/<int:pk>/close/", views.close_flag, name="close_flag"),
    path("notifications/<int:pk>/read/", views.read, name="read"),
    path("centres/<str:code>/equipment/", views.equipment, name="equipment"),
    path("centres/<str:code>/rules/", views.rules, name="rules"),
]
