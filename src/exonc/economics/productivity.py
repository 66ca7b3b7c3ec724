"""Productivity losses from absence from paid work, by the human-capital or friction-cost method.

An absence spell is a run of consecutive calendar days off work, with the hours of paid
work lost on each of those days (0 on days the person would not have worked anyway):

* **human capital** (Drummond et al. 2015, ch. 7): every hour lost within the time horizon is
  valued at the gross hourly wage (including employer costs);
* **friction cost** (Koopmanschap et al. 1995): only hours lost within the friction
  period — the time an employer needs to replace the worker, counted from the first day
  of each spell — are valued, at the wage times an elasticity of annual labour time
  versus labour productivity (0.8 in the original method; set it as the national
  guideline prescribes).

Hours lost while at work (presenteeism, e.g. from the iMTA PCQ) are valued at the wage in
both methods; the friction method does not cap them.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable
from dataclasses import dataclass

from exonc.economics.prices import PriceTable
from exonc.errors import EconomicsInputError

__all__ = [
    "AbsenceSpell",
    "ProductivityMethod",
    "ProductivityPrices",
    "productivity_cost",
]


class ProductivityMethod(enum.StrEnum):
    HUMAN_CAPITAL = "human-capital"
    FRICTION_COST = "friction-cost"


@dataclass(frozen=True)
class AbsenceSpell:
    """*days* consecutive calendar days off work from day *start* of follow-up."""

    start: float
    days: float
    hours_per_day: float


@dataclass(frozen=True)
class ProductivityPrices:
    """Wage and friction settings, in one currency and price year."""

    hourly_wage: float
    friction_period_days: float
    elasticity: float = 1.0

    @classmethod
    def from_table(cls, table: PriceTable, *, elasticity: float = 1.0) -> ProductivityPrices:
        return cls(table.rate("paid_work_hour"), table.friction_period_days, elasticity)


def productivity_cost(
    spells: Iterable[AbsenceSpell],
    prices: ProductivityPrices,
    *,
    method: ProductivityMethod | str,
    horizon_days: float,
    presenteeism_hours: float = 0.0,
) -> float:
    """Cost of one person's lost productivity over ``[0, horizon_days)``."""
    chosen = _method(method)
    if horizon_days < 0 or presenteeism_hours < 0:
        raise EconomicsInputError("the horizon and presenteeism hours must be ≥ 0")
    hours = 0.0
    for number, spell in enumerate(spells, start=1):
        _check(spell, number)
        end = min(spell.start + spell.days, horizon_days)
        if chosen is ProductivityMethod.FRICTION_COST:
            end = min(end, spell.start + prices.friction_period_days)
        hours += max(end - spell.start, 0.0) * spell.hours_per_day
    factor = prices.elasticity if chosen is ProductivityMethod.FRICTION_COST else 1.0
    return hours * prices.hourly_wage * factor + presenteeism_hours * prices.hourly_wage


def _method(method: ProductivityMethod | str) -> ProductivityMethod:
    try:
        return ProductivityMethod(method)
    except ValueError:
        raise EconomicsInputError(
            f"unknown productivity method {method!r}",
            hint="choose human-capital or friction-cost",
        ) from None


def _check(spell: AbsenceSpell, number: int) -> None:
    values = (spell.start, spell.days, spell.hours_per_day)
    if not all(math.isfinite(v) and v >= 0 for v in values):
        raise EconomicsInputError(
            f"absence spell {number} needs a start, days and hours per day ≥ 0",
            value=values,
        )
