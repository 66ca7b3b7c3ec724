"""Translations lay text fields over the source files, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from exonc.errors import GuideDataError
from exonc.guides import load_library


def _translate(copy: Path, words: str, guides: str) -> None:
    folder = copy / "translations" / "nl"
    (folder / "guides").mkdir(parents=True)
    (folder / "words.toml").write_text(words, encoding="utf-8")
    (folder / "guides" / "home-strength.toml").write_text(guides, encoding="utf-8")


def test_a_translation_replaces_texts_and_keeps_the_structure(copy: Path) -> None:
    _translate(
        copy,
        '[levels]\nstarting_out = "Beginnen"\n',
        '[guides.sit-to-stand]\ntitle = "Opstaan uit een stoel"\n'
        '[guides.sit-to-stand.illustration]\nalt = "Een vrouw staat op uit een stoel."\n',
    )
    english, dutch = load_library(copy), load_library(copy, "nl")
    en, nl = english.guide("sit-to-stand"), dutch.guide("sit-to-stand")
    assert (nl.title, nl.steps) == ("Opstaan uit een stoel", en.steps)  # untranslated: English
    assert nl.illustration is not None
    assert en.illustration is not None
    assert nl.illustration.alt == "Een vrouw staat op uit een stoel."
    assert nl.illustration.start == en.illustration.start
    assert (nl.movements, nl.levels) == (en.movements, en.levels)
    assert dutch.words.sections["levels"]["starting_out"] == "Beginnen"
    assert dutch.words.language == "nl"


@pytest.mark.parametrize(
    ("guides", "message"),
    [
        ("[guides.sit-to-stand]\nmovements = []\n", "a translation holds text fields only"),
        ('[guides.no-such-guide]\ntitle = "x"\n', "translates a guide the library does not have"),
    ],
)
def test_a_translation_may_not_change_structure_or_invent_guides(
    copy: Path, guides: str, message: str
) -> None:
    _translate(copy, "", guides)
    with pytest.raises(GuideDataError, match=message):
        load_library(copy, "nl")


def test_an_unknown_language_is_one_line(copy: Path) -> None:
    with pytest.raises(GuideDataError, match="no translation of the guides in this language"):
        load_library(copy, "xx")


def test_a_reason_sentence_with_a_wrong_placeholder_is_refused(copy: Path) -> None:
    path = copy / "words.toml"
    text = path.read_text(encoding="utf-8").replace(
        "it involves {movement}.", "it involves {motion}."
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(
        GuideDataError, match=r"words.toml, key reasons.site_rule: uses a placeholder"
    ):
        load_library(copy)
