"""The review gate: patients and the public see approved versions only; a clinician
approves one version on its page, audited; a changed guide is a draft again."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from exonc.errors import AccessDenied, TrialStateError
from exonc.guides import Library, fingerprint
from exonc.platform.accounts.models import Role, User
from exonc.platform.guides import review
from exonc.platform.guides.models import GuideApproval
from tests.platform.guides.conftest import Approve, client

pytestmark = pytest.mark.django_db
DAY = dt.date(2024, 5, 2)


def _approve(user: User, slug: str = "sit-to-stand", **kwargs: object) -> GuideApproval:
    guide = review.library().guide(slug)
    values: dict[str, object] = {
        "version": guide.review.version,
        "content": fingerprint(guide),
        "note": "",
        "today": DAY,
    }
    values.update(kwargs)
    return review.approve(user, slug, **values)  # type: ignore[arg-type]


def test_shipped_guides_are_drafts_that_only_staff_see(physio: User, patient: User) -> None:
    assert review.approvals() == {}
    assert review.visible_guides(None) == ()
    assert review.visible_guides(patient) == ()
    assert len(review.visible_guides(physio)) == len(review.library().guides)


def test_a_clinician_approves_a_version_and_it_is_audited(clinician: User, patient: User) -> None:
    row = _approve(clinician, note="matches our practice")
    assert (row.clinician_name, row.approved_on, row.version) == ("Carla de Vries", DAY, 1)
    history = row.history.get()
    assert (history.history_user, history.history_change_reason) == (
        clinician,
        "guide sit-to-stand version 1 approved",
    )
    assert [g.slug for g in review.visible_guides(patient)] == ["sit-to-stand"]
    approved = review.approvals()["sit-to-stand"]
    assert (approved.reviewer, approved.date, approved.approved) == ("Carla de Vries", DAY, True)


@pytest.mark.parametrize("role", [Role.PHYSIOTHERAPIST, Role.COORDINATOR, Role.ADMINISTRATOR])
def test_only_a_clinician_approves(role: Role) -> None:
    user = User.objects.create_user(
        username=f"u-{role}", role=role, is_superuser=role == "administrator"
    )
    with pytest.raises(AccessDenied):
        _approve(user)
    assert not GuideApproval.objects.exists()


def test_the_approval_must_be_of_the_content_she_saw(clinician: User) -> None:
    with pytest.raises(TrialStateError, match="changed after you opened it"):
        _approve(clinician, content="0" * 64)
    with pytest.raises(TrialStateError, match="changed after you opened it"):
        _approve(clinician, version=2)
    _approve(clinician)
    with pytest.raises(TrialStateError, match="already approved"):
        _approve(clinician)


def test_approvals_are_final(clinician: User) -> None:
    row = _approve(clinician)
    row.note = "edited"
    with pytest.raises(TrialStateError):
        row.save()
    with pytest.raises(TrialStateError):
        row.delete()


def test_a_changed_guide_is_a_draft_again(
    clinician: User, patient: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    _approve(clinician)
    lib = review.library()
    changed = tuple(
        dataclasses.replace(g, title="Sit to stand (new)") if g.slug == "sit-to-stand" else g
        for g in lib.guides
    )
    monkeypatch.setattr(
        review, "library", lambda: Library(changed, lib.sources, lib.words, lib.folder)
    )
    assert review.visible_guides(patient) == ()


def test_the_review_page_lists_every_guide_for_staff(
    clinician: User, physio: User, patient: User, approve: Approve
) -> None:
    approve(lambda slug: slug.startswith("walking"))
    data = client(physio).get("/guides/review/?format=json").json()
    assert len(data) == len(review.library().guides)
    walking = [line for line in data if line["approved"]]
    assert {line["slug"] for line in walking} == {
        "walking-starting-out",
        "walking-brisk",
        "walking-intervals",
    }
    assert walking[0]["reviewer"] == "Carla de Vries"
    assert client(patient).get("/guides/review/").status_code == 403


def test_approving_on_the_guide_page(clinician: User, physio: User) -> None:
    guide = review.library().guide("band-row")
    page = client(clinician).get("/guides/band-row/")
    html = page.content.decode()
    assert "Approve this version" in html
    assert "awaiting review by a clinician" in html
    form = {"version": 1, "content": fingerprint(guide), "note": "fine"}
    done = client(clinician).post("/guides/band-row/approve/", form)
    assert (done.status_code, done["Location"]) == (302, "/guides/band-row/")
    after = client(clinician).get("/guides/band-row/").content.decode()
    assert "Reviewed by Carla de Vries" in after
    assert "Approve this version" not in after
    refused = client(physio).post("/guides/walking-brisk/approve/", form)
    assert refused.status_code == 403
    assert (
        "Approve this version" not in client(physio).get("/guides/walking-brisk/").content.decode()
    )
