"""Health-care and other resource use, costed with a country's unit prices.

Resource-use questionnaires ask, per visit, how often each item on the country's list was
used since the previous visit (see ``data/resource_items.toml``). A participant's cost in a
category is Σ quantity × unit price over the items in that category, with the unit prices
of the participant's country (:class:`exonc.economics.prices.PriceTable`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pandas as pd

from exonc import _toml
from exonc.economics._columns import numeric_column, text_column
from exonc.economics.prices import CostCategory, PriceTable
from exonc.errors import EconomicsInputError

__all__ = [
    "ResourceItem",
    "ResourceUse",
    "cost_resource_use",
    "resource_items",
    "resource_use_from_frame",
]


@dataclass(frozen=True)
class ResourceItem:
    """One item of a resource-use questionnaire."""

    code: str
    category: CostCategory
    unit: str
    label: str
    countries: tuple[str, ...]


@dataclass(frozen=True)
class ResourceUse:
    """A participant's reported use of one item (at one visit, if *month* is given)."""

    participant: str
    item: str
    quantity: float
    month: float | None = None


@cache
def _catalogue() -> tuple[ResourceItem, ...]:
    text = (
        resources.files("exonc.economics").joinpath("data/resource_items.toml").read_text("utf-8")
    )
    root = _toml.root(text, source="resource_items.toml", error=EconomicsInputError)
    items = tuple(
        t.record(ResourceItem, category=t.choice("category", CostCategory))
        for t in root.tables("item", required=True)
    )
    root.done()
    return items


def resource_items(country: str | None = None) -> tuple[ResourceItem, ...]:
    """The items the questionnaire of *country* asks about (all items if None)."""
    items = tuple(i for i in _catalogue() if country is None or country in i.countries)
    if not items:
        raise EconomicsInputError(
            f"no resource-use items for {country!r}",
            hint="use an ISO 3166 alpha-2 code such as NL, DE, ES, PL, SE or AU",
        )
    return items


def cost_resource_use(
    records: Iterable[ResourceUse],
    prices: PriceTable,
    items: Sequence[ResourceItem] | None = None,
) -> pd.DataFrame:
    """Cost per participant (rows) and category (columns), plus ``total``.

    *items* defaults to the questionnaire of the price table's country. Rows follow the
    order in which participants first appear; categories without use are 0.
    """
    known = {i.code: i for i in (items or resource_items(prices.country))}
    totals: dict[str, dict[str, float]] = {}
    for row, record in enumerate(records, start=1):
        item = known.get(record.item)
        if item is None:
            raise EconomicsInputError(
                f"item {record.item!r} is not on the {prices.country} questionnaire",
                row=row,
                hint="use the item codes of exonc.economics.resource_items(country)",
            )
        if not math.isfinite(record.quantity) or record.quantity < 0:
            raise EconomicsInputError(
                "quantity must be a number ≥ 0", row=row, value=record.quantity
            )
        per_category = totals.setdefault(record.participant, {})
        cost = record.quantity * prices.price(item.code)
        per_category[item.category] = per_category.get(item.category, 0.0) + cost
    categories = list(dict.fromkeys(i.category.value for i in known.values()))
    frame = pd.DataFrame.from_dict(totals, orient="index", columns=categories).fillna(0.0)
    frame.index.name = "participant"
    frame["total"] = frame.sum(axis=1)
    return frame


def resource_use_from_frame(
    frame: pd.DataFrame,
    *,
    participant: str = "participant",
    item: str = "item",
    quantity: str = "quantity",
    month: str | None = None,
    file: str | None = None,
) -> list[ResourceUse]:
    """Records from a long table with one row per participant, (visit,) item."""
    for column in (participant, item, quantity, month):
        if column is not None and column not in frame.columns:
            raise EconomicsInputError(f"missing column {column}", file=file)
    quantities = numeric_column(frame, quantity, file=file, what="a quantity")
    if (quantities < 0).any():
        row = int((quantities < 0).argmax()) + 1
        raise EconomicsInputError(
            "quantity is negative",
            file=file,
            row=row,
            column=quantity,
            value=frame[quantity].iloc[row - 1],
        )
    months = numeric_column(frame, month, file=file, what="a month") if month else None
    return [
        ResourceUse(p, i, float(q), None if months is None else float(months[r]))
        for r, (p, i, q) in enumerate(
            zip(
                text_column(frame, participant, file=file),
                text_column(frame, item, file=file),
                quantities,
                strict=True,
            )
        )
    ]
