"""Fuzzing every command that reads a file (issue 16): random bytes, and valid inputs
mutated cell by cell and line by line (hypothesis), must end with exit code 0, 2 (bad
input) or 3 (a model did not converge) and one-line errors — never a traceback and never
``error: unexpected …`` (an exception no reader foresaw; see ``exonc.cli.main``).

Seeds are small valid inputs from ``tests/reference`` (their provenance is in its README)
or written here. ``FUZZ_EXAMPLES`` sets the number of examples per command (default 40).
"""

from __future__ import annotations

import hashlib
import io
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import exonc.cli

pytestmark = pytest.mark.slow

REFERENCE = Path(__file__).resolve().parent.parent / "reference"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
STRATA = ["--strata", "centre=C1,C2", "--strata", "line=1st/2nd,3rd+"]

# Cells that have broken readers before: non-numbers, non-finite and huge numbers, quotes,
# separators, control characters, dates at the end of the calendar, very long text.
NASTY = [
    "", " ", "NA", "nan", "inf", "-inf", "1e308", "-1e308", "9" * 400, "-1", "0", "1.5",
    "1,5", '"', '""', "'", ",", ";", "\t", "\n", "\r\n", "\x00", "\ufeff", "é", "🙂",
    "9999-12-31", "0001-01-01", "2024-02-30", "1/1/2024 12:00:00 AM", "x" * 5000,
    "=HYPERLINK(1)", "True", "[]", "{}", "<a>", "\\",
]  # fmt: skip


@dataclass(frozen=True)
class Case:
    """A command that reads one file: how to call it, the file's name, a valid seed."""

    name: str
    argv: Callable[[Path], list[str]]
    filename: str
    seed: bytes


def _lines(path: Path, count: int) -> bytes:
    text = path.read_text(encoding="utf-8").splitlines()[:count]
    return ("\n".join(text) + "\n").encode()


QLQ_HEADER = "participant_id,visit,completed_on," + ",".join(f"q{i}" for i in range(1, 31))
QLQ_ROWS = [
    f"P{i},baseline,2024-01-0{i}," + ",".join(str(1 + (i + k) % 4) for k in range(28)) + ",5,6"
    for i in range(1, 5)
]
ALLOCATION_LIST = (
    "stratum,position,block,block_size,arm,centre,line\n"
    "centre=C1|line=1st/2nd,1,1,2,exercise,C1,1st/2nd\n"
    "centre=C1|line=1st/2nd,2,1,2,control,C1,1st/2nd\n"
    "centre=C2|line=3rd+,1,1,2,control,C2,3rd+\n"
    "centre=C2|line=3rd+,2,1,2,exercise,C2,3rd+\n"
)
LIST_SHA = hashlib.sha256(ALLOCATION_LIST.encode()).hexdigest()
FEV = REFERENCE / "mmrm" / "fev_data.csv"
CEA = [
    "--arm", "arm", "--reference", "control", "--utility", "u_m0@0", "--utility", "u_m3@3",
    "--utility", "u_m6@6", "--utility", "u_m9@9", "--cost", "cost_intervention",
    "--cost", "cost_healthcare", "--id", "pid",
]  # fmt: skip
MMRM = [
    "--subject", "USUBJID", "--visit", "AVISIT", "--arm", "ARMCD", "--outcome", "FEV1",
    "--reference", "PBO", "--covariate", "SEX", "--covariate", "FEV1_BL", "--format", "json",
]  # fmt: skip
DAILY = (
    "participant_id,date,wear_minutes,sedentary_minutes,light_minutes,moderate_minutes,"
    "vigorous_minutes,active_minutes,steps,valid_day,goal_met\n"
)

