"""Productivity losses by the human-capital and friction-cost methods, by hand."""

from __future__ import annotations

import pytest

from exonc.economics import (
    AbsenceSpell,
    ProductivityMethod,
    ProductivityPrices,
    load_price_table,
    productivity_cost,
)
from exonc.errors import EconomicsInputError

PRICES = ProductivityPrices(hourly_wage=40.0, friction_period_days=85.0, elasticity=0.8)
# 120 days off from day 10 at 4 h lost per day, 270-day (9-month) horizon.
SPELL = [AbsenceSpell(start=10.0, days=120.0, hours_per_day=4.0)]


def test_human_capital_counts_every_lost_hour() -> None:
    # 120 × 4 h × 40 = 19,200
    cost = productivity_cost(SPELL, PRICES, method="human-capital", horizon_days=270)
    assert cost == pytest.approx(19_200.0)


def test_friction_cost_caps_at_the_friction_period() -> None:
    # min(120, 85) = 85 days × 4 h × 40 × 0.8 = 10,880
    cost = productivity_cost(
        SPELL, PRICES, method=ProductivityMethod.FRICTION_COST, horizon_days=270
    )
    assert cost == pytest.approx(10_880.0)


def test_horizon_and_presenteeism() -> None:
    # horizon 70 days: 60 days × 4 h × 40 = 9,600 plus 10 presenteeism hours × 40 = 400
    cost = productivity_cost(
        SPELL, PRICES, method="human-capital", horizon_days=70, presenteeism_hours=10
    )
    assert cost == pytest.approx(10_000.0)


def test_friction_cost_never_exceeds_human_capital_at_elasticity_one() -> None:
    prices = ProductivityPrices.from_table(load_price_table("NL"))
    spells = [AbsenceSpell(0, 200, 8), AbsenceSpell(220, 30, 8)]
    friction = productivity_cost(spells, prices, method="friction-cost", horizon_days=270)
    human = productivity_cost(spells, prices, method="human-capital", horizon_days=270)
    assert friction <= human


def test_bad_method_and_spell() -> None:
    with pytest.raises(EconomicsInputError, match="unknown productivity method"):
        productivity_cost(SPELL, PRICES, method="capital", horizon_days=270)
    with pytest.raises(EconomicsInputError, match="absence spell 1"):
        productivity_cost([AbsenceSpell(0, -1, 8)], PRICES, method="human-capital", horizon_days=9)
