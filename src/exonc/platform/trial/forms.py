"""HTML forms of the trial pages. They parse types only; every rule is the services' (so a
form, the API and an import refuse the same input with the same message)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from exonc.platform.trial.models import Centre, LineOfTreatment, Sex, WithdrawalKind
from exonc.platform.trial.protocols import active_protocol
from exonc.platform.web import date_field
from exonc.protocol import Answer

UNKNOWN_YES_NO = [("", _("not known")), ("yes", _("yes")), ("no", _("no"))]


def tri_state(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def tri_state_initial(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def site_choices() -> list[tuple[str, str]]:
    return [(s, s.replace("_", " ")) for s in active_protocol().metastatic_sites]


class BaselineForm(forms.Form):
    """The baseline fields a coordinator records at enrolment and corrects later."""

    birth_year = forms.IntegerField(label=_("Birth year"), help_text=_("four digits, e.g. 1968"))
    line_of_treatment = forms.ChoiceField(
        label=_("Line of treatment"),
        choices=[("", _("not recorded yet")), *LineOfTreatment.choices],
        required=False,
        help_text=_("a stratification factor: needed before randomisation"),
    )
    metastatic_sites = forms.MultipleChoiceField(
        label=_("Metastatic sites"),
        choices=site_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    bone_metastases = forms.ChoiceField(
        label=_("Bone metastases"), choices=UNKNOWN_YES_NO, required=False
    )
    ecog = forms.TypedChoiceField(
        label=_("ECOG performance status"),
        choices=[("", _("not recorded")), *((str(i), str(i)) for i in range(6))],
        coerce=int,
        empty_value=None,
        required=False,
    )
    baseline_pain = forms.ChoiceField(
        label=_("Pain at baseline"), choices=UNKNOWN_YES_NO, required=False
    )


def baseline_values(cleaned: Mapping[str, Any]) -> dict[str, Any]:
    """The cleaned baseline fields as the services take them."""
    return {
        "birth_year": cleaned["birth_year"],
        "line_of_treatment": cleaned["line_of_treatment"],
        "metastatic_sites": list(cleaned["metastatic_sites"]),
        "bone_metastases": tri_state(cleaned["bone_metastases"]),
        "ecog": cleaned["ecog"],
        "baseline_pain": tri_state(cleaned["baseline_pain"]),
    }


class EnrolmentForm(BaselineForm):
    centre = forms.ChoiceField(label=_("Centre"))
    study_id = forms.CharField(
        label=_("Study ID"),
        required=False,
        max_length=30,
        help_text=_("leave empty to number her by the protocol's pattern"),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.FEMALE)

    field_order = ("centre", "study_id", "birth_year", "sex")

    def __init__(self, *args: Any, centres: Iterable[Centre], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(c.code, f"{c.code} — {c.name}") for c in centres]
        self.fields["centre"].choices = choices  # type: ignore[attr-defined]
        if len(choices) == 1:
            self.fields["centre"].initial = choices[0][0]


class CorrectionForm(BaselineForm):
    reason = forms.CharField(
        label=_("Reason for the change"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("kept in the audit trail, e.g. 'oncologist's letter of 3 May'"),
    )


class ScreeningForm(forms.Form):
    """One answer and one reason per eligibility criterion of the protocol."""

    screened_on = date_field(label=_("Screened on"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        answers = [(a.value, _(a.value)) for a in Answer]
        for criterion in active_protocol().eligibility:
            self.fields[f"answer_{criterion.id}"] = forms.ChoiceField(
                label=f"{criterion.id} ({criterion.kind}): {criterion.text}",
                choices=answers,
                widget=forms.RadioSelect,
            )
            self.fields[f"reason_{criterion.id}"] = forms.CharField(
                label=_("Source or reason"), required=False
            )

    def criteria(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """(answer, reason) pairs, one per criterion, for the template."""
        return [
            (self[f"answer_{c.id}"], self[f"reason_{c.id}"]) for c in active_protocol().eligibility
        ]

    def answers(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {
            c.id: (data[f"answer_{c.id}"], data.get(f"reason_{c.id}", ""))
            for c in active_protocol().eligibility
        }


class ConsentForm(forms.Form):
    consented_on = date_field(label=_("Consent signed on"))
    consent_version = forms.CharField(
        label=_("Consent form version"),
        max_length=30,
        help_text=_("the version printed on the signed form; a re-consent names the new one"),
    )


class VisitOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("completed", _("Done")), ("missed", _("Did not take place"))],
        widget=forms.RadioSelect,
    )
    completed_on = date_field(label=_("Done on"), required=False)
    missed_reason = forms.CharField(
        label=_("Why it did not take place"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason = forms.CharField(
        label=_("Reason for changing a recorded outcome"),
        required=False,
        help_text=_("only when the visit's outcome was already recorded"),
    )


class WithdrawalForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Withdrawal"), choices=WithdrawalKind.choices, widget=forms.RadioSelect
    )
    withdrawn_on = date_field(label=_("Date"))
    reason = forms.CharField(
        label=_("Details"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("what happened, in a sentence; kept in the audit trail"),
    )


class ListFilters(forms.Form):
    """Search, filters and sort of the participant and due-now lists (all optional)."""

    q = forms.CharField(label=_("Study ID"), required=False)
    centre = forms.ChoiceField(label=_("Centre"), required=False)
    arm = forms.ChoiceField(label=_("Arm"), required=False)
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    visit = forms.ChoiceField(label=_("Visit status"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False)
