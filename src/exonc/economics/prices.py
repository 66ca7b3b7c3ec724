"""Unit prices per country, as data, and their conversion between years and currencies.

A :class:`PriceTable` holds one country's unit prices (per resource-use item), hourly
labour rates and productivity settings, in one currency at one price year. Prices move
to another year with a consumer price index (:class:`PriceIndex`)::

    price(to_year) = price(from_year) × index(to_year) / index(from_year)

and to another currency with one rate (e.g. a purchasing-power parity), after the year
conversion, as the costing guidelines recommend (inflate in the local currency first).
The tables shipped in ``data/prices/`` are illustrative placeholders; see
``docs/methods/costing.md``.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any

from exonc import _toml
from exonc.errors import EconomicsInputError

__all__ = [
    "CostCategory",
    "PriceIndex",
    "PriceTable",
    "available_countries",
    "load_price_index",
    "load_price_table",
    "price_table_from_dict",
]


class CostCategory(enum.StrEnum):
    """Where a cost falls; perspectives are sets of categories."""

    PROGRAMME = "programme"
    PRIMARY_CARE = "primary_care"
    HOSPITAL = "hospital"
    MEDICATION = "medication"
    HOME_CARE = "home_care"
    INFORMAL_CARE = "informal_care"
    PATIENT_TRAVEL = "patient_travel"
    PRODUCTIVITY = "productivity"


@dataclass(frozen=True)
class PriceIndex:
    """An annual price index of one country and currency."""

    country: str
    currency: str
    values: Mapping[int, float]
    source: str = ""

    def factor(self, from_year: int, to_year: int) -> float:
        """Multiplier taking a price of *from_year* to *to_year*."""
        for year in (from_year, to_year):
            if year not in self.values:
                raise EconomicsInputError(
                    f"the {self.country} price index has no value for {year}",
                    hint=f"it covers {min(self.values)}–{max(self.values)}",
                )
        return self.values[to_year] / self.values[from_year]


@dataclass(frozen=True)
class PriceTable:
    """One country's unit prices in one currency and price year."""

    country: str
    currency: str
    price_year: int
    prices: Mapping[str, float]
    labour: Mapping[str, float]
    friction_period_days: float
    hours_per_day: float = 8.0
    status: str = "illustrative"
    source: str = ""
    name: str = ""

    def price(self, item: str) -> float:
        """The unit price of *item*; an error names the table if it has none."""
        if item not in self.prices:
            raise EconomicsInputError(
                f"no {self.country} price for {item!r}",
                hint="add it to the price table or correct the item code",
            )
        return self.prices[item]

    def rate(self, name: str) -> float:
        """An hourly labour rate such as ``therapist_hour`` or ``paid_work_hour``."""
        if name not in self.labour:
            raise EconomicsInputError(
                f"no {self.country} labour rate {name!r}",
                hint=f"the table has {', '.join(self.labour)}",
            )
        return self.labour[name]

    def to_year(self, year: int, index: PriceIndex) -> PriceTable:
        """The same table with every price moved to *year* by *index*."""
        if index.currency != self.currency:
            raise EconomicsInputError(
                f"a {index.currency} price index cannot convert {self.currency} prices",
                hint="inflate in the table's own currency, then convert the currency",
            )
        return self._scaled(index.factor(self.price_year, year), price_year=year)

    def to_currency(self, currency: str, rate: float) -> PriceTable:
        """The same table in *currency*, at *rate* units of it per unit of the table's."""
        if rate <= 0:
            raise EconomicsInputError(f"exchange rate {rate:g} must be positive")
        return self._scaled(rate, currency=currency)

    def _scaled(self, factor: float, **changes: Any) -> PriceTable:
        return replace(
            self,
            prices={k: v * factor for k, v in self.prices.items()},
            labour={k: v * factor for k, v in self.labour.items()},
            **changes,
        )


def _data(name: str) -> _toml.Table:
    text = resources.files("exonc.economics").joinpath(f"data/{name}").read_text("utf-8")
    return _toml.root(text, source=name, error=EconomicsInputError)


def available_countries() -> tuple[str, ...]:
    """Countries with a shipped price table (ISO 3166 alpha-2 codes)."""
    folder = resources.files("exonc.economics").joinpath("data/prices")
    return tuple(
        sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))
    )


@cache
def load_price_table(country: str) -> PriceTable:
    """The shipped price table of *country* (e.g. ``"NL"``)."""
    if country not in available_countries():
        raise EconomicsInputError(
            f"no price table for {country!r}",
            hint=f"choose from {', '.join(available_countries())} or build one from data",
        )
    return _price_table(_data(f"prices/{country}.toml"))


def price_table_from_dict(data: Mapping[str, Any], *, source: str = "price table") -> PriceTable:
    """Build a table from parsed TOML/JSON with the layout of ``data/prices/*.toml``; a
    missing, mistyped or unknown key stops with *source* and the key."""
    return _price_table(_toml.Table(data, file=source, error=EconomicsInputError))


def _price_table(root: _toml.Table) -> PriceTable:
    productivity = root.table("productivity", None)
    table = root.record(
        PriceTable,
        labour=root.number_table("labour", {}),
        friction_period_days=productivity.number("friction_period_days", 0.0)
        if productivity
        else 0.0,
        hours_per_day=productivity.number("hours_per_day", 8.0) if productivity else 8.0,
    )
    if productivity:
        productivity.done()
    negative = [k for k, v in {**table.prices, **table.labour}.items() if v < 0]
    if negative:
        root.fail("prices", f"price of {negative[0]!r} is negative", hint="prices are ≥ 0")
    return table


@cache
def load_price_index(country: str) -> PriceIndex:
    """The shipped consumer price index of *country*."""
    indices = _data("price_index.toml")
    if not indices.has(country):
        raise EconomicsInputError(
            f"no price index for {country!r}", hint=f"choose from {', '.join(indices.names())}"
        )
    entry: _toml.Table = indices.table(country)
    values = entry.number_table("values")
    return entry.record(
        PriceIndex, country=country, values={int(year): v for year, v in values.items()}
    )
