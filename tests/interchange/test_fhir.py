"""FHIR R4: every resource validates with fhir.resources' models; the cached item
validation gives the same verdict as validating whole resources."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pandas as pd
import pytest
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pydantic import ValidationError

from exonc.interchange.crf import Forms
from exonc.interchange.exchange import export_fhir
from exonc.interchange.fhir.validation import (
    RESOURCE_TYPES,
    FhirInvalid,
    ResourceValidator,
    _resource_model,
)


@pytest.fixture(scope="module")
def folder(
    tables: dict[str, pd.DataFrame], forms: Forms, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    out = tmp_path_factory.mktemp("fhir")
    export_fhir(tables, forms, out)
    return out


def _read(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.mark.parametrize("kind", RESOURCE_TYPES)
def test_every_resource_validates_with_its_full_model(folder: Path, kind: str) -> None:
    resources = _read(folder / f"{kind}.ndjson")
    assert resources
    for resource in resources[:60]:  # whole-model validation is slow; the export validated all
        _resource_model(kind).model_validate(resource)


def test_steps_carry_loinc_41950_7(folder: Path) -> None:
    steps = [o for o in _read(folder / "Observation.ndjson") if str(o["id"]).endswith("-steps")]
    coding = steps[0]["code"]["coding"][0]  # type: ignore[index]
    assert (coding["system"], coding["code"]) == ("http://loinc.org", "41950-7")


def test_no_wording_without_a_text_pack(folder: Path) -> None:
    for questionnaire in _read(folder / "Questionnaire.ndjson"):
        for item in questionnaire["item"]:  # type: ignore[attr-defined]
            assert "text" not in item
            assert all("display" not in o["valueCoding"] for o in item.get("answerOption", []))


BREAKAGES = [
    ("authored", "03.01.2020"),
    ("status", None),
    ("subject", "Patient/x"),
    ("item.0.linkId", 5),
    ("item.1.answer.0.valueCoding.code", " "),
    ("item.2.answer", "1"),
    ("item.3.answer.0.valueInteger", "one"),
]


def _break(resource: dict[str, object], path: str, value: object) -> dict[str, object]:
    broken = copy.deepcopy(resource)
    parts = [int(p) if p.isdigit() else p for p in path.split(".")]
    target: object = broken
    for part in parts[:-1]:
        target = target[part]  # type: ignore[index]
    if value is None:
        del target[parts[-1]]  # type: ignore[arg-type,union-attr]
    else:
        target[parts[-1]] = value  # type: ignore[index]
    return broken


@pytest.mark.parametrize(("path", "value"), BREAKAGES)
def test_cached_validation_gives_the_full_models_verdict(
    folder: Path, path: str, value: object
) -> None:
    responses = _read(folder / "QuestionnaireResponse.ndjson")
    validator = ResourceValidator()
    for resource in responses[:20]:
        validator.validate(resource)  # warm the cache with valid items
    broken = _break(responses[0], path, value)
    with pytest.raises(ValidationError):
        QuestionnaireResponse.model_validate(broken)
    with pytest.raises(FhirInvalid):
        validator.validate(broken)


def test_wording_from_a_text_pack(tables: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    from exonc.interchange.crf import build_forms
    from exonc.protocol import load_protocol
    from exonc.questionnaires import placeholder_text_pack

    pack = placeholder_text_pack()
    export_fhir(tables, build_forms(load_protocol(), text_pack=pack), tmp_path)
    c30 = next(q for q in _read(tmp_path / "Questionnaire.ndjson") if q["id"] == "qlq-c30")
    first = c30["item"][0]  # type: ignore[index]
    assert first["text"] == pack.for_instrument("qlq-c30").item("q1").text
    assert first["answerOption"][0]["valueCoding"]["display"]
