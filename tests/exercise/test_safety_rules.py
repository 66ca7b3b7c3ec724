"""The shipped rule table encodes tests/reference/domain.md §5.2 and validates on load."""

from __future__ import annotations

from pathlib import Path

import pytest

from exonc.errors import ProtocolError
from exonc.exercise import Movement, Region, Site, default_safety_rules, load_safety_rules

RULES = default_safety_rules()
M = Movement
SHOULDER = {M.SHOULDER_FLEXION, M.SHOULDER_EXTENSION, M.SHOULDER_ABDUCTION, M.SHOULDER_ADDUCTION}
SPINAL = {M.SPINAL_FLEXION, M.SPINAL_EXTENSION, M.SPINAL_ROTATION}


# Each row: tests/reference/domain.md §5.2, site-specific modular programme (source
# HART2018, Table 4;
# Galvão et al. 2018; ExerciseGuide adaptation), plus the issue's "spine → no loaded spinal
# flexion/extension/rotation".
@pytest.mark.parametrize(
    ("site", "must_restrict", "must_allow"),
    [
        (
            Site.PELVIS,
            {M.HIP_FLEXION, M.HIP_EXTENSION},
            {M.KNEE_FLEXION, M.KNEE_EXTENSION, M.WEIGHT_BEARING},
        ),
        (Site.PROXIMAL_FEMUR, {M.HIP_FLEXION, M.HIP_EXTENSION, M.WEIGHT_BEARING}, {M.KNEE_FLEXION}),
        (Site.LUMBAR_SPINE, SPINAL | {M.WEIGHT_BEARING}, SHOULDER | {M.KNEE_EXTENSION}),
        (
            Site.THORACIC_SPINE,
            SHOULDER | SPINAL,
            {M.ELBOW_FLEXION, M.ELBOW_EXTENSION, M.WEIGHT_BEARING},
        ),
        (Site.RIBS, SHOULDER | SPINAL, {M.ELBOW_FLEXION, M.ELBOW_EXTENSION}),
        (Site.CERVICAL_SPINE, SHOULDER | SPINAL, {M.ELBOW_FLEXION}),
        (Site.PROXIMAL_HUMERUS, {M.ELBOW_FLEXION, M.ELBOW_EXTENSION}, set()),
        (Site.SACRUM, SPINAL, set()),
    ],
)
def test_site_rules_restrict_what_the_sources_say(
    site: Site, must_restrict: set[Movement], must_allow: set[Movement]
) -> None:
    rule = RULES.rules[site]
    assert must_restrict <= rule.restricted
    assert not must_allow & rule.restricted
    assert rule.sources
    assert all(s in RULES.sources for s in rule.sources)


def test_thresholds_are_the_published_cut_offs() -> None:
    # Mirels ≥ 9 high risk, 8 borderline; SINS 13–18 unstable, 7–12 potentially unstable.
    t = RULES.thresholds
    assert (t.mirels_sign_off, t.mirels_hard_stop, t.sins_sign_off, t.sins_hard_stop) == (
        8,
        9,
        7,
        13,
    )


def test_every_site_and_movement_is_mapped() -> None:
    assert set(RULES.site_regions) == set(Site)
    assert set(RULES.movement_regions) == set(Movement)
    assert RULES.site_regions[Site.PROXIMAL_FEMUR] is Region.PELVIS_HIP
    assert M.HIP_EXTENSION in RULES.movements_loading(Region.PELVIS_HIP)
    assert M.ELBOW_FLEXION not in RULES.movements_loading(Region.PELVIS_HIP)


def test_the_table_says_it_awaits_clinical_review() -> None:
    assert RULES.reviewed_by == ()
    assert "awaiting review" in RULES.status


def _copy(tmp_path: Path, old: str, new: str) -> Path:
    source = Path(__file__).parents[2] / "src/exonc/exercise/data/safety_rules.toml"
    text = source.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "rules.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'restricted = ["hip_flexion", "hip_extension"]',
            'restricted = ["hip_flexion", "hip_bending"]',
            r"rules\[1\]\.restricted.*unknown movement",
        ),
        (
            'sources = ["HART2018", "GALVAO2018"]',
            'sources = ["NOBODY"]',
            r"rules\[1\]\.sources.*cite known sources",
        ),
        ("mirels_hard_stop = 9", "mirels_hard_stop = 7", "Mirels thresholds must satisfy"),
        ('tibia_fibula = "lower_limb"\n', "", "regions: no entry for tibia_fibula"),
        (
            'skull = "skull"',
            'skull = "head"',
            r"key regions\.skull: value 'head': not a known value",
        ),
        (
            "unruled_sites_need_sign_off = true",
            "unruled_sites_need_sign_off = 1",
            "must be true or false",
        ),
        ('site = "ribs"', 'site = "pelvis"', "a second rule for the same site"),
    ],
)
def test_a_broken_rule_table_names_the_key(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    with pytest.raises(ProtocolError, match=message):
        load_safety_rules(_copy(tmp_path, old, new))


def test_the_docs_page_lists_every_rule_as_shipped() -> None:
    page = Path(__file__).parents[2] / "docs/concepts/bone-metastasis-safety.md"
    text = page.read_text(encoding="utf-8")
    for site, rule in RULES.rules.items():
        movements = ", ".join(sorted(m.value for m in rule.restricted))
        row = f"| `{site.value}` | {movements} | {', '.join(rule.sources)} | {rule.note} |"
        assert row in text, site
    for key in RULES.sources:
        assert f"| {key} |" in text, key
