"""The platform's costing settings (``data/costing.toml``) and the prices they give.

Every country's price table (``exonc.economics.load_price_table``) is moved to the
analysis's price year with the country's price index, then to the analysis's currency with
the exchange rate of ``[exchange]`` — inflate in the local currency first, then convert, as
the costing guidelines recommend. Programme delivery adds what the price tables do not
hold: facility hire per session, amortised equipment and the activity tracker.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any

from exonc.economics import (
    DeliveryPrices,
    Equipment,
    PriceTable,
    ProductivityMethod,
    ProductivityPrices,
    load_price_index,
    load_price_table,
)
from exonc.errors import EconomicsInputError

DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True)
class Costing:
    """Currency, price year, horizon and delivery settings of the platform's analysis."""

    status: str
    currency: str
    price_year: int
    months: float
    exchange: Mapping[str, float]
    exchange_source: str
    therapist_minutes: float
    group_size: int
    delivery: DeliveryPrices
    productivity_method: ProductivityMethod
    elasticity: float

    @property
    def horizon_days(self) -> float:
        return self.months * DAYS_PER_MONTH

    def prices(self, country: str) -> PriceTable:
        """*country*'s unit prices in the analysis's currency and price year."""
        return _prices(country)

    def delivery_prices(self, country: str) -> DeliveryPrices:
        """Delivery prices with *country*'s therapist rate (in the analysis's currency)."""
        return replace(self.delivery, therapist_hour=self.prices(country).rate("therapist_hour"))

    def productivity_prices(self, country: str) -> ProductivityPrices:
        return ProductivityPrices.from_table(self.prices(country), elasticity=self.elasticity)


@cache
def load_costing() -> Costing:
    """The shipped costing settings."""
    text = resources.files(__package__).joinpath("data/costing.toml").read_text("utf-8")
    return costing_from_dict(tomllib.loads(text))


def costing_from_dict(data: Mapping[str, Any]) -> Costing:
    """Build the settings from parsed TOML with the layout of ``data/costing.toml``."""
    delivery = data["delivery"]
    equipment = tuple(
        Equipment(
            e["name"], float(e["price"]), float(e["lifetime_years"]), float(e["uses_per_year"])
        )
        for e in delivery.get("equipment", [])
    )
    currency = str(data["currency"])
    prices = DeliveryPrices(
        therapist_hour=0.0,
        facility_per_session=float(delivery["facility_per_session"]),
        equipment=equipment,
        tracker_price=float(delivery["tracker_price"]),
        tracker_lifetime_years=float(delivery["tracker_lifetime_years"]),
        interest_rate=float(delivery["interest_rate"]),
        charge_missed=bool(delivery["charge_missed"]),
        currency=currency,
        price_year=int(data["price_year"]),
    )
    productivity = data["productivity"]
    return Costing(
        status=str(data.get("status", "")),
        currency=currency,
        price_year=int(data["price_year"]),
        months=float(data["months"]),
        exchange={str(k): float(v) for k, v in data["exchange"].items()},
        exchange_source=str(data.get("exchange_source", "")),
        therapist_minutes=float(delivery["therapist_minutes"]),
        group_size=int(delivery["group_size"]),
        delivery=prices,
        productivity_method=ProductivityMethod(productivity["method"]),
        elasticity=float(productivity["elasticity"]),
    )


@cache
def _prices(country: str) -> PriceTable:
    costing = load_costing()
    table = load_price_table(country)
    if table.price_year != costing.price_year:
        table = table.to_year(costing.price_year, load_price_index(country))
    if table.currency == costing.currency:
        return table
    per_unit = costing.exchange.get(table.currency)
    if per_unit is None:
        raise EconomicsInputError(
            f"no exchange rate for {table.currency} ({country}'s prices)",
            hint=f"add {table.currency} to [exchange] in the platform's costing.toml",
        )
    return table.to_currency(costing.currency, 1.0 / per_unit)
