"""Loading the synthetic trial's questionnaires into the demo database.

Every answer set of the synthetic tables ``qlq_c30``, ``qlq_fa12``, ``eq5d5l`` and
``hads`` becomes a submitted response (mode ``import``, entered by the demo loader on the
patient's behalf, answered on the visit's date), scored with the engine table by table
(EQ-5D-5L with each centre country's value set) and bulk-inserted with history rows
("synthetic demo data"). The questionnaires of visits whose window is open today are
left out for participants with a patient login, so that the demo patient has
questionnaires to answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from exonc._data import each_row
from exonc.platform.accounts.models import User
from exonc.platform.outcomes.models import Entry, Mode, QuestionnaireResponse, Status
from exonc.platform.outcomes.schedule import window_open
from exonc.platform.outcomes.scoring import value_set_for
from exonc.platform.trial.models import ProtocolVersion, Visit
from exonc.platform.trial.protocols import protocol_version
from exonc.platform.trial.services import local_today
from exonc.questionnaires import get_instrument, score_table
from exonc.synthetic import SyntheticTrial

REASON = "synthetic demo data"
#: exonc instrument → synthetic table (``docs/concepts/synthetic.md``)
TABLES = {"qlq-c30": "qlq_c30", "qlq-fa12": "qlq_fa12", "eq-5d-5l": "eq5d5l", "hads": "hads"}
ANSWERED_AT = dt.time(10, 0)  # the local time a demo answer set is dated

VisitKey = tuple[str, str]


def load_questionnaires(trial: SyntheticTrial, loader: User) -> None:
    """Insert the trial's answer sets as submitted, scored responses (see the module doc)."""
    visits = {
        (v.participant.study_id, v.code): v
        for v in Visit.objects.select_related("participant__centre", "participant__user")
    }
    keys = set(visits) - _left_open(visits.values(), timezone.now())
    rows = scored_responses(trial.tables, {k: v for k, v in visits.items() if k in keys}, loader)
    bulk_create_with_history(
        rows,
        QuestionnaireResponse,
        batch_size=500,
        default_user=loader,
        default_change_reason=REASON,
    )


def scored_responses(
    tables: Mapping[str, pd.DataFrame], visits: dict[VisitKey, Visit], loader: User
) -> list[QuestionnaireResponse]:
    """The answer sets of the questionnaire *tables* (rows of *visits* only) as submitted
    responses, scored with the engine (EQ-5D-5L with each centre country's value set)."""
    version = protocol_version()
    rows: list[QuestionnaireResponse] = []
    for instrument, table in TABLES.items():
        if table not in tables:
            continue
        frame = tables[table]
        known = [
            (pid, code) in visits
            for pid, code in zip(frame["participant_id"], frame["visit"], strict=True)
        ]
        rows.extend(_responses(instrument, frame[known], visits, version, loader))
    return rows


def _left_open(visits: Iterable[Visit], now: dt.datetime) -> set[VisitKey]:
    """Visits with an open window today of participants who have a patient login."""
    return {
        (v.participant.study_id, v.code)
        for v in visits
        if v.participant.user_id is not None
        and window_open(v, local_today(v.participant.centre, now))
    }


def _responses(
    instrument: str,
    frame: pd.DataFrame,
    visits: dict[VisitKey, Visit],
    version: ProtocolVersion,
    loader: User,
) -> Iterator[QuestionnaireResponse]:
    """Score *frame* per value set (one group unless EQ-5D-5L) and build the responses."""
    country = {pid: v.participant.centre.country for (pid, _), v in visits.items()}
    value_sets = frame["participant_id"].map(
        lambda pid: value_set_for(instrument, country[pid]) or ""
    )
    for value_set, group in frame.groupby(value_sets, sort=False):
        yield from _scored_group(instrument, group, str(value_set), visits, version, loader)


def _scored_group(
    instrument: str,
    group: pd.DataFrame,
    value_set: str,
    visits: dict[VisitKey, Visit],
    version: ProtocolVersion,
    loader: User,
) -> Iterator[QuestionnaireResponse]:
    definition = get_instrument(instrument)
    items = [c for c in definition.item_codes if c in group.columns]
    if definition.needs_value_set and not value_set:
        scores = pd.DataFrame({c: [None] * len(group) for c in definition.score_codes})
    else:
        scored = score_table(instrument, group[items], value_set or None)
        scores = scored.frame[list(definition.score_codes)]
    for row, score_row in zip(each_row(group), each_row(scores), strict=True):
        visit = visits[(row.participant_id, row.visit)]
        answered = _answered_at(row.completed_on, visit)
        yield QuestionnaireResponse(
            visit=visit,
            protocol_version=version,
            instrument=instrument,
            instrument_version=definition.version,
            answers={code: _answer(getattr(row, code)) for code in items},
            status=Status.SUBMITTED,
            entry=Entry.STAFF,
            mode=Mode.IMPORT,
            entered_by=loader,
            started_at=answered,
            last_saved_at=answered,
            submitted_at=answered,
            answered_on=row.completed_on,
            value_set=value_set,
            scores={c: _score(v) for c, v in zip(definition.score_codes, score_row, strict=True)},
            scoring_version=definition.scoring_version,
            scoring_id=definition.scoring_id,
            scored_at=answered,
        )


def _answered_at(day: dt.date, visit: Visit) -> dt.datetime:
    return dt.datetime.combine(
        day, ANSWERED_AT, tzinfo=ZoneInfo(visit.participant.centre.time_zone)
    )


def _answer(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _score(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)
