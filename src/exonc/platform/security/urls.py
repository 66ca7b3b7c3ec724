from __future__ import annotations

from django.urls import path

from exonc.platform.security import two_factor, views

app_name = "security"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("lockouts/<int:lockout_id>/unlock/", views.unlock, name="unlock"),
    path("2fa/setup/", two_factor.setup, name="two-factor-setup"),
    path("2fa/verify/", two_factor.verify, name="two-factor-verify"),
]
