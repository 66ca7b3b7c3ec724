"""Reminder e-mails: questionnaire windows to patients, a daily digest to coordinators;
each sent once, recorded, and in Django's outbox (tests use the in-memory backend)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from exonc.platform.accounts.models import User
from exonc.platform.reminders.models import SentReminder
from exonc.platform.reminders.services import send_due_reminders
from exonc.platform.trial import services
from exonc.platform.trial.models import Participant
from tests.platform.outcomes_setup import give_patient_login

pytestmark = pytest.mark.django_db

#: Randomised 2 February 2024: the m3 window runs 18 April to 16 May 2024 (14 days either
#: side of 2 May). 08:30 in Utrecht (CEST, UTC+2) is 06:30 UTC.
RANDOMISED = dt.date(2024, 2, 2)


def _at(day: dt.date, hour_utc: int = 7) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour_utc, 0, tzinfo=dt.UTC)


@pytest.fixture
def patient(ready: Participant, coordinator: User) -> User:
    user = give_patient_login(coordinator, ready, randomised_on=RANDOMISED)
    user.email = "pat@example.org"
    user.language = "en-gb"  # she chose English (her centre, in Utrecht, writes Dutch)
    user.save()
    return user


def test_the_opening_reminder_is_sent_once(patient: User) -> None:
    first = send_due_reminders(_at(dt.date(2024, 4, 18)))
    again = send_due_reminders(_at(dt.date(2024, 4, 18), hour_utc=12))
    assert len(first.sent) == 1
    assert first.sent[0].startswith("window-opens:visit-")
    assert (again.sent, again.already_sent) == ([], 1)
    (message,) = mail.outbox
    assert message.to == ["pat@example.org"]
    assert "questionnaires are ready" in message.subject
    assert "16 May 2024" in message.body
    assert "http://127.0.0.1:8000/questionnaires/" in message.body
    sent = SentReminder.objects.get()
    assert (sent.kind, sent.about, sent.address) == (
        "window-opens",
        dt.date(2024, 4, 18),
        "pat@example.org",
    )


def test_nothing_is_sent_before_eight_at_the_centre(patient: User) -> None:
    assert send_due_reminders(_at(dt.date(2024, 4, 18), hour_utc=5)).sent == []  # 07:00 local
    assert mail.outbox == []


def test_the_closing_reminder_three_days_before(patient: User) -> None:
    assert send_due_reminders(_at(dt.date(2024, 5, 12))).sent == []  # 4 days before
    run = send_due_reminders(_at(dt.date(2024, 5, 13)))
    assert [k.split(":")[0] for k in run.sent] == ["window-closing"]
    assert "close in a few days" in mail.outbox[0].subject


def test_no_reminder_after_withdrawal_from_follow_up(
    patient: User, ready: Participant, coordinator: User
) -> None:
    services.withdraw(
        coordinator,
        ready,
        withdrawn_on=dt.date(2024, 5, 3),
        kind="follow-up",
        reason="moved abroad",
        today=dt.date(2024, 5, 3),
    )
    assert send_due_reminders(_at(dt.date(2024, 5, 13))).sent == []  # closing day


def test_no_reminder_without_an_address(patient: User) -> None:
    patient.email = ""
    patient.save()
    assert send_due_reminders(_at(dt.date(2024, 4, 18))).sent == []


def test_coordinators_get_a_daily_digest(patient: User, coordinator: User) -> None:
    coordinator.email = "coord@example.org"
    coordinator.language = "en-gb"  # else her Utrecht centre's Dutch
    coordinator.save()
    run = send_due_reminders(_at(dt.date(2024, 4, 18)))
    digest = [m for m in mail.outbox if m.to == ["coord@example.org"]]
    assert len(digest) == 1
    assert "1 visits due or missed" in digest[0].subject
    assert "NL-UTR-001  m3  due" in digest[0].body
    assert any(k.startswith("visit-digest:") for k in run.sent)
    assert send_due_reminders(_at(dt.date(2024, 4, 18), hour_utc=15)).sent == []


def test_a_failed_send_is_not_recorded_and_is_tried_again(
    patient: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("mail server down")

    monkeypatch.setattr("exonc.platform.reminders.services.send_mail", broken)
    failed = send_due_reminders(_at(dt.date(2024, 4, 18)))
    assert (failed.sent, len(failed.failed)) == ([], 1)
    assert not SentReminder.objects.exists()
    monkeypatch.undo()
    assert len(send_due_reminders(_at(dt.date(2024, 4, 18))).sent) == 1


def test_the_periodic_task_runs_the_service(patient: User) -> None:
    from exonc.platform.reminders.tasks import send_reminders

    send_reminders.call_local()
    assert SentReminder.objects.count() == len(mail.outbox)
