"""Bad input to the file readers: one line on stderr and exit code 2, never a traceback, and
nothing silently counted twice (issue 16, finding 8). Each case failed before its fix."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

import exonc.cli

MMRM = [
    "--subject", "USUBJID", "--visit", "AVISIT", "--arm", "ARMCD", "--outcome", "FEV1",
    "--reference", "PBO", "--covariate", "RACE", "--covariate", "SEX", "--covariate", "FEV1_BL",
]  # fmt: skip
STRATA = ["--strata", "centre=C1,C2", "--strata", "line=1st/2nd,3rd+"]
CEA = [
    "--arm", "arm", "--reference", "control", "--utility", "u_m0@0", "--utility", "u_m3@3",
    "--utility", "u_m6@6", "--utility", "u_m9@9", "--cost", "cost_intervention",
    "--cost", "cost_healthcare",
]  # fmt: skip
QLQ_HEADER = "participant_id,visit,completed_on," + ",".join(f"q{i}" for i in range(1, 31))
Run = Callable[..., tuple[int, str]]
QLQ_ROW = "P1,baseline,2024-01-02," + ",".join(["1"] * 28 + ["5", "5"])


def _main(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str]:
    """Run the console script's entry point in-process: exit code and stderr."""
    monkeypatch.setattr("sys.argv", ["exonc", *args])
    with pytest.raises(SystemExit) as stop:
        exonc.cli.main()
    return int(stop.value.code or 0), capsys.readouterr().err


def refused(code_err: tuple[int, str], *parts: str) -> None:
    code, err = code_err
    assert code == 2, err
    assert err.startswith("error: "), err
    assert err.count("\n") == 1, err
    for part in parts:
        assert part in err, err


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    return lambda *args: _main(monkeypatch, capsys, *args)


def test_allocation_list_with_a_huge_cell(run: Run, tmp_path: Path) -> None:
    listed = tmp_path / "list.csv"
    assert run("randomise", "list", "-o", str(listed), "--per-stratum", "4", *STRATA,
               "--blocks", "2,4", "--seed", "1")[0] == 0  # fmt: skip
    lines = listed.read_text().splitlines()
    big = tmp_path / "big.csv"
    huge = lines[2].rsplit(",", 1)[0] + "," + "x" * 1_000_000
    big.write_text("\n".join([*lines[:2], huge, *lines[3:]]) + "\n")
    refused(run("randomise", "verify", str(big), "--sha256", "0" * 64), "row 2", "cannot be read")
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("\n".join([*lines[:3], lines[3] + ",extra", *lines[4:]]) + "\n")
    refused(
        run("randomise", "verify", str(ragged), "--sha256", "0" * 64),
        "row 3",
        "8 cells but the header has 7",
    )


def _fev_with(reference_dir: Path, tmp_path: Path, column: str, value: str) -> Path:
    rows = list(csv.reader((reference_dir / "mmrm" / "fev_data.csv").read_text().splitlines()))
    rows[2][rows[0].index(column)] = value
    path = tmp_path / "fev.csv"
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


@pytest.mark.parametrize("column", ["FEV1", "FEV1_BL"])
@pytest.mark.parametrize("value", ["inf", "-inf", "1e308", "9" * 400])
def test_mmrm_with_infinite_or_huge_numbers(
    run: Run, reference_dir: Path, tmp_path: Path, column: str, value: str
) -> None:
    path = _fev_with(reference_dir, tmp_path, column, value)
    refused(run("analyse", "mmrm", str(path), *MMRM), f"row 2, column {column}")


def test_mmrm_with_an_extreme_outlier_says_not_converged_without_numpy_warnings(
    run: Run, reference_dir: Path, tmp_path: Path
) -> None:
    path = _fev_with(reference_dir, tmp_path, "FEV1", "1e20")
    code, err = run("analyse", "mmrm", str(path), *MMRM, "--format", "json")
    assert code == 3
    assert "RuntimeWarning" not in err
    assert err.count("\n") == 1, err


