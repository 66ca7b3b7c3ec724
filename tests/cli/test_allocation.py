"""``exonc allocation …`` through the console entry point, against the test database."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from exonc.platform.accounts.models import Role, User
from exonc.platform.allocation.models import AllocationSequence
from exonc.randomisation import read_list_csv
from tests.cli.test_randomisation import run

pytestmark = pytest.mark.django_db

Cli = Callable[..., tuple[int, str, str]]
#: The protocol's design as `exonc randomise list` options.
DESIGN = [
    "--strata",
    "centre=NL-UTR,NL-AMS,DE-HEI,DE-KOL,PL-WAW,ES-GRA,SE-STO,AU-MEL",
    "--strata",
    "line_of_treatment=1st/2nd,3rd+",
    "--blocks",
    "2,4,6",
]
#: A REDCap allocation table in the default codes (arms: exercise 1, control 2; centres 1-8
#: in protocol order, so DE-HEI is 3 and NL-UTR 1; lines: 1st/2nd 1, 3rd+ 2).
REDCAP = """\
redcap_randomization_group,centre,line_of_treatment
2,1,1
1,1,1
1,3,1
1,1,1
2,3,1
2,1,1
"""


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    return lambda *args: run(list(args), monkeypatch, capsys)


@pytest.fixture
def users() -> None:
    User.objects.create_user("stats", role=Role.STATISTICIAN)
    User.objects.create_user("coord", role=Role.COORDINATOR)


def _offline_list(cli: Cli, tmp_path: Path, seed: str = "7") -> tuple[Path, str]:
    path = tmp_path / "list.csv"
    code, out, err = cli(
        "randomise", "list", *DESIGN, "--per-stratum", "6", "--seed", seed, "-o", str(path)
    )
    assert (code, err) == (0, "")
    found = re.search(r"sha256 ([0-9a-f]{64})", out)
    assert found is not None
    return path, found.group(1)


def test_load_an_offline_list_with_its_recorded_checksum(
    cli: Cli, users: None, tmp_path: Path
) -> None:
    path, checksum = _offline_list(cli, tmp_path)
    code, out, err = cli("allocation", "load", str(path), "--user", "stats", "--sha256", checksum)
    assert (code, err) == (0, "")
    assert f"stored the live allocation list: 16 strata, 96 positions; sha256 {checksum}" in out
    stored = AllocationSequence.objects.get()
    assert (stored.sha256, stored.loaded_by.username) == (checksum, "stats")
    assert stored.origin == "list file list.csv"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == checksum


def test_a_list_that_does_not_match_is_refused(cli: Cli, users: None, tmp_path: Path) -> None:
    path, _ = _offline_list(cli, tmp_path)
    code, _, err = cli("allocation", "load", str(path), "--user", "stats", "--sha256", "a" * 64)
    assert code == 2
    assert err.startswith("error: ")
    assert "list.csv: allocation list checksum" in err
    assert not AllocationSequence.objects.exists()


@pytest.mark.parametrize(
    ("user", "message"),
    [
        ("nobody", "column --user: value 'nobody': is not an active user"),
        ("coord", "only a statistician may do this"),
    ],
)
def test_only_statisticians_and_administrators_load(
    cli: Cli, users: None, tmp_path: Path, user: str, message: str
) -> None:
    path, _ = _offline_list(cli, tmp_path)
    code, _, err = cli("allocation", "load", str(path), "--user", user)
    assert code == 2
    assert message in err
    assert not AllocationSequence.objects.exists()


def test_a_list_of_another_design_is_refused(cli: Cli, users: None, tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    cli("randomise", "list", "--strata", "centre=C1,C2", "--blocks", "2", "--per-stratum", "2",
        "--seed", "1", "-o", str(path))  # fmt: skip
    code, _, err = cli("allocation", "load", str(path), "--user", "stats")
    assert code == 2
    assert "other.csv" in err


def test_load_a_redcap_table(cli: Cli, users: None, tmp_path: Path) -> None:
    path = tmp_path / "redcap.csv"
    path.write_text(REDCAP, encoding="utf-8")
    code, out, err = cli(
        "allocation",
        "load",
        str(path),
        "--layout",
        "redcap",
        "--user",
        "stats",
        "--purpose",
        "test",
    )
    assert (code, err) == (0, "")
    assert "stored the test allocation list: 2 strata, 6 positions" in out
    stored = read_list_csv(AllocationSequence.objects.get().content)
    # Positions follow the table's rows within each stratum (decoded by hand above).
    assert [e.arm for e in stored.stratum("centre=NL-UTR|line_of_treatment=1st/2nd")] == [
        "control",
        "exercise",
        "exercise",
        "control",
    ]
    assert [e.arm for e in stored.stratum("centre=DE-HEI|line_of_treatment=1st/2nd")] == [
        "exercise",
        "control",
    ]


def test_generate_on_the_server_matches_the_offline_list(
    cli: Cli, users: None, tmp_path: Path
) -> None:
    _, offline = _offline_list(cli, tmp_path, seed="99")
    seed_file = tmp_path / "seed.txt"
    seed_file.write_text("99\n")
    code, out, err = cli(
        "allocation", "generate", "--user", "stats", "--per-stratum", "6",
        "--seed-file", str(seed_file), "--format", "json",
    )  # fmt: skip
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert (data["sha256"], data["positions"], data["purpose"]) == (offline, 96, "live")
    # the seed is never printed (not as a field, not as any value)
    assert "seed" not in data
    assert all(value not in (99, "99") for value in data.values())


def test_status_verify_and_extend(cli: Cli, users: None, tmp_path: Path) -> None:
    path, checksum = _offline_list(cli, tmp_path)
    cli("allocation", "load", str(path), "--user", "stats")
    code, out, _ = cli("allocation", "status", "--format", "json")
    (summary,) = json.loads(out)
    assert (code, summary["sha256"], summary["current"], summary["used"]) == (0, checksum, True, 0)
    assert "content" not in summary
    code, out, _ = cli("allocation", "verify", "--sha256", checksum)
    assert (code, out.strip()) == (0, f"ok: the stored live list matches sha256 {checksum}")
    code, _, err = cli("allocation", "verify", "--sha256", "b" * 64)
    assert code == 2
    assert "not the recorded" in err
    code, out, _ = cli(
        "allocation", "extend", "--user", "stats", "--per-stratum", "4", "--seed", "8"
    )
    assert code == 0
    assert "160 positions" in out
    code, out, _ = cli("allocation", "status")
    assert "live list (superseded)" in out
    assert "live list (current)" in out


def test_a_seed_is_refused_for_the_blocks_protocol(cli: Cli, users: None) -> None:
    code, _, err = cli("allocation", "seed", "--user", "stats", "--seed", "5")
    assert code == 2
    assert "randomises by blocks" in err
