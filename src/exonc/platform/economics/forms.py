"""Reading the resource-use form: the POSTed fields as an entry, and all its problems at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from exonc.errors import EconomicsInputError
from exonc.platform.economics.questionnaire import (
    CheckedEntry,
    ResourceUseEntry,
    check_entry,
    items_of,
    period_of,
)
from exonc.platform.trial.models import Visit

WORK_FIELDS = (
    "paid_work",
    "absence_days",
    "work_hours_per_week",
    "absence_continued",
    "presenteeism_hours",
)


@dataclass(frozen=True)
class Submitted:
    entry: ResourceUseEntry
    checked: CheckedEntry
    values: dict[str, str]


def read_form(post: Mapping[str, str], visit: Visit, country: str) -> Submitted:
    """The entry of a POSTed form for *visit* (item fields named by item code)."""
    codes = [i.code for i in items_of(country)]
    entry = ResourceUseEntry(
        quantities={code: post.get(code, "") for code in codes},
        paid_work=post.get("paid_work", ""),
        absence_days=post.get("absence_days", ""),
        work_hours_per_week=post.get("work_hours_per_week", ""),
        absence_continued=post.get("absence_continued", ""),
        presenteeism_hours=post.get("presenteeism_hours", ""),
    )
    names = [*codes, *WORK_FIELDS, "reported_on", "reason"]
    values = {name: str(post.get(name, "")) for name in names}
    return Submitted(entry, check_entry(entry, country, period_of(visit.code)), values)


def reported_on(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise EconomicsInputError(
            "is not a date", column="reported_on", value=raw, hint="give YYYY-MM-DD"
        ) from None
