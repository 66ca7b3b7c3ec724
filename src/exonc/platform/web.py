"""Helpers shared by the platform's views: every page has a JSON twin."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from exonc.errors import (
    AccessDenied,
    ExoncError,
    InputError,
    RandomisationError,
    SafetyRuleViolation,
    TrialStateError,
    UnknownCentre,
)
from exonc.platform.accounts.models import User
from exonc.results import jsonable


def user_of(request: HttpRequest) -> User:
    """The signed-in user of *request* (views are behind login, API routes behind auth)."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise AccessDenied(_("sign in first"))
    return user


def wants_json(request: HttpRequest) -> bool:
    """``?format=json`` or an ``Accept: application/json`` header asks for the JSON twin."""
    if request.GET.get("format") == "json":
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def page(request: HttpRequest, template: str, data: Any, **extra: Any) -> HttpResponse:
    """Render *data* with *template*, or as JSON when the client asks for it."""
    if wants_json(request):
        return JsonResponse(jsonable(data), safe=False)
    return render(request, template, {"data": data, **extra})


View = Callable[..., HttpResponse]


def status_for(error: ExoncError) -> int:
    """The HTTP status of an error a user can cause, the same for pages and the API:
    403 role or centre, 400 bad input, 409 what the trial's state or a safety rule refuses."""
    if isinstance(error, AccessDenied):
        return 403
    if isinstance(error, UnknownCentre | InputError):
        return 400
    if isinstance(error, TrialStateError | RandomisationError | SafetyRuleViolation):
        return 409
    return 400


def refusal(request: HttpRequest, error: ExoncError) -> HttpResponse:
    """A one-line refusal page (or JSON ``{"detail", "error"}``) with its status."""
    body = {"detail": str(error), "error": type(error).__name__}
    if wants_json(request):
        return JsonResponse(body, status=status_for(error))
    # After changing language, a refused page leads home: the switcher does not echo the
    # refused address (which may name another centre's participant) back into the page.
    return render(request, "refused.html", body | {"language_next": "/"}, status=status_for(error))


def refusing(view: View) -> View:
    """An error the user can cause becomes a refusal page (no sign-in needed: public pages)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except ExoncError as error:
            return refusal(request, error)

    return wrapped


def refusals(view: View) -> View:
    """Signed-in users only; an error the user can cause becomes a refusal page."""
    return login_required(refusing(view))


# ------------------------------------------------------------------ forms

ISO_DATE = "%Y-%m-%d"  # what <input type="date"> sends and shows, in every language


def date_field(**extra: Any) -> forms.DateField:
    """A date as the browser's date picker gives it. Its value is always written ISO
    (``2026-12-07``): a localised ``07/12/2026`` leaves a date input empty, and the
    browser then refuses to submit the form."""
    widget = forms.DateInput(attrs={"type": "date"}, format=ISO_DATE)
    return forms.DateField(widget=widget, input_formats=[ISO_DATE], **extra)


def is_htmx(request: HttpRequest) -> bool:
    """A request htmx made (the page stays; the server answers with a part or a redirect)."""
    return request.headers.get("HX-Request") == "true"


def done(request: HttpRequest, message: str, to: str) -> HttpResponse:
    """After a successful form: a message for the next page, and the way there."""
    messages.success(request, message)
    return HttpResponseClientRedirect(to) if is_htmx(request) else redirect(to)


def plain(error: InputError, label: str = "") -> str:
    """An input error as a sentence for the person at the form (no key or value codes)."""
    problem = error.problem
    column = error.column or error.key or ""
    if column and problem.startswith(f"{column} "):
        problem = problem[len(column) + 1 :]
    text = f"{label}: {problem}" if label else problem[:1].upper() + problem[1:]
    if error.file:  # e.g. the rule table a pasted TOML text is read as
        text = f"{error.file}: {text}"
    if error.hint:
        text = f"{text}. {error.hint[:1].upper()}{error.hint[1:]}"
    return text if text.endswith(".") else f"{text}."


def message(error: ExoncError) -> str:
    """*error* for a page that shows it above its form: what, which value, what to do."""
    if not isinstance(error, InputError):
        return str(error)
    label = (error.column or error.key or "").replace("_", " ")
    value = f" ({error.value})" if error.value is not None else ""
    return plain(error, label[:1].upper() + label[1:] + value) if label else plain(error)


def form_error(form: forms.Form, error: ExoncError) -> None:
    """Show *error* on *form*: under the field it names, or above the form."""
    column = (error.column or error.key) if isinstance(error, InputError) else None
    if isinstance(error, InputError) and column in form.fields:
        form.add_error(column, plain(error))
    else:
        form.add_error(None, message(error))


def form_page(
    request: HttpRequest,
    form: forms.Form,
    template: str,
    run: Callable[[dict[str, Any]], object],
    *,
    success: tuple[str, str | Callable[[Any], str]],
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """A page with one form: on a valid POST call *run*; a refusal shows on the form.

    *success* is the message and the address to go to when *run* succeeded (or a function
    of what *run* returned that gives the address). A role or
    centre refusal (:class:`AccessDenied`) is not a form error: it reaches
    :func:`refusals`.
    """
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                result = run(form.cleaned_data)
            except AccessDenied:
                raise
            except ExoncError as error:
                form_error(form, error)
                status = status_for(error)
            else:
                message, to = success
                return done(request, message, to if isinstance(to, str) else to(result))
    return render(request, template, {"form": form, **(context or {})}, status=status)
