"""URL routes of the exonc platform."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from exonc.platform.api import api

urlpatterns = [
    path("", include("exonc.platform.trial.urls")),
    path("queries/", include("exonc.platform.queries.urls")),
    path("", include("exonc.platform.outcomes.urls")),
    path("", include("exonc.platform.allocation.urls")),
    path("programme/", include("exonc.platform.exercise.urls")),
    path("", include("exonc.platform.activity.urls")),
    path("", include("exonc.platform.hub.urls")),
    path("", include("exonc.platform.guides.urls")),
    path("economics/", include("exonc.platform.economics.urls")),
    path("jobs/", include("exonc.platform.jobs.urls")),
    path("reports/", include("exonc.platform.reports.urls")),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("security/", include("exonc.platform.security.urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("exonc.platform.accounts.urls")),  # profile, language switcher
]
