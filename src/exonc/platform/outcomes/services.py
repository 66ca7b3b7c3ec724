"""Use cases of questionnaire responses: answer online, submit, enter paper forms, correct.

Every function checks the user's role and centre (or, for a patient, that the visit is
her own), validates the answers with the scoring engine's rules before writing anything,
and saves in one transaction through :func:`exonc.platform.audit.save`, so that the
history row records who changed what and why. Raw answers are never dropped: a patient
may change her answers until she submits; after that, only a coordinator's correction
with a reason changes them, and the history keeps every earlier version.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from exonc.errors import AccessDenied, InputError, TrialStateError
from exonc.platform import access, audit
from exonc.platform.accounts.models import Role, User
from exonc.platform.outcomes import scoring
from exonc.platform.outcomes.models import Entry, Mode, QuestionnaireResponse, Status
from exonc.platform.outcomes.schedule import (
    due_instruments,
    in_follow_up,
    require_answerable_online,
    require_due,
)
from exonc.platform.trial import services as trial_services
from exonc.platform.trial.models import Visit
from exonc.platform.trial.protocols import protocol_version
from exonc.platform.trial.services import local_today
from exonc.questionnaires import get_instrument

PAPER_ENTRY = (Role.COORDINATOR, Role.PHYSIOTHERAPIST)
CORRECTING = (Role.COORDINATOR,)


def save_answers(
    user: User, visit: Visit, instrument: str, given: Mapping[str, object], *, now: dt.datetime
) -> QuestionnaireResponse:
    """Save some of a patient's own answers as she goes (the response starts on her first)."""
    _check_patient(user, visit, instrument, now)
    checked = scoring.check_answers(instrument, given)
    if (error := checked.error()) is not None:
        raise error
    try:
        return _save_answers(user, visit, instrument, checked.answers, now)
    except IntegrityError:  # her first answer, saved twice at once (two tabs): save again
        return _save_answers(user, visit, instrument, checked.answers, now)


def _save_answers(
    user: User, visit: Visit, instrument: str, answers: dict[str, scoring.Answer], now: dt.datetime
) -> QuestionnaireResponse:
    with transaction.atomic():
        response = _locked(visit, instrument)
        if response is None:
            response = _new_response(user, visit, instrument, now, Entry.PATIENT, Mode.WEB)
        if response.submitted:
            raise TrialStateError(
                f"your answers to {instrument} at visit {visit.code} were already submitted"
            )
        response.answers = {**response.answers, **answers}
        response.last_saved_at = now
        audit.save(response, user, "answered online")
    return response


def submit(user: User, visit: Visit, instrument: str, *, now: dt.datetime) -> QuestionnaireResponse:
    """Submit a patient's answers: they are scored and can no longer be changed by her."""
    today = _check_patient(user, visit, instrument, now)
    with transaction.atomic():
        response = (
            QuestionnaireResponse.objects.select_for_update()
            .filter(visit=visit, instrument=instrument)
            .first()
        )
        if response is None or not any(v is not None for v in response.answers.values()):
            raise TrialStateError(
                _("answer at least one question of %(instrument)s first")
                % {"instrument": instrument}
            )
        if response.submitted:
            raise TrialStateError(
                _("%(instrument)s at visit %(code)s is already submitted")
                % {"instrument": instrument, "code": visit.code}
            )
        response.status = Status.SUBMITTED
        response.submitted_at = response.last_saved_at = now
        response.answered_on = today
        _score(response, visit, now)
        audit.save(response, user, "submitted online")
    return response


def enter_paper_form(
    user: User,
    visit: Visit,
    instrument: str,
    given: Mapping[str, object],
    *,
    answered_on: dt.date,
    now: dt.datetime,
    reason: str = "",
) -> QuestionnaireResponse:
    """Record a paper form the patient filled in, entered by staff on her behalf.

    It is submitted and scored at once. A response the patient started online is replaced
    only with a *reason* (its answers stay in the history); a submitted one is corrected
    with :func:`correct_answers` instead.
    """
    access.require_role(user, *PAPER_ENTRY)
    access.require_centre(user, visit.participant.centre)
    require_due(visit, instrument)
    _check_answered_on(visit, answered_on, now)
    checked = scoring.check_answers(instrument, given)
    if (error := checked.error()) is not None:
        raise error
    with transaction.atomic():
        response = _existing_for_paper(visit, instrument, reason)
        response = response or _new_response(user, visit, instrument, now, Entry.STAFF, Mode.PAPER)
        _fill_paper(response, user, checked.answers, answered_on, now)
        _score(response, visit, now)
        audit.save(response, user, reason.strip() or "paper form entered by staff")
    return response


