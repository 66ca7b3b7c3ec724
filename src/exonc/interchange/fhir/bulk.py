"""FHIR R4 Bulk Data: one NDJSON file per resource type, written from and read into exonc.

Written: ``Patient`` (pseudonymous: the study ID, sex and year of birth; no name),
``ResearchStudy`` (the protocol and its arms), ``ResearchSubject`` (arm, randomisation
date, status), ``Encounter`` (one per visit), ``Questionnaire`` (one per instrument),
``QuestionnaireResponse`` (one per completed questionnaire) and ``Observation`` (daily
steps and active minutes, :mod:`exonc.interchange.fhir.activity`). Every resource is
validated before it is written and when it is read. Read back: QuestionnaireResponses
become exonc's questionnaire tables (the visit comes from the response's Encounter, the
participant from its Patient's study ID).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from exonc.errors import InterchangeError
from exonc.interchange.casebook import Casebook, tables_from_casebook
from exonc.interchange.crf import END_OF_STUDY, Forms
from exonc.interchange.data_dir import write_files
from exonc.interchange.fhir.activity import activity_observations
from exonc.interchange.fhir.questionnaires import (
    answer_value,
    instrument_forms,
    questionnaire,
    questionnaire_url,
    response,
)
from exonc.interchange.fhir.validation import RESOURCE_TYPES, FhirInvalid, ResourceValidator
from exonc.interchange.report import InterchangeReport, interchange_report
from exonc.interchange.values import check_value

__all__ = ["STUDY_ID_SYSTEM", "fhir_resources", "read_fhir", "write_fhir"]

Resource = dict[str, Any]
STUDY_ID_SYSTEM = "urn:exonc:study-id"
VISIT_SYSTEM = "urn:exonc:visit"
SEX = {"F": "female", "M": "male"}
SUBJECT_STATUS = {
    "intervention": "follow-up",
    "follow-up": "off-study",
    "lost": "off-study",
    "death": "off-study",
    "consent": "withdrawn",
}


def fhir_resources(
    book: Casebook, tracker_days: pd.DataFrame | None = None
) -> dict[str, list[Resource]]:
    """Every resource of *book* (and of the daily tracker summaries), by type."""
    forms = book.forms
    study = _study(forms)
    resources: dict[str, list[Resource]] = {t: [] for t in RESOURCE_TYPES}
    resources["ResearchStudy"].append(study)
    questionnaires = instrument_forms(forms)
    worded = forms.wording is not None
    for form in questionnaires.values():
        resources["Questionnaire"].append(questionnaire(form, form.instrument or "", worded=worded))
    for participant, events in book.records.items():
        enrolment = events.get(forms.events[0].code, {}).get("enrolment", {})
        withdrawal = events.get(END_OF_STUDY, {}).get("withdrawal", {})
        resources["Patient"].append(_patient(participant, enrolment))
        resources["ResearchSubject"].append(
            _subject(participant, study["id"], enrolment, withdrawal)
        )
        for event, held in events.items():
            if event == END_OF_STUDY:
                continue
            encounter = _encounter(forms, participant, event, held.get("visit", {}))
            resources["Encounter"].append(encounter)
            for name, values in held.items():
                form = forms.form(name)
                if form.instrument is not None and values:
                    resources["QuestionnaireResponse"].append(
                        response(form, participant, event, values, encounter["id"])
                    )
    if tracker_days is not None:
        resources["Observation"] = list(activity_observations(tracker_days))
    return {kind: found for kind, found in resources.items() if found}


def _study(forms: Forms) -> Resource:
    arms = forms.form("enrolment").fields
    arm = next(f for f in arms if f.column == "arm")
    study: Resource = {
        "resourceType": "ResearchStudy",
        "id": forms.study.lower(),
        "title": forms.title,
        "status": "active",
        "arm": [{"name": c.value, "description": c.label} for c in arm.choices],
    }
    if forms.registration:
        study["identifier"] = [
            {"system": "https://clinicaltrials.gov", "value": forms.registration}
        ]
    return study


def _patient(participant: str, enrolment: Mapping[str, str]) -> Resource:
    patient: Resource = {
        "resourceType": "Patient",
        "id": participant,
        "identifier": [{"system": STUDY_ID_SYSTEM, "value": participant}],
    }
    if enrolment.get("sex") in SEX:
        patient["gender"] = SEX[enrolment["sex"]]
    if "birth_year" in enrolment:
        patient["birthDate"] = enrolment["birth_year"]
    return patient


def _subject(
    participant: str, study: str, enrolment: Mapping[str, str], withdrawal: Mapping[str, str]
) -> Resource:
    kind = withdrawal.get("withdrawal_kind")
    subject: Resource = {
        "resourceType": "ResearchSubject",
        "id": participant,
        "status": SUBJECT_STATUS.get(kind or "", "on-study"),
        "study": {"reference": f"ResearchStudy/{study}"},
        "individual": {"reference": f"Patient/{participant}"},
    }
    if "arm" in enrolment:
        subject["assignedArm"] = enrolment["arm"]
    period = {
        "start": enrolment.get("randomised_on"),
        "end": withdrawal.get("withdrawal_withdrawn_on"),
    }
    if any(period.values()):
        subject["period"] = {k: v for k, v in period.items() if v}
    return subject


def _encounter(forms: Forms, participant: str, event: str, visit: Mapping[str, str]) -> Resource:
    name = next(e.name for e in forms.events if e.code == event)
    done = visit.get("visit_completed_on")
    encounter: Resource = {
        "resourceType": "Encounter",
        "id": f"{participant}-{event}",
        "status": "finished" if done else "planned",
        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
        "type": [{"coding": [{"system": VISIT_SYSTEM, "code": event, "display": name}]}],
        "subject": {"reference": f"Patient/{participant}"},
    }
    start = done or visit.get("visit_due_date")
    if start:
        encounter["period"] = {"start": start}
    return encounter


def write_fhir(resources: Mapping[str, list[Resource]], out: Path) -> dict[str, int]:
    """Validate every resource and write ``<Type>.ndjson`` files into *out* (atomically)."""
    validator = ResourceValidator()
    for kind, found in resources.items():
        for number, resource in enumerate(found, start=1):
            _validate(validator, resource, f"{kind}.ndjson", number)

    def write(staging: Path) -> None:
        for kind, found in resources.items():
            with (staging / f"{kind}.ndjson").open("w", encoding="utf-8") as handle:
                handle.writelines(_line(resource) for resource in found)

    write_files(out, write)
    return {kind: len(found) for kind, found in resources.items()}


def _line(resource: Resource) -> str:
    return json.dumps(resource, ensure_ascii=False, separators=(",", ":")) + "\n"


def _validate(validator: ResourceValidator, resource: Resource, file: str, line: int) -> None:
    try:
        validator.validate(resource)
    except FhirInvalid as invalid:
        raise InterchangeError(
            invalid.problem,
            file=file,
            row=line,
            record=f"{resource.get('resourceType')}/{resource.get('id')}",
            element=invalid.element or None,
        ) from None


def read_fhir(folder: Path, forms: Forms) -> tuple[Casebook, InterchangeReport]:
    """QuestionnaireResponses of a Bulk Data folder as a casebook of questionnaire answers."""
    if not folder.is_dir():
        raise InterchangeError(
            "is not a folder", file=str(folder), hint="give a FHIR NDJSON folder"
        )
    validator = ResourceValidator()
    found = {
        kind: list(_resources(folder / f"{kind}.ndjson", kind, validator))
        for kind in RESOURCE_TYPES
    }
    for kind in ("Patient", "Encounter", "QuestionnaireResponse"):
        if not (folder / f"{kind}.ndjson").is_file():
            raise InterchangeError("missing", file=str(folder / f"{kind}.ndjson"))
    patients = {f"Patient/{p['id']}": _study_id(p, folder) for _n, p in found["Patient"]}
    visits = {f"Encounter/{e['id']}": _visit(e, folder, n) for n, e in found["Encounter"]}
    book = Casebook(forms)
    questionnaires = {
        questionnaire_url(name): form for name, form in instrument_forms(forms).items()
    }
    for number, resource in found["QuestionnaireResponse"]:
        _answers(book, resource, questionnaires, patients, visits, _Where(folder, number, resource))
    read = {kind: len(items) for kind, items in found.items() if items}
    return book, interchange_report(str(folder), "FHIR R4 NDJSON", read, tables_from_casebook(book))


def _resources(
    path: Path, kind: str, validator: ResourceValidator
) -> Iterator[tuple[int, Resource]]:
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                resource = json.loads(line)
            except ValueError as exc:
                raise InterchangeError(f"is not JSON ({exc})", file=str(path), row=number) from None
            if not isinstance(resource, dict) or resource.get("resourceType") != kind:
                raise InterchangeError(f"is not a {kind} resource", file=str(path), row=number)
            _validate(validator, resource, str(path), number)
            yield number, resource


def _study_id(patient: Resource, folder: Path) -> str:
    for identifier in patient.get("identifier", []):
        if identifier.get("system") == STUDY_ID_SYSTEM and identifier.get("value"):
            return str(identifier["value"])
    return str(patient["id"])


def _visit(encounter: Resource, folder: Path, number: int) -> str | None:
    for concept in encounter.get("type", []):
        for coding in concept.get("coding", []):
            if coding.get("system") == VISIT_SYSTEM:
                return str(coding.get("code"))
    return None


class _Where:
    def __init__(self, folder: Path, number: int, resource: Resource) -> None:
        self.file = str(folder / "QuestionnaireResponse.ndjson")
        self.row = number
        self.record = f"QuestionnaireResponse/{resource.get('id')}"

    def error(self, problem: str, **details: Any) -> InterchangeError:
        return InterchangeError(
            problem, file=self.file, row=self.row, record=self.record, **details
        )


def _answers(
    book: Casebook,
    resource: Resource,
    questionnaires: Mapping[str, Any],
    patients: Mapping[str, str],
    visits: Mapping[str, str | None],
    where: _Where,
) -> None:
    form = questionnaires.get(str(resource.get("questionnaire")))
    if form is None:
        raise where.error("answers a questionnaire exonc does not score", element="questionnaire",
                          value=resource.get("questionnaire"))  # fmt: skip
    participant = patients.get(str(resource.get("subject", {}).get("reference")))
    visit = visits.get(str(resource.get("encounter", {}).get("reference")))
    if participant is None or visit is None:
        raise where.error("its subject or encounter is not in Patient.ndjson / Encounter.ndjson",
                          element="subject" if participant is None else "encounter")  # fmt: skip
    if visit not in form.events:
        raise where.error(f"exonc does not collect {form.label} at {visit}", element="encounter")
    values = book.values(participant, visit, form.name)
    if resource.get("authored"):
        dated = next(f for f in form.fields if f.column == "completed_on")
        values[dated.name] = str(resource["authored"])[:10]
    fields = {f.column: f for f in form.fields}
    for number, item in enumerate(resource.get("item", [])):
        target = fields.get(str(item.get("linkId")))
        answers = item.get("answer", [])
        if target is None or target.column == "completed_on":
            raise where.error(
                f"{form.label} has no item {item.get('linkId')}", element=f"item[{number}]"
            )
        if len(answers) != 1:
            raise where.error("an item has exactly one answer", element=f"item[{number}].answer")
        value = answer_value(answers[0], str(form.instrument))
        try:
            values[target.name] = check_value(target, value if value is not None else "")
        except ValueError as problem:
            raise where.error(
                str(problem), element=f"item[{number}].answer[0]", value=value
            ) from None
