"""Routes of the guide pages: the public hub under /guides/, the patient's under /hub/guides/."""

from __future__ import annotations

from django.urls import path

from exonc.platform.guides import views

app_name = "guides"

urlpatterns = [
    path("guides/", views.index, name="index"),
    path("guides/pack/", views.pack, name="pack"),
    path("guides/pack.pdf", views.pack_pdf, name="pack-pdf"),
    path("guides/review/", views.review_list, name="review"),
    path("guides/attachments/<int:pk>/", views.attachment, name="attachment"),
    path("guides/<slug:slug>/", views.detail, name="detail"),
    path("guides/<slug:slug>/drawing.svg", views.drawing, name="drawing"),
    path("guides/<slug:slug>/handout.pdf", views.handout, name="handout"),
    path("guides/<slug:slug>/approve/", views.approve, name="approve"),
    path("guides/<slug:slug>/attach/", views.attach, name="attach"),
    path("hub/guides/", views.yours, name="yours"),
    path("hub/guides/guides.pdf", views.your_pack_pdf, name="yours-pdf"),
    path("hub/guides/exercise/<slug:name>/", views.exercise, name="exercise"),
    path("hub/guides/<slug:slug>/", views.your_guide, name="your-guide"),
]
