"""The signed-in user's language and time zone, and the view that saves a choice.

:class:`UserLanguageMiddleware` runs after Django's ``LocaleMiddleware`` (which reads the
switcher's cookie, then the browser's ``Accept-Language``): a saved preference wins. It
also activates the time zone of the user's centre (a patient's centre; staff of exactly
one centre), so times on every page are the centre's local times.
"""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from exonc.platform.accounts.models import Role, User
from exonc.platform.languages import LANGUAGES, SOURCE_LANGUAGE

CODES = frozenset(code for code, _ in LANGUAGES)
#: A centre's language by its country (ISO 3166 alpha-2): what a user who chose none reads
#: in e-mails and what the centre's reports are written in. Other countries: English.
COUNTRY_LANGUAGES = {
    "DE": "de",
    "AT": "de",
    "CH": "de",
    "NL": "nl",
    "BE": "nl",
    "ES": "es",
    "PL": "pl",
    "SE": "sv",
}


def centre_language(country: str) -> str:
    """The language of a centre in *country* (English where exonc has no catalogue)."""
    return COUNTRY_LANGUAGES.get(country.upper(), SOURCE_LANGUAGE)


def language_of(user: User) -> str:
    """The language to write to *user* in when no request says it (e-mails): her saved
    choice, else her centre's language, else English."""
    if user.language in CODES:
        return user.language
    from exonc.platform.trial.models import Centre  # the trial app builds on accounts

    centres = (
        Centre.objects.filter(participants__user=user)
        if user.role == Role.PATIENT
        else Centre.objects.filter(memberships__user=user)
    )
    countries = set(centres.values_list("country", flat=True))
    return centre_language(countries.pop()) if len(countries) == 1 else SOURCE_LANGUAGE


def centre_time_zone(user: User) -> str | None:
    """The time zone of *user*'s centre: her own for a patient, the one centre of staff."""
    from exonc.platform.trial.models import Centre  # the trial app builds on accounts

    if user.role == Role.PATIENT:
        zones = Centre.objects.filter(participants__user=user)
    else:
        zones = Centre.objects.filter(memberships__user=user)
    found = list(zones.values_list("time_zone", flat=True).distinct()[:2])
    return found[0] if len(found) == 1 else None


class UserLanguageMiddleware:
    """Activate the signed-in user's saved language and her centre's time zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if isinstance(user, User) and user.is_authenticated:
            if user.language in CODES:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
            zone = centre_time_zone(user)
            if zone:
                try:
                    timezone.activate(ZoneInfo(zone))
                except ZoneInfoNotFoundError:
                    timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """Django's ``set_language`` (cookie, then back to ``next``); a signed-in user's choice
    is saved with her account so that it follows her to any browser."""
    response = set_language(request)
    code = request.POST.get("language", "")
    user = request.user
    if code in CODES and isinstance(user, User) and user.is_authenticated:
        user.language = code
        user.save(update_fields=["language"])
    return response
