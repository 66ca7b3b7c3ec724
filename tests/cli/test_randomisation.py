"""``exonc randomise …`` through the console entry point (exit codes, stdout, stderr)."""

from __future__ import annotations

import hashlib
import json
import stat
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from exonc.cli import main

STRATA = ["--strata", "centre=C1,C2,C3", "--strata", "line=1st/2nd,3rd+"]
LIST_ARGS = ["randomise", "list", *STRATA, "--ratio", "1:1", "--blocks", "2,4,6"]


def run(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["exonc", *args])
    try:
        main()
        code = 0
    except SystemExit as stop:
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    return lambda *args: run(list(args), monkeypatch, capsys)


def test_list_is_reproducible_and_prints_its_checksum(cli: Cli, tmp_path: Path) -> None:
    first, again = tmp_path / "a.csv", tmp_path / "b.csv"
    code, out, err = cli(*LIST_ARGS, "--per-stratum", "12", "--seed", "42", "-o", str(first))
    assert (code, err) == (0, "")
    cli(*LIST_ARGS, "--per-stratum", "12", "--seed", "42", "-o", str(again))
    assert first.read_bytes() == again.read_bytes()
    checksum = hashlib.sha256(first.read_bytes()).hexdigest()
    assert f"sha256 {checksum}" in out
    assert "72 positions in 6 strata" in out
    assert first.read_text().splitlines()[0] == "stratum,position,block,block_size,arm,centre,line"


def test_list_json_and_seed_file_and_test_purpose(cli: Cli, tmp_path: Path) -> None:
    seed_file = tmp_path / "seed.txt"
    assert cli("randomise", "seed", "-o", str(seed_file))[0] == 0
    assert stat.S_IMODE(seed_file.stat().st_mode) == 0o600
    live, test = tmp_path / "live.csv", tmp_path / "test.csv"
    code, out, _ = cli(
        *LIST_ARGS,
        "--per-stratum",
        "6",
        "--seed-file",
        str(seed_file),
        "-o",
        str(live),
        "--format",
        "json",
    )
    summary = json.loads(out)
    assert code == 0
    assert summary["purpose"] == "live"
    assert summary["sha256"] == hashlib.sha256(live.read_bytes()).hexdigest()
    assert summary["design"]["block_sizes"] == [2, 4, 6]
    assert "seed" not in out.lower().replace("seed_file", "")
    cli(
        *LIST_ARGS,
        "--per-stratum",
        "6",
        "--seed-file",
        str(seed_file),
        "-o",
        str(test),
        "--purpose",
        "test",
    )
    assert live.read_bytes() != test.read_bytes()


def test_seed_prints_a_large_integer(cli: Cli) -> None:
    code, out, _ = cli("randomise", "seed")
    assert code == 0
    assert int(out.strip()) >= 0


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ["--per-stratum", "7", "--seed", "1"],
            "error: --per-stratum: value 7: cannot be filled with whole blocks of sizes 2, 4, 6; "
            "use 6 or 8 positions per stratum",
        ),
        (["--per-stratum", "8"], "error: --seed: give exactly one of --seed and --seed-file"),
        (
            ["--per-stratum", "8", "--seed", "1", "--ratio", "2:1"],
            "error: --blocks: value 2: a block size must be a positive multiple of the ratio sum 3",
        ),
        (
            ["--per-stratum", "8", "--seed", "1", "--ratio", "1:1:1"],
            "error: --ratio: value '1:1:1': gives 3 shares for 2 arms",
        ),
        (
            ["--per-stratum", "8", "--seed", "1", "--strata", "centre"],
            "error: --strata: value 'centre': must look like FACTOR=LEVEL,LEVEL,…",
        ),
        (
            ["--per-stratum", "8", "--seed", "1", "--strata", "line=a,,b"],
            "error: --strata: value 'a,,b': has an empty item",
        ),
        (
            ["--per-stratum", "8", "--seed", "1", "--blocks", "2,x"],
            "error: --blocks: value 'x': must be whole numbers",
        ),
    ],
)
def test_bad_list_options_give_one_line_and_exit_2(
    cli: Cli, tmp_path: Path, extra: list[str], message: str
) -> None:
    code, _, err = cli(*LIST_ARGS, *extra, "-o", str(tmp_path / "l.csv"))
    assert code == 2
    assert err.startswith(message)
    assert err.count("\n") == 1
    assert not (tmp_path / "l.csv").exists()


