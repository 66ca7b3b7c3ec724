"""The Physical Activity Resource Hub: exercise guides tailored to fitness level and bone
lesions.

A pure domain package, like the rest of exonc's core: the guides are reviewed data files
(``exonc/guides/data``) read into frozen values; tailoring applies the lesion register
through the exercise package's own rule table (:mod:`exonc.exercise.safety`); drawings are
SVG made from joint angles; handouts are HTML printed to PDF by :mod:`exonc.reports.pdf`.
The platform (``exonc.platform.guides``) adds the clinical review gate, the public and the
patient's pages and a centre's own photos and videos; ``exonc guides`` is the command line.
"""

from __future__ import annotations

from exonc.guides.check import LibraryCheck, Problem, check_library
from exonc.guides.handouts import HandoutPage, file_approvals, handout_html, handout_pdf
from exonc.guides.illustrations import PROPS, draw
from exonc.guides.levels import (
    Answer,
    LevelAssessment,
    LevelBasis,
    LevelMapping,
    Question,
    SelfAssessment,
    TestCutOffs,
    level_from_answers,
    level_from_tests,
    load_level_mapping,
    load_self_assessment,
    parse_level,
)
from exonc.guides.library import (
    Library,
    default_level_mapping,
    default_library,
    default_self_assessment,
    fingerprint,
    load_library,
)
from exonc.guides.model import (
    Guide,
    GuideComponent,
    GuideSetting,
    Illustration,
    Level,
    Pose,
    Review,
    ReviewStatus,
    Support,
)
from exonc.guides.tailoring import (
    Exclusion,
    Pack,
    TailoredGuide,
    parse_site,
    site_lesions,
    tailor,
    tailored_pack,
    with_alternatives,
)
from exonc.guides.translations import TEXT_FIELDS, Overlay
from exonc.guides.words import Words

__all__ = [
    "PROPS",
    "TEXT_FIELDS",
    "Answer",
    "Exclusion",
    "Guide",
    "GuideComponent",
    "GuideSetting",
    "HandoutPage",
    "Illustration",
    "Level",
    "LevelAssessment",
    "LevelBasis",
    "LevelMapping",
    "Library",
    "LibraryCheck",
    "Overlay",
    "Pack",
    "Pose",
    "Problem",
    "Question",
    "Review",
    "ReviewStatus",
    "SelfAssessment",
    "Support",
    "TailoredGuide",
    "TestCutOffs",
    "Words",
    "check_library",
    "default_level_mapping",
    "default_library",
    "default_self_assessment",
    "draw",
    "file_approvals",
    "fingerprint",
    "handout_html",
    "handout_pdf",
    "level_from_answers",
    "level_from_tests",
    "load_level_mapping",
    "load_library",
    "load_self_assessment",
    "parse_level",
    "parse_site",
    "site_lesions",
    "tailor",
    "tailored_pack",
    "with_alternatives",
]
