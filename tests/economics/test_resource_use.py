"""Country-adapted resource-use items, costed per participant and category."""

from __future__ import annotations

import pandas as pd
import pytest

from exonc.economics import (
    CostCategory,
    ResourceUse,
    cost_resource_use,
    load_price_table,
    resource_items,
    resource_use_from_frame,
)
from exonc.errors import EconomicsInputError


def test_item_lists_are_country_adapted() -> None:
    nl = {i.code for i in resource_items("NL")}
    de = {i.code for i in resource_items("DE")}
    assert "occupational_physician" in nl - de
    assert "rehabilitation_day" in de - nl
    assert {i.category for i in resource_items()} == set(CostCategory) - {
        CostCategory.PROGRAMME,
        CostCategory.PRODUCTIVITY,
    }


def test_costs_by_hand_with_the_nl_table() -> None:
    # NL illustrative table: GP consultation 36, inpatient day 540, opioid day 1.5,
    # informal care hour 16. P1: 2 × 36 + 3 × 540 + 30 × 1.5 = 72 + 1620 + 45 = 1737;
    # P2: 10 h informal care = 160.
    records = [
        ResourceUse("P1", "gp_consultation", 2, month=3),
        ResourceUse("P1", "inpatient_day", 3, month=3),
        ResourceUse("P1", "medication_opioid", 30, month=6),
        ResourceUse("P2", "informal_care", 10, month=3),
    ]
    costs = cost_resource_use(records, load_price_table("NL"))
    assert costs.loc["P1", "primary_care"] == pytest.approx(72.0)
    assert costs.loc["P1", "hospital"] == pytest.approx(1620.0)
    assert costs.loc["P1", "medication"] == pytest.approx(45.0)
    assert costs.loc["P1", "total"] == pytest.approx(1737.0)
    assert costs.loc["P2", "informal_care"] == pytest.approx(160.0)
    assert costs.loc["P2", "hospital"] == 0.0


def test_item_not_on_the_country_questionnaire_is_refused() -> None:
    records = [ResourceUse("P1", "gp_consultation", 1), ResourceUse("P1", "rehabilitation_day", 2)]
    with pytest.raises(EconomicsInputError, match=r"row 2.*not on the NL questionnaire"):
        cost_resource_use(records, load_price_table("NL"))


def test_negative_quantity_is_refused() -> None:
    with pytest.raises(EconomicsInputError, match="quantity must be a number ≥ 0"):
        cost_resource_use([ResourceUse("P1", "gp_consultation", -1)], load_price_table("NL"))


def test_records_from_a_long_table() -> None:
    frame = pd.DataFrame(
        {"participant": ["P1", "P2"], "item": ["gp_telephone", "travel"], "quantity": ["2", "40"]}
    )
    records = resource_use_from_frame(frame, file="use.csv")
    assert records[1] == ResourceUse("P2", "travel", 40.0)
    frame.loc[1, "quantity"] = "-3"
    with pytest.raises(EconomicsInputError, match=r"use\.csv, row 2, column quantity"):
        resource_use_from_frame(frame, file="use.csv")
