"""Routes of the data-query pages."""

from __future__ import annotations

from django.urls import path

from exonc.platform.queries import views

app_name = "queries"

urlpatterns = [
    path("", views.queries, name="list"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
]
