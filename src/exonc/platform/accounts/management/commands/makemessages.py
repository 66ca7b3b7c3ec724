"""Django's ``makemessages`` that also extracts the domain core's ``N_("…")`` texts.

The domain core marks texts people read with the no-op :func:`exonc._i18n.N_` (it never
imports Django); this command adds ``--keyword=N_`` to xgettext so those texts land in the
platform's catalogues. ``make messages`` runs it; see ``docs/translations.md``.
"""

from __future__ import annotations

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=N_"]  # noqa: RUF012
