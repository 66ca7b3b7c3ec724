"""Sending reminders: questionnaire windows to patients, a daily digest to coordinators.

:func:`send_due_reminders` is what the task runner calls every hour (``tasks.py``); it
takes the instant *now* so that tests call it directly with any date. A reminder is sent
from :data:`SEND_FROM_HOUR` o'clock at the centre, once: its row in
:class:`~exonc.platform.reminders.models.SentReminder` is written in the same transaction
as the e-mail is handed to the mail server, so a failed send is tried again on the next
run and a repeated run sends nothing twice. E-mails name no diagnosis and no data: only
that questionnaires are ready, or how many visits need attention.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from exonc.platform.accounts.language import language_of
from exonc.platform.accounts.models import Role, User
from exonc.platform.outcomes.models import Status
from exonc.platform.outcomes.schedule import due_instruments, in_follow_up
from exonc.platform.reminders.models import Kind, SentReminder
from exonc.platform.trial.lists import due_rows
from exonc.platform.trial.models import Visit
from exonc.platform.trial.protocols import active_protocol
from exonc.platform.trial.services import local_today
from exonc.protocol.reminders import ReminderKind, questionnaire_reminders

logger = logging.getLogger(__name__)

#: Reminders go out from this hour of the day at the recipient's centre.
SEND_FROM_HOUR = 8


@dataclass
class ReminderRun:
    """What one run sent (the keys of the reminders) and how many were already sent."""

    sent: list[str] = field(default_factory=list)
    already_sent: int = 0
    failed: list[str] = field(default_factory=list)


def send_due_reminders(now: dt.datetime) -> ReminderRun:
    """Send every reminder owed at *now* that was not sent before."""
    run = ReminderRun()
    for visit, kind, today in _questionnaire_reminders(now):
        _send_patient(run, visit, kind, today, now)
    for user in User.objects.filter(role=Role.COORDINATOR, is_active=True).exclude(email=""):
        _send_digest(run, user, now)
    return run


def _questionnaire_reminders(now: dt.datetime) -> list[tuple[Visit, ReminderKind, dt.date]]:
    codes = [v.code for v in active_protocol().visits if due_instruments(v.code)]
    day = now.date()
    visits = (
        Visit.objects.filter(
            code__in=codes,
            window_start__lte=day + dt.timedelta(days=1),
            window_end__gte=day - dt.timedelta(days=1),
            participant__user__is_active=True,
        )
        .exclude(participant__user__email="")
        .select_related("participant__centre", "participant__user", "participant__withdrawal")
        .prefetch_related("questionnaire_responses")
    )
    owed: list[tuple[Visit, ReminderKind, dt.date]] = []
    for visit in visits:
        p = visit.participant
        today = local_today(p.centre, now)
        if not _sending_hours(now, p.centre.time_zone) or not in_follow_up(p, today):
            continue
        submitted = {
            r.instrument
            for r in visit.questionnaire_responses.all()
            if r.status == Status.SUBMITTED
        }
        if set(due_instruments(visit.code)) <= submitted:
            continue
        owed.extend((visit, kind, today) for kind in questionnaire_reminders(visit.window, today))
    return owed


def _sending_hours(now: dt.datetime, zone: str) -> bool:
    return now.astimezone(ZoneInfo(zone)).hour >= SEND_FROM_HOUR


def _send_patient(
    run: ReminderRun, visit: Visit, kind: ReminderKind, today: dt.date, now: dt.datetime
) -> None:
    patient = visit.participant.user
    if patient is None:  # the query selects participants with a login; she lost it since
        return
    with translation.override(language_of(patient)):  # her language, not the server's
        _compose_patient(run, visit, kind, (today, now), patient)


def _compose_patient(
    run: ReminderRun,
    visit: Visit,
    kind: ReminderKind,
    when: tuple[dt.date, dt.datetime],
    patient: User,
) -> None:
    context = {
        "visit": _(active_protocol().visit(visit.code).name),  # shipped names translate
        "closes": visit.window_end,
        "url": f"{settings.EXONC.site_url}/questionnaires/",
        "trial": active_protocol().name,
    }
    subject = (
        _("Your %(trial)s questionnaires are ready")
        if kind is ReminderKind.OPENS
        else _("Your %(trial)s questionnaires close in a few days")
    ) % context
    template = f"reminders/{kind.value}.txt"
    key = f"{kind.value}:visit-{visit.pk}:user-{patient.pk}"
    body = render_to_string(template, context)
    _send(run, key, Kind(kind.value), patient, (subject, body), visit, when)


def _send_digest(run: ReminderRun, user: User, now: dt.datetime) -> None:
    first = user.memberships.select_related("centre").first()
    zone = first.centre.time_zone if first else "UTC"
    if not _sending_hours(now, zone):
        return
    today = now.astimezone(ZoneInfo(zone)).date()
    rows, _filters, _choices = due_rows(user, {}, now)
    if not rows:
        return
    context = {"rows": rows, "today": today, "url": f"{settings.EXONC.site_url}/due/"}
    with translation.override(language_of(user)):
        subject = _("%(count)s visits due or missed at your centres") % {"count": len(rows)}
        body = render_to_string("reminders/visit-digest.txt", context)
    key = f"visit-digest:user-{user.pk}:{today.isoformat()}"
    _send(run, key, Kind.VISIT_DIGEST, user, (subject, body), None, (today, now))


def _send(
    run: ReminderRun,
    key: str,
    kind: Kind,
    to: User,
    message: tuple[str, str],
    visit: Visit | None,
    when: tuple[dt.date, dt.datetime],
) -> None:
    subject, body = message
    about, now = when
    if SentReminder.objects.filter(key=key).exists():
        run.already_sent += 1
        return
    try:
        with transaction.atomic():
            SentReminder.objects.create(
                key=key,
                kind=kind,
                recipient=to,
                address=to.email,
                visit=visit,
                about=about,
                subject=subject,
                sent_at=now,
            )
            send_mail(subject, body, None, [to.email])
    except IntegrityError:  # another run sent it a moment ago
        run.already_sent += 1
        return
    except (OSError, smtplib.SMTPException) as error:  # not recorded: tried again next run
        logger.warning("reminder %s to %s not sent: %s", key, to.email, error)
        run.failed.append(key)
        return
    run.sent.append(key)