def test_score_refuses_a_repeated_answer_set(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "qlq.csv"
    path.write_text(f"{QLQ_HEADER}\n{QLQ_ROW}\n{QLQ_ROW.replace('P1', 'P2')}\n{QLQ_ROW}\n")
    refused(run("score", "qlq-c30", str(path)), "row 3, column participant_id", "row 1")


def test_score_refuses_a_completion_date_in_the_future(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "qlq.csv"
    path.write_text(f"{QLQ_HEADER}\n{QLQ_ROW.replace('2024-01-02', '9999-12-31')}\n")
    refused(run("score", "qlq-c30", str(path)), "column completed_on", "9999-12-31", "future")


def test_header_only_input_is_refused(run: Run, tmp_path: Path) -> None:
    score = tmp_path / "qlq.csv"
    score.write_text(f"{QLQ_HEADER}\n")
    refused(run("score", "qlq-c30", str(score)), "no rows")
    log = tmp_path / "log.csv"
    log.write_text("study_id,arm,centre,line\n")
    refused(run("randomise", "balance", str(log), *STRATA), "no rows")


def test_balance_refuses_a_participant_counted_twice(run: Run, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(
        "study_id,arm,centre,line\nP1,exercise,C1,1st/2nd\nP2,control,C1,1st/2nd\n"
        "P1,exercise,C1,1st/2nd\n"
    )
    refused(run("randomise", "balance", str(log), *STRATA), "row 3, column study_id", "'P1'")


def test_cea_needs_one_row_per_identified_patient(
    run: Run, reference_dir: Path, tmp_path: Path
) -> None:
    lines = (reference_dir / "economics" / "cea_public_patients.csv").read_text().splitlines()
    twice = tmp_path / "twice.csv"
    twice.write_text("\n".join([*lines, lines[1]]) + "\n")
    refused(run("economics", "cea", str(twice), *CEA, "--id", "pid"), "column pid", "row 1")
    anonymous = tmp_path / "anonymous.csv"
    anonymous.write_text("\n".join(line.split(",", 1)[1] for line in lines) + "\n")
    refused(run("economics", "cea", str(anonymous), *CEA), "--id")
    refused(run("economics", "cea", str(anonymous), *CEA, "--id", "pid"), "missing column pid")
    platform = tmp_path / "export.csv"  # the platform's export names the column participant
    platform.write_text("\n".join(["participant" + lines[0][3:], *lines[1:]]) + "\n")
    assert run("economics", "cea", str(platform), *CEA)[0] == 0


def test_an_unforeseen_exception_is_one_line(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("surprise")

    monkeypatch.setattr("exonc.cli._io.read_table", broken)
    monkeypatch.setattr("exonc.cli.questionnaires._io.read_table", broken)
    code, err = run("score", "qlq-c30", str(tmp_path / "any.csv"))
    assert code == 1
    assert err.startswith("error: unexpected KeyError: 'surprise'")
    assert err.count("\n") == 1


def test_psa_refuses_draws_too_large_to_use(run: Run, reference_dir: Path, tmp_path: Path) -> None:
    """Found by tests/cli/test_fuzz.py: 1e308 overflowed the net benefits (RuntimeWarning)."""
    lines = (reference_dir / "economics" / "cea_public_psa.csv").read_text().splitlines()[:20]
    cells = lines[1].split(",")
    cells[1] = "1e308"
    draws = tmp_path / "draws.csv"
    draws.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n")
    refused(run("economics", "psa", str(draws), "--reference", "usual_care"), "row 1", "1e+100")


def test_cea_refuses_an_arm_of_one_patient(run: Run, tmp_path: Path) -> None:
    """Found by tests/cli/test_fuzz.py: one patient in an arm gave numpy's "Degrees of
    freedom <= 0" RuntimeWarning instead of an error."""
    patients = tmp_path / "patients.csv"
    patients.write_text(
        "pid,arm,u_m0,u_m3,u_m6,u_m9,cost_intervention,cost_healthcare\n"
        "1,control,0.5,0.5,0.5,0.5,0,10\n2,control,0.6,0.5,0.4,0.5,0,20\n"
        "3,exercise,0.5,0.6,0.7,0.7,100,5\n"
    )
    refused(run("economics", "cea", str(patients), *CEA, "--id", "pid"), "'exercise' has 1")
