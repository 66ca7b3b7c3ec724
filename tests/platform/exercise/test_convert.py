"""Stored records ↔ the engine's value objects (no database needed for most)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from exonc import exercise as ex
from exonc.errors import ExerciseInputError
from exonc.platform.exercise import convert

DAY = dt.date(2024, 3, 1)
CONTEXT = ex.TestContext(DAY, "J. Smit")


@pytest.mark.parametrize(
    ("kind", "values", "expected"),
    [
        # Brzycki: 60 / (1.0278 − 0.0278 × 8) = 74.497 kg
        ("multiple_rm", {"exercise": "leg_press", "load_kg": "60", "reps": "8"}, "h1RM 74.5 kg"),
        # Epley: 25 × (1 + 10/30) = 33.33 kg
        (
            "multiple_rm",
            {"exercise": "chest_press", "load_kg": 25, "reps": 10, "formula": "epley"},
            "h1RM 33.3 kg",
        ),
        ("handgrip", {"side": "right", "trials_kg": "24;26;25"}, "best 26 kg of 3"),
        ("single_leg_stance", {"side": "left", "seconds": 18, "eyes_open": "on"}, "eyes open"),
        ("steep_ramp", {"msec_w": 250}, "MSEC 250 W"),
        ("cpet", {"wpeak_w": 160, "vo2peak_ml_min": 1650}, "Wpeak 160 W"),
        ("timed_up_and_go", {"seconds": 7.2}, "7.2 s"),
    ],
)
def test_fitness_tests_parse_and_describe(
    kind: str, values: dict[str, object], expected: str
) -> None:
    test, stored = convert.fitness_test(kind, CONTEXT, values)
    assert expected in convert.describe_test(test)
    assert convert.fitness_test(kind, CONTEXT, stored)[0] == test  # stored values read back


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"exercise": "leg_press", "load_kg": 60, "reps": 8.5}, "column reps: value 8.5"),
        ({"exercise": "leg_press", "load_kg": True, "reps": 8}, "column load_kg"),
        ({"exercise": "leg_press", "load_kg": 60}, "column reps: is missing"),
    ],
)
def test_fitness_test_values_are_checked(values: dict[str, object], message: str) -> None:
    with pytest.raises(ExerciseInputError, match=message):
        convert.fitness_test("multiple_rm", CONTEXT, values)


def test_a_session_entry_survives_storage() -> None:
    entry = convert.session_entry(
        {
            "date": "2024-05-02",
            "aerobic": {
                "exercise": "cycle_ergometer",
                "bouts": 8,
                "bout_seconds": 60,
                "watts": 160,
                "rpe": 7,
            },
            "resistance": [
                {
                    "exercise": "leg_press",
                    "sets": [{"reps": 12, "load_kg": 52.5}, {"reps": 11, "load_kg": 52.5}],
                    "pain": 2,
                },
            ],
            "balance": {"minutes": 8, "modification": "seated", "modification_reason": "dizzy"},
            "check_in": {"fever": "on", "note": "37.9"},
        }
    )
    stored = convert.stored_parts(entry)
    again = convert.session_entry({"date": entry.date, **stored})
    assert again == entry
    assert entry.check_in is not None
    assert entry.check_in.raised() == (ex.SymptomKind.FEVER,)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date": "02/05/2024"}, "column date"),
        ({"date": "2024-05-02", "setting": "gym"}, "column setting: value 'gym'"),
        ({"date": "2024-05-02", "resistance": [{"exercise": "leg_press"}]}, "has no sets"),
        (
            {"date": "2024-05-02", "aerobic": {"exercise": "cycle_ergometer", "bouts": 8}},
            "bout_seconds: is missing",
        ),
    ],
)
def test_bad_session_data_is_refused(data: dict[str, object], message: str) -> None:
    with pytest.raises(ExerciseInputError, match=message):
        convert.session_entry(data)


def test_lesion_entries_become_engine_lesions() -> None:
    entry = convert.LesionEntry(
        "thoracic_spine",
        "midline",
        "lytic",
        DAY,
        sins_level="T12",
        sins_pain="occasional",
        sins_alignment="normal",
        sins_collapse="under_half",
        sins_posterolateral="none",
    )
    lesion = convert.lesion(entry, "L1")
    # SINS: junctional 3 + occasional 1 + lytic 2 + normal 0 + collapse < 50 % 2 + none 0 = 8
    assert lesion.sins_score == 8
    with pytest.raises(ExerciseInputError, match="column site"):
        convert.lesion(convert.LesionEntry("knee", "left", "lytic", DAY), "L1")


def test_every_lesion_field_list_is_the_domain_one() -> None:
    """One home for the lesion fields (ex.LESION_FIELDS): the declarative copies that must
    spell them out — the model, the form, the API schema — are checked against it."""
    from exonc.platform.exercise.api import LesionIn
    from exonc.platform.exercise.forms import LesionForm
    from exonc.platform.exercise.models import Lesion

    assert tuple(f.name for f in dataclasses.fields(convert.LesionEntry)) == (
        *ex.LESION_FIELDS,
        "label",
    )
    assert tuple(LesionForm.base_fields) == ("label", *ex.LESION_FIELDS)
    assert tuple(n for n in LesionIn.model_fields if n != "label") == ex.LESION_FIELDS
    stored = {f.name for f in Lesion._meta.get_fields()}
    assert set(ex.LESION_FIELDS) <= stored
