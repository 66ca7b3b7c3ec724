"""The resource-use questionnaire: which visits ask it, the period each covers, and the
checks on its answers.

Every visit of the protocol after the first asks about the period since the previous
visit (3 months in PREFERABLE-EFFECT): how often each item on the centre country's list
(:func:`exonc.economics.resource_items`) was used, and absence from paid work. Answers are
checked before anything is written, each against its item's unit:

* counts (contacts, visits, sessions, days, days of use) are whole numbers;
* hours and kilometres may have decimals;
* nothing is negative, and nothing exceeds what the period can hold — at most one count
  per day of the period, 24 hours a day, 500 km a day — where the period is at most
  31 days a month plus the visit's late window.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from exonc.economics import ResourceItem, resource_items
from exonc.errors import EconomicsInputError, TrialStateError
from exonc.platform.trial.protocols import active_protocol

MAX_HOURS_PER_WEEK = 80.0


@dataclass(frozen=True)
class UnitRule:
    whole: bool
    per_day: float
    plural: str


#: What a quantity of each unit may be (see the module docstring).
UNITS: Mapping[str, UnitRule] = {
    "contact": UnitRule(True, 1, "contacts"),
    "visit": UnitRule(True, 1, "visits"),
    "session": UnitRule(True, 1, "sessions"),
    "day": UnitRule(True, 1, "days"),
    "day of use": UnitRule(True, 1, "days of use"),
    "hour": UnitRule(False, 24, "hours"),
    "km": UnitRule(False, 500, "km"),
}


@dataclass(frozen=True)
class Period:
    """The months a visit's questionnaire covers (since the previous visit)."""

    visit: str
    name: str
    start_month: int
    end_month: int
    max_days: int


def periods() -> dict[str, Period]:
    """The follow-up visits of the active protocol and the period each asks about."""
    visits = sorted(active_protocol().visits, key=lambda v: v.offset_months)
    return {
        after.code: Period(
            after.code,
            after.name,
            before.offset_months,
            after.offset_months,
            31 * (after.offset_months - before.offset_months) + after.window_after_days,
        )
        for before, after in itertools.pairwise(visits)
    }


def period_of(visit_code: str) -> Period:
    found = periods().get(visit_code)
    if found is None:
        raise TrialStateError(
            f"visit {visit_code} has no resource-use questionnaire: it is asked at the "
            f"follow-up visits ({', '.join(periods())}) about the months since the previous one"
        )
    return found


def items_of(country: str) -> tuple[ResourceItem, ...]:
    """The items the questionnaire of *country* asks about."""
    return resource_items(country.upper())


def item_limit(item: ResourceItem, period: Period) -> float:
    return UNITS[item.unit].per_day * period.max_days


@dataclass(frozen=True)
class ResourceUseEntry:
    """Answers as given (form fields or API values, text or numbers)."""

    quantities: Mapping[str, object]
    paid_work: object = None
    absence_days: object = 0
    work_hours_per_week: object = 0
    absence_continued: object = False
    presenteeism_hours: object = 0


@dataclass(frozen=True)
class CheckedEntry:
    """Clean answers, and a problem per field that could not be used."""

    quantities: dict[str, float]
    paid_work: bool | None
    absence_days: float
    work_hours_per_week: float
    absence_continued: bool
    presenteeism_hours: float
    problems: dict[str, str] = field(default_factory=dict)

    def error(self) -> EconomicsInputError | None:
        """The first problem as an error naming the field and the value, or None."""
        if not self.problems:
            return None
        name, problem = next(iter(self.problems.items()))
        more = len(self.problems) - 1
        hint = "correct the answer" + (f" ({more} more to correct)" if more else "")
        return EconomicsInputError(problem, column=name, hint=hint)


def check_entry(entry: ResourceUseEntry, country: str, period: Period) -> CheckedEntry:
    """Check every answer of *entry* against *country*'s item list and *period*."""
    problems: dict[str, str] = {}
    quantities = _quantities(entry.quantities, items_of(country), period, problems)
    paid = _yes_no(entry.paid_work, "paid_work", problems)
    work = _work(entry, paid, period, problems)
    return CheckedEntry(quantities, paid, *work, problems=problems)


