"""HTML forms of the exercise pages. They only parse types; every rule is the services'
(so a form and the API refuse the same input with the same message)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from exonc import exercise as ex
from exonc.platform.exercise.convert import TEST_FIELDS
from exonc.platform.web import date_field


def _blank(kind: type[Any]) -> list[tuple[str, str]]:
    return [("", "—"), *((m.value, m.value.replace("_", " ")) for m in kind)]


def _date(**extra: Any) -> forms.DateField:
    return date_field(**extra)


class StartForm(forms.Form):
    start_date = _date(help_text=_("day 1 of programme week 1 (usually a Monday)"))
    height_cm = forms.FloatField(min_value=0, help_text=_("for the SRT→Wpeak equation"))


class FitnessTestForm(forms.Form):
    """A fitness test: the fields of the chosen kind are used, the others ignored."""

    kind = forms.ChoiceField(choices=[(k, k.replace("_", " ")) for k in TEST_FIELDS])
    tested_on = _date()
    tester = forms.CharField(required=False, help_text=_("empty: you"))
    conditions = forms.CharField(required=False)
    msec_w = forms.CharField(required=False, label=_("MSEC (W), Steep Ramp Test"))
    ramp = forms.CharField(required=False, label=_("ramp, e.g. 25 W per 10 s"))
    wpeak_w = forms.CharField(required=False, label=_("Wpeak (W), CPET"))
    vo2peak_ml_min = forms.CharField(required=False, label=_("VO2peak (mL/min), CPET"))
    exercise = forms.CharField(required=False, label=_("machine (multiple-RM), e.g. leg_press"))
    load_kg = forms.CharField(required=False, label=_("load (kg), multiple-RM"))
    reps = forms.CharField(required=False, label=_("repetitions (2–10), multiple-RM"))
    formula = forms.ChoiceField(required=False, choices=_blank(ex.OneRepMaxFormula))
    side = forms.ChoiceField(
        required=False, choices=[("", "—"), ("left", "left"), ("right", "right")]
    )
    trials_kg = forms.CharField(required=False, label=_("handgrip trials (kg), e.g. 24;26;25"))
    seconds = forms.CharField(required=False, label=_("seconds (stance, TUG)"))
    eyes_open = forms.BooleanField(required=False, initial=True)
    walking_aid = forms.CharField(required=False)
    confirm_reason = forms.CharField(
        required=False,
        label=_("Reason, if a big change since the last test is right"),
        help_text=_("asked only when the value moved far from the previous test"),
    )


def test_values(cleaned: Mapping[str, Any]) -> dict[str, Any]:
    """The entered fields of a :class:`FitnessTestForm` that belong to the chosen kind."""
    _, required, optional = TEST_FIELDS[cleaned["kind"]]
    names = [name for name, _ in required + optional]
    return {n: cleaned[n] for n in names if cleaned.get(n) not in (None, "") or n == "eyes_open"}


class LesionForm(forms.Form):
    label = forms.CharField(required=False, help_text=_("empty: the next free L1, L2, …"))
    site = forms.ChoiceField(choices=_blank(ex.Site)[1:])
    laterality = forms.ChoiceField(choices=_blank(ex.Laterality)[1:])
    lesion_type = forms.ChoiceField(choices=_blank(ex.LesionType)[1:])
    imaging_date = _date()
    mirels_site = forms.ChoiceField(required=False, choices=_blank(ex.MirelsSite))
    mirels_size = forms.ChoiceField(required=False, choices=_blank(ex.MirelsSize))
    mirels_pain = forms.ChoiceField(required=False, choices=_blank(ex.MirelsPain))
    sins_level = forms.CharField(required=False, help_text=_("e.g. T7"))
    sins_pain = forms.ChoiceField(required=False, choices=_blank(ex.SinsPain))
    sins_alignment = forms.ChoiceField(required=False, choices=_blank(ex.SinsAlignment))
    sins_collapse = forms.ChoiceField(required=False, choices=_blank(ex.SinsCollapse))
    sins_posterolateral = forms.ChoiceField(required=False, choices=_blank(ex.SinsPosterolateral))


class ClearanceForm(forms.Form):
    cleared_on = _date()
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class OverrideForm(forms.Form):
    exercise = forms.CharField(help_text=_("the exercise allowed, e.g. seated_row"))
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    starts_on = _date()
    until = _date(required=False)


class CloseFlagForm(forms.Form):
    closed_on = _date()
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AdverseEventForm(forms.Form):
    onset = _date()
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    grade = forms.TypedChoiceField(
        coerce=int,
        choices=list(enumerate(("mild", "moderate", "severe", "life-threatening", "death"), 1)),
    )
    serious = forms.BooleanField(required=False)
    relatedness = forms.ChoiceField(choices=_blank(ex.Relatedness)[1:])
    outcome = forms.ChoiceField(choices=_blank(ex.AdverseEventOutcome)[1:])
    session_date = _date(required=False)


def _steps(text: str) -> dict[str, float]:
    """``leg_press=5; chest_press=2.5`` → a machine → kg mapping."""
    steps = {}
    for part in filter(None, (p.strip() for p in text.replace("\n", ";").split(";"))):
        name, _, value = part.partition("=")
        try:
            steps[name.strip()] = float(value)
        except ValueError:
            raise forms.ValidationError(f"{part!r} is not machine=kg") from None
    return steps


class EquipmentForm(forms.Form):
    default_increment_kg = forms.FloatField(initial=2.5, help_text=_("load step of most machines"))
    ergometer_increment_w = forms.FloatField(initial=5.0, help_text=_("watt step of the ergometer"))
    increments_kg = forms.CharField(
        required=False, help_text=_("machines with another step, e.g. leg_press=5; cable=1.25")
    )
    minimum_kg = forms.CharField(
        required=False, help_text=_("lightest settings, e.g. leg_press=10 (default: one step)")
    )
    reason = forms.CharField(required=False, help_text=_("needed when changing it"))

    def clean_increments_kg(self) -> dict[str, float]:
        return _steps(self.cleaned_data["increments_kg"])

    def clean_minimum_kg(self) -> dict[str, float]:
        return _steps(self.cleaned_data["minimum_kg"])


class RulesForm(forms.Form):
    safety_rules = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("a reviewed rule table (TOML); empty: the shipped table"),
    )
    wpeak_equation = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("an SRT→Wpeak equation file (TOML); empty: Wpeak only from a CPET"),
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


def today_initial(form: type[forms.Form], today: dt.date) -> dict[str, Any]:
    """Initial values: every date field of *form* set to today."""
    return {
        name: today
        for name, f in form.base_fields.items()
        if isinstance(f, forms.DateField) and f.required
    }
