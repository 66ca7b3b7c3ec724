"""Routes of the report pages (mounted under /reports/)."""

from __future__ import annotations

from django.urls import path

from exonc.platform.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("lock/", views.lock, name="lock"),
    path("locks/<int:pk>/", views.lock_detail, name="lock-detail"),
    path("locks/<int:pk>/run/", views.run, name="run"),
    path("locks/<int:pk>/dataset.zip", views.dataset, name="dataset"),
    path("locks/<int:pk>/redcap.zip", views.export, {"kind": "redcap"}, name="redcap"),
    path("locks/<int:pk>/odm.xml", views.export, {"kind": "odm"}, name="odm"),
    path("locks/<int:pk>/fhir.zip", views.export, {"kind": "fhir"}, name="fhir"),
    path("runs/<int:pk>/", views.run_detail, name="run-detail"),
    path("runs/<int:pk>/<str:name>", views.run_file, name="run-file"),
    path("locks/<int:pk>/plan/", views.plan, name="plan"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/power_curve.svg", views.plan_figure, name="plan-figure"),
    path("monitoring/", views.monitoring_index, name="monitoring-index"),
    path("monitoring/<str:code>/", views.monitoring, name="monitoring"),
]
