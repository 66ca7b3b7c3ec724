"""Data-query pages: the list (CSV too), raising a query, and one query's thread.

Views parse the request, call one service, render; the forms work without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from exonc.platform import access
from exonc.platform.exports import csv_download
from exonc.platform.queries import corrections, forms, pages, services, targets
from exonc.platform.queries.models import DataQuery
from exonc.platform.trial.models import Participant
from exonc.platform.web import form_page, page, refusals, user_of


@refusals
@require_GET
def queries(request: HttpRequest) -> HttpResponse:
    user, now = user_of(request), timezone.now()
    if request.GET.get("format") == "csv":
        lines, _status, _centre = pages.query_lines(user, request.GET, now)
        return csv_download(pages.export(lines).csv_text(), "data-queries.csv")
    return page(request, "queries/list.html", pages.query_list(user, request.GET, now))


@refusals
def new(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    access.require_role(user, *services.MONITORING)
    visible = access.scope(Participant.objects.select_related("centre"), user)
    found = get_object_or_404(visible, study_id=request.GET.get("participant", ""))
    records = targets.records_of(found)
    form = forms.OpenQueryForm(request.POST or None, records=records)

    def run(d: dict[str, Any]) -> DataQuery:
        target, _sep, object_id = d["record"].partition(":")
        return services.open_query(
            user,
            found,
            target=target,
            object_id=int(object_id) or None,
            field=d["field"].strip(),
            question=d["question"],
            now=timezone.now(),
        )

    success = (_("Query opened."), lambda q: reverse("queries:detail", args=[q.pk]))
    context = {"p": found, "records": records}
    return form_page(request, form, "queries/new.html", run, success=success, context=context)


@refusals
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, now = user_of(request), timezone.now()
    query, data = pages.query_detail(user, pk, now)
    if request.method != "POST":
        return page(request, "queries/detail.html", data, forms=_forms(None, ""))
    action = request.POST.get("action", "")
    form, run = _action(user, query, action, request.POST)
    here = reverse("queries:detail", args=[pk])
    context = {"data": data, "forms": _forms(form, action)}
    return form_page(
        request, form, "queries/detail.html", run, success=(_("Saved."), here), context=context
    )


def _forms(bound: Any, action: str) -> dict[str, Any]:
    blank = {
        "answer": forms.ReplyForm(),
        "correct": forms.CorrectionForm(),
        "send_back": forms.ReplyForm(),
        "close": forms.CloseForm(),
    }
    if bound is not None:
        blank[action] = bound
    return blank


def _action(user: Any, query: DataQuery, action: str, data: Any) -> tuple[Any, Any]:
    """The bound form of *action* and the service call it makes."""
    now = timezone.now()
    if action == "correct":
        form = forms.CorrectionForm(data)

        def correct(d: dict[str, Any]) -> object:
            apply = corrections.applier(user, query, d["value"], now)
            return services.correct(user, query, d["text"], now=now, apply=apply)

        return form, correct
    calls = {
        "answer": (forms.ReplyForm, services.answer),
        "send_back": (forms.ReplyForm, services.send_back),
        "close": (forms.CloseForm, services.close),
    }
    form_class, call = calls.get(action, calls["answer"])
    bound = form_class(data)
    return bound, lambda d: call(user, query, d["text"], now=now)
