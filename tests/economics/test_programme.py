"""Bottom-up programme cost from session logs, by hand."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from exonc.economics import (
    DeliveryPrices,
    Equipment,
    SessionFact,
    equivalent_annual_cost,
    load_price_table,
    programme_costs,
    session_facts_from_frame,
    tracker_cost,
)
from exonc.errors import EconomicsInputError

PRICES = DeliveryPrices(
    therapist_hour=48.0,
    facility_per_session=20.0,
    equipment=(Equipment("ergometer", 3000.0, 5.0, 1500.0),),
    tracker_price=120.0,
    tracker_lifetime_years=2.0,
)


def test_equivalent_annual_cost() -> None:
    assert equivalent_annual_cost(3000.0, 5.0) == pytest.approx(600.0)
    # annuity at 4 % over 5 years: 1000 × 0.04 / (1 − 1.04^−5) = 224.627...
    assert equivalent_annual_cost(1000.0, 5.0, 0.04) == pytest.approx(224.6271136, rel=1e-9)


def test_one_to_one_and_groups_of_four_by_hand() -> None:
    # 2 sessions of 75 therapist minutes. 1:1: therapist 75/60 × 48 = 60 per session,
    # facility 20, equipment 600/1500 = 0.4 → 2 × 80.4 = 160.8; tracker 60/yr × 9/12 = 45.
    sessions = [SessionFact("P1", 75.0, 1), SessionFact("P1", 75.0, 1)]
    one = programme_costs(sessions, PRICES, months=9)
    assert one.loc["P1", "therapist"] == pytest.approx(120.0)
    assert one.loc["P1", "facility"] == pytest.approx(40.0)
    assert one.loc["P1", "equipment"] == pytest.approx(0.8)
    assert one.loc["P1", "tracker"] == pytest.approx(45.0)
    assert one.loc["P1", "total"] == pytest.approx(205.8)
    # 1:4: therapist and facility are shared by four: 30 + 10 per session; equipment is not.
    four = programme_costs(sessions, PRICES, months=9, group_size=4)
    assert four.loc["P1", "total"] == pytest.approx(2 * (15 + 5 + 0.4) + 45.0)


def test_missed_sessions_cost_only_when_charged() -> None:
    sessions = [SessionFact("P1", 60.0, 1), SessionFact("P1", 60.0, 1, attended=False)]
    free = programme_costs(sessions, PRICES, months=0)
    assert (free.loc["P1", "sessions"], free.loc["P1", "therapist"]) == (1.0, 48.0)
    charged = programme_costs(sessions, dataclasses.replace(PRICES, charge_missed=True), months=0)
    assert charged.loc["P1", "therapist"] == pytest.approx(96.0)
    assert charged.loc["P1", "equipment"] == pytest.approx(0.4)


def test_tracker_and_table_defaults() -> None:
    prices = DeliveryPrices.from_table(load_price_table("NL"), facility_per_session=15.0)
    assert (prices.therapist_hour, prices.currency, prices.price_year) == (46.0, "EUR", 2021)
    assert tracker_cost(12, PRICES) == pytest.approx(60.0)
    with pytest.raises(EconomicsInputError):
        tracker_cost(-1, PRICES)


def test_bad_sessions_are_refused() -> None:
    with pytest.raises(EconomicsInputError, match=r"row 2.*group size"):
        programme_costs([SessionFact("P1", 60, 1), SessionFact("P1", 60, 0)], PRICES, months=9)
    with pytest.raises(EconomicsInputError, match="therapist minutes"):
        programme_costs([SessionFact("P1", -5, 1)], PRICES, months=9)


def test_session_facts_from_a_log_table() -> None:
    frame = pd.DataFrame(
        {
            "participant": ["P1", "P2"],
            "therapist_minutes": ["60", "60"],
            "group_size": ["4", "4"],
            "attended": ["yes", "0"],
        }
    )
    facts = session_facts_from_frame(frame, attended="attended")
    assert facts == [SessionFact("P1", 60.0, 4, True), SessionFact("P2", 60.0, 4, False)]
    frame.loc[0, "group_size"] = "2.5"
    with pytest.raises(EconomicsInputError, match="row 1, column group_size"):
        session_facts_from_frame(frame)
