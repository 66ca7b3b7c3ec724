"""Routes of the questionnaire pages (included at the site root by ``exonc.platform.urls``)."""

from __future__ import annotations

from django.urls import path

from exonc.platform.outcomes import views

_ONE = "<str:visit>/<str:instrument>"
_STAFF = "participants/<str:study_id>/questionnaires"

urlpatterns = [
    path("questionnaires/", views.questionnaires, name="questionnaires"),
    path(f"questionnaires/{_ONE}/", views.start, name="questionnaire-start"),
    path(f"questionnaires/{_ONE}/review/", views.review, name="questionnaire-review"),
    path(f"questionnaires/{_ONE}/done/", views.done, name="questionnaire-done"),
    path(f"questionnaires/{_ONE}/<int:position>/", views.item, name="questionnaire-item"),
    path(f"{_STAFF}/", views.participant, name="participant-questionnaires"),
    # before the {visit}/{instrument} routes, which would otherwise take "complete"
    path(
        f"{_STAFF}/<str:visit>/complete/",
        views.complete_visit,
        name="questionnaire-visit-complete",
    ),
    path(f"{_STAFF}/{_ONE}/", views.response, name="questionnaire-response"),
    path(f"{_STAFF}/{_ONE}/paper/", views.paper, name="questionnaire-paper"),
    path(f"{_STAFF}/{_ONE}/correct/", views.correct, name="questionnaire-correct"),
]
