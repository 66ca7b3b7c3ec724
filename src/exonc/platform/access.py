"""Who may see and change what: the one place where centre scoping is decided.

Site staff (coordinators, physiotherapists, clinicians) see the participants of the centres
they belong to; administrators and statisticians see every centre; a patient sees only
herself. Every queryset that serves a user goes through :func:`scope`, and every service
that changes trial data checks :func:`require_role` and :func:`require_centre` first.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from exonc.errors import AccessDenied
from exonc.platform.accounts.models import Role, User
from exonc.platform.trial.models import Centre

M = TypeVar("M", bound=Model)


def centre_ids(user: User) -> set[int] | None:
    """Ids of the centres *user* may see, or None for every centre."""
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_trial_wide:
        return None
    if user.role == Role.PATIENT:
        return set()
    return set(user.memberships.values_list("centre_id", flat=True))


def visible_centres(user: User) -> QuerySet[Centre]:
    ids = centre_ids(user)
    centres = Centre.objects.all()
    return centres if ids is None else centres.filter(id__in=ids)


def scope(queryset: QuerySet[M], user: User, participant: str = "") -> QuerySet[M]:
    """Restrict *queryset* to what *user* may see.

    *participant* is the lookup path from the queryset's model to ``Participant`` (``""``
    for ``Participant`` itself, ``"participant"`` for a visit, and so on).
    """
    prefix = f"{participant}__" if participant else ""
    if user.is_authenticated and user.is_active and user.role == Role.PATIENT:
        own: dict[str, Any] = {f"{prefix}user": user}
        return queryset.filter(**own)
    ids = centre_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{prefix}centre_id__in": ids})


def require_role(user: User, *roles: Role) -> None:
    """Refuse unless *user* is active and has one of *roles* (administrators always may)."""
    if not user.is_authenticated or not user.is_active:
        raise AccessDenied(_("sign in first"))
    if user.role == Role.ADMINISTRATOR or user.is_superuser or user.role in roles:
        return
    allowed = ", ".join(r.label.lower() for r in roles)
    raise AccessDenied(
        _("only a %(allowed)s may do this; you are signed in as %(role)s")
        % {"allowed": allowed, "role": user.role}
    )


def require_centre(user: User, centre: Centre) -> None:
    """Refuse unless *user* may act on *centre*'s participants."""
    ids = centre_ids(user)
    if ids is not None and centre.id not in ids:
        raise AccessDenied(
            _("%(username)s does not work at centre %(code)s")
            % {"username": user.username, "code": centre.code}
        )
