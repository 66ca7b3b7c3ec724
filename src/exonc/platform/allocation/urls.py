"""Routes of the allocation pages (included by ``exonc.platform.urls``)."""

from __future__ import annotations

from django.urls import path

from exonc.platform.allocation import views

urlpatterns = [
    path("participants/<str:study_id>/randomise/", views.randomise, name="randomise"),
    path("participants/<str:study_id>/allocation/", views.allocation, name="allocation"),
    path(
        "participants/<str:study_id>/allocation/corrections/",
        views.correct,
        name="allocation-correct",
    ),
    path("allocation/log/", views.log, name="allocation-log"),
    path("allocation/report/", views.report, name="allocation-report"),
]
