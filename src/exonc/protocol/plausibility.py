"""Plausibility of what is entered about a participant, wherever it enters.

Pure checks that the services call before they write — the same for a page, the API, a
CLI import and the demo loader: nothing recorded happens after today at the centre;
consent is not given before the screening it follows; metastatic sites come from the
protocol's closed list. Each raises :class:`~exonc.errors.InputError` naming the field,
the value and what to do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from exonc.errors import InputError


def check_not_future(day: dt.date, today: dt.date, *, column: str) -> None:
    """Refuse *day* after *today* (the centre's local date, passed in by the caller)."""
    if day > today:
        raise InputError(
            f"is after today ({today.isoformat()})",
            column=column,
            value=day.isoformat(),
            hint="enter the date it happened; nothing can be recorded before it happens",
        )


def check_consent_after_screening(consented_on: dt.date, screenings: Iterable[dt.date]) -> None:
    """Consent follows a screening: refuse a date before the first screening (or none)."""
    first = min(screenings, default=None)
    if first is None:
        raise InputError(
            "cannot be recorded before a screening",
            column="consented_on",
            value=consented_on.isoformat(),
            hint="record the eligibility screening first",
        )
    if consented_on < first:
        raise InputError(
            f"is before the first screening ({first.isoformat()})",
            column="consented_on",
            value=consented_on.isoformat(),
            hint="check the date on the signed consent form",
        )


def check_metastatic_sites(sites: Sequence[str], allowed: Sequence[str]) -> list[str]:
    """*sites* without duplicates, refused unless each is on the protocol's closed list."""
    chosen = list(dict.fromkeys(s.strip() for s in sites if s.strip()))
    unknown = [s for s in chosen if s not in allowed]
    if unknown:
        raise InputError(
            "is not a metastatic site of the protocol",
            column="metastatic_sites",
            value=unknown[0],
            hint=f"choose from {', '.join(allowed)}",
        )
    return chosen


def check_birth_year(year: int, today: dt.date) -> None:
    """An adult's four-digit birth year: from 1900 to 18 years before *today*."""
    if not 1900 <= year <= today.year - 18:
        raise InputError(
            "is not the birth year of an adult",
            column="birth_year",
            value=year,
            hint=f"give a four-digit year from 1900 to {today.year - 18}",
        )


def check_ecog(ecog: int | None) -> None:
    """ECOG performance status: 0 to 5, or not recorded."""
    if ecog is not None and not 0 <= ecog <= 5:
        raise InputError("must be a whole number from 0 to 5", column="ecog", value=ecog)


def check_choice(value: str, allowed: Sequence[str], *, column: str, blank: bool) -> None:
    """*value* must be one of *allowed* (or empty when *blank*)."""
    if value in allowed or (blank and value == ""):
        return
    raise InputError(f"must be one of {', '.join(allowed)}", column=column, value=value, hint=None)
