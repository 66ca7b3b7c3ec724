"""Recomputing stored scores from the stored raw answers.

By default every submitted response is scored again with the scoring version and value
set it records, which must give back exactly the stored scores (a check that nothing was
lost or altered). With ``latest=True`` responses are scored with the current scoring rules
and the centre country's current value set, after a scoring rule changed or a value set
was added; the new scores replace the old ones with a history row that keeps the old ones
and the reason. Only scores that differ are written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from exonc.errors import UnknownCentre
from exonc.platform import access, audit
from exonc.platform.accounts.models import Role, User
from exonc.platform.outcomes import scoring
from exonc.platform.outcomes.models import QuestionnaireResponse, Status
from exonc.platform.trial.models import Centre
from exonc.results import Result

RESCORING = (Role.COORDINATOR,)
_LISTED = 100  # changes listed in a report
_FIELDS = ["scores", "scoring_version", "scoring_id", "value_set", "scored_at"]


@dataclass(frozen=True)
class ScoreChange:
    """What rescoring changed in one response."""

    study_id: str
    visit: str
    instrument: str
    scoring_id: tuple[str, str]  # before, after
    value_set: tuple[str, str]
    scores: dict[str, tuple[float | None, float | None]]


@dataclass(frozen=True)
class RescoreReport(Result):
    """How many submitted responses were rescored, and what changed (first 100 listed)."""

    latest: bool
    dry_run: bool
    examined: int
    changed: int
    changes: tuple[ScoreChange, ...]

    @property
    def unchanged(self) -> int:
        return self.examined - self.changed

    def summary(self) -> pd.DataFrame:
        return pd.DataFrame(
            {"responses": [self.examined, self.unchanged, self.changed]},
            index=pd.Index(["examined", "unchanged", "changed"], name="rescored"),
        )


def rescore(
    user: User,
    *,
    reason: str,
    now: dt.datetime,
    latest: bool = False,
    instrument: str | None = None,
    centre: str | None = None,
    dry_run: bool = False,
) -> RescoreReport:
    """Score the submitted responses *user* may see again; write those that changed."""
    access.require_role(user, *RESCORING)
    if not dry_run:
        reason = audit.require_reason(reason, "stored scores")
    responses = _selected(user, instrument, centre)
    with transaction.atomic():
        changed: list[QuestionnaireResponse] = []
        changes: list[ScoreChange] = []
        examined = 0
        for response in responses.select_for_update(of=("self",)):
            examined += 1
            change = _rescored(response, latest=latest, now=now)
            if change is not None:
                changed.append(response)
                changes.append(change)
        if changed and not dry_run:
            bulk_update_with_history(
                changed,
                QuestionnaireResponse,
                _FIELDS,
                batch_size=500,
                default_user=user,
                default_change_reason=reason,
            )
    return RescoreReport(latest, dry_run, examined, len(changed), tuple(changes[:_LISTED]))


def _selected(
    user: User, instrument: str | None, centre: str | None
) -> QuerySet[QuestionnaireResponse]:
    submitted = QuestionnaireResponse.objects.filter(status=Status.SUBMITTED)
    responses = access.scope(submitted, user, participant="visit__participant")
    if instrument is not None:
        responses = responses.filter(instrument=instrument)
    if centre is not None:
        found = Centre.objects.filter(code=centre).first()
        if found is None:
            raise UnknownCentre(
                _("unknown centre %(centre)s; choose one of the trial's centres")
                % {"centre": repr(centre)}
            )
        access.require_centre(user, found)
        responses = responses.filter(visit__participant__centre=found)
    return responses.select_related("visit__participant__centre").order_by("pk")


def _rescored(
    response: QuestionnaireResponse, *, latest: bool, now: dt.datetime
) -> ScoreChange | None:
    """Score *response* again; update it in memory and describe the change, if any."""
    country = response.visit.participant.centre.country
    value_set = (
        scoring.value_set_for(response.instrument, country)
        if latest
        else (response.value_set or None)
    )
    scored = scoring.score(
        response.instrument,
        response.answers,
        value_set,
        scoring_version=None if latest else response.scoring_version,
    )
    before = dict(response.scores or {})
    same = (
        before == scored.scores
        and response.scoring_id == scored.scoring_id
        and response.value_set == scored.value_set
    )
    if same:
        return None
    change = ScoreChange(
        study_id=response.visit.participant.study_id,
        visit=response.visit.code,
        instrument=response.instrument,
        scoring_id=(response.scoring_id, scored.scoring_id),
        value_set=(response.value_set, scored.value_set),
        scores={
            code: (before.get(code), value)
            for code, value in scored.scores.items()
            if before.get(code) != value
        },
    )
    response.scores = scored.scores
    response.scoring_version = scored.scoring_version
    response.scoring_id = scored.scoring_id
    response.value_set = scored.value_set
    response.scored_at = now
    return change
