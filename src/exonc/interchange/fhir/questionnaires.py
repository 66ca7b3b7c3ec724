"""Questionnaires and QuestionnaireResponses: exonc's instruments and answers in FHIR R4.

A Questionnaire per instrument lists its items (``linkId`` = exonc's item code, coded in
``urn:exonc:item:<instrument>``) and answer options (``valueCoding`` in
``urn:exonc:answer:<instrument>``; the EQ VAS is an ``integer`` item). Item and option
wording come only from the text pack the caller passes — exonc ships none. A
QuestionnaireResponse per completed questionnaire holds the answers, its ``authored`` date
and the visit's Encounter.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from exonc.interchange.crf import Field, Form, Forms

__all__ = [
    "answer_value",
    "questionnaire",
    "questionnaire_url",
    "response",
    "response_id",
]

Resource = dict[str, Any]


def questionnaire_url(instrument: str) -> str:
    return f"urn:exonc:questionnaire:{instrument}"


def _answer_system(instrument: str) -> str:
    return f"urn:exonc:answer:{instrument}"


def questionnaire(form: Form, version: str, *, worded: bool) -> Resource:
    """The Questionnaire of *form*'s instrument (item text only when *worded*)."""
    instrument = str(form.instrument)
    items = [
        _item(instrument, target, worded)
        for target in form.fields
        if target.column != "completed_on"
    ]
    return {
        "resourceType": "Questionnaire",
        "id": instrument,
        "url": questionnaire_url(instrument),
        "version": version,
        "name": "".join(ch for ch in form.label.title() if ch.isalnum()),
        "title": form.label,
        "status": "active",
        "item": items,
    }


def _item(instrument: str, target: Field, worded: bool) -> Resource:
    item: Resource = {
        "linkId": target.column,
        "code": [{"system": f"urn:exonc:item:{instrument}", "code": target.column}],
    }
    if worded:
        item["text"] = target.label
    if target.kind == "integer":
        item["type"] = "integer"
        return item
    item["type"] = "choice"
    item["answerOption"] = [
        {"valueCoding": _coding(instrument, c.value, c.label if worded else None)}
        for c in target.choices
    ]
    return item


def _coding(instrument: str, code: str, display: str | None) -> Resource:
    coding = {"system": _answer_system(instrument), "code": code}
    if display is not None:
        coding["display"] = display
    return coding


def response_id(participant: str, event: str, instrument: str) -> str:
    return f"{participant}-{event}-{instrument}"


def response(
    form: Form, participant: str, event: str, values: Mapping[str, str], encounter: str
) -> Resource:
    """The QuestionnaireResponse of one completed questionnaire."""
    instrument = str(form.instrument)
    resource: Resource = {
        "resourceType": "QuestionnaireResponse",
        "id": response_id(participant, event, instrument),
        "questionnaire": questionnaire_url(instrument),
        "status": "completed",
        "subject": {"reference": f"Patient/{participant}"},
        "encounter": {"reference": f"Encounter/{encounter}"},
    }
    dated = next(f for f in form.fields if f.column == "completed_on")
    if dated.name in values:
        resource["authored"] = values[dated.name]
    resource["item"] = list(_answers(form, instrument, values))
    return resource


def _answers(form: Form, instrument: str, values: Mapping[str, str]) -> Iterator[Resource]:
    for target in form.fields:
        if target.column != "completed_on" and target.name in values:
            yield _answered(
                instrument, target.column, target.kind == "integer", values[target.name]
            )


@cache
def _answered(instrument: str, link: str, integer: bool, value: str) -> Resource:
    """One answered item; the same question with the same answer is one shared object
    (never modified), which the validator recognises without serialising it again."""
    answer = (
        {"valueInteger": int(value)}
        if integer
        else {"valueCoding": _coding(instrument, value, None)}
    )
    return {"linkId": link, "answer": [answer]}


def answer_value(answer: Mapping[str, Any], instrument: str) -> str | None:
    """The answer's value as exonc's text (None if it is neither exonc's coding nor an integer)."""
    if "valueInteger" in answer:
        return str(answer["valueInteger"])
    coding = answer.get("valueCoding")
    if isinstance(coding, dict) and coding.get("system") == _answer_system(instrument):
        code = coding.get("code")
        return str(code) if code is not None else None
    return None


def instrument_forms(forms: Forms) -> dict[str, Form]:
    """The questionnaire forms by instrument name."""
    return {str(f.instrument): f for f in forms.forms if f.instrument is not None}
