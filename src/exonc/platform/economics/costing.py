"""The platform's costing settings (``data/costing.toml``) and the prices they give.

Every country's price table (``exonc.economics.load_price_table``) is moved to the
analysis's price year with the country's price index, then to the analysis's currency with
the exchange rate of ``[exchange]`` — inflate in the local currency first, then convert, as
the costing guidelines recommend. Programme delivery adds what the price tables do not
hold: facility hire per session, amortised equipment and the activity tracker.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any

from exonc import _toml
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
COSTING_FILE = "costing.toml"


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
    return costing_from_dict(_toml.parse(text, source=COSTING_FILE, error=EconomicsInputError))


def costing_from_dict(data: Mapping[str, Any], *, source: str = COSTING_FILE) -> Costing:
    """Build the settings from parsed TOML with the layout of ``data/costing.toml``; a
    missing, mistyped or unknown key stops with *source* and the key."""
    root = _toml.Table(data, file=source, error=EconomicsInputError)
    delivery, productivity = root.table("delivery"), root.table("productivity")
    currency, price_year = root.text("currency"), root.whole("price_year")
    minutes, group_size = delivery.number("therapist_minutes"), delivery.whole("group_size")
    prices = delivery.record(  # the therapist's rate comes from each country's price table
        DeliveryPrices,
        therapist_hour=0.0,
        equipment=tuple(t.record(Equipment) for t in delivery.tables("equipment")),
        currency=currency,
        price_year=price_year,
    )
    costing = Costing(
        status=root.text("status", ""),
        currency=currency,
        price_year=price_year,
        months=root.number("months"),
        exchange=root.number_table("exchange"),
        exchange_source=root.text("exchange_source", ""),
        therapist_minutes=minutes,
        group_size=group_size,
        delivery=prices,
        productivity_method=productivity.choice("method", ProductivityMethod),
        elasticity=productivity.number("elasticity"),
    )
    for table in (productivity, root):
        table.done()
    return costing


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
