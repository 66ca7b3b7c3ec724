"""Which questionnaires are due at which visit, and when they may be answered.

The protocol lists the instruments of each visit (``[[visits]] instruments``). A patient
answers a visit's questionnaires online while its window is open (the centre's date
between ``window_start`` and ``window_end``, both included), whether or not the visit
itself is recorded as done, unless she has left follow-up. Staff may enter a paper form
at any time after it was answered; answers dated outside the window are flagged as such.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from exonc.errors import TrialStateError
from exonc.platform.trial.models import Participant, Visit
from exonc.platform.trial.protocols import active_protocol
from exonc.questionnaires import INSTRUMENTS


def due_instruments(visit_code: str) -> tuple[str, ...]:
    """The instruments the active protocol lists for visits coded *visit_code*.

    Instruments exonc does not score are left out (the protocol names them for other
    purposes; exonc cannot collect them).
    """
    for visit in active_protocol().visits:
        if visit.code == visit_code:
            return tuple(name for name in visit.instruments if name in INSTRUMENTS)
    return ()


def window_open(visit: Visit, today: dt.date) -> bool:
    return visit.window_start <= today <= visit.window_end


def in_follow_up(participant: Participant, on: dt.date) -> bool:
    """False from the day she left follow-up (death, consent, lost, all follow-up stopped).

    Stopping only the exercise programme (``intervention``) keeps her in follow-up.
    """
    withdrawal = getattr(participant, "withdrawal", None)
    if withdrawal is None or withdrawal.kind == "intervention":
        return True
    return bool(on < withdrawal.withdrawn_on)


def require_due(visit: Visit, instrument: str) -> None:
    """Refuse an instrument the protocol does not list for *visit*."""
    if instrument not in due_instruments(visit.code):
        listed = ", ".join(due_instruments(visit.code)) or "none"
        raise TrialStateError(
            f"{instrument} is not due at visit {visit.code} (the protocol lists: {listed})"
        )


def require_answerable_online(visit: Visit, today: dt.date) -> None:
    """Refuse unless the patient may answer this visit's questionnaires today."""
    if not in_follow_up(visit.participant, today):
        raise TrialStateError(
            _("%(participant)s has left follow-up; nothing is due")
            % {"participant": visit.participant}
        )
    if today < visit.window_start:
        raise TrialStateError(
            f"the questionnaires of visit {visit.code} open on {visit.window_start:%Y-%m-%d}"
        )
    if today > visit.window_end:
        raise TrialStateError(
            f"the questionnaires of visit {visit.code} closed on {visit.window_end:%Y-%m-%d}"
        )
