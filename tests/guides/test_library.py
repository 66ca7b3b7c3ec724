"""Reading the guide library: the shipped files, and one-line errors for broken ones."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from exonc.errors import GuideDataError
from exonc.guides import GuideComponent, Level, Library, fingerprint, load_library
from tests.guides.conftest import edit

LEG_PRESS = "guides/leg-press.toml"


def test_the_shipped_library_has_at_least_40_guides_at_three_levels(library: Library) -> None:
    assert len(library.guides) >= 40
    levels = Counter(level for g in library.guides for level in g.levels)
    assert set(levels) == set(Level)
    assert {g.component for g in library.guides} == set(GuideComponent)


def test_every_guide_has_text_sources_and_a_draft_review(library: Library) -> None:
    for guide in library.guides:
        assert guide.steps
        assert guide.cues
        assert guide.mistakes
        assert guide.warning_signs
        assert set(guide.sources) <= set(library.sources)
        # Shipped content awaits a named clinician's review.
        assert (guide.review.status.value, guide.review.approved) == ("draft", False)


def test_the_everyday_activity_guides_the_issue_lists_are_there(library: Library) -> None:
    everyday = {g.slug for g in library.guides if g.component is GuideComponent.EVERYDAY_ACTIVITY}
    assert everyday >= {
        "thirty-active-minutes",
        "break-up-sitting",
        "pacing-on-tiring-days",
        "between-treatment-cycles",
        "exercising-with-bone-metastases",
        "exercising-with-lymphoedema",
        "exercising-with-neuropathy",
        "when-to-stop",
    }


def test_shared_fields_and_a_level_s_own_drawing_are_merged(library: Library) -> None:
    guide = library.guide("standing-balance-active")
    assert guide.illustration is not None
    assert guide.illustration.props == ("counter",)  # from [shared.illustration]
    assert guide.illustration.end.far_knee == 85  # the level's own end pose
    assert guide.movements == library.guide("standing-balance-starting-out").movements


def test_guides_are_listed_by_component(library: Library) -> None:
    order = [g.order for g in library.guides]
    assert order == sorted(order)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'dose = "2 or 3 sets of 10 to 12',
            'removed = "2 or 3 sets of 10 to 12',
            f"{LEG_PRESS}, key guides.leg-press-building-up.dose: missing key; add 'dose'",
        ),
        (
            "[guides.leg-press-starting-out]\ntitle = ",
            "[guides.leg-press-starting-out]\nname = ",
            f"{LEG_PRESS}, key guides.leg-press-starting-out.title: missing key; add 'title'",
        ),
        (
            'easier = "Use less weight, or make the movement shorter so your knees bend less."',
            'easier = "Use less weight."\ncolour = "blue"',
            f"{LEG_PRESS}, key guides.leg-press-starting-out.colour: unknown key",
        ),
        (
            'movements = ["hip_extension", "knee_extension"]',
            'movements = ["hip_extension", "knee_bending"]',
            f"{LEG_PRESS}, key guides.leg-press-starting-out.movements: value 'knee_bending': "
            "lists an unknown movement",
        ),
        (
            'sources = ["PREFERABLE2022"',
            'sources = ["NOBODY2020"',
            f"{LEG_PRESS}, key guides.leg-press-starting-out.sources: value 'NOBODY2020': "
            "cites an unknown source",
        ),
        (
            "levels = [1]",
            "levels = [4]",
            f"{LEG_PRESS}, key guides.leg-press-starting-out.levels: value [4]: "
            "lists an unknown level",
        ),
        (
            'props = ["backrest", "footplate"]',
            'props = ["backrest", "trampoline"]',
            f"{LEG_PRESS}, key guides.leg-press-starting-out.illustration.props: "
            "value 'trampoline': is not a prop exonc can draw",
        ),
    ],
)
def test_a_broken_guide_file_names_file_guide_and_field(
    copy: Path, old: str, new: str, message: str
) -> None:
    edit(copy / LEG_PRESS, old, new)
    with pytest.raises(GuideDataError) as raised:
        load_library(copy)
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)


def test_a_missing_field_names_the_guide_and_the_field(copy: Path) -> None:
    edit(
        copy / "guides/everyday.toml",
        'breathing = "Breathe normally: this is gentle movement."\n',
        "",
    )
    with pytest.raises(GuideDataError) as raised:
        load_library(copy)
    assert str(raised.value) == (
        "guides/everyday.toml, key guides.break-up-sitting.breathing: missing key; add 'breathing'"
    )


def test_an_exercise_guide_without_a_drawing_is_refused(copy: Path) -> None:
    path = copy / "guides/heel-to-toe-walk.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("[guides.heel-to-toe-walk.illustration]")], encoding="utf-8")
    with pytest.raises(GuideDataError, match=r"heel-to-toe-walk\.illustration: missing key"):
        load_library(copy)


def test_two_guides_may_not_share_a_slug(copy: Path) -> None:
    edit(copy / "guides/walking.toml", "[guides.walking-brisk]", "[guides.sit-to-stand]")
    with pytest.raises(GuideDataError, match="a second guide with this slug"):
        load_library(copy)


def test_the_fingerprint_follows_the_content_not_the_review(copy: Path) -> None:
    before = fingerprint(load_library(copy).guide("sit-to-stand"))
    edit(copy / "guides/home-strength.toml", 'title = "Sit to stand"', 'title = "Sit-to-stand"')
    assert fingerprint(load_library(copy).guide("sit-to-stand")) != before
    row = fingerprint(load_library(copy).guide("band-row"))
    edit(copy / "guides/home-strength.toml", "awaiting review by", "still awaiting review by")
    assert fingerprint(load_library(copy).guide("band-row")) == row  # a review note


def test_an_approved_review_needs_a_reviewer_and_a_date(copy: Path) -> None:
    edit(copy / "guides/home-strength.toml", 'status = "draft"', 'status = "approved"')
    with pytest.raises(GuideDataError, match="names its reviewer and the date"):
        load_library(copy)
    edit(
        copy / "guides/home-strength.toml",
        'status = "approved", version = 1,',
        'status = "approved", version = 1, reviewer = "Dr A. Jansen", date = 2025-03-01,',
    )
    approved = load_library(copy).guide("sit-to-stand").review
    assert (approved.approved, approved.reviewer) == (True, "Dr A. Jansen")


def test_a_library_without_guide_files_is_refused(tmp_path: Path, copy: Path) -> None:
    for path in (copy / "guides").glob("*.toml"):
        path.unlink()
    with pytest.raises(GuideDataError, match="no guide files"):
        load_library(copy)