def _quantities(
    given: Mapping[str, object],
    items: tuple[ResourceItem, ...],
    period: Period,
    problems: dict[str, str],
) -> dict[str, float]:
    known = {i.code for i in items}
    for code in given:
        if code not in known:
            problems[code] = f"value {given[code]!r}: {code} is not on this questionnaire"
    clean: dict[str, float] = {}
    for item in items:
        rule = UNITS.get(item.unit)
        if rule is None:  # a catalogue the platform does not know how to check
            raise EconomicsInputError(f"unit {item.unit!r} of item {item.code} has no rule")
        value = _number(given.get(item.code), item.code, problems, empty="enter 0 if none")
        if value is None:
            continue
        if rule.whole and not value.is_integer():
            problems[item.code] = f"value {value:g}: count whole {rule.plural}"
        elif value > item_limit(item, period):
            problems[item.code] = (
                f"value {value:g}: more than {item_limit(item, period):g} {rule.plural} "
                f"in a period of at most {period.max_days} days"
            )
        else:
            clean[item.code] = value
    return clean


def _work(
    entry: ResourceUseEntry, paid: bool | None, period: Period, problems: dict[str, str]
) -> tuple[float, float, bool, float]:
    days = _number(entry.absence_days, "absence_days", problems, empty=0.0)
    hours = _number(entry.work_hours_per_week, "work_hours_per_week", problems, empty=0.0)
    extra = _number(entry.presenteeism_hours, "presenteeism_hours", problems, empty=0.0)
    continued = bool(_yes_no(entry.absence_continued, "absence_continued", problems, empty=False))
    if paid is None or days is None or hours is None or extra is None:
        return 0.0, 0.0, False, 0.0
    if not paid:
        for name, value in (("absence_days", days), ("presenteeism_hours", extra)):
            if value:
                problems[name] = f"value {value:g}: must be 0 without paid work"
        return 0.0, 0.0, False, 0.0
    _at_most(days, period.max_days, "absence_days", "days in the period", problems)
    _at_most(hours, MAX_HOURS_PER_WEEK, "work_hours_per_week", "hours a week", problems)
    if days and not hours:
        problems["work_hours_per_week"] = "value 0: give the hours of paid work a week"
    weeks = period.max_days / 7
    _at_most(extra, hours * weeks, "presenteeism_hours", "hours of work in the period", problems)
    if continued and not days:
        problems["absence_continued"] = "value True: there is no absence to continue"
    return days, hours, continued, extra


def _at_most(value: float, limit: float, name: str, what: str, problems: dict[str, str]) -> None:
    if value > limit:
        problems[name] = f"value {value:g}: more than {limit:g} {what}"


def _number(
    raw: object, name: str, problems: dict[str, str], *, empty: float | str
) -> float | None:
    """A finite number ≥ 0 from *raw*; blank gives *empty* (a number, or the problem)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if isinstance(empty, str):
            problems[name] = f"is empty: {empty}"
            return None
        return empty
    try:
        if isinstance(raw, bool):
            raise ValueError
        value = float(str(raw).strip()) if isinstance(raw, str) else float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        problems[name] = f"value {raw!r}: is not a number"
        return None
    if not math.isfinite(value) or value < 0:
        problems[name] = f"value {raw!r}: must be a number of 0 or more"
        return None
    return value


_YES = {"yes", "true", "1", "on", "y"}
_NO = {"no", "false", "0", "off", "n"}


def _yes_no(
    raw: object, name: str, problems: dict[str, str], *, empty: bool | None = None
) -> bool | None:
    if isinstance(raw, bool):
        return raw
    text = "" if raw is None else str(raw).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    if not text and empty is not None:
        return empty
    problems[name] = f"value {raw!r}: answer yes or no" if text else "is empty: answer yes or no"
    return None
