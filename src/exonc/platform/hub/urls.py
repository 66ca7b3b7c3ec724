from __future__ import annotations

from django.urls import path

from exonc.platform.hub import views

urlpatterns = [path("hub/", views.hub, name="hub")]
