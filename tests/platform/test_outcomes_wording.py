"""The text pack forms use: EXONC_TEXT_PACK, the placeholder fallback and its banner."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.utils import timezone

from exonc.errors import InstrumentDataError
from exonc.platform.accounts.models import User
from exonc.platform.outcomes.wording import installed_text_packs, wording
from exonc.platform.settings import load_settings
from exonc.platform.trial.models import Participant
from exonc.platform.trial.services import local_today
from tests.platform.outcomes_setup import give_patient_login

DOCS = Path(__file__).parents[2] / "docs"

HADS_PACK = """
[pack]
name = "trial-hads-nl"
language = "nl"
placeholder = false
licence = "test wording written for this test"

[instruments.hads]
version = "1983"
title = "Stemming"
instructions = "Kies het antwoord dat het best past."

[instruments.hads.options]
"0-3" = ["eerste", "tweede", "derde", "vierde"]

[instruments.hads.items]
""" + "\n".join(f'q{i} = "Vraag {i}"' for i in range(1, 15))


@pytest.fixture
def installed(tmp_path: Path) -> Iterator[Path]:
    """EXONC_TEXT_PACK pointing at a pack that covers only the HADS."""
    path = tmp_path / "pack.toml"
    path.write_text(HADS_PACK, encoding="utf-8")
    original = settings.EXONC
    settings.EXONC = dataclasses.replace(original, text_pack=path)
    installed_text_packs.cache_clear()
    yield path
    settings.EXONC = original
    installed_text_packs.cache_clear()


def test_without_a_pack_forms_use_the_placeholder() -> None:
    words = wording("hads")
    assert (words.pack, words.placeholder) == ("placeholder", True)
    assert words.text.item("q1").text.startswith("[Placeholder]")


def test_an_installed_pack_is_used_for_what_it_covers(installed: Path) -> None:
    hads = wording("hads")
    assert (hads.pack, hads.language, hads.placeholder) == ("trial-hads-nl", "nl", False)
    assert hads.text.item("q2").text == "Vraag 2"
    # HADS item 1 prints its answers from 3 down to 0: the first label goes with 3
    assert hads.text.item("q1").options[0] == (3, "eerste")
    assert wording("qlq-c30").placeholder is True  # not in the pack: placeholder wording


@pytest.mark.django_db
def test_the_form_shows_the_installed_wording_without_the_banner(
    installed: Path, ready: Participant, coordinator: User
) -> None:
    today = local_today(ready.centre, timezone.now())
    patient = give_patient_login(coordinator, ready, randomised_on=today - dt.timedelta(days=91))
    client = Client()
    client.force_login(patient)
    page = client.get("/questionnaires/m3/hads/1/").content.decode()
    assert "Vraag 1" in page
    assert 'lang="nl"' in page
    assert "Placeholder wording." not in page
    assert "Placeholder wording." in client.get("/questionnaires/m3/qlq-c30/1/").content.decode()


def test_a_pack_that_does_not_validate_stops_the_platform(installed: Path) -> None:
    installed.write_text(HADS_PACK.replace('q14 = "Vraag 14"', ""), encoding="utf-8")
    installed_text_packs.cache_clear()
    with pytest.raises(
        InstrumentDataError, match=r"pack.toml, key instruments.hads.items: no text for item q14"
    ):
        apps.get_app_config("outcomes").ready()


def test_the_setting_is_read_and_documented() -> None:
    assert load_settings({"EXONC_TEXT_PACK": "packs/nl.toml"}).text_pack == Path("packs/nl.toml")
    assert load_settings({}).text_pack is None
    documented = (DOCS / "settings.md").read_text(encoding="utf-8")
    assert "| `EXONC_TEXT_PACK` |" in documented
