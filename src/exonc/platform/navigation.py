"""The main menu, per role: a link is shown only to the roles the page lets in.

The menu is a table (:data:`MENU`) of label, URL name and the roles that may follow the
link; a context processor hands each page the entries of the signed-in user. The crawl
test (``tests/platform/test_navigation.py``) follows every link as every demo role and
fails on any that answers 4xx or 5xx, so an entry here cannot drift from its page's rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from exonc.platform.accounts.models import Role, User

STAFF = frozenset(Role) - {Role.PATIENT}
SITE = frozenset({Role.COORDINATOR, Role.PHYSIOTHERAPIST, Role.CLINICIAN})
TRIAL_WIDE = frozenset({Role.STATISTICIAN, Role.ADMINISTRATOR})


@dataclass(frozen=True)
class Entry:
    label: str | Promise
    url_name: str
    roles: frozenset[Role]
    patient_label: str | Promise | None = None


MENU: tuple[Entry, ...] = (
    Entry(_("Participants"), "participants", STAFF),
    Entry(_("Due now"), "due", STAFF - {Role.STATISTICIAN}),
    Entry(_("Questionnaires"), "questionnaires", frozenset(Role), _("Your questionnaires")),
    Entry(_("Activity"), "activity", frozenset(Role), _("Your week")),
    Entry(_("Allocation"), "allocation-report", TRIAL_WIDE),
    Entry(
        _("Programme"),
        "exercise:home",
        SITE | {Role.ADMINISTRATOR, Role.PATIENT},
        _("Your programme"),
    ),
    Entry(_("Resource use"), "economics:resource-use", SITE | {Role.ADMINISTRATOR, Role.MONITOR}),
    Entry(_("Health economics"), "economics:analysis", TRIAL_WIDE),
    Entry(_("Reports"), "reports:index", TRIAL_WIDE),
    Entry(_("Monitoring"), "reports:monitoring-index", TRIAL_WIDE | {Role.COORDINATOR}),
    Entry(_("Data queries"), "queries:list", STAFF - {Role.STATISTICIAN}),
    Entry(_("Jobs"), "jobs:list", STAFF),
    Entry(_("Security"), "security:overview", frozenset({Role.ADMINISTRATOR})),
)


@dataclass(frozen=True)
class Link:
    label: str | Promise
    url: str
    current: bool


def role_of(user: Any) -> Role | None:
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    return Role.ADMINISTRATOR if user.is_superuser else Role(user.role)


def menu(request: HttpRequest) -> dict[str, list[Link]]:
    """Context processor: ``menu``, the links the signed-in user may follow."""
    role = role_of(getattr(request, "user", None))
    if role is None:
        return {"menu": []}
    links = []
    for entry in MENU:
        if role not in entry.roles:
            continue
        url = reverse(entry.url_name)
        label = entry.patient_label if role == Role.PATIENT and entry.patient_label else entry.label
        links.append(Link(label, url, request.path.startswith(url) and url != "/"))
    return {"menu": links}


def _link_roles() -> dict[str, frozenset[Role]]:
    """Pages that only some staff roles may open, by URL name, from each page's own rule."""
    from exonc.platform.activity.services import UPLOADERS
    from exonc.platform.activity.windows import EXPORTERS
    from exonc.platform.exercise.plans import PLANNERS

    return {
        "exercise:plan": frozenset(PLANNERS),
        "exercise:log": frozenset(PLANNERS),
        "activity-upload": frozenset(UPLOADERS),
        "activity-windows": frozenset(EXPORTERS),
        **{entry.url_name: entry.roles for entry in MENU},
    }


def may_follow(user: Any, url_name: str) -> bool:
    """Whether *user*'s role may open the page named *url_name* (administrators may)."""
    role = role_of(user)
    if role is None:
        return False
    roles = _link_roles().get(url_name)
    return role == Role.ADMINISTRATOR or roles is None or role in roles