CASES = [
    Case("score", lambda p: ["score", "qlq-c30", str(p)], "answers.csv",
         ("\n".join([QLQ_HEADER, *QLQ_ROWS]) + "\n").encode()),
    Case("score eq-5d-5l", lambda p: ["score", "eq-5d-5l", str(p), "--value-set", "NL"],
         "eq5d.csv", b"participant_id,MO,SC,UA,PD,AD\nP1,1,2,3,4,5\nP2,5,4,3,2,1\n"),
    Case("randomise verify", lambda p: ["randomise", "verify", str(p), "--sha256", LIST_SHA],
         "list.csv", ALLOCATION_LIST.encode()),
    Case("randomise import", lambda p: ["randomise", "import", str(p), "-o",
                                        str(p.with_name("out.csv"))],
         "list.csv", ALLOCATION_LIST.encode()),
    Case("randomise balance", lambda p: ["randomise", "balance", str(p), *STRATA],
         "log.csv", b"study_id,arm,centre,line\nP1,exercise,C1,1st/2nd\nP2,control,C2,3rd+\n"),
    Case("analyse mmrm", lambda p: ["analyse", "mmrm", str(p), *MMRM], "fev.csv",
         _lines(FEV, 81)),
    Case("economics cea", lambda p: ["economics", "cea", str(p), *CEA], "patients.csv",
         _lines(REFERENCE / "economics" / "cea_public_patients.csv", 41)),
    Case("economics psa", lambda p: ["economics", "psa", str(p), "--reference", "usual_care"],
         "draws.csv", _lines(REFERENCE / "economics" / "cea_public_psa.csv", 31)),
    Case("exercise adherence", lambda p: ["exercise", "adherence", str(p), "--today",
                                          "2024-12-31"],
         "sessions.csv", (REFERENCE / "exercise" / "sessions.csv").read_bytes()),
    Case("exercise plan", lambda p: ["exercise", "plan", "-f", str(p), "--date", "2024-02-08",
                                     "--today", "2024-12-31"],
         "participant.toml", (REFERENCE / "exercise" / "participant.toml").read_bytes()),
    Case("trackers daily fitabase", lambda p: ["trackers", "daily", "-f", "fitabase",
                                               str(p.parent), "--timezone", "UTC"],
         "minuteStepsWide_merged.csv",
         _lines(REFERENCE / "trackers" / "fitabase" / "minuteStepsWide_merged.csv", 30)),
    Case("trackers daily fitbit-json", lambda p: ["trackers", "daily", "-f", "fitbit-json",
                                                  str(p), "--participant", "P1",
                                                  "--timezone", "UTC"],
         "steps-2024-03-30.json",
         (REFERENCE / "trackers" / "fitbit_json" / "steps-2024-03-30.json").read_bytes()),
    Case("trackers weekly", lambda p: ["trackers", "weekly", str(p)], "daily.csv",
         (DAILY + "P1,2024-03-04,900,500,300,60,10,70,8000,true,true\n"
          "P1,2024-03-05,700,400,250,20,0,20,4000,true,false\n").encode()),
]  # fmt: skip
# Fitabase reads the steps with the intensities of the same minutes: keep those valid.
COMPANIONS = {
    "trackers daily fitabase": {
        "minuteIntensitiesWide_merged.csv": _lines(
            REFERENCE / "trackers" / "fitabase" / "minuteIntensitiesWide_merged.csv", 30
        )
    }
}


NUMBERS = ["inf", "-inf", "nan", "1e308", "-1e308", "1e20", "9" * 400, "-1", "0", "1e-320"]


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


STRUCTURAL = {",", "\n", "\r\n", '"'}


@st.composite
def mutated(draw: st.DrawFn, seed: bytes, structural: bool) -> bytes:
    """*seed* with a few cells replaced by values a reader must refuse or handle; when
    *structural*, also lines duplicated, dropped or cut and rows of the wrong width."""
    lines = seed.decode("utf-8", errors="replace").split("\n")
    actions = ["cell", "number", "number"] + (["dup", "drop", "cut", "cells"] if structural else [])
    values = st.sampled_from([v for v in NASTY if structural or not STRUCTURAL & set(v)])
    text = (
        st.text(max_size=12)
        if structural
        else st.text(st.characters(exclude_characters=',"\r\n'), max_size=12)
    )
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, max(len(lines) - 1, 0)))
        action = draw(st.sampled_from(actions))
        cells = lines[at].split(",") if lines else [""]
        if action == "cell":
            cells[draw(st.integers(0, len(cells) - 1))] = draw(st.one_of(values, values, text))
            lines[at] = ",".join(cells)
        elif action == "number":  # a number that is not one a reader can use
            numeric = [i for i, cell in enumerate(cells) if _is_number(cell)]
            if numeric:
                cells[draw(st.sampled_from(numeric))] = draw(st.sampled_from(NUMBERS))
                lines[at] = ",".join(cells)
        elif action == "cells":  # a row with more or fewer cells than the header
            lines[at] = ",".join([*cells[: draw(st.integers(0, len(cells) + 2))], "x"])
        elif action == "dup":
            lines.insert(at, lines[at])
        elif action == "drop" and len(lines) > 1:
            del lines[at]
        elif action == "cut":
            lines = lines[: at + 1]
            lines[at] = lines[at][: draw(st.integers(0, len(lines[at])))]
    return "\n".join(lines).encode("utf-8", errors="surrogatepass")


def contents(case: Case) -> st.SearchStrategy[bytes]:
    """Random bytes, or the seed mutated (values only, twice as often as structurally)."""
    return st.one_of(
        st.binary(max_size=400),
        mutated(case.seed, structural=True),
        mutated(case.seed, structural=False),
        mutated(case.seed, structural=False),
    )


def run_once(case: Case, content: bytes) -> tuple[int, str]:
    """Run the command on *content* in-process (the console script's own entry point)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / case.filename
        path.write_bytes(content)
        for name, companion in COMPANIONS.get(case.name, {}).items():
            (Path(folder) / name).write_bytes(companion)
        err = io.StringIO()
        saved = sys.argv, sys.stdout, sys.stderr
        sys.argv, sys.stdout, sys.stderr = ["exonc", *case.argv(path)], io.StringIO(), err
        try:
            exonc.cli.main()
            code = 0
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        finally:
            sys.argv, sys.stdout, sys.stderr = saved
        return code, err.getvalue()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_seed_is_valid(case: Case) -> None:
    code, err = run_once(case, case.seed)
    assert code == 0, err


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_malformed_input_gives_one_line_never_a_traceback(case: Case) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(content=contents(case))
    def check(content: bytes) -> None:
        code, err = run_once(case, content)
        assert code in (0, 2, 3), err
        assert "Traceback" not in err, err
        if code == 2:
            errors = [line for line in err.splitlines() if line.startswith("error: ")]
            assert len(errors) == 1, err

    check()
