"""Routes of the health-economics pages (mounted under /economics/)."""

from __future__ import annotations

from django.urls import path

from exonc.platform.economics import views

app_name = "economics"

urlpatterns = [
    path("", views.health_economics, name="analysis"),
    path("export.csv", views.export, name="export"),
    path("resource-use/", views.resource_use, name="resource-use"),
    path("resource-use/mine/<str:visit>/", views.my_questionnaire, name="mine"),
    path("resource-use/<str:study_id>/", views.participant, name="participant"),
    path("resource-use/<str:study_id>/<str:visit>/", views.questionnaire, name="questionnaire"),
    path("sessions/<int:pk>/delivery/", views.session_delivery, name="session-delivery"),
    path("centres/<str:code>/delivery/", views.centre_delivery, name="centre-delivery"),
]
