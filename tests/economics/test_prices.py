"""Price tables as data, and conversion between price years and currencies."""

from __future__ import annotations

import pytest

from exonc.economics import (
    PriceIndex,
    available_countries,
    load_price_index,
    load_price_table,
    price_table_from_dict,
    resource_items,
)
from exonc.errors import EconomicsInputError

TRIAL_COUNTRIES = ("AU", "DE", "ES", "NL", "PL", "SE")


def test_a_table_for_every_trial_country() -> None:
    assert available_countries() == TRIAL_COUNTRIES


@pytest.mark.parametrize(
    ("country", "currency"),
    [("NL", "EUR"), ("DE", "EUR"), ("ES", "EUR"), ("PL", "PLN"), ("SE", "SEK"), ("AU", "AUD")],
)
def test_tables_price_every_item_of_their_questionnaire(country: str, currency: str) -> None:
    table = load_price_table(country)
    assert (table.country, table.currency, table.price_year) == (country, currency, 2021)
    missing = [i.code for i in resource_items(country) if i.code not in table.prices]
    assert missing == []
    assert table.rate("therapist_hour") > 0
    assert table.rate("paid_work_hour") > 0
    assert table.friction_period_days > 0
    assert load_price_index(country).currency == currency


def test_price_index_conversion_by_hand() -> None:
    # 100 in 2015 prices with index 100 (2015) and 110 (2021) is 110 in 2021 prices.
    index = PriceIndex("XX", "EUR", {2015: 100.0, 2021: 110.0})
    table = price_table_from_dict(
        {
            "country": "XX",
            "currency": "EUR",
            "price_year": 2015,
            "prices": {"gp_consultation": 100.0},
            "labour": {"therapist_hour": 50.0},
        }
    )
    moved = table.to_year(2021, index)
    assert moved.price_year == 2021
    assert moved.price("gp_consultation") == pytest.approx(110.0)
    assert moved.rate("therapist_hour") == pytest.approx(55.0)
    back = moved.to_year(2015, index)
    assert back.price("gp_consultation") == pytest.approx(100.0)
    in_sek = table.to_currency("SEK", 11.5)
    assert (in_sek.currency, in_sek.price("gp_consultation")) == ("SEK", pytest.approx(1150.0))


def test_conversion_errors() -> None:
    table = load_price_table("PL")
    with pytest.raises(EconomicsInputError, match="a EUR price index cannot convert PLN"):
        table.to_year(2022, load_price_index("NL"))
    with pytest.raises(EconomicsInputError, match="no value for 1990"):
        table.to_year(1990, load_price_index("PL"))
    with pytest.raises(EconomicsInputError, match="no NL price for 'mri'"):
        load_price_table("NL").price("mri")
    with pytest.raises(EconomicsInputError, match="no price table for 'FR'"):
        load_price_table("FR")


def test_malformed_or_negative_tables_are_refused() -> None:
    with pytest.raises(EconomicsInputError, match=r"^price table, key currency: missing key"):
        price_table_from_dict({"country": "XX"})
    base = {"country": "XX", "currency": "EUR", "price_year": 2021, "prices": {"a": 1.0}}
    with pytest.raises(EconomicsInputError, match=r"^xx.toml, key price_yaer: unknown key"):
        price_table_from_dict(base | {"price_yaer": 2020}, source="xx.toml")
    with pytest.raises(EconomicsInputError, match=r"key prices: .*must be a table of numbers"):
        price_table_from_dict(base | {"prices": {"a": "cheap"}})
    with pytest.raises(EconomicsInputError, match=r"key productivity.hours: unknown key"):
        price_table_from_dict(base | {"productivity": {"hours": 8}})
    with pytest.raises(EconomicsInputError, match="negative"):
        price_table_from_dict(
            {"country": "XX", "currency": "EUR", "price_year": 2021, "prices": {"a": -1.0}}
        )
