"""Trial operations pages. Views parse the request, call one function, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone

from exonc.platform import access
from exonc.platform.accounts.models import Role
from exonc.platform.trial.dashboard import staff_home
from exonc.platform.trial.models import Participant
from exonc.platform.trial.record import participant_record
from exonc.platform.web import page, user_of


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if user.role == Role.PATIENT:
        return redirect("hub")
    return page(request, "trial/home.html", staff_home(user, timezone.now()))


@login_required
def participant(request: HttpRequest, study_id: str) -> HttpResponse:
    visible = access.scope(Participant.objects.all(), user_of(request))
    found = get_object_or_404(visible, study_id=study_id)
    return page(request, "trial/participant.html", participant_record(found, timezone.now()))
