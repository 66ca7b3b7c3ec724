"""Plausibility checks of entered trial data (pure functions; today is passed in)."""

from __future__ import annotations

import datetime as dt

import pytest

from exonc.errors import InputError
from exonc.protocol import load_protocol
from exonc.protocol.plausibility import (
    check_birth_year,
    check_consent_after_screening,
    check_ecog,
    check_metastatic_sites,
    check_not_future,
)

TODAY = dt.date(2026, 3, 10)
SITES = load_protocol().metastatic_sites


@pytest.mark.parametrize(
    ("day", "refused"),
    [
        (TODAY, False),
        (TODAY - dt.timedelta(1), False),
        (TODAY + dt.timedelta(1), True),
        (dt.date(2031, 1, 1), True),
    ],
)
def test_future_dates_are_refused(day: dt.date, refused: bool) -> None:
    if refused:
        with pytest.raises(InputError, match=r"is after today \(2026-03-10\)") as error:
            check_not_future(day, TODAY, column="consented_on")
        assert error.value.column == "consented_on"
    else:
        check_not_future(day, TODAY, column="consented_on")


def test_consent_follows_the_first_screening() -> None:
    screenings = [dt.date(2026, 3, 2), dt.date(2026, 2, 20)]
    check_consent_after_screening(dt.date(2026, 2, 20), screenings)
    with pytest.raises(InputError, match=r"before the first screening \(2026-02-20\)"):
        check_consent_after_screening(dt.date(2026, 2, 19), screenings)
    with pytest.raises(InputError, match="before a screening"):
        check_consent_after_screening(dt.date(2026, 2, 19), [])


def test_metastatic_sites_come_from_the_protocol_list() -> None:
    assert check_metastatic_sites(["liver", " bone", "liver", ""], SITES) == ["liver", "bone"]
    with pytest.raises(InputError, match="value 'banana': is not a metastatic site"):
        check_metastatic_sites(["liver", "banana"], SITES)


def test_the_shipped_protocol_lists_the_synthetic_trial_sites() -> None:
    # the synthetic population (exonc.synthetic data) draws these sites; all must be allowed
    for site in ("bone", "liver", "lung", "lymph_nodes", "pleura", "brain", "skin_soft_tissue"):
        assert site in SITES


@pytest.mark.parametrize(
    ("year", "ok"), [(1900, True), (2008, True), (2009, False), (1899, False), (2023, False)]
)
def test_birth_year_of_an_adult(year: int, ok: bool) -> None:
    if ok:
        check_birth_year(year, TODAY)
    else:
        with pytest.raises(InputError, match="is not the birth year of an adult"):
            check_birth_year(year, TODAY)


@pytest.mark.parametrize(
    ("ecog", "ok"), [(None, True), (0, True), (5, True), (6, False), (9, False), (-1, False)]
)
def test_ecog_is_0_to_5(ecog: int | None, ok: bool) -> None:
    if ok:
        check_ecog(ecog)
    else:
        with pytest.raises(InputError, match="from 0 to 5"):
            check_ecog(ecog)
