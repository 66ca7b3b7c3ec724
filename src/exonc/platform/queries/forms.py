"""Forms of the query pages (types only; the services hold the rules)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from exonc.platform.queries.targets import QueryableRecord


class OpenQueryForm(forms.Form):
    """Raise a query: the record, the field of that record, the question."""

    record = forms.ChoiceField(label=_("Record"))
    field = forms.CharField(
        label=_("Field"), help_text=_("the name of the value, as listed beside the record")
    )
    question = forms.CharField(
        label=_("Question"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("what should be checked, e.g. 'ECOG 4 but walking 10,000 steps a day?'"),
    )

    def __init__(self, *args: Any, records: Sequence[QueryableRecord], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["record"].choices = [(r.key, r.label) for r in records]  # type: ignore[attr-defined]


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}))


class CorrectionForm(forms.Form):
    value = forms.CharField(
        label=_("Correct value"),
        required=False,
        help_text=_("dates as YYYY-MM-DD; yes/no; sites separated by commas"),
    )
    text = forms.CharField(
        label=_("What was wrong"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("kept with the correction in the value's audit trail"),
    )


class CloseForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
