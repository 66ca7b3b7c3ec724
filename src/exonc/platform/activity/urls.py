"""Routes of the activity pages (included at the site root by ``exonc.platform.urls``)."""

from __future__ import annotations

from django.urls import path

from exonc.platform.activity import views

urlpatterns = [
    path("activity/", views.overview, name="activity"),
    path("activity/week/", views.week, name="activity-week"),
    path("activity/upload/", views.upload, name="activity-upload"),
    path("activity/imports/<int:pk>/", views.import_report, name="activity-import"),
    path("activity/windows/", views.windows, name="activity-windows"),
    path("participants/<str:study_id>/activity/", views.participant, name="participant-activity"),
]
