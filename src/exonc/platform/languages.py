"""The languages of the platform (plain data: the settings and the accounts app read it).

English (``en-gb``, the source language of every text) and the languages of the trial's
centres. ``docs/translations.md`` says how the catalogues are made and reviewed.
"""

from __future__ import annotations

#: Language code and the language's own name (what the switcher shows).
LANGUAGES: tuple[tuple[str, str], ...] = (
    ("en-gb", "English"),
    ("de", "Deutsch"),
    ("nl", "Nederlands"),
    ("es", "Español"),
    ("pl", "Polski"),
    ("sv", "Svenska"),
)
SOURCE_LANGUAGE = "en-gb"
#: The languages with a catalogue under ``exonc/platform/locale``.
TRANSLATED = tuple(code for code, _ in LANGUAGES if code != SOURCE_LANGUAGE)
