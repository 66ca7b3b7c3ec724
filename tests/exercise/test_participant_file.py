"""Reading a participant file: every field, and errors that name the key."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from exonc.errors import ExerciseInputError
from exonc.exercise import (
    HandgripTest,
    MultipleRMTest,
    Sex,
    Site,
    SymptomKind,
    load_participant,
)

REFERENCE = Path(__file__).parents[1] / "reference" / "exercise" / "participant.toml"
TODAY = dt.date(2024, 12, 31)


def test_the_reference_file_is_read_completely() -> None:
    loaded = load_participant(REFERENCE, today=TODAY)
    s = loaded.state
    assert (s.participant_id, s.centre, s.start_date, s.sex) == (
        "P001",
        "UMCU",
        dt.date(2024, 1, 8),
        Sex.FEMALE,
    )
    assert len(s.tests) == 11
    assert [t.kind for t in s.tests][:3] == ["steep_ramp", "cpet", "multiple_rm"]
    press = s.tests[2]
    assert isinstance(press, MultipleRMTest)
    assert press.h1rm_kg == pytest.approx(74.4971, abs=1e-3)
    grip = s.tests[8]
    assert isinstance(grip, HandgripTest)
    assert grip.best_kg == 26.0
    assert [lesion.site for lesion in s.lesions] == [Site.PELVIS, Site.THORACIC_SPINE]
    assert s.lesions[1].sins_score == 1  # semi-rigid 1, all else 0
    assert s.overrides[0].clinician == "Dr C. de Vries"
    assert s.sessions[0].resistance[0].volume_load_kg == pytest.approx(630.0)  # 36 × 17.5
    assert loaded.equipment.increment("leg_press") == 5.0
    assert loaded.equipment.increment("chest_press") == 2.5


def _edited(tmp_path: Path, old: str, new: str, name: str = "p.toml") -> Path:
    text = REFERENCE.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "load_kg = 60\nreps = 8",
            "load_kg = 60\nreps = 15",
            r"p\.toml, key tests\[3\]\.reps: value 15: the Brzycki equation is valid for "
            r"2–10 repetitions",
        ),
        (
            "load_kg = 60\nreps = 8",
            "load_kg = 0\nreps = 8",
            r"key tests\[3\]\.load_kg: value 0\.0: load_kg must be more than 0",
        ),
        (
            'reason = "T7 lesion blastic and stable (SINS 1); seated row allowed with the '
            'prescribed load"',
            'reason = ""',
            r"key overrides\[1\]\.reason.*reason must not be empty",
        ),
        (
            'clinician = "Dr C. de Vries"',
            'clinician = ""',
            r"key overrides\[1\]\.clinician.*must not be empty",
        ),
        ('lesion = "L2"', 'lesion = "L7"', r"key overrides.*not in the register"),
        (
            "date = 2024-01-10",
            "date = 2025-01-10",
            r"key sessions\[1\]\.date: value '2025-01-10': the session is dated after today",
        ),
        (
            'date = 2024-01-03\ntester = "J. Smit"\nconditions',
            'date = 2025-03-01\ntester = "J. Smit"\nconditions',
            r"key tests\[1\]\.date.*the test is dated after today",
        ),
        (
            'site = "pelvis"',
            'site = "hip"',
            r"key lesions\[1\]\.site: value 'hip': not a known value",
        ),
        (
            'level = "T7"',
            'level = "L3"',
            r"key lesions\[2\]\.sins\.level: value 'L3': vertebral level L3 is not in the "
            r"thoracic spine",
        ),
        ("height_cm = 165", "height_cm = 16.5", r"key height_cm: value 16\.5"),
        ("height_cm = 165", "height_cm = 165\nweight_kg = 60", r"key weight_kg: unknown key"),
        (
            'type = "cpet"',
            'type = "vo2max"',
            r"key tests\[2\]\.type: value 'vo2max': not a known test",
        ),
        (
            "reps = [12, 12, 12]\nload_kg = 17.5",
            "reps = [12, 12, 12]\nload_kg = [17.5, 17.5]",
            r"key sessions\[1\]\.resistance\[1\]\.load_kg.*one load per set",
        ),
        (
            "rpe = 6\npain = 0",
            "rpe = 6\npain = 12",
            r"key sessions\[1\]\.resistance\[1\]\.pain: value 12",
        ),
    ],
)
def test_bad_input_is_refused_with_file_and_key(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    with pytest.raises(ExerciseInputError, match=message):
        load_participant(_edited(tmp_path, old, new), today=TODAY)


def test_a_check_in_that_raises_a_symptom_opens_a_flag(tmp_path: Path) -> None:
    path = _edited(tmp_path, "new_or_worse_bone_pain = false", "new_or_worse_bone_pain = true")
    flags = load_participant(path, today=TODAY).state.flags
    assert [(f.kind, f.opened, f.closed) for f in flags] == [
        (SymptomKind.BONE_PAIN, dt.date(2024, 1, 10), None)
    ]
    closed = path.read_text(encoding="utf-8") + (
        '\n[[flags]]\nkind = "new_or_worse_bone_pain"\nopened = 2024-01-10\nclosed = 2024-01-24\n'
    )
    path.write_text(closed, encoding="utf-8")
    flags = load_participant(path, today=TODAY).state.flags
    assert [(f.opened, f.closed) for f in flags] == [(dt.date(2024, 1, 10), dt.date(2024, 1, 24))]


def test_json_participant_files_are_read_too(tmp_path: Path) -> None:
    data = {
        "participant_id": "P002",
        "start_date": "2024-01-08",
        "sex": "male",
        "birth_date": "1960-02-01",
        "height_cm": 180,
        "tests": [{"type": "cpet", "date": "2024-01-03", "tester": "X", "wpeak_w": 200}],
    }
    path = tmp_path / "p002.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    state = load_participant(path, today=TODAY).state
    assert (state.participant_id, state.sex, state.tests[0].kind) == ("P002", Sex.MALE, "cpet")
    path.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ExerciseInputError, match="must hold one JSON object"):
        load_participant(path, today=TODAY)


MORE = """
participant_id = "P003"
start_date = 2024-01-08
sex = "female"
birth_date = 1965-03-01
height_cm = 170

