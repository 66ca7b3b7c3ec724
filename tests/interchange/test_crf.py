"""The description of the forms: built from the protocol, instruments and resource items."""

from __future__ import annotations

import pytest

from exonc.interchange.crf import END_OF_STUDY, Forms, build_forms
from exonc.protocol import load_protocol
from exonc.questionnaires import INSTRUMENTS, placeholder_text_pack


def test_every_instrument_item_is_a_field(forms: Forms) -> None:
    for name, instrument in INSTRUMENTS.items():
        form = next(f for f in forms.forms if f.instrument == name)
        assert [f.column for f in form.fields[1:]] == list(instrument.item_codes)


def test_field_names_are_unique_and_redcap_safe(forms: Forms) -> None:
    names = [f.name for f in forms.fields]
    assert len(names) == len(set(names))
    assert all(n == n.lower() and n[0].isalpha() for n in names)


def test_events_are_the_visits_and_the_end_of_study(forms: Forms) -> None:
    assert [e.code for e in forms.events] == [
        *(v.code for v in load_protocol().visits), END_OF_STUDY,
    ]  # fmt: skip
    assert forms.form("withdrawal").events == (END_OF_STUDY,)
    assert "baseline" not in forms.form("resource_use").events


@pytest.mark.parametrize(
    ("column", "codes"),
    [("arm", ["exercise", "control"]), ("centre", [str(n) for n in range(1, 9)])],
)
def test_codes_are_values_or_positions(forms: Forms, column: str, codes: list[str]) -> None:
    field = next(f for f in forms.form("enrolment").fields if f.column == column)
    assert [c.code for c in field.choices] == codes


def test_hads_options_follow_the_printed_order(forms: Forms) -> None:
    q1 = next(f for f in forms.form("hads").fields if f.column == "q1")
    assert [c.value for c in q1.choices] == ["3", "2", "1", "0"]  # the form prints 3 first


def test_wording_comes_only_from_the_text_pack(forms: Forms) -> None:
    pack = placeholder_text_pack()
    worded = build_forms(load_protocol(), text_pack=pack)
    q1 = next(f for f in worded.form("qlq_c30").fields if f.column == "q1")
    text = pack.for_instrument("qlq-c30").item("q1")
    assert q1.label == text.text
    assert [c.label for c in q1.choices] == [label for _, label in text.options]
    bare = next(f for f in forms.form("qlq_c30").fields if f.column == "q1")
    assert bare.label == f"{INSTRUMENTS['qlq-c30'].title} item q1"
    assert [c.label for c in bare.choices] == ["1", "2", "3", "4"]
