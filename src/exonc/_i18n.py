"""A no-op marker for texts of the domain core that people read.

The domain core never imports Django, yet some of its messages reach a patient or a
physiotherapist (safety restrictions, refusals, plausibility warnings). It marks them with
:func:`N_`, which returns the text unchanged; ``make messages`` extracts every ``N_("…")``
into the platform's catalogues (``--keyword=N_``), and the platform translates the text
with ``gettext`` when it shows it (see ``docs/translations.md``).
"""

from __future__ import annotations


def N_(message: str) -> str:
    """*message* unchanged; marks it for extraction into the translation catalogues."""
    return message