[[lesions]]
id = "F1"
site = "proximal_femur"
laterality = "right"
type = "lytic"
imaging_date = 2023-11-20
mirels = { site = "peritrochanteric", size = "one_to_two_thirds", pain = "mild" }
clearance = { clinician = "Dr A. Jansen", date = 2023-12-15, note = "intramedullary nail" }

[[flags]]
kind = "fever"
opened = 2024-01-20
closed = 2024-01-25
note = "38.4 °C"

[[sessions]]
date = 2024-01-09
[sessions.aerobic]
exercise = "cycle_ergometer"
bouts = 1
bout_seconds = 900
watts = 80
rpe = 4
[sessions.balance]
minutes = 8
modification = "seated"
modification_reason = "dizziness when standing"
"""


def test_scores_clearances_flags_and_delivered_aerobic_and_balance_are_read(tmp_path: Path) -> None:
    path = tmp_path / "p003.toml"
    path.write_text(MORE, encoding="utf-8")
    state = load_participant(path, today=TODAY).state
    femur = state.lesions[0]
    assert femur.mirels_score == 9  # peritrochanteric 3 + 1/3–2/3 2 + lytic 3 + mild 1
    assert femur.clearance is not None
    assert femur.cleared_on(dt.date(2024, 1, 8)) is not None
    assert [(f.kind, f.closed) for f in state.flags] == [(SymptomKind.FEVER, dt.date(2024, 1, 25))]
    log = state.sessions[0]
    assert log.aerobic is not None
    assert log.aerobic.work_kj == pytest.approx(72.0)  # 900 s × 80 W
    assert log.balance is not None
    assert (log.balance.exercise, log.balance.minutes) == ("balance_training", 8.0)
    path.write_text(MORE.replace('pain = "mild" }', 'pain = "sharp" }'), encoding="utf-8")
    with pytest.raises(ExerciseInputError, match=r"key lesions\[1\]\.mirels\.pain: value 'sharp'"):
        load_participant(path, today=TODAY)
    path.write_text(
        MORE.replace("imaging_date = 2023-11-20", "imaging_date = 2025-11-20"), encoding="utf-8"
    )
    with pytest.raises(ExerciseInputError, match=r"key lesions\[1\]\.imaging_date.*is after today"):
        load_participant(path, today=TODAY)
