"""The lesion register: scores belong to the right sites, clearances count from the imaging."""

from __future__ import annotations

import datetime as dt

import pytest

from exonc.errors import ExerciseInputError
from exonc.exercise import (
    LESION_FIELDS,
    Clearance,
    Lesion,
    LesionRecord,
    LesionType,
    MirelsComponents,
    MirelsPain,
    MirelsSite,
    MirelsSize,
    SinsAlignment,
    SinsCollapse,
    SinsComponents,
    SinsPain,
    SinsPosterolateral,
    Site,
)
from tests.exercise.factories import lesion

MIRELS_LOWER = MirelsComponents(
    MirelsSite.LOWER_LIMB, MirelsSize.ONE_TO_TWO_THIRDS, MirelsPain.MILD
)
SINS_T7 = SinsComponents(
    "T7", SinsPain.MECHANICAL, SinsAlignment.NORMAL, SinsCollapse.NONE, SinsPosterolateral.NONE
)


def test_a_long_bone_lesion_scores_mirels_with_its_lesion_type() -> None:
    # lower limb 2 + 1/3–2/3 2 + lytic 3 + mild 1 = 8
    femur = lesion(Site.FEMORAL_SHAFT, mirels=MIRELS_LOWER, lesion_type=LesionType.LYTIC)
    assert (femur.mirels_score, femur.sins_score) == (8, None)


def test_a_spinal_lesion_scores_sins_with_its_lesion_type() -> None:
    # semi-rigid 1 + mechanical 3 + mixed 1 + 0 + 0 + 0 = 5
    spine = lesion(Site.THORACIC_SPINE, sins=SINS_T7, lesion_type=LesionType.MIXED)
    assert (spine.mirels_score, spine.sins_score) == (None, 5)


def test_mirels_is_refused_for_a_bone_that_is_not_long() -> None:
    with pytest.raises(ExerciseInputError, match="pelvis is not a long bone"):
        lesion(Site.PELVIS, mirels=MIRELS_LOWER)


def test_the_mirels_site_must_match_the_lesion_site() -> None:
    with pytest.raises(ExerciseInputError, match="does not match the lesion site proximal_humerus"):
        lesion(Site.PROXIMAL_HUMERUS, mirels=MIRELS_LOWER)
    peritrochanteric = MirelsComponents(
        MirelsSite.PERITROCHANTERIC, MirelsSize.UNDER_ONE_THIRD, MirelsPain.MILD
    )
    assert lesion(Site.PROXIMAL_FEMUR, mirels=peritrochanteric).mirels_score is not None
    with pytest.raises(ExerciseInputError, match="use lower_limb"):
        lesion(Site.DISTAL_FEMUR, mirels=peritrochanteric)


def test_sins_is_refused_outside_the_spine_and_at_the_wrong_level() -> None:
    with pytest.raises(ExerciseInputError, match="ribs is not in the spine"):
        lesion(Site.RIBS, sins=SINS_T7)
    with pytest.raises(ExerciseInputError, match="level T7 is not in the lumbar spine"):
        lesion(Site.LUMBAR_SPINE, sins=SINS_T7)


@pytest.mark.parametrize(
    ("site", "needs"),
    [
        (Site.PROXIMAL_FEMUR, True),
        (Site.TIBIA_FIBULA, True),
        (Site.CERVICAL_SPINE, True),
        (Site.SACRUM, True),
        (Site.PELVIS, False),
        (Site.RIBS, False),
        (Site.SKULL, False),
    ],
)
def test_long_bones_and_spine_need_their_score(site: Site, needs: bool) -> None:
    assert lesion(site).needs_score is needs


def test_a_clearance_counts_from_the_imaging_up_to_the_day() -> None:
    cleared = lesion(
        Site.PELVIS,
        imaging_date=dt.date(2024, 1, 10),
        clearance=Clearance("Dr A. Jansen", dt.date(2024, 1, 20)),
    )
    assert cleared.cleared_on(dt.date(2024, 1, 19)) is None  # not yet given
    assert cleared.cleared_on(dt.date(2024, 1, 20)) is not None
    stale = lesion(
        Site.PELVIS,
        imaging_date=dt.date(2024, 3, 1),
        clearance=Clearance("Dr A. Jansen", dt.date(2024, 1, 20)),
    )
    assert stale.cleared_on(dt.date(2024, 6, 1)) is None  # predates the latest imaging


def test_a_clearance_needs_a_named_clinician() -> None:
    with pytest.raises(ExerciseInputError, match="clinician must not be empty"):
        Clearance("", dt.date(2024, 1, 20))


@pytest.mark.parametrize(
    "register_lesion",
    [
        lesion(Site.FEMORAL_SHAFT, mirels=MIRELS_LOWER, lesion_type=LesionType.LYTIC),
        lesion(Site.THORACIC_SPINE, sins=SINS_T7),
        lesion(Site.PELVIS),
    ],
)
def test_a_lesion_reads_back_from_its_flat_record(register_lesion: Lesion) -> None:
    record = LesionRecord.from_lesion(register_lesion)
    assert tuple(vars(record)) == LESION_FIELDS
    assert record.lesion(register_lesion.id, register_lesion.clearance) == register_lesion


def test_a_record_with_an_unknown_value_names_the_field() -> None:
    record = LesionRecord(
        "femoral_shaft", "left", "lytic", dt.date(2024, 1, 5), "lower_limb", "under_one_third", "x"
    )
    with pytest.raises(ExerciseInputError, match="column mirels_pain: value 'x': is not a known"):
        record.lesion("L1")
