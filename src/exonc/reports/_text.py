"""The marker of the report's translatable text.

The domain core does not import Django, so the report's words are marked with ``_()``, a
no-op that gettext's extractors (``xgettext -k_``, Django's ``makemessages``) find; the
HTML template marks its words with Jinja2's ``{% trans %}``. Translations are not applied
yet: the report is written in English.
"""

from __future__ import annotations


def _(text: str) -> str:
    """*text*, marked for translation."""
    return text
