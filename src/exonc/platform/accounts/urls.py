"""The user's own profile page and the language switcher's target."""

from __future__ import annotations

from django.urls import path

from exonc.platform.accounts import language, views

urlpatterns = [
    path("account/", views.profile, name="profile"),
    path("language/", language.choose_language, name="set_language"),
]
