"""The guide pages: public (no sign-in, nothing stored), staff review and uploads, and the
patient's "Your guides". Every page has its JSON twin; handouts are PDF."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from exonc.errors import ExoncError, InputError
from exonc.platform import access
from exonc.platform.accounts.models import User
from exonc.platform.guides import attachments, catalogue, documents, patient, review
from exonc.platform.guides.forms import ApprovalForm, AttachmentForm
from exonc.platform.trial.models import Centre
from exonc.platform.web import page, refusal, refusals, refusing, user_of

View = Callable[..., HttpResponse]


def public(view: View) -> View:
    """No sign-in needed, GET only; an error the visitor can cause becomes a refusal page."""
    return require_GET(refusing(view))


def _visitor(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def _today(request: HttpRequest) -> dt.date:
    return timezone.localdate()


@public
def index(request: HttpRequest) -> HttpResponse:
    return page(request, "guides/index.html", catalogue.catalogue(_visitor(request), request.GET))


@public
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = _visitor(request)
    lines = attachments.attachment_lines(user, slug) if user else []
    data = catalogue.guide_page(user, slug, lines)
    form = ApprovalForm(initial={"version": data.version, "content": data.fingerprint})
    return page(request, "guides/detail.html", data, approval_form=form)


@public
def drawing(request: HttpRequest, slug: str) -> HttpResponse:
    svg = documents.drawing(_visitor(request), slug)
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


@public
def handout(request: HttpRequest, slug: str) -> HttpResponse:
    pdf = documents.guide_pdf(_visitor(request), slug)
    return _pdf(pdf, f"exonc-guide-{slug}.pdf")


@public
def pack(request: HttpRequest) -> HttpResponse:
    data = catalogue.pack_page(
        _visitor(request), request.GET, request.GET.getlist("site"), _today(request)
    )
    return page(request, "guides/pack.html", data)


@public
def pack_pdf(request: HttpRequest) -> HttpResponse:
    pdf = documents.pack_pdf(
        _visitor(request), request.GET, request.GET.getlist("site"), _today(request)
    )
    return _pdf(pdf, "exonc-exercise-pack.pdf")


def _pdf(pdf: bytes, name: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@refusals
def review_list(request: HttpRequest) -> HttpResponse:
    return page(request, "guides/review.html", review.review_overview(user_of(request)))


@refusals
@require_POST
def approve(request: HttpRequest, slug: str) -> HttpResponse:
    form = ApprovalForm(request.POST)
    if not form.is_valid():
        raise InputError(_("the approval form is incomplete; reload the page"))
    review.approve(
        user_of(request),
        slug,
        version=form.cleaned_data["version"],
        content=form.cleaned_data["content"],
        note=form.cleaned_data["note"],
        today=timezone.localdate(),
    )
    messages.success(request, _("Approved. Patients can now see this version of the guide."))
    return redirect("guides:detail", slug=slug)


@refusals
def attach(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    review.visible_guide(user, slug)
    centres = [(c.code, f"{c.code} · {c.name}") for c in access.visible_centres(user)]
    form = AttachmentForm(request.POST or None, request.FILES or None, centres=centres)
    if request.method == "POST" and form.is_valid():
        centre = Centre.objects.get(code=form.cleaned_data["centre"])
        try:
            attachments.attach(
                user,
                slug,
                centre=centre,
                upload=form.cleaned_data["file"],
                caption=form.cleaned_data["caption"],
            )
        except InputError as error:
            form.add_error(error.column if error.column in form.fields else None, error.problem)
        else:
            messages.success(request, _("Attached. Patients of this centre see it with the guide."))
            return redirect("guides:detail", slug=slug)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "guides/attach.html", {"form": form, "slug": slug}, status=status)


@login_required
def attachment(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A photo or video, streamed (its centre's staff and patients only)."""
    try:
        row, path = attachments.attachment_file(user_of(request), pk)
    except ExoncError as error:
        return refusal(request, error)
    response = FileResponse(path.open("rb"), content_type=row.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@refusals
def yours(request: HttpRequest) -> HttpResponse:
    return page(request, "guides/yours.html", patient.your_guides(user_of(request), timezone.now()))


@refusals
def your_guide(request: HttpRequest, slug: str) -> HttpResponse:
    data = patient.guide_page(user_of(request), slug, timezone.now())
    return page(request, "guides/detail.html", data, hub=True)


@refusals
def your_pack_pdf(request: HttpRequest) -> HttpResponse:
    pdf = documents.patient_pdf(user_of(request), timezone.now())
    return _pdf(pdf, "exonc-your-guides.pdf")


@refusals
def exercise(request: HttpRequest, name: str) -> HttpResponse:
    """Today's plan links each exercise here: to her level's guide, or a kind 404."""
    try:
        slug = patient.guide_for_exercise(user_of(request), name, timezone.now())
    except Http404:
        return render(request, "guides/missing.html", status=404)
    return redirect("guides:your-guide", slug=slug)
