"""The REDCap data dictionary: writing exonc's forms as one, and reading any project's.

REDCap's data dictionary is a CSV file with 18 columns (the header below, as REDCap's
"Download the current Data Dictionary" writes it; the API's ``content=metadata`` export
has the same columns under snake-case names, :data:`API_HEADER`). Choice fields list their
options as ``code, label | code, label``; text fields name their validation
(``integer``, ``number``, ``date_ymd``…) and its minimum and maximum.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

from exonc.errors import InterchangeError
from exonc.interchange.crf import Field, FieldKind, Forms

__all__ = [
    "API_HEADER",
    "DICTIONARY_HEADER",
    "RECORD_ID",
    "Dictionary",
    "DictionaryField",
    "dictionary_rows",
    "parse_dictionary",
]

DICTIONARY_HEADER = (
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
)
API_HEADER = (
    "field_name",
    "form_name",
    "section_header",
    "field_type",
    "field_label",
    "select_choices_or_calculations",
    "field_note",
    "text_validation_type_or_show_slider_number",
    "text_validation_min",
    "text_validation_max",
    "identifier",
    "branching_logic",
    "required_field",
    "custom_alignment",
    "question_number",
    "matrix_group_name",
    "matrix_ranking",
    "field_annotation",
)
RECORD_ID = "record_id"
CHOICE_TYPES = frozenset({"radio", "dropdown", "checkbox"})
_TYPES: dict[FieldKind, tuple[str, str]] = {
    "text": ("text", ""),
    "notes": ("notes", ""),
    "integer": ("text", "integer"),
    "number": ("text", "number"),
    "date": ("text", "date_ymd"),
    "choice": ("radio", ""),
    "multi": ("checkbox", ""),
    "yesno": ("yesno", ""),
}
_DROPDOWN_FROM = 6  # choice fields with more options than this are drop-down lists


def dictionary_rows(forms: Forms) -> Iterator[list[str]]:
    """The dictionary's rows (without header): the record ID, then every field."""
    first = forms.forms[0].name
    yield _row(RECORD_ID, first, "text", "Study ID (pseudonymous)")
    for field in forms.fields:
        field_type, validation = _TYPES[field.kind]
        if field_type == "radio" and len(field.choices) > _DROPDOWN_FROM:
            field_type = "dropdown"
        yield _row(
            field.name,
            field.form,
            field_type,
            field.label,
            choices=_choices(field),
            note=field.unit or "",
            validation=validation,
            low="" if field.minimum is None else str(field.minimum),
            high="" if field.maximum is None else str(field.maximum),
            required="y" if field.required else "",
        )


def _row(
    name: str,
    form: str,
    field_type: str,
    label: str,
    *,
    choices: str = "",
    note: str = "",
    validation: str = "",
    low: str = "",
    high: str = "",
    required: str = "",
) -> list[str]:
    row = [""] * len(DICTIONARY_HEADER)
    row[0:10] = [name, form, "", field_type, label, choices, note, validation, low, high]
    row[12] = required
    return row


def _choices(field: Field) -> str:
    return " | ".join(f"{c.code}, {_clean(c.label)}" for c in field.choices)


def _clean(label: str) -> str:
    """REDCap separates options with ``|``: a label cannot hold one."""
    return label.replace("|", "/").replace("\n", " ")


@dataclass(frozen=True)
class DictionaryField:
    """One variable of a REDCap project, as its dictionary declares it."""

    name: str
    form: str
    field_type: str
    label: str
    choices: tuple[tuple[str, str], ...]
    validation: str
    row: int

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.choices)


@dataclass(frozen=True)
class Dictionary:
    """A project's variables in dictionary order; the first is the record ID."""

    fields: tuple[DictionaryField, ...]
    file: str

    @cached_property
    def _by_name(self) -> dict[str, DictionaryField]:
        return {f.name: f for f in self.fields}

    @property
    def record_id(self) -> str:
        return self.fields[0].name

    @property
    def forms(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.form for f in self.fields))

    def get(self, name: str) -> DictionaryField | None:
        return self._by_name.get(name)


def parse_dictionary(
    header: Sequence[str], rows: Sequence[Sequence[str | None]], file: str
) -> Dictionary:
    """Read a data dictionary (REDCap's header or the API's snake-case one)."""
    if tuple(header) not in (DICTIONARY_HEADER, API_HEADER):
        raise InterchangeError(
            "is not a REDCap data dictionary",
            file=file,
            hint=f"its header has REDCap's 18 columns, from {DICTIONARY_HEADER[0]!r} "
            f"to {DICTIONARY_HEADER[-1]!r}",
        )
    fields = tuple(_field(row, n, file) for n, row in enumerate(rows, start=1))
    if not fields:
        raise InterchangeError("declares no field", file=file)
    seen: set[str] = set()
    for f in fields:
        if f.name in seen:
            raise InterchangeError(f"declares {f.name} twice", file=file, row=f.row)
        seen.add(f.name)
    return Dictionary(fields, file)


_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _field(row: Sequence[str | None], number: int, file: str) -> DictionaryField:
    cells = [cell or "" for cell in row]
    name, form, field_type = cells[0], cells[1], cells[3]
    if not _NAME.match(name) or not form or not field_type:
        raise InterchangeError(
            "needs a variable name (lower-case letters, digits, _), a form and a field type",
            file=file,
            row=number,
            value=name,
        )
    choices = _parse_choices(cells[5], file, number) if field_type in CHOICE_TYPES else ()
    return DictionaryField(name, form, field_type, cells[4], choices, cells[7], number)


def _parse_choices(text: str, file: str, number: int) -> tuple[tuple[str, str], ...]:
    choices = []
    for option in text.split("|"):
        code, comma, label = option.strip().partition(",")
        if not comma or not code.strip():
            raise InterchangeError(
                "choices must read 'code, label | code, label'",
                file=file,
                row=number,
                column=DICTIONARY_HEADER[5],
                value=option.strip(),
            )
        choices.append((code.strip(), label.strip()))
    return tuple(choices)
