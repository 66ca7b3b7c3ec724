"""Exercise pages. Views parse the request, call one function, render (or give JSON)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exonc import exercise as ex
from exonc.errors import AccessDenied, ExerciseInputError, ExoncError
from exonc.platform import access
from exonc.platform.accounts.models import Role
from exonc.platform.exercise import config, convert, forms, plans, services
from exonc.platform.exercise import safety_services as register
from exonc.platform.exercise import session_services as sessions
from exonc.platform.exercise.adherence import adherence_of
from exonc.platform.exercise.models import Lesion, Notification, SymptomFlag
from exonc.platform.exercise.patient import patient_today
from exonc.platform.exercise.record import STAFF, exercise_record
from exonc.platform.exercise.worklist import exercise_home
from exonc.platform.trial.models import Centre, Participant
from exonc.platform.trial.services import local_today
from exonc.platform.web import form_error, page, refusals, status_for, user_of
from exonc.results import jsonable

View = Callable[..., HttpResponse]


def _participant(request: HttpRequest, study_id: str) -> Participant:
    visible = access.scope(Participant.objects.select_related("centre"), user_of(request))
    return get_object_or_404(visible, study_id=study_id)


def _day(request: HttpRequest, participant: Participant) -> dt.date:
    value = request.GET.get("date") or request.POST.get("date")
    if not value:
        return local_today(participant.centre, timezone.now())
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ExerciseInputError("is not a date", column="date", value=value) from None


def _setting(request: HttpRequest) -> ex.Setting:
    value = request.GET.get("setting") or request.POST.get("setting") or "supervised"
    return convert.member(ex.Setting, value, "setting")


@login_required
@refusals
def home(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if user.role == Role.PATIENT:
        return redirect("exercise:today")
    return page(request, "exercise/home.html", exercise_home(user, timezone.now()))


@login_required
@refusals
def today(request: HttpRequest) -> HttpResponse:
    return page(
        request, "exercise/patient_today.html", patient_today(user_of(request), timezone.now())
    )


@login_required
@refusals
def participant(request: HttpRequest, study_id: str) -> HttpResponse:
    found = _participant(request, study_id)
    record = exercise_record(user_of(request), found, timezone.now())
    return page(request, "exercise/participant.html", record)


@login_required
@refusals
def plan(request: HttpRequest, study_id: str) -> HttpResponse:
    found = _participant(request, study_id)
    data = plans.plan_page(user_of(request), found, _day(request, found), _setting(request))
    return page(request, "exercise/plan.html", data)


@login_required
@refusals
def log(request: HttpRequest, study_id: str) -> HttpResponse:
    """The fast logging form (GET) and its submission (POST)."""
    found = _participant(request, study_id)
    day, setting = _day(request, found), _setting(request)
    data = plans.plan_page(user_of(request), found, day, setting)
    if request.method != "POST":
        return page(request, "exercise/log.html", data, submitted={})
    try:
        entry = plans.entry_from_form(request.POST, day, setting.value)
        done = sessions.log_session(user_of(request), found, entry, today=_today(found))
    except ExoncError as error:
        context = {"data": data, "submitted": request.POST, "error": str(error)}
        return render(request, "exercise/log.html", context, status=status_for(error))
    messages.success(request, _logged_message(done))
    return redirect(reverse("exercise:participant", args=[study_id]))


def _today(p: Participant) -> dt.date:
    return local_today(p.centre, timezone.now())


def _logged_message(done: sessions.LoggedSession) -> str:
    text = _("Session of %(day)s logged (%(attendance)s).") % {
        "day": f"{done.log.date:%Y-%m-%d}",
        "attendance": done.log.attendance,
    }
    if done.flags:
        kinds = ", ".join(f.kind.replace("_", " ") for f in done.flags)
        who = ", ".join(done.notified) or _("no clinician at this centre")
        text += " " + _("Flag opened: %(kinds)s; notified: %(who)s; progression is held.") % {
            "kinds": kinds,
            "who": who,
        }
    if done.new_version is not None:
        text += " " + _("New prescription v%(version)s: %(reason)s.") % {
            "version": done.new_version.version,
            "reason": done.new_version.reason,
        }
    return text


@dataclass(frozen=True)
class AdherencePage:
    level: str
    levels: list[str]
    rows: list[dict[str, Any]]


@login_required
@refusals
def adherence(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    access.require_role(user, *STAFF)
    level = request.GET.get("level", "participant")
    table = adherence_of(access.scope(Participant.objects.all(), user)).table
    levels = ["participant", "participant_phase", "centre", "phase", "all"]
    rows = jsonable(table[table["level"] == level])  # NaN (no denominator) → None
    return page(request, "exercise/adherence.html", AdherencePage(level, levels, rows))


# ------------------------------------------------------------------ small forms


def _form_page(
    request: HttpRequest,
    form_class: type[django_forms.Form],
    title: str,
    back: str,
    run: Callable[[dict[str, Any]], object],
    done: str,
    today: dt.date,
    initial: dict[str, Any] | None = None,
) -> HttpResponse:
    """A one-form page: on a valid POST call *run*; a refusal shows on the form."""
    initial = {**forms.today_initial(form_class, today), **(initial or {})}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            run(form.cleaned_data)
        except AccessDenied:
            raise
        except ExoncError as error:
            form_error(form, error)  # in the user's words, under the field it names
            status = status_for(error)
        else:
            messages.success(request, done)
            return redirect(back)
    else:
        status = 400 if form.errors else 200
    context = {"form": form, "title": title, "back": back}
    return render(request, "exercise/form.html", context, status=status)


def _back(study_id: str) -> str:
    return reverse("exercise:participant", args=[study_id])


@login_required
@refusals
def start(request: HttpRequest, study_id: str) -> HttpResponse:
    found, user = _participant(request, study_id), user_of(request)

    def run(d: dict[str, Any]) -> object:
        return services.start_programme(
            user, found, start_date=d["start_date"], height_cm=d["height_cm"], today=_today(found)
        )

    title = _("Start the programme of %(study_id)s") % {"study_id": study_id}
    return _form_page(
        request,
        forms.StartForm,
        title,
        _back(study_id),
        run,
        _("Programme started."),
        _today(found),
    )


@login_required
@refusals
def fitness_test(request: HttpRequest, study_id: str) -> HttpResponse:
    found, user = _participant(request, study_id), user_of(request)

    def run(d: dict[str, Any]) -> object:
        return services.record_test(
            user,
            found,
            kind=d["kind"],
            tested_on=d["tested_on"],
            tester=d["tester"],
            conditions=d["conditions"],
            values=forms.test_values(d),
            today=_today(found),
            confirm_reason=d["confirm_reason"],
        )

    title = _("Record a fitness test of %(study_id)s") % {"study_id": study_id}
    return _form_page(
        request,
        forms.FitnessTestForm,
        title,
        _back(study_id),
        run,
        _("Test recorded."),
        _today(found),
    )


@login_required
@refusals
def lesion(request: HttpRequest, study_id: str) -> HttpResponse:
    found, user = _participant(request, study_id), user_of(request)

    def run(d: dict[str, Any]) -> object:
        entry = convert.LesionEntry(**d)
        return register.record_lesion(user, found, entry, today=_today(found))

    title = _("Add a lesion to the register of %(study_id)s") % {"study_id": study_id}
    return _form_page(
        request, forms.LesionForm, title, _back(study_id), run, _("Lesion recorded."), _today(found)
    )


def _lesion(request: HttpRequest, pk: int) -> Lesion:
    rows = Lesion.objects.select_related("participant__centre")
    return get_object_or_404(access.scope(rows, user_of(request), "participant"), pk=pk)


@login_required
@refusals
def clear(request: HttpRequest, pk: int) -> HttpResponse:
    found, user = _lesion(request, pk), user_of(request)
    today = _today(found.participant)

    def run(d: dict[str, Any]) -> object:
        return register.clear_lesion(
            user, found, cleared_on=d["cleared_on"], note=d["note"], today=today
        )

    title = _("Clear lesion %(label)s (%(site)s) of %(study_id)s") % {
        "label": found.label,
        "site": found.site,
        "study_id": found.participant.study_id,
    }
    back = _back(found.participant.study_id)
    return _form_page(
        request, forms.ClearanceForm, title, back, run, _("Clearance recorded."), today
    )


@login_required
@refusals
def override(request: HttpRequest, pk: int) -> HttpResponse:
    found, user = _lesion(request, pk), user_of(request)
    today = _today(found.participant)

    def run(d: dict[str, Any]) -> object:
        return register.record_override(user, found, today=today, **d)

    title = _("Override a restriction of lesion %(label)s (%(site)s)") % {
        "label": found.label,
        "site": found.site,
    }
    back = _back(found.participant.study_id)
    return _form_page(request, forms.OverrideForm, title, back, run, _("Override recorded."), today)


@login_required
@refusals
def close_flag(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    rows = SymptomFlag.objects.select_related("participant__centre")
    found = get_object_or_404(access.scope(rows, user, "participant"), pk=pk)
    today = _today(found.participant)

    def run(d: dict[str, Any]) -> object:
        return sessions.close_flag(
            user, found, closed_on=d["closed_on"], reason=d["reason"], today=today
        )

    title = _("Close the %(symptom)s flag of %(study_id)s") % {
        "symptom": found.kind.replace("_", " "),
        "study_id": found.participant.study_id,
    }
    back = _back(found.participant.study_id)
    return _form_page(request, forms.CloseFlagForm, title, back, run, _("Flag closed."), today)


@login_required
@refusals
def adverse_event(request: HttpRequest, study_id: str) -> HttpResponse:
    found, user = _participant(request, study_id), user_of(request)

    def run(d: dict[str, Any]) -> object:
        entry = sessions.AdverseEventEntry(**d)
        return sessions.report_adverse_event(user, found, entry, today=_today(found))

    title = _("Report an adverse event of %(study_id)s") % {"study_id": study_id}
    return _form_page(
        request,
        forms.AdverseEventForm,
        title,
        _back(study_id),
        run,
        _("Adverse event reported."),
        _today(found),
    )


def _centre(request: HttpRequest, code: str) -> Centre:
    return get_object_or_404(access.visible_centres(user_of(request)), code=code)


@login_required
@refusals
def equipment(request: HttpRequest, code: str) -> HttpResponse:
    found, user = _centre(request, code), user_of(request)

    def run(d: dict[str, Any]) -> object:
        return services.configure_equipment(user, found, **d)

    stored = config.configuration(found)
    initial = _equipment_initial(stored) if stored else None
    today = local_today(found, timezone.now())
    back = reverse("exercise:home")
    title = _("Equipment of %(code)s") % {"code": code}
    return _form_page(request, forms.EquipmentForm, title, back, run, _("Saved."), today, initial)


def _equipment_initial(stored: Any) -> dict[str, Any]:
    def text(steps: dict[str, float]) -> str:
        return "; ".join(f"{k}={v:g}" for k, v in steps.items())

    return {
        "default_increment_kg": stored.default_increment_kg,
        "ergometer_increment_w": stored.ergometer_increment_w,
        "increments_kg": text(stored.increments_kg),
        "minimum_kg": text(stored.minimum_kg),
    }


@login_required
@refusals
def rules(request: HttpRequest, code: str) -> HttpResponse:
    found, user = _centre(request, code), user_of(request)

    def run(d: dict[str, Any]) -> object:
        return services.configure_rules(user, found, **d)

    stored = config.configuration(found)
    initial = None
    if stored is not None:
        initial = {"safety_rules": stored.safety_rules, "wpeak_equation": stored.wpeak_equation}
    title = _("Rule table and SRT→Wpeak equation of %(code)s") % {"code": code}
    today, back = local_today(found, timezone.now()), reverse("exercise:home")
    return _form_page(request, forms.RulesForm, title, back, run, _("Saved."), today, initial)


@login_required
@require_POST
@refusals
def read(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(Notification, pk=pk, recipient=user_of(request))
    sessions.mark_read(user_of(request), note)
    return redirect("exercise:home")
