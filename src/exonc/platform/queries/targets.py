"""The recorded values a query can be about: each record of a participant and its fields.

A record is named by its kind (:class:`~exonc.platform.queries.models.Target`) and its id;
its fields map to their current values as text, which is what a query quotes when it is
opened and what the query page shows beside the thread.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.utils.translation import gettext as _

from exonc.errors import InputError
from exonc.platform.exercise.models import FitnessTest, SessionLog
from exonc.platform.outcomes.models import QuestionnaireResponse
from exonc.platform.queries.models import Target
from exonc.platform.trial.models import Participant, Visit
from exonc.platform.trial.services import EDITABLE

BASELINE_FIELDS = ("sex", *EDITABLE)
VISIT_FIELDS = ("completed_on", "missed_reason")
SESSION_FIELDS = ("date", "attendance", "missed_reason", "aerobic", "resistance", "balance")


@dataclass(frozen=True)
class QueryableRecord:
    target: str
    object_id: int | None
    label: str
    fields: dict[str, str]

    @property
    def key(self) -> str:
        """``target:id``, the value of the record chooser on the query form."""
        return f"{self.target}:{self.object_id or 0}"


def text(value: object) -> str:
    """A stored value as a person reads it on a query."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _fields(obj: object, names: tuple[str, ...]) -> dict[str, str]:
    return {name: text(getattr(obj, name)) for name in names}


def baseline(p: Participant) -> QueryableRecord:
    return QueryableRecord(Target.PARTICIPANT, None, _("Baseline"), _fields(p, BASELINE_FIELDS))


def visit(v: Visit) -> QueryableRecord:
    label = _("Visit %(code)s") % {"code": v.code}
    return QueryableRecord(Target.VISIT, v.pk, label, _fields(v, VISIT_FIELDS))


def questionnaire(r: QuestionnaireResponse) -> QueryableRecord:
    label = _("%(instrument)s at %(visit)s") % {"instrument": r.instrument, "visit": r.visit.code}
    fields = {"answered_on": text(r.answered_on)}
    fields.update({item: text(answer) for item, answer in r.answers.items()})
    return QueryableRecord(Target.QUESTIONNAIRE, r.pk, label, fields)


def fitness_test(t: FitnessTest) -> QueryableRecord:
    label = _("%(kind)s test of %(date)s") % {
        "kind": t.kind.replace("_", " "),
        "date": t.tested_on.isoformat(),
    }
    fields = {"tested_on": text(t.tested_on), "tester": text(t.tester)}
    fields.update({name: text(value) for name, value in t.values.items()})
    return QueryableRecord(Target.FITNESS_TEST, t.pk, label, fields)


def session(s: SessionLog) -> QueryableRecord:
    label = _("%(setting)s session of %(date)s") % {"setting": s.setting, "date": s.date}
    return QueryableRecord(Target.SESSION, s.pk, label, _fields(s, SESSION_FIELDS))


def records_of(p: Participant) -> list[QueryableRecord]:
    """Every record of *p* a query can be about, baseline first."""
    responses = QuestionnaireResponse.objects.filter(visit__participant=p).select_related("visit")
    return [
        baseline(p),
        *(visit(v) for v in p.visits.order_by("due_date")),
        *(questionnaire(r) for r in responses.order_by("visit__due_date", "instrument")),
        *(fitness_test(t) for t in p.fitness_tests.order_by("tested_on", "id")),
        *(session(s) for s in p.session_logs.order_by("date", "setting")),
    ]


def find(p: Participant, target: str, object_id: int | None) -> QueryableRecord:
    """The record *target*/*object_id* of *p*; InputError when it is not hers."""
    if target == Target.PARTICIPANT:
        return baseline(p)
    pk = object_id or 0
    loaders = {
        Target.VISIT: lambda: visit(p.visits.get(pk=pk)),
        Target.QUESTIONNAIRE: lambda: questionnaire(
            QuestionnaireResponse.objects.select_related("visit").get(pk=pk, visit__participant=p)
        ),
        Target.FITNESS_TEST: lambda: fitness_test(p.fitness_tests.get(pk=pk)),
        Target.SESSION: lambda: session(p.session_logs.get(pk=pk)),
    }
    loader = loaders.get(Target(target)) if target in Target.values else None
    if loader is None:
        raise InputError("is not a kind of record a query can be about", column="record")
    try:
        return loader()
    except (
        Visit.DoesNotExist,
        QuestionnaireResponse.DoesNotExist,
        FitnessTest.DoesNotExist,
        SessionLog.DoesNotExist,
    ):
        raise InputError(
            f"is not a record of {p.study_id}", column="record", value=f"{target}:{object_id}"
        ) from None
