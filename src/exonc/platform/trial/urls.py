"""Routes of the trial pages (the participant's own address is ``participants/<study_id>/``)."""

from __future__ import annotations

from django.urls import path

from exonc.platform.trial import views

_ONE = "participants/<str:study_id>"

urlpatterns = [
    path("", views.home, name="home"),
    path("participants/", views.participants, name="participants"),
    path("participants/new/", views.enrol, name="enrol"),
    path("due/", views.due, name="due"),
    path(f"{_ONE}/", views.participant, name="participant"),
    path(f"{_ONE}/screening/", views.screen, name="screen"),
    path(f"{_ONE}/consent/", views.consent, name="consent"),
    path(f"{_ONE}/baseline/", views.baseline, name="baseline"),
    path(f"{_ONE}/withdrawal/", views.withdraw, name="withdraw"),
    path(f"{_ONE}/visits/<str:code>/", views.visit, name="visit"),
]
