"""Programme delivery: the therapist minutes and group size of every supervised session.

The exercise app's session logs (``exercise.SessionLog``) say which supervised sessions
took place and whether the participant attended; they do not say how long the therapist
spent or how many participants were supervised together. Rather than change the session
log, this app keeps them beside it, and derives each supervised session's figures from,
in this order:

1. the session's own :class:`~exonc.platform.economics.models.DeliveryRecord`;
2. its centre's :class:`~exonc.platform.economics.models.DeliveryDefaults`;
3. the trial's defaults in ``data/costing.toml`` (60 minutes, one-to-one).

Home sessions have no therapist and cost nothing. The derived figures become
:class:`exonc.economics.SessionFact` records for :func:`exonc.economics.programme_costs`.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from exonc import exercise as ex
from exonc.economics import SessionFact
from exonc.errors import EconomicsInputError, TrialStateError
from exonc.platform import access, audit
from exonc.platform.accounts.models import Role, User
from exonc.platform.economics.costing import load_costing
from exonc.platform.economics.models import DeliveryDefaults, DeliveryRecord
from exonc.platform.exercise.models import SessionLog
from exonc.platform.trial.models import Centre

RECORDING = (Role.PHYSIOTHERAPIST, Role.COORDINATOR)
SETTING_DEFAULTS = (Role.COORDINATOR,)
MAX_MINUTES = 480.0
MAX_GROUP = 20


@dataclass(frozen=True)
class Delivered:
    """One supervised session as the costing sees it."""

    session: int
    study_id: str
    date: dt.date
    attended: bool
    therapist_minutes: float
    group_size: int
    source: str  # "session", "centre" or "trial"

    def fact(self) -> SessionFact:
        return SessionFact(self.study_id, self.therapist_minutes, self.group_size, self.attended)


_FIELDS = (
    "pk",
    "participant__study_id",
    "date",
    "attendance",
    "delivery__therapist_minutes",
    "delivery__group_size",
    "participant__centre__delivery__therapist_minutes",
    "participant__centre__delivery__group_size",
)


def delivered(logs: QuerySet[SessionLog]) -> list[Delivered]:
    """Each supervised session of *logs* with its derived minutes and group size.

    Reads only the columns it needs (a session log also holds its plan as JSON).
    """
    costing = load_costing()
    trial = (costing.therapist_minutes, costing.group_size)
    rows = (
        logs.filter(setting=ex.Setting.SUPERVISED.value)
        .order_by("participant__study_id", "date")
        .values_list(*_FIELDS)
    )
    found = []
    for pk, study_id, day, attendance, minutes, size, centre_minutes, centre_size in rows:
        if minutes is not None:
            derived, source = (minutes, size), "session"
        elif centre_minutes is not None:
            derived, source = (centre_minutes, centre_size), "centre"
        else:
            derived, source = trial, "trial"
        attended = attendance == ex.Attendance.ATTENDED.value
        found.append(Delivered(pk, study_id, day, attended, *derived, source=source))
    return found


def record_delivery(
    user: User,
    session: SessionLog,
    *,
    therapist_minutes: object,
    group_size: object,
    reason: str = "",
) -> DeliveryRecord:
    """Record (or, with a reason, change) a supervised session's therapist time and group."""
    access.require_role(user, *RECORDING)
    access.require_centre(user, session.participant.centre)
    if session.setting != ex.Setting.SUPERVISED.value:
        raise TrialStateError(
            _("%(session)s was a home session: no therapist time to record") % {"session": session}
        )
    minutes, size = _checked(therapist_minutes, group_size, allow_zero=True)
    with transaction.atomic():
        record = DeliveryRecord.objects.select_for_update().filter(session=session).first()
        if record is None:
            record = DeliveryRecord(session=session, recorded_by=user)
            why = "delivery recorded"
        else:
            why = audit.require_reason(reason, "a session's delivery")
        record.therapist_minutes, record.group_size = minutes, size
        audit.save(record, user, why)
    return record


def set_delivery_defaults(
    user: User,
    centre: Centre,
    *,
    therapist_minutes: object,
    group_size: object,
    reason: str = "",
) -> DeliveryDefaults:
    """Set how *centre* usually delivers a supervised session (coordinators)."""
    access.require_role(user, *SETTING_DEFAULTS)
    access.require_centre(user, centre)
    minutes, size = _checked(therapist_minutes, group_size, allow_zero=False)
    with transaction.atomic():
        defaults = DeliveryDefaults.objects.select_for_update().filter(centre=centre).first()
        if defaults is None:
            defaults = DeliveryDefaults(centre=centre)
            why = "delivery defaults set"
        else:
            why = audit.require_reason(reason, f"{centre.code}'s delivery defaults")
        defaults.therapist_minutes, defaults.group_size = minutes, size
        audit.save(defaults, user, why)
    return defaults


def _checked(minutes: object, size: object, *, allow_zero: bool) -> tuple[float, int]:
    low = 0.0 if allow_zero else 1.0
    value = _float(minutes, "therapist_minutes")
    if not low <= value <= MAX_MINUTES:
        raise EconomicsInputError(
            f"must be {low:g} to {MAX_MINUTES:g} minutes",
            column="therapist_minutes",
            value=minutes,
            hint="the therapist's time for the session, including preparation and notes",
        )
    group = _float(size, "group_size")
    if not group.is_integer() or not 1 <= group <= MAX_GROUP:
        raise EconomicsInputError(
            f"must be a whole number from 1 to {MAX_GROUP}",
            column="group_size",
            value=size,
            hint="1 for one-to-one supervision, 4 for a group of four",
        )
    return value, int(group)


def _float(raw: object, column: str) -> float:
    try:
        if isinstance(raw, bool):
            raise ValueError
        value = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise EconomicsInputError("is not a number", column=column, value=raw) from None
    if not math.isfinite(value):
        raise EconomicsInputError("is not a number", column=column, value=raw)
    return value


@dataclass(frozen=True)
class CentreDelivery:
    """A centre's delivery defaults as sessions without a record of their own take them."""

    centre: str
    name: str
    therapist_minutes: float
    group_size: int
    source: str  # "centre" (set by a coordinator) or "trial" (costing.toml)
    history: list[dict[str, object]]


def centre_defaults(centre: Centre) -> CentreDelivery:
    found = DeliveryDefaults.objects.filter(centre=centre).first()
    if found is None:
        costing = load_costing()
        return CentreDelivery(
            centre.code, centre.name, costing.therapist_minutes, costing.group_size, "trial", []
        )
    history = [
        {
            "when": h.history_date,
            "who": str(h.history_user or ""),
            "reason": h.history_change_reason,
        }
        for h in found.history.all()
    ]
    return CentreDelivery(
        centre.code, centre.name, found.therapist_minutes, found.group_size, "centre", history
    )
