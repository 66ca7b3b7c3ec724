from __future__ import annotations

from django.urls import path

from exonc.platform.security import views

app_name = "security"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("lockouts/<int:lockout_id>/unlock/", views.unlock, name="unlock"),
]
