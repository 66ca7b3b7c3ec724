"""Reading the staff form of one instrument (a paper form, or a correction) from a request.

Every answer is checked with the scoring engine's rules; invalid answers come back as
errors on their items, naming the value, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.utils import timezone
from django.utils.translation import gettext as _

from exonc.errors import ExoncError, InputError, TrialStateError
from exonc.platform.accounts.models import User
from exonc.platform.outcomes import scoring, services
from exonc.platform.outcomes.staff import PaperForm, paper_form, response_of
from exonc.platform.trial.models import Visit
from exonc.questionnaires import get_instrument


def handle_staff_form(
    user: User, visit: Visit, instrument: str, post: Mapping[str, str], *, correction: bool
) -> PaperForm | None:
    """Save the form; None when saved, else the form again with its errors."""
    given = {code: post.get(code, "") for code in get_instrument(instrument).item_codes}
    answered_on, reason = post.get("answered_on", "").strip(), post.get("reason", "")
    checked = scoring.check_answers(instrument, given)

    def again(error: str, problems: Mapping[str, str]) -> PaperForm:
        return paper_form(
            visit,
            instrument,
            correction=correction,
            given=given,
            problems=problems,
            answered_on=answered_on,
            reason=reason,
            error=error,
        )

    if checked.problems:
        return again(
            f"{len(checked.problems)} answer(s) are not valid: see the marked items",
            checked.problems,
        )
    try:
        _save(user, visit, instrument, checked.answers, answered_on, reason, correction=correction)
    except ExoncError as error:
        return again(str(error), {})
    return None


def _save(
    user: User,
    visit: Visit,
    instrument: str,
    answers: dict[str, scoring.Answer],
    answered_on: str,
    reason: str,
    *,
    correction: bool,
) -> None:
    now = timezone.now()
    if correction:
        response = response_of(visit, instrument)
        if response is None:
            raise TrialStateError(
                _("%(instrument)s at visit %(code)s has no answers to correct")
                % {"instrument": instrument, "code": visit.code}
            )
        services.correct_answers(user, response, answers, reason=reason, now=now)
        return
    services.enter_paper_form(
        user, visit, instrument, answers, answered_on=_date(answered_on), now=now, reason=reason
    )


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(
            "is not a date", column="answered_on", value=text, hint="give it as YYYY-MM-DD"
        ) from None
