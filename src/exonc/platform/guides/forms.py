"""The forms of the guide pages: a clinician's approval and a centre's upload."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ApprovalForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    content = forms.CharField(widget=forms.HiddenInput, max_length=64)
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example what you checked, or what a future version should change."),
    )


class AttachmentForm(forms.Form):
    centre = forms.ChoiceField(label=_("Centre"))
    file = forms.FileField(
        label=_("Photo or video"),
        help_text=_(
            "A photo (JPEG, PNG or WebP, up to 15 MB) or a video (MP4, MOV or WebM, up to 200 MB)."
        ),
    )
    caption = forms.CharField(
        label=_("What it shows"),
        max_length=300,
        help_text=_("One sentence; patients who cannot see the picture read this instead."),
    )

    def __init__(self, *args: object, centres: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["centre"].choices = centres  # type: ignore[attr-defined]
