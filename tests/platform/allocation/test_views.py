"""Allocation pages with Django's test client: confirm, randomise, see, correct, log, report."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from exonc.platform.accounts.models import User
from exonc.platform.allocation.models import (
    Allocation,
    AllocationCorrection,
    AllocationSequence,
    RefusedRandomisation,
)
from exonc.platform.trial.models import Participant
from tests.platform.allocation.conftest import HAND_LIST, UTR_FIRST_LINE, MakeReady

pytestmark = pytest.mark.django_db

UTR_1 = "centre=NL-UTR|line_of_treatment=1st/2nd"
#: Lines of the hand-written list; none may ever appear in a response.
LIST_ROWS = HAND_LIST.splitlines()[1:]


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _no_list(text: str) -> None:
    for row in LIST_ROWS:
        assert row not in text


def test_confirmation_shows_what_will_be_locked(
    hand_sequence: AllocationSequence, ready: Participant, coordinator: User
) -> None:
    page = _client(coordinator).get("/participants/NL-UTR-001/randomise/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "What will be locked" in html
    assert "Line of treatment for metastatic disease" in html
    assert f'name="stratum" value="{UTR_1}"' in html
    assert "Randomise NL-UTR-001 now" in html
    assert "exercise" not in html.lower().replace("supervised exercise", "")
    _no_list(html)
    data = _client(coordinator).get("/participants/NL-UTR-001/randomise/?format=json").json()
    assert data["ready"] is True
    assert data["stratum"] == UTR_1
    assert "arm" not in data


def test_randomise_then_see_the_allocation(
    hand_sequence: AllocationSequence, ready: Participant, coordinator: User
) -> None:
    client = _client(coordinator)
    done = client.post("/participants/NL-UTR-001/randomise/", {"stratum": UTR_1})
    assert done.status_code == 302
    assert done["Location"] == "/participants/NL-UTR-001/allocation/"
    page = client.get(done["Location"]).content.decode()
    assert "Usual care" in page  # UTR_FIRST_LINE[0] is control
    assert "is randomised; her visits are scheduled" in page
    record = client.get("/participants/NL-UTR-001/allocation/?format=json").json()
    assert record["arm"] == UTR_FIRST_LINE[0]
    assert record["sequence"] is None  # site staff never see where it sits in the list
    assert record["list_position"] is None
    _no_list(page)


def test_refused_randomisation_says_why(
    hand_sequence: AllocationSequence, make_ready: MakeReady, coordinator: User
) -> None:
    participant = make_ready("NL-UTR-030", line="")
    page = _client(coordinator).post("/participants/NL-UTR-030/randomise/", {})
    assert page.status_code == 400
    assert "Not randomised." in page.content.decode()
    assert "missing stratification data" in page.content.decode()
    assert RefusedRandomisation.objects.get(participant=participant).user == coordinator
    assert not Allocation.objects.exists()


def test_changed_stratum_since_confirmation_is_a_conflict(
    hand_sequence: AllocationSequence, ready: Participant, coordinator: User
) -> None:
    stale = "centre=NL-UTR|line_of_treatment=3rd+"
    page = _client(coordinator).post("/participants/NL-UTR-001/randomise/", {"stratum": stale})
    assert page.status_code == 409
    assert "changed since you confirmed" in page.content.decode()


def test_other_centre_cannot_find_the_participant(
    hand_sequence: AllocationSequence, ready: Participant, other_coordinator: User
) -> None:
    client = _client(other_coordinator)
    assert client.get("/participants/NL-UTR-001/randomise/").status_code == 404
    assert client.post("/participants/NL-UTR-001/randomise/", {}).status_code == 404
    assert not Allocation.objects.exists()


def test_physiotherapist_sees_the_arm_but_cannot_randomise(
    hand_sequence: AllocationSequence, ready: Participant, coordinator: User, physio: User
) -> None:
    client = _client(physio)
    assert client.get("/participants/NL-UTR-001/randomise/").status_code == 403
    assert client.post("/participants/NL-UTR-001/randomise/", {}).status_code == 403
    assert RefusedRandomisation.objects.get().error == "AccessDenied"
    assert "Randomise…" not in client.get("/participants/NL-UTR-001/").content.decode()
    _client(coordinator).post("/participants/NL-UTR-001/randomise/", {})
    record = client.get("/participants/NL-UTR-001/allocation/?format=json").json()
    assert record["arm"] == UTR_FIRST_LINE[0]
    assert record["may_correct"] is False
    assert "Randomise…" not in client.get("/participants/NL-UTR-001/").content.decode()


def test_participant_page_offers_randomise_to_coordinators(
    hand_sequence: AllocationSequence, ready: Participant, coordinator: User
) -> None:
    client = _client(coordinator)
    assert (
        "/participants/NL-UTR-001/randomise/"
        in client.get("/participants/NL-UTR-001/").content.decode()
    )
    client.post("/participants/NL-UTR-001/randomise/", {})
    html = client.get("/participants/NL-UTR-001/").content.decode()
    assert "/participants/NL-UTR-001/allocation/" in html
    assert "/participants/NL-UTR-001/randomise/" not in html


def test_statistician_sees_the_position(
    hand_sequence: AllocationSequence, ready: Participant, coordinator: User, statistician: User
) -> None:
    _client(coordinator).post("/participants/NL-UTR-001/randomise/", {})
    record = _client(statistician).get("/participants/NL-UTR-001/allocation/?format=json").json()
    assert (record["sequence"], record["list_position"]) == (1, 1)


@pytest.fixture
def randomised(hand_sequence: AllocationSequence, ready: Participant, coordinator: User) -> Client:
    client = _client(coordinator)
    client.post("/participants/NL-UTR-001/randomise/", {})
    return client


def test_correction_through_the_page(randomised: Client) -> None:
    done = randomised.post(
        "/participants/NL-UTR-001/allocation/corrections/",
        {"kind": "ineligible", "problem": "ECOG was 3", "action": "kept in ITT analysis"},
    )
    assert done.status_code == 302
    page = randomised.get("/participants/NL-UTR-001/allocation/").content.decode()
    assert "Randomised but not eligible" in page
    assert "ECOG was 3" in page
    bad = randomised.post(
        "/participants/NL-UTR-001/allocation/corrections/", {"kind": "other", "problem": ""}
    )
    assert bad.status_code == 400
    assert "column problem: is empty" in bad.content.decode()
    assert AllocationCorrection.objects.count() == 1


def test_log_for_statisticians_only(
    randomised: Client, statistician: User, coordinator: User, physio: User
) -> None:
    for user in (coordinator, physio):
        assert _client(user).get("/allocation/log/").status_code == 403
        assert _client(user).get("/allocation/log/?format=csv").status_code == 403
    client = _client(statistician)
    page = client.get("/allocation/log/")
    assert page.status_code == 200
    assert "NL-UTR-001" in page.content.decode()
    rows = client.get("/allocation/log/?format=json").json()["rows"]
    assert rows[0]["study_id"] == "NL-UTR-001"
    download = client.get("/allocation/log/?format=csv")
    assert download["Content-Disposition"] == 'attachment; filename="allocation-log.csv"'
    (row,) = csv.DictReader(io.StringIO(download.content.decode()))
    assert row["sequence"] == "1"
    assert row["list_position"] == "1"
    assert row["arm"] == UTR_FIRST_LINE[0]
    assert "coord-utr" not in download.content.decode()  # no staff names
    _no_list(download.content.decode())


def test_report_for_statisticians_only(
    randomised: Client, statistician: User, coordinator: User
) -> None:
    assert _client(coordinator).get("/allocation/report/").status_code == 403
    page = _client(statistician).get("/allocation/report/")
    assert page.status_code == 200
    assert "CONSORT" in page.content.decode()
    data = _client(statistician).get("/allocation/report/?format=json").json()
    assert data["randomised"] == 1
    assert "Allocation" in _client(statistician).get("/").content.decode()  # nav link


def test_admin_shows_sequence_metadata_never_the_list(
    hand_sequence: AllocationSequence, administrator: User, coordinator: User
) -> None:
    url = f"/admin/allocation/allocationsequence/{hand_sequence.pk}/change/"
    assert _client(coordinator).get(url).status_code == 302
    page = _client(administrator).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert hand_sequence.sha256 in html
    _no_list(html)
    listing = _client(administrator).get("/admin/allocation/allocationsequence/")
    assert hand_sequence.sha256 in listing.content.decode()
    _no_list(listing.content.decode())


def test_admin_lists_allocations_and_refusals_read_only(
    randomised: Client, administrator: User
) -> None:
    client = _client(administrator)
    for model in ("allocation", "allocationcorrection", "refusedrandomisation"):
        assert client.get(f"/admin/allocation/{model}/").status_code == 200
    given = Allocation.objects.get()
    page = client.get(f"/admin/allocation/allocation/{given.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # no save button: read-only
    assert client.get("/admin/allocation/allocation/add/").status_code == 403
