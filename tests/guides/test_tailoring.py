"""Tailoring guides to a lesion register, through the exercise package's rule table.

The property tests restate the rules from the table itself (:func:`_blocked`), independently
of :mod:`exonc.exercise.safety` and :mod:`exonc.guides.tailoring`: a lesion's site rule
forbids its movements; a lesion without a valid clearance whose Mirels or SINS score reaches
the sign-off threshold, that lacks the score its site needs, or that sits at a site without
a rule closes its region — and a guide loads a region when it names it or one of its
movements loads it. No guide the oracle blocks may ever be shown as suitable, for any
register, any level and any guide (the shipped ones and random ones).
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exonc.errors import GuideDataError
from exonc.exercise import (
    LONG_BONE_SITES,
    SPINAL_SITES,
    Lesion,
    Movement,
    Override,
    Region,
    SafetyRules,
    Site,
    assess_lesions,
    default_safety_rules,
)
from exonc.guides import (
    Guide,
    GuideComponent,
    GuideSetting,
    Level,
    Library,
    Review,
    ReviewStatus,
    TailoredGuide,
    default_library,
    parse_site,
    site_lesions,
    tailor,
    tailored_pack,
)
from tests.exercise.test_safety import registers

RULES = default_safety_rules()
LIBRARY = default_library()
DAY = dt.date(2024, 5, 2)


def _loads(guide: Guide, rules: SafetyRules) -> set[Region]:
    regions = set(guide.regions)
    for movement in guide.movements:
        regions |= rules.movement_regions[movement]
    return regions


def _closes_region(lesion: Lesion, rules: SafetyRules, on: dt.date) -> bool:
    c = lesion.clearance
    if c is not None and lesion.imaging_date <= c.date <= on:
        return False
    t = rules.thresholds
    mirels, sins = lesion.mirels_score, lesion.sins_score
    if (mirels is not None and mirels >= t.mirels_sign_off) or (
        sins is not None and sins >= t.sins_sign_off
    ):
        return True
    if (lesion.site in LONG_BONE_SITES and mirels is None) or (
        lesion.site in SPINAL_SITES and sins is None
    ):
        return True
    return lesion.site not in rules.rules and rules.unruled_sites_need_sign_off


def _blocked(guide: Guide, lesions: tuple[Lesion, ...], rules: SafetyRules, on: dt.date) -> bool:
    for lesion in lesions:
        if lesion.imaging_date > on:
            continue
        rule = rules.rules.get(lesion.site)
        if rule is not None and rule.restricted & guide.movements:
            return True
        if _closes_region(lesion, rules, on) and rules.site_regions[lesion.site] in _loads(
            guide, rules
        ):
            return True
    return False


def _tailor(
    guides: list[Guide], lesions: tuple[Lesion, ...], on: dt.date = DAY
) -> list[TailoredGuide]:
    restrictions = assess_lesions(lesions, RULES, on)
    return list(
        tailor(guides, restrictions, LIBRARY.words, sites={x.id: x.site for x in lesions}, on=on)
    )


@st.composite
def guides(draw: st.DrawFn) -> Guide:
    """A random exercise guide: any movements, any regions."""
    template = LIBRARY.guide("sit-to-stand")
    return Guide(
        **{
            **template.__dict__,
            "slug": f"random-{draw(st.integers(0, 10**6))}",
            "movements": frozenset(draw(st.lists(st.sampled_from(sorted(Movement)), max_size=4))),
            "regions": frozenset(draw(st.lists(st.sampled_from(sorted(Region)), max_size=2))),
        }
    )


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(register=registers(DAY), extra=st.lists(guides(), max_size=5), level=st.sampled_from(Level))
def test_no_guide_the_rules_close_is_ever_suitable(
    register: tuple[Lesion, ...], extra: list[Guide], level: Level
) -> None:
    candidates = [*LIBRARY.at_level(level), *extra]
    for item in _tailor(candidates, register):
        blocked = _blocked(item.guide, register, RULES, DAY)
        assert item.suitable is not blocked, item.guide.slug  # and nothing more is excluded
        assert (item.excluded_because is None) is item.suitable


@settings(max_examples=200, deadline=None)
@given(
    sites=st.lists(st.sampled_from(sorted(Site)), min_size=1, max_size=4),
    level=st.sampled_from(Level),
    setting=st.sampled_from([None, GuideSetting.HOME, GuideSetting.CENTRE]),
)
def test_a_pack_from_lesion_sites_never_offers_a_closed_guide(
    sites: list[Site], level: Level, setting: GuideSetting | None
) -> None:
    pack = tailored_pack(LIBRARY, level, RULES, on=DAY, sites=sites, setting=setting)
    lesions = site_lesions(sites, DAY)
    for item in pack.suitable:
        assert not _blocked(item.guide, lesions, RULES, DAY), item.guide.slug
        assert item.guide.suits(level)
    for item in pack.excluded:
        assert _blocked(item.guide, lesions, RULES, DAY)
        assert item.excluded_because
    suggested = {slug for item in pack.excluded for slug in item.instead}
    assert suggested <= {item.guide.slug for item in pack.suitable}


def test_everyday_advice_is_never_excluded() -> None:
    everyday = [g for g in LIBRARY.guides if g.component is GuideComponent.EVERYDAY_ACTIVITY]
    every_site = site_lesions(list(Site), DAY)
    assert all(item.suitable for item in _tailor(everyday, every_site))


@pytest.mark.parametrize(
    ("site", "slug", "because"),
    [
        (
            "pelvis",
            "leg-press-building-up",
            "Not for you at the moment, because of the lesion in your pelvis: it involves "
            "straightening the hip (pushing the leg back) against weight.",
        ),
        (
            "femoral_shaft",
            "leg-extension-active",
            "Not for you until your doctor has checked the lesion in your thigh bone and said "
            "it is safe: it puts weight or strain on your legs.",
        ),
        (
            "ribs",
            "chest-press-starting-out",
            "Not for you at the moment, because of the lesion in your ribs: it involves "
            "pulling the arm in to the body against weight.",
        ),
    ],
)
def test_an_exclusion_says_why_in_plain_words(site: str, slug: str, because: str) -> None:
    (item,) = _tailor([LIBRARY.guide(slug)], site_lesions([parse_site(site)], DAY))
    assert (item.suitable, item.excluded_because) == (False, because)


def test_a_femur_lesion_excludes_standing_guides_and_suggests_seated_ones() -> None:
    pack = tailored_pack(
        LIBRARY,
        Level.BUILDING_UP,
        RULES,
        on=DAY,
        sites=[Site.PROXIMAL_FEMUR],
        setting=GuideSetting.HOME,
    )
    excluded = {t.guide.slug: t for t in pack.excluded}
    assert "sit-to-stand" in excluded
    assert "walking-brisk" in excluded
    assert "seated-heel-raise" in excluded["standing-calf-raise"].instead
    assert "band-row" in {t.guide.slug for t in pack.suitable}  # upper body stays
    # home: no machine guides
    assert all(t.guide.setting is not GuideSetting.CENTRE for t in pack.guides)


def test_a_clinicians_override_for_the_exercise_covers_its_guides() -> None:
    register = site_lesions([Site.PELVIS], DAY)
    restrictions = assess_lesions(register, RULES, DAY)
    override = Override("leg_press", "S1", "Dr C. de Vries", "stable after radiotherapy", DAY)
    guides = [LIBRARY.guide("leg-press-active"), LIBRARY.guide("sit-to-stand")]
    press, stand = tailor(
        guides, restrictions, LIBRARY.words, sites={"S1": Site.PELVIS}, on=DAY, overrides=[override]
    )
    assert press.suitable
    assert press.allowed == (
        "Your doctor has checked the lesion in your pelvis and allowed this exercise for you.",
    )
    assert not stand.suitable  # a home alternative is not the overridden exercise


def test_a_hard_stop_is_never_lifted_by_an_override() -> None:
    from exonc.exercise import MirelsComponents, MirelsPain, MirelsSite, MirelsSize
    from tests.exercise.factories import lesion

    # peritrochanteric 3 + > 2/3 3 + blastic 1 + functional 3 = 10: hard stop
    femur = lesion(
        Site.PROXIMAL_FEMUR,
        mirels=MirelsComponents(
            MirelsSite.PERITROCHANTERIC, MirelsSize.OVER_TWO_THIRDS, MirelsPain.FUNCTIONAL
        ),
    )
    restrictions = assess_lesions([femur], RULES, DAY)
    override = Override("leg_extension", "L1", "Dr X", "asked", DAY)
    (item,) = tailor(
        [LIBRARY.guide("leg-extension-active")],
        restrictions,
        LIBRARY.words,
        sites={"L1": Site.PROXIMAL_FEMUR},
        on=DAY,
        overrides=[override],
    )
    assert not item.suitable
    assert item.excluded_because == (
        "Not for you until your doctor has said it is safe again, because of the lesion in the "
        "top of your thigh bone (near the hip): it puts weight or strain on your pelvis and hips."
    )


def test_an_unknown_site_is_one_line() -> None:
    with pytest.raises(GuideDataError) as raised:
        parse_site("femur", "--lesion")
    assert str(raised.value).startswith(
        "key --lesion: value 'femur': not a known lesion site; use one of skull"
    )


def test_site_lesions_are_cautious_and_deduplicated() -> None:
    found = site_lesions([Site.RIBS, Site.RIBS, Site.SACRUM], DAY)
    assert [(x.id, x.site, x.laterality.value, x.mirels, x.sins) for x in found] == [
        ("S1", Site.RIBS, "bilateral", None, None),
        ("S2", Site.SACRUM, "bilateral", None, None),
    ]


def test_a_library_restricted_to_approved_guides_tailors_only_those() -> None:
    approved = tuple(g for g in LIBRARY.guides if g.component is GuideComponent.FLEXIBILITY)
    small = Library(approved, LIBRARY.sources, LIBRARY.words, LIBRARY.folder)
    pack = tailored_pack(small, Level.ACTIVE, RULES, on=DAY, sites=[Site.LUMBAR_SPINE])
    assert {t.guide.slug for t in pack.guides} == {g.slug for g in approved}
    assert Review(ReviewStatus.DRAFT, 1).approved is False
