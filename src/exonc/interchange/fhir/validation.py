"""Validating FHIR R4 resources with fhir.resources (its R4B models read R4 resources).

Every resource exonc writes or reads is validated by the model of its type. The models are
slow (fhir.resources runs Python validators on every element: about half a millisecond
for an Observation, several for a 30-item QuestionnaireResponse), so repeated identical
``item`` elements of Questionnaires and QuestionnaireResponses — the same question with
the same answer, thousands of times in a trial — are validated once: the resource is
validated without its items, and each distinct item by the item's own model. The models'
validators are local to each element, so the verdict is the same as validating the
whole resource (``tests/interchange/test_fhir.py`` checks this on valid and
broken resources).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import import_module
from typing import Any

from pydantic import BaseModel, ValidationError

__all__ = ["RESOURCE_TYPES", "FhirInvalid", "ResourceValidator"]

RESOURCE_TYPES = (
    "Patient",
    "ResearchStudy",
    "ResearchSubject",
    "Encounter",
    "Questionnaire",
    "QuestionnaireResponse",
    "Observation",
)
_ITEM_MODELS = {
    "Questionnaire": ("questionnaire", "QuestionnaireItem"),
    "QuestionnaireResponse": ("questionnaireresponse", "QuestionnaireResponseItem"),
}


class FhirInvalid(ValueError):
    """A resource its model refuses; ``element`` is the path of the first error."""

    def __init__(self, element: str, problem: str) -> None:
        self.element = element
        self.problem = problem
        super().__init__(f"{element}: {problem}")


@cache
def _model(module: str, name: str) -> type[BaseModel]:
    found: type[BaseModel] = getattr(import_module(f"fhir.resources.R4B.{module}"), name)
    return found


def _resource_model(resource_type: str) -> type[BaseModel]:
    return _model(resource_type.lower(), resource_type)


class ResourceValidator:
    """Validates resources, remembering the verdict on item elements it has seen."""

    def __init__(self) -> None:
        self._items: dict[tuple[str, str], str | None] = {}
        self._seen: dict[int, tuple[object, str | None]] = {}  # id -> (item kept alive, verdict)

    def validate(self, resource: Mapping[str, Any]) -> None:
        """Raise :class:`FhirInvalid` if *resource* is not a valid resource of its type."""
        resource_type = resource.get("resourceType")
        if resource_type not in RESOURCE_TYPES:
            raise FhirInvalid("resourceType", f"exonc reads {', '.join(RESOURCE_TYPES)}")
        items = resource.get("item") if resource_type in _ITEM_MODELS else None
        if isinstance(items, list) and all(isinstance(i, dict) for i in items):
            self._check_items(str(resource_type), items)
            resource = {k: v for k, v in resource.items() if k != "item"}
        _check(_resource_model(str(resource_type)), resource, "")

    def _check_items(self, resource_type: str, items: list[dict[str, Any]]) -> None:
        for number, item in enumerate(items):
            verdict = self._verdict(resource_type, item)
            if verdict is not None:
                element, problem = verdict.split("\t", 1)
                raise FhirInvalid(f"item[{number}]" + (f".{element}" if element else ""), problem)

    def _verdict(self, resource_type: str, item: dict[str, Any]) -> str | None:
        """None for a valid item, else its first error; an item object seen before (exonc's
        writer shares identical items) or an equal item is validated once. Items are keyed
        by their ``repr``, which tells apart every JSON value (``1``, ``"1"``, ``1.0``,
        ``True``); equal items written with their keys in another order are validated
        again, never confused."""
        seen = self._seen.get(id(item))
        if seen is not None and seen[0] is item:
            return seen[1]
        key = (resource_type, repr(item))
        if key not in self._items:
            try:
                _check(_model(*_ITEM_MODELS[resource_type]), item, "")
                self._items[key] = None
            except FhirInvalid as invalid:
                self._items[key] = f"{invalid.element}\t{invalid.problem}"
        self._seen[id(item)] = (item, self._items[key])
        return self._items[key]


def _check(model: type[BaseModel], data: Mapping[str, Any], prefix: str) -> None:
    try:
        model.model_validate(dict(data))
    except ValidationError as error:
        first = error.errors()[0]
        path = "".join(
            f"[{part}]" if isinstance(part, int) else f".{part}" for part in first["loc"]
        ).lstrip(".")
        raise FhirInvalid(prefix + path, first["msg"]) from None
