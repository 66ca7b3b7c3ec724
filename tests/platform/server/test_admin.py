"""The admin never changes trial data (issue 16, finding 6): every model admin of patient
data refuses add, change and delete — on the change form, the add form, the delete page
and django-simple-history's "revert" form — so centre, study ID, stratification factors
and allocations change only through the audited services."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db.models import Model
from django.forms.models import model_to_dict
from django.test import Client, RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from exonc.platform.accounts.models import User
from exonc.platform.allocation import sequences
from exonc.platform.allocation import services as allocation
from exonc.platform.allocation.models import Allocation
from exonc.platform.security.models import SecurityEvent
from exonc.platform.trial.admin import ReadOnly
from exonc.platform.trial.models import CentreMembership, Participant
from tests.platform.allocation.conftest import NOW, hand_list

#: What administrators do manage in the admin: accounts, who works at which centre, and
#: authenticator devices (removing a lost phone's device).
MANAGED_HERE: frozenset[type[Model]] = frozenset({User, Group, CentreMembership, TOTPDevice})


@pytest.fixture
def allocated(ready: Participant, statistician: User, coordinator: User) -> Iterator[Allocation]:
    sequences.forget_verified()
    sequences.load_list(statistician, hand_list(), origin="hand-written", now=NOW)
    yield allocation.randomise(coordinator, ready, now=NOW)
    sequences.forget_verified()


def test_every_trial_data_admin_is_read_only(administrator: User) -> None:
    request = RequestFactory().get("/admin/")
    request.user = administrator
    writable = [
        model.__name__
        for model, model_admin in admin.site._registry.items()
        if model not in MANAGED_HERE
        and model is not SecurityEvent
        and (
            model_admin.has_add_permission(request)
            or model_admin.has_change_permission(request)
            or model_admin.has_delete_permission(request)
        )
    ]
    assert writable == []
    assert admin.site._registry[SecurityEvent].has_change_permission(request) is False
    unguarded = [  # ReadOnly also refuses the save that simple-history's revert page makes
        model.__name__
        for model, model_admin in admin.site._registry.items()
        if model not in MANAGED_HERE | {SecurityEvent} and not isinstance(model_admin, ReadOnly)
    ]
    assert unguarded == []


def _signed_in(administrator: User) -> Client:
    client = Client()
    client.force_login(administrator)
    return client


def test_a_participant_cannot_be_changed_added_or_deleted_in_the_admin(
    administrator: User, allocated: Allocation
) -> None:
    participant = allocated.participant
    before = (participant.centre_id, participant.study_id, participant.line_of_treatment)
    client = _signed_in(administrator)
    url = f"/admin/trial/participant/{participant.pk}/change/"
    assert client.get(url).status_code == 200  # visible, read-only
    changed = {"study_id": "NL-UTR-999", "line_of_treatment": "3rd+", "centre": "DE-HEI"}
    assert client.post(url, changed).status_code == 403
    assert client.post("/admin/trial/participant/add/", changed).status_code == 403
    delete = f"/admin/trial/participant/{participant.pk}/delete/"
    assert client.post(delete, {"post": "yes"}).status_code == 403
    participant.refresh_from_db()
    assert (participant.centre_id, participant.study_id, participant.line_of_treatment) == before


def test_an_allocation_cannot_be_changed_or_deleted_in_the_admin(
    administrator: User, allocated: Allocation
) -> None:
    client = _signed_in(administrator)
    url = f"/admin/allocation/allocation/{allocated.pk}/change/"
    other = "exercise" if allocated.arm == "control" else "control"
    assert client.post(url, {"arm": other, "stratum": "x"}).status_code == 403
    delete = f"/admin/allocation/allocation/{allocated.pk}/delete/"
    assert client.post(delete, {"post": "yes"}).status_code == 403
    bulk = {"action": "delete_selected", "_selected_action": [allocated.pk], "post": "yes"}
    client.post("/admin/allocation/allocation/", bulk)
    allocated.refresh_from_db()
    assert allocated.arm != other


def test_the_history_revert_form_does_not_save(
    administrator: User, allocated: Allocation, coordinator: User
) -> None:
    """simple-history's "revert" page saves whatever its form posts unless the admin
    refuses the save itself; it must not roll a participant back behind the services."""
    participant = allocated.participant
    first = participant.history.earliest()
    versions = participant.history.count()
    client = _signed_in(administrator)
    url = f"/admin/trial/participant/{participant.pk}/history/{first.history_id}/"
    assert client.get(url).status_code == 200  # the old version can be read
    fields = model_to_dict(first.instance)
    posted = {k: v for k, v in fields.items() if v is not None}
    posted.update(study_id="NL-UTR-999", line_of_treatment="3rd+")
    assert client.post(url, posted).status_code == 403
    participant.refresh_from_db()
    assert participant.history.count() == versions
    assert (participant.study_id, participant.line_of_treatment) == ("NL-UTR-001", "1st/2nd")
