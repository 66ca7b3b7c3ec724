"""Bottom-up cost of delivering the supervised exercise programme, from session logs.

Each logged session is a :class:`SessionFact`: who attended, how many therapist minutes
the session took (including preparation and notes) and how many participants were
supervised together (1 for 1:1, 4 for groups of four). Per participant and session:

* therapist: minutes / 60 × hourly rate / group size;
* facility (room or gym hire per session): price / group size;
* equipment (ergometer, resistance machines …), per participant-session: the equivalent
  annual cost of each item divided by the participant-sessions it serves a year.

The activity tracker is a per-participant cost: its equivalent annual cost × months of
use / 12. The equivalent annual cost of an item with price P, lifetime L years and
interest rate r is P × r / (1 − (1 + r)^−L), or P / L when r = 0 (Drummond et al. 2015,
ch. 7). Changing ``group_size`` recosts the same logs as another supervision scenario.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from exonc.economics._columns import numeric_column, text_column
from exonc.economics.prices import PriceTable
from exonc.errors import EconomicsInputError

__all__ = [
    "DeliveryPrices",
    "Equipment",
    "SessionFact",
    "equivalent_annual_cost",
    "programme_costs",
    "session_facts_from_frame",
    "tracker_cost",
]

PROGRAMME_COLUMNS = ("sessions", "therapist", "facility", "equipment", "tracker", "total")


@dataclass(frozen=True)
class SessionFact:
    """One logged session of one participant."""

    participant: str
    therapist_minutes: float
    group_size: int = 1
    attended: bool = True


@dataclass(frozen=True)
class Equipment:
    """A durable item, amortised over the participant-sessions it serves."""

    name: str
    price: float
    lifetime_years: float
    uses_per_year: float


@dataclass(frozen=True)
class DeliveryPrices:
    """Prices of delivering the programme, in one currency and price year."""

    therapist_hour: float
    facility_per_session: float = 0.0
    equipment: tuple[Equipment, ...] = ()
    tracker_price: float = 0.0
    tracker_lifetime_years: float = 3.0
    interest_rate: float = 0.0
    charge_missed: bool = False
    currency: str = ""
    price_year: int | None = None

    @classmethod
    def from_table(
        cls,
        table: PriceTable,
        *,
        facility_per_session: float = 0.0,
        equipment: tuple[Equipment, ...] = (),
        tracker_price: float = 0.0,
    ) -> DeliveryPrices:
        """Take the therapist rate, currency and year from a country's price table.

        Other settings keep their defaults; change them with ``dataclasses.replace``.
        """
        return cls(
            therapist_hour=table.rate("therapist_hour"),
            facility_per_session=facility_per_session,
            equipment=equipment,
            tracker_price=tracker_price,
            currency=table.currency,
            price_year=table.price_year,
        )

    def equipment_per_use(self) -> float:
        """Amortised equipment cost of one participant-session."""
        return sum(
            equivalent_annual_cost(e.price, e.lifetime_years, self.interest_rate) / e.uses_per_year
            for e in self.equipment
        )


def equivalent_annual_cost(price: float, lifetime_years: float, rate: float = 0.0) -> float:
    """Annual cost of an item bought for *price* and used *lifetime_years* (annuity)."""
    if price < 0 or lifetime_years <= 0 or rate < 0:
        raise EconomicsInputError(
            "an item needs a price ≥ 0, a lifetime > 0 and an interest rate ≥ 0"
        )
    if rate == 0:
        return price / lifetime_years
    return float(price * rate / (1 - (1 + rate) ** -lifetime_years))


def tracker_cost(months: float, prices: DeliveryPrices) -> float:
    """Amortised cost of one participant's activity tracker over *months* of use."""
    if months < 0:
        raise EconomicsInputError(f"{months:g} months of tracker use", hint="give months ≥ 0")
    annual = equivalent_annual_cost(
        prices.tracker_price, prices.tracker_lifetime_years, prices.interest_rate
    )
    return annual * months / 12.0


