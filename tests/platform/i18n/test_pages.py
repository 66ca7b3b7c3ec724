"""Every page in the reader's language: the sign-in page follows the browser's
Accept-Language, then the user's saved choice wins; dates and decimals follow the language;
the patient's "Please avoid" list, questionnaires and reminder e-mails are in her language.

The expected words are the catalogues' own (docs/translations.md), so a review that
rewords a translation changes them here too.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from django.core import mail
from django.template import Context, Template
from django.test import Client
from django.utils import timezone, translation

from exonc.platform.accounts.language import centre_language, centre_time_zone, language_of
from exonc.platform.accounts.models import Role, User
from exonc.platform.exercise import convert
from exonc.platform.exercise import safety_services as register
from exonc.platform.exercise.models import ExerciseProfile
from exonc.platform.reminders.services import send_due_reminders
from exonc.platform.trial.models import Participant
from exonc.platform.trial.services import local_today
from tests.platform.exercise.conftest import clinician, current, member  # noqa: F401
from tests.platform.outcomes_setup import give_patient_login

pytestmark = pytest.mark.django_db

#: Per language: Accept-Language, its sign-in words, a staff page's heading, the hub's
#: heading, a questionnaire button, the placeholder pack's tag.
WORDS = {
    "de": (
        "de-DE,de;q=0.9",
        "Anmelden",
        "Ihre Teilnehmerinnen",
        "Ihre Fragebögen",
        "Nächste Frage",
        "[Platzhalter]",
    ),
    "nl": (
        "nl-NL,nl;q=0.9",
        "Aanmelden",
        "Uw deelnemers",
        "Uw vragenlijsten",
        "Volgende vraag",
        "[Plaatshouder]",
    ),
    "es": (
        "es-ES,es;q=0.9",
        "Iniciar sesión",
        "Sus participantes",
        "Sus cuestionarios",
        "Siguiente pregunta",
        "[Marcador]",
    ),
    "pl": (
        "pl-PL,pl;q=0.9",
        "Zaloguj się",
        "Twoje uczestniczki",
        "Pani kwestionariusze",
        "Następne pytanie",
        "[Tekst zastępczy]",  # codespell:ignore
    ),
    "sv": (
        "sv-SE,sv;q=0.9",
        "Logga in",
        "Dina deltagare",
        "Dina frågeformulär",
        "Nästa fråga",
        "[Platshållare]",
    ),
}
LANGUAGES = sorted(WORDS)
PELVIS = convert.LesionEntry("pelvis", "left", "lytic", dt.date(2024, 2, 1))


def signed_in(user: User, language: str = "") -> Client:
    if language:
        user.language = language
        user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_sign_in_page_follows_the_browser(language: str) -> None:
    accept, sign_in, *_ = WORDS[language]
    response = Client().get("/login/", HTTP_ACCEPT_LANGUAGE=accept)
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert f"<h1>{sign_in}</h1>" in html
    assert response["Content-Language"] == language


def test_english_is_the_default_and_other_browsers_get_it() -> None:
    for accept in ("", "fr-FR,fr;q=0.9", "en-US,en;q=0.8"):
        html = Client().get("/login/", HTTP_ACCEPT_LANGUAGE=accept).content.decode()
        assert '<html lang="en-gb">' in html
        assert "<h1>Sign in</h1>" in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_staff_page_in_the_saved_language(language: str, coordinator: User) -> None:
    *_, staff_heading, _hub, _next, _tag = WORDS[language]
    client = signed_in(coordinator, language)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()  # her choice wins
    assert f'<html lang="{language}">' in html
    assert staff_heading in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_patient_hub_and_a_questionnaire_in_her_language(
    language: str, ready: Participant, coordinator: User
) -> None:
    *_, hub_heading, next_button, tag = WORDS[language]
    today = local_today(ready.centre, timezone.now())
    patient = give_patient_login(coordinator, ready, randomised_on=today - dt.timedelta(days=91))
    client = signed_in(patient, language)
    hub = client.get("/hub/").content.decode()
    assert f'<html lang="{language}">' in hub
    assert hub_heading in hub
    with translation.override(language):  # the shipped protocol's visit names translate
        assert translation.gettext("3 months") in hub
    assert "3 months" not in hub
    twin = client.get("/hub/?format=json").json()  # the JSON twin speaks her language too
    with translation.override(language):
        assert twin["today"]["stop_signs"][0] == translation.gettext(
            "new or worse bone pain, especially at rest or at night"
        )
    assert (
        twin["today"]["stop_signs"][0] != "new or worse bone pain, especially at rest or at night"
    )
    item = client.get("/questionnaires/m3/hads/1/").content.decode()
    assert next_button in item
    assert f'lang="{language}"' in item  # the placeholder pack of her language
    assert tag in item


def test_the_switcher_saves_a_signed_in_users_choice(coordinator: User) -> None:
    client = signed_in(coordinator)
    response = client.post("/language/", {"language": "sv", "next": "/participants/"})
    assert response.status_code == 302
    assert response["Location"] == "/participants/"
    coordinator.refresh_from_db()
    assert coordinator.language == "sv"
    assert "Dina deltagare" in signed_in(coordinator).get("/").content.decode()


def test_the_switcher_works_without_signing_in_and_without_javascript() -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get("/login/").content.decode()
    assert 'action="/language/"' in page
    assert 'name="csrfmiddlewaretoken"' in page.split('action="/language/"')[1]
    token = client.cookies["csrftoken"].value
    client.post("/language/", {"language": "pl", "next": "/login/", "csrfmiddlewaretoken": token})
    assert "<h1>Zaloguj się</h1>" in client.get("/login/").content.decode()


def test_the_profile_page_shows_the_choice_and_the_centres_time_zone(coordinator: User) -> None:
    html = signed_in(coordinator, "de").get("/account/").content.decode()
    assert "<h1>Ihr Konto</h1>" in html
    assert "Europe/Amsterdam" in html
    assert centre_time_zone(coordinator) == "Europe/Amsterdam"


@pytest.mark.parametrize(
    ("language", "avoid"),
    [
        ("de", "Wegen der Metastase im Bereich Becken (L1) bitte nicht: Strecken der Hüfte"),
        ("nl", "Vanwege de uitzaaiing in uw bekken (L1): niet strekken van de heup"),
        ("es", "Por la lesión en: pelvis (L1): no estirar la cadera"),
        ("pl", "Z powodu zmiany w okolicy: miednica (L1) proszę unikać: prostowania biodra"),
        ("sv", "På grund av förändringen i bäckenet (L1): inte sträcka höften"),
    ],
)
def test_today_s_plan_names_what_to_avoid_in_her_language(
    language: str,
    avoid: str,
    current: ExerciseProfile,  # noqa: F811
    physio: User,
) -> None:
    """The restriction sentence, the site (a domain N_ text) and the movement (platform
    gettext) are all hers: "no raising the arm out to the side" is not left in English."""
    participant = current.participant
    today = local_today(participant.centre, timezone.now())
    register.record_lesion(physio, participant, PELVIS, today=today)
    patient = User.objects.create_user(username="pat-x", password="pw", role=Role.PATIENT)
    participant.user = patient
    participant.save()
    html = signed_in(patient, language).get("/programme/today/").content.decode()
    assert avoid in html
    assert "against weight" not in html


@pytest.mark.parametrize(
    ("language", "decimal", "day"),
    [
        ("en-gb", "1.5", "8 Dec 2026"),
        ("de", "1,5", "8. Dezember 2026"),  # codespell:ignore
        ("nl", "1,5", "8 december 2026"),
        ("es", "1,5", "8 de diciembre de 2026"),
        ("pl", "1,5", "8 grudnia 2026"),
        ("sv", "1,5", "8 december 2026"),
    ],
)
def test_decimals_and_dates_follow_the_language(language: str, decimal: str, day: str) -> None:
    """Django's own locale formats (CLDR-based): the decimal comma, the long date."""
    template = Template("{{ x|floatformat:1 }}|{{ d|date:'DATE_FORMAT' }}")
    with translation.override(language):
        text = template.render(Context({"x": 1.5, "d": dt.date(2026, 12, 8)}))
    assert text == f"{decimal}|{day}"