def correct_answers(
    user: User,
    response: QuestionnaireResponse,
    changes: Mapping[str, object],
    *,
    reason: str,
    now: dt.datetime,
) -> QuestionnaireResponse:
    """Correct submitted answers (e.g. a transcription error); the reason is kept.

    The scores are recomputed with the scoring version and value set they were made with.
    """
    access.require_role(user, *CORRECTING)
    access.require_centre(user, response.visit.participant.centre)
    reason = audit.require_reason(reason, f"the answers to {response.instrument}")
    checked = scoring.check_answers(response.instrument, changes)
    if (error := checked.error()) is not None:
        raise error
    if not checked.answers:
        raise InputError("no answers to correct", hint="give the items to change")
    with transaction.atomic():
        fresh = QuestionnaireResponse.objects.select_for_update().get(pk=response.pk)
        if not fresh.submitted:
            raise TrialStateError(
                _("only submitted answers are corrected; this one is in progress")
            )
        corrected = {**fresh.answers, **checked.answers}
        if corrected == fresh.answers:
            raise InputError("changes no answer", hint="give the answers that are corrected")
        fresh.answers = corrected
        fresh.last_saved_at = now
        rescored = scoring.score(
            fresh.instrument,
            fresh.answers,
            fresh.value_set or None,
            scoring_version=fresh.scoring_version,
        )
        _store_scores(fresh, rescored, now)
        audit.save(fresh, user, reason)
    return fresh


def record_visit_completed(user: User, visit: Visit, *, now: dt.datetime) -> Visit:
    """Record the visit as done once every due questionnaire is submitted (a staff action).

    The visit's date is the day the last questionnaire was answered.
    """
    due = due_instruments(visit.code)
    submitted = visit.questionnaire_responses.filter(status=Status.SUBMITTED, instrument__in=due)
    if not due or submitted.count() < len(due):
        raise TrialStateError(
            f"{submitted.count()} of {len(due)} questionnaires of visit {visit.code} are submitted"
        )
    if visit.completed_on is not None:
        raise TrialStateError(
            _("visit %(code)s was recorded as done on %(completed_on)s")
            % {"code": visit.code, "completed_on": visit.completed_on}
        )
    last = max(r.answered_on for r in submitted if r.answered_on is not None)
    return trial_services.complete_visit(
        user, visit, completed_on=last, today=local_today(visit.participant.centre, now)
    )


def _check_patient(user: User, visit: Visit, instrument: str, now: dt.datetime) -> dt.date:
    """The patient herself, her own visit, an instrument due now: her local date."""
    access.require_role(user, Role.PATIENT)
    if visit.participant.user_id != user.pk:
        raise AccessDenied(_("patients answer only their own questionnaires"))
    require_due(visit, instrument)
    today = local_today(visit.participant.centre, now)
    require_answerable_online(visit, today)
    return today


def _check_answered_on(visit: Visit, answered_on: dt.date, now: dt.datetime) -> None:
    today = local_today(visit.participant.centre, now)
    if answered_on > today:
        raise InputError(
            "is in the future",
            column="answered_on",
            value=str(answered_on),
            hint="give the date written on the paper form",
        )
    if not in_follow_up(visit.participant, answered_on):
        raise TrialStateError(
            _("%(participant)s had left follow-up by %(answered_on)s")
            % {"participant": visit.participant, "answered_on": answered_on}
        )


def _locked(visit: Visit, instrument: str) -> QuestionnaireResponse | None:
    return (
        QuestionnaireResponse.objects.select_for_update()
        .filter(visit=visit, instrument=instrument)
        .first()
    )


def _new_response(
    user: User, visit: Visit, instrument: str, now: dt.datetime, entry: Entry, mode: Mode
) -> QuestionnaireResponse:
    response = QuestionnaireResponse(
        visit=visit,
        protocol_version=protocol_version(),
        instrument=instrument,
        instrument_version=get_instrument(instrument).version,
        answers={},
        entry=entry,
        mode=mode,
        entered_by=user,
        started_at=now,
        last_saved_at=now,
    )
    return response


def _existing_for_paper(visit: Visit, instrument: str, reason: str) -> QuestionnaireResponse | None:
    found = _locked(visit, instrument)
    if found is None:
        return None
    if found.submitted:
        raise TrialStateError(
            f"{instrument} at visit {visit.code} is already submitted; correct it with a reason"
        )
    audit.require_reason(reason, f"the answers she started online to {instrument}")
    return found


def _fill_paper(
    response: QuestionnaireResponse,
    user: User,
    answers: dict[str, scoring.Answer],
    answered_on: dt.date,
    now: dt.datetime,
) -> None:
    response.answers = dict(answers)
    response.entry, response.mode, response.entered_by = Entry.STAFF, Mode.PAPER, user
    response.status = Status.SUBMITTED
    response.answered_on = answered_on
    response.submitted_at = response.last_saved_at = now


def _score(response: QuestionnaireResponse, visit: Visit, now: dt.datetime) -> None:
    value_set = scoring.value_set_for(response.instrument, visit.participant.centre.country)
    _store_scores(response, scoring.score(response.instrument, response.answers, value_set), now)


def _store_scores(
    response: QuestionnaireResponse, scored: scoring.Scored, now: dt.datetime
) -> None:
    response.scores = scored.scores
    response.scoring_version = scored.scoring_version
    response.scoring_id = scored.scoring_id
    response.value_set = scored.value_set
    response.scored_at = now
