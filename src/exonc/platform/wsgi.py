"""WSGI entry point (``exonc serve`` and any WSGI server)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exonc.platform.django_settings")
application = get_wsgi_application()

from exonc.platform.allocation.checks import refuse_unverified  # noqa: E402  (needs Django set up)

refuse_unverified()  # never serve from an allocation list that does not match its checksum

# Import every view now, while the server process boots, rather than in the first request
# each process answers (which then took seconds on a busy machine).
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018