def test_times_are_shown_in_the_centres_time_zone(coordinator: User, ready: Participant) -> None:
    """A Utrecht coordinator sees 06:30 UTC as 08:30 (CEST) in a page's times."""
    client = signed_in(coordinator)
    html = client.get(f"/participants/{ready.study_id}/").content.decode()
    assert html  # the page renders with the centre's zone active
    with timezone.override("Europe/Amsterdam"):
        when = dt.datetime(2024, 5, 2, 6, 30, tzinfo=dt.UTC)
        rendered = Template("{{ t|date:'H:i' }}").render(Context({"t": when}))
    assert rendered == "08:30"


def test_e_mails_go_out_in_the_patients_language(ready: Participant, coordinator: User) -> None:
    """No choice saved: her centre's language (Utrecht: Dutch); a saved choice wins."""
    patient = give_patient_login(coordinator, ready, randomised_on=dt.date(2024, 2, 2))
    patient.email = "pat@example.org"
    patient.save()
    assert (centre_language("NL"), centre_language("AU"), language_of(patient)) == (
        "nl",
        "en-gb",
        "nl",
    )
    send_due_reminders(dt.datetime(2024, 4, 18, 7, 0, tzinfo=dt.UTC))
    (message,) = mail.outbox
    assert "vragenlijsten staan klaar" in message.subject
    assert "16 mei 2024" in message.body
    assert message.body.startswith("Hallo,")


def test_guides_are_read_through_their_translation_overlay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Decision 0007: a translation overlay gives a guide's words in another language; the
    platform reads it in the reader's language, and approvals stay on the English content."""
    from exonc.guides.library import data_folder, load_library
    from exonc.platform.guides import review

    folder = tmp_path / "data"
    shutil.copytree(data_folder(), folder)
    overlay = folder / "translations" / "de" / "guides"
    overlay.mkdir(parents=True)
    (overlay / "sit-to-stand.toml").write_text(
        '[guides.sit-to-stand]\ntitle = "Aufstehen vom Stuhl"\n', encoding="utf-8"
    )
    monkeypatch.setattr(review, "data_folder", lambda: folder)
    monkeypatch.setattr(
        review, "default_library", lambda language="en": load_library(folder, language)
    )
    with translation.override("de"):
        assert review.library().guide("sit-to-stand").title == "Aufstehen vom Stuhl"
        assert review.source_library().guide("sit-to-stand").title == "Sit to stand"
    with translation.override("sv"):  # no Swedish overlay: English
        assert review.library().guide("sit-to-stand").title == "Sit to stand"