def test_list_needs_block_sizes(cli: Cli, tmp_path: Path) -> None:
    code, _, err = cli(
        "randomise", "list", "--per-stratum", "4", "--seed", "1", "-o", str(tmp_path / "l.csv")
    )
    assert code == 2
    assert err.startswith("error: --blocks: permuted blocks need block sizes; e.g. --blocks 2,4,6")


@pytest.fixture
def made(cli: Cli, tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "list.csv"
    cli(*LIST_ARGS, "--per-stratum", "12", "--seed", "7", "-o", str(path))
    return path, hashlib.sha256(path.read_bytes()).hexdigest()


def test_verify_accepts_the_list_and_refuses_a_changed_one(
    cli: Cli, made: tuple[Path, str], tmp_path: Path
) -> None:
    path, checksum = made
    code, out, _ = cli("randomise", "verify", str(path), "--sha256", checksum)
    assert (code, out.strip()) == (0, f"ok: {path} matches sha256 {checksum}")
    code, out, _ = cli(
        "randomise",
        "verify",
        str(path),
        "--sha256",
        checksum,
        *STRATA,
        "--blocks",
        "2,4,6",
        "--format",
        "json",
    )
    assert json.loads(out) == {"file": str(path), "sha256": checksum, "matches": True}
    # swap the arms of position 1 and the next position of its block with the other arm:
    # the block stays balanced, so only the checksum can tell
    rows = [line.split(",") for line in path.read_text().splitlines()]
    other = next(r for r in rows[2:] if r[2] == rows[1][2] and r[4] != rows[1][4])
    rows[1][4], other[4] = other[4], rows[1][4]
    lines = [",".join(r) for r in rows]
    changed = tmp_path / "changed.csv"
    changed.write_text("\n".join(lines) + "\n")
    code, _, err = cli("randomise", "verify", str(changed), "--sha256", checksum)
    assert code == 2
    assert err.startswith(f"error: {changed}: allocation list checksum ")
    assert "do not allocate from it" in err


def test_verify_against_the_design_names_row_and_column(cli: Cli, made: tuple[Path, str]) -> None:
    path, checksum = made
    code, _, err = cli(
        "randomise",
        "verify",
        str(path),
        "--sha256",
        checksum,
        "--strata",
        "centre=C1,C2",
        "--strata",
        "line=1st/2nd,3rd+",
        "--blocks",
        "2,4,6",
    )
    assert code == 2
    # 2 centres × 2 lines × 12 positions come first, so C3 starts at row 49
    assert "row 49, column centre: value 'C3': is not a level of factor centre" in err


def test_verify_of_a_missing_file(cli: Cli, tmp_path: Path) -> None:
    code, _, err = cli("randomise", "verify", str(tmp_path / "nope.csv"), "--sha256", "0" * 64)
    assert code == 2
    assert "nope.csv: file not found" in err


def test_redcap_export_and_import_round_trip(
    cli: Cli, made: tuple[Path, str], tmp_path: Path
) -> None:
    path, checksum = made
    table = tmp_path / "redcap.csv"
    code, out, _ = cli(
        "randomise",
        "redcap",
        str(path),
        *STRATA,
        "--dag-factor",
        "centre",
        "--code",
        "centre:C1=1330",
        "--sha256",
        checksum,
        "-o",
        str(table),
    )
    assert code == 0
    assert "redcap_data_access_group: 1330=C1, 2=C2, 3=C3" in out
    header = table.read_text().splitlines()[0]
    assert header == "redcap_randomization_group,line,redcap_data_access_group"
    back = tmp_path / "back.csv"
    code, out, _ = cli(
        "randomise",
        "import",
        str(table),
        "--layout",
        "redcap",
        *STRATA,
        "--dag-factor",
        "centre",
        "--code",
        "centre:C1=1330",
        "-o",
        str(back),
        "--format",
        "json",
    )
    assert code == 0
    original = [line.split(",") for line in path.read_text().splitlines()[1:]]
    imported = [line.split(",") for line in back.read_text().splitlines()[1:]]
    assert [(r[0], r[1], r[4]) for r in original] == [(r[0], r[1], r[4]) for r in imported]
    assert json.loads(out)["positions"] == 72


def test_redcap_export_refuses_a_list_of_another_design(
    cli: Cli, made: tuple[Path, str], tmp_path: Path
) -> None:
    path, _ = made
    code, _, err = cli(
        "randomise",
        "redcap",
        str(path),
        "--strata",
        "centre=C1,C2,C3",
        "-o",
        str(tmp_path / "t.csv"),
    )
    assert code == 2
    assert "factors (centre, line) are not those given with --strata (centre)" in err


def test_import_of_a_bad_exonc_list(cli: Cli, made: tuple[Path, str], tmp_path: Path) -> None:
    path, _ = made
    bad = tmp_path / "bad.csv"
    bad.write_text(path.read_text().replace(",exercise,", ",placebo,", 1))
    code, _, err = cli(
        "randomise", "import", str(bad), *STRATA, "--blocks", "2,4,6", "-o", str(tmp_path / "x.csv")
    )
    assert code == 2
    assert ", column arm: value 'placebo': is not an arm of the design" in err
    assert err.startswith(f"error: {bad}, row ")


def test_balance_report(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(
        "study_id,arm,centre,line\n"
        "P1,exercise,C1,1st/2nd\nP2,control,C1,1st/2nd\nP3,exercise,C2,3rd+\n"
    )
    code, out, _ = cli("randomise", "balance", str(log), *STRATA, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["consort"]["allocated"] == {"exercise": 2, "control": 1}
    overall = data["balance"][0]
    assert (overall["scope"], overall["n_exercise"], overall["imbalance"]) == ("overall", 2, 1.0)
    code, out, _ = cli("randomise", "balance", str(log), *STRATA, "--format", "csv")
    assert out.splitlines()[0] == "scope,group,centre,line,n,n_exercise,n_control,imbalance"
    code, out, _ = cli("randomise", "balance", str(log), *STRATA)
    assert "target_proportion" in out


def test_balance_report_errors(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text("group,centre,line\nexercise,C1,1st/2nd\nplacebo,C1,1st/2nd\n")
    code, _, err = cli("randomise", "balance", str(log), *STRATA)
    assert (code, err.split(";")[0]) == (2, f"error: {log}: missing column arm")
    code, _, err = cli("randomise", "balance", str(log), *STRATA, "--arm-column", "group")
    assert err.startswith(f"error: {log}, row 2, column group: value 'placebo': is not an arm")


def test_simulate_both_methods(cli: Cli) -> None:
    code, out, _ = cli(
        "randomise",
        "simulate",
        *STRATA,
        "--blocks",
        "2,4,6",
        "--participants",
        "60",
        "--trials",
        "5",
        "--prevalence",
        "line=3,1",
        "--format",
        "json",
    )
    assert code == 0
    rows = json.loads(out)
    assert [r["method"] for r in rows] == ["blocks", "minimisation"]
    assert rows[0]["max_stratum_imbalance"] <= 3
    code, out, _ = cli(
        "randomise",
        "simulate",
        *STRATA,
        "--method",
        "minimisation",
        "--participants",
        "20",
        "--trials",
        "3",
        "--weight",
        "centre=2",
    )
    assert code == 0
    assert "minimisation" in out
    code, out, _ = cli(
        "randomise",
        "simulate",
        *STRATA,
        "--method",
        "blocks",
        "--blocks",
        "2",
        "--participants",
        "20",
        "--trials",
        "3",
        "--format",
        "csv",
    )
    assert out.splitlines()[0].startswith("method,trials,participants,correct_guess")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([], "error: --blocks: simulating permuted blocks needs block sizes"),
        (
            ["--method", "minimisation", "--probability", "0.4"],
            "error: --probability: value 0.4: the minimisation probability must be above 0.5",
        ),
        (
            ["--method", "minimisation", "--weight", "centre=x"],
            "error: --weight: value 'x': must be a number",
        ),
        (
            ["--method", "minimisation", "--prevalence", "age=1,2"],
            "error: --prevalence: value 'age': is not a factor of the design",
        ),
        (
            ["--method", "minimisation", "--trials", "1"],
            "error: --trials: value 1: must be a whole number of at least 2",
        ),
    ],
)
def test_simulate_errors(cli: Cli, extra: list[str], message: str) -> None:
    code, _, err = cli("randomise", "simulate", *STRATA, "--participants", "10", *extra)
    assert code == 2
    assert err.startswith(message)


def test_verify_with_strata_needs_the_block_sizes(cli: Cli, made: tuple[Path, str]) -> None:
    path, checksum = made
    code, _, err = cli("randomise", "verify", str(path), "--sha256", checksum, *STRATA)
    assert code == 2
    assert err.startswith("error: --blocks: give the block sizes the list was made with")


def test_unreadable_seed_file_and_list(cli: Cli, tmp_path: Path) -> None:
    seed_file = tmp_path / "seed.txt"
    seed_file.write_text("not a number\n")
    code, _, err = cli(
        *LIST_ARGS,
        "--per-stratum",
        "6",
        "--seed-file",
        str(seed_file),
        "-o",
        str(tmp_path / "l.csv"),
    )
    assert code == 2
    assert err.startswith(f"error: {seed_file}: must hold one non-negative whole number")
    code, _, err = cli("randomise", "verify", str(tmp_path), "--sha256", "0" * 64)
    assert code == 2
    assert err.startswith(f"error: {tmp_path}: cannot be read")


def test_redcap_export_refuses_unknown_levels_and_arms(
    cli: Cli, made: tuple[Path, str], tmp_path: Path
) -> None:
    path, _ = made
    code, _, err = cli(
        "randomise",
        "redcap",
        str(path),
        "--strata",
        "centre=C1,C2",
        "--strata",
        "line=1st/2nd,3rd+",
        "-o",
        str(tmp_path / "t.csv"),
    )
    assert code == 2
    assert "row 49, column centre: value 'C3': is not a level of factor centre" in err
    assert "or give the levels with --strata" in err
    code, _, err = cli(
        "randomise",
        "redcap",
        str(path),
        *STRATA,
        "--arms",
        "exercise,usual",
        "-o",
        str(tmp_path / "t.csv"),
    )
    assert code == 2
    assert "column arm: value 'control': is not one of the arms given with --arms" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["redcap", "LIST", *STRATA, "--code", "arm=1"],
            "error: --code: value 'arm=1': must look like NAME:LABEL=CODE",
        ),
        (
            ["redcap", "LIST", *STRATA, "--code", "arm:placebo=3"],
            "error: --code: value 'placebo': is not a label of arm",
        ),
        (
            [*LIST_ARGS[1:], "--per-stratum", "6", "--seed", "-5"],
            "error: --seed: value -5: the seed must be a non-negative whole number",
        ),
    ],
)
def test_bad_codes_and_seeds(
    cli: Cli, made: tuple[Path, str], tmp_path: Path, args: list[str], message: str
) -> None:
    path, _ = made
    args = [str(path) if a == "LIST" else a for a in args]
    code, _, err = cli("randomise", *args, "-o", str(tmp_path / "out.csv"))
    assert code == 2
    assert err.startswith(message)