def programme_costs(
    sessions: Iterable[SessionFact],
    prices: DeliveryPrices,
    *,
    months: float,
    group_size: int | None = None,
) -> pd.DataFrame:
    """Programme cost per participant (see the module docstring).

    *months* is how long each participant used the tracker; *group_size*, if given,
    replaces the logged group sizes (e.g. 1 or 4 for the supervision scenarios).
    Columns: ``sessions``, ``therapist``, ``facility``, ``equipment``, ``tracker``, ``total``.
    """
    if group_size is not None and group_size < 1:
        raise EconomicsInputError(f"group size {group_size} must be at least 1")
    equipment = prices.equipment_per_use()
    rows: dict[str, list[float]] = {}
    for row, s in enumerate(sessions, start=1):
        logged = _check_session(s, row)
        size = logged if group_size is None else group_size
        acc = rows.setdefault(s.participant, [0.0, 0.0, 0.0, 0.0])
        if not (s.attended or prices.charge_missed):
            continue
        acc[0] += 1.0 if s.attended else 0.0
        acc[1] += s.therapist_minutes / 60.0 * prices.therapist_hour / size
        acc[2] += prices.facility_per_session / size
        acc[3] += equipment if s.attended else 0.0
    frame = pd.DataFrame.from_dict(
        rows, orient="index", columns=["sessions", "therapist", "facility", "equipment"]
    )
    frame["tracker"] = tracker_cost(months, prices)
    frame["total"] = frame[["therapist", "facility", "equipment", "tracker"]].sum(axis=1)
    frame.index.name = "participant"
    return frame


def _check_session(session: SessionFact, row: int) -> int:
    if not math.isfinite(session.therapist_minutes) or session.therapist_minutes < 0:
        raise EconomicsInputError(
            "therapist minutes must be a number ≥ 0", row=row, value=session.therapist_minutes
        )
    if session.group_size < 1:
        raise EconomicsInputError(
            "group size must be at least 1", row=row, value=session.group_size
        )
    return session.group_size


def session_facts_from_frame(
    frame: pd.DataFrame,
    *,
    participant: str = "participant",
    therapist_minutes: str = "therapist_minutes",
    group_size: str = "group_size",
    attended: str | None = None,
    file: str | None = None,
) -> list[SessionFact]:
    """Session facts from a table with one row per participant and session."""
    for column in (participant, therapist_minutes, group_size, attended):
        if column is not None and column not in frame.columns:
            raise EconomicsInputError(f"missing column {column}", file=file)
    minutes = numeric_column(frame, therapist_minutes, file=file, what="a number of minutes")
    sizes = numeric_column(frame, group_size, file=file, what="a group size")
    bad = (sizes < 1) | (sizes != np.round(sizes))
    if bad.any():
        row = int(bad.argmax()) + 1
        raise EconomicsInputError(
            "group size must be a whole number ≥ 1",
            file=file,
            row=row,
            column=group_size,
            value=frame[group_size].iloc[row - 1],
        )
    present = _flags(frame, attended, file) if attended else [True] * len(frame)
    ids = text_column(frame, participant, file=file)
    return [
        SessionFact(p, float(m), int(g), a)
        for p, m, g, a in zip(ids, minutes, sizes, present, strict=True)
    ]


_TRUE = {"1", "true", "yes", "y", "t"}
_FALSE = {"0", "false", "no", "n", "f"}


def _flags(frame: pd.DataFrame, column: str, file: str | None) -> list[bool]:
    values = []
    for row, raw in enumerate(text_column(frame, column, file=file), start=1):
        text = raw.lower()
        if text not in _TRUE | _FALSE:
            raise EconomicsInputError(
                "is not yes/no",
                file=file,
                row=row,
                column=column,
                value=raw,
                hint="use 1/0, true/false or yes/no",
            )
        values.append(text in _TRUE)
    return values
