"""The platform's side of ``exonc.trackers``: the store, the rules and daily rows as frames.

The rules are the defaults of :class:`exonc.trackers.DailyRules` — a valid day has at
least 10 hours of wear, the goal is 30 active (moderate + vigorous) minutes a day, for
both arms — and of :class:`exonc.trackers.FlagRule` (two weeks, 8 valid days, the goal on
half of them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Final

import polars as pl
from django.conf import settings
from django.db.models import QuerySet

from exonc.platform.activity.models import DailyActivity
from exonc.platform.trial.models import Participant
from exonc.protocol import add_months
from exonc.trackers import DAILY_COLUMNS, DAILY_SCHEMA, DailyRules, FlagRule, MinuteStore

RULES: Final = DailyRules()
FLAGS: Final = FlagRule()
GOAL_MINUTES: Final = RULES.goal_minutes
VALID_DAY_MINUTES: Final = RULES.valid_day_minutes
#: The eleven daily columns without the participant and the date.
METRICS: Final = DAILY_COLUMNS[2:]
#: Formats whose files name the participant themselves; the others are given her id.
NAMING_FORMATS: Final = frozenset({"fitabase", "csv"})
#: Trackers are worn from randomisation to the last visit, 9 months later.
TRACKING_MONTHS: Final = 9


def minute_store() -> MinuteStore:
    """The minute-level Parquet store under ``settings.EXONC.tracker_store``."""
    return MinuteStore(settings.EXONC.tracker_store)


def tracker_id_of(participant: Participant) -> str:
    """The id her minutes are stored under: her tracker account's, else her study ID."""
    account = getattr(participant, "tracker_account", None)
    return account.tracker_id if account is not None else participant.study_id


def tracking_period(randomised_on: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day a participant randomised on *randomised_on* wears the tracker."""
    end = add_months(randomised_on, TRACKING_MONTHS)
    return randomised_on, end - dt.timedelta(days=1)


def in_follow_up(participant: Participant, on: dt.date) -> bool:
    """False from the day she left follow-up; stopping only the programme keeps her in it."""
    withdrawal = getattr(participant, "withdrawal", None)
    if withdrawal is None or withdrawal.kind == "intervention":
        return True
    return bool(on < withdrawal.withdrawn_on)


def daily_frame(rows: QuerySet[DailyActivity]) -> pl.DataFrame:
    """Daily rows as a frame of ``exonc.trackers.DAILY_SCHEMA`` (participant = study ID)."""
    values = rows.order_by("participant__study_id", "date").values_list(
        "participant__study_id", "date", *METRICS
    )
    return frame_of(values)


def frame_of(values: Iterable[tuple[object, ...]]) -> pl.DataFrame:
    return pl.DataFrame(list(values), schema=DAILY_SCHEMA, orient="row")
