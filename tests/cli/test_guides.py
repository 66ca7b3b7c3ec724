"""``exonc guides list|pdf|check`` through the console entry point."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from exonc.guides.library import data_folder
from tests.cli.test_randomisation import Cli, run
from tests.guides.conftest import edit

FIELDS = {"slug", "title", "component", "levels", "regions", "steps", "illustration", "review"}


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    return lambda *args: run(list(args), monkeypatch, capsys)


def test_list_json_has_exactly_the_documented_fields(cli: Cli) -> None:
    code, out, err = cli("guides", "list", "--format", "json")
    assert (code, err) == (0, "")
    rows = json.loads(out)
    assert len(rows) >= 40
    assert all(set(row) == FIELDS for row in rows)
    press = next(r for r in rows if r["slug"] == "leg-press-active")
    assert press["levels"] == [3]
    assert press["component"] == "resistance"
    # hip and knee extension load the pelvis/hip, the legs and (hip) the spine
    assert press["regions"] == ["lower_limb", "pelvis_hip", "spine"]
    assert press["review"] == {"status": "draft", "reviewer": None, "date": None}
    assert press["steps"][0].startswith("Check the seat setting")
    assert press["illustration"].startswith("A woman sits in a leg-press machine")
    advice = next(r for r in rows if r["slug"] == "when-to-stop")
    assert advice["illustration"] is None


def test_list_for_a_level_and_lesions_adds_suitability(cli: Cli) -> None:
    code, out, _ = cli(
        "guides",
        "list",
        "--level",
        "1",
        "--lesion",
        "pelvis",
        "--lesion",
        "ribs",
        "--format",
        "json",
    )
    assert code == 0
    rows = json.loads(out)
    assert all(1 in r["levels"] for r in rows)
    assert all(set(r) == FIELDS | {"suitable", "excluded_because"} for r in rows)
    by_slug = {r["slug"]: r for r in rows}
    assert by_slug["leg-curl-starting-out"]["suitable"] is True  # knee flexion: allowed
    press = by_slug["leg-press-starting-out"]
    assert press["suitable"] is False
    assert press["excluded_because"].startswith(
        "Not for you at the moment, because of the lesion in your pelvis"
    )
    assert by_slug["when-to-stop"] == by_slug["when-to-stop"] | {
        "suitable": True,
        "excluded_because": None,
    }


def test_list_as_a_table(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    code, out, _ = cli("guides", "list", "--level", "active", "--lesion", "proximal_femur")
    assert code == 0
    assert "excluded because" in out
    assert out.splitlines()[-1] == "36 guides"
    walk = next(line for line in out.splitlines() if "walking-intervals" in line)
    assert "│ no " in walk
    assert "lesion in the top of your thigh bone" in walk


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--level", "4"],
            "error: key --level: value '4': not a known level; use 1 (starting_out)",
        ),
        (["--lesion", "femur"], "error: key --lesion: value 'femur': not a known lesion site"),
    ],
)
def test_bad_level_or_site_is_one_line_and_exit_2(cli: Cli, args: list[str], message: str) -> None:
    code, out, err = cli("guides", "list", *args)
    assert (code, out) == (2, "")
    assert err.startswith(message)
    assert err.count("\n") == 1


def test_pdf_writes_the_handout(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "out" / "pack.pdf"
    code, _, err = cli("guides", "pdf", "sit-to-stand", "walking-brisk", "-o", str(target))
    assert code == 0
    assert err == f"wrote 2 guides to {target}\n"
    assert target.read_bytes().startswith(b"%PDF")
    assert not list(target.parent.glob(".*partial"))
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        text = subprocess.run([pdftotext, str(target), "-"], capture_output=True, text=True).stdout
        assert "Sit to stand" in text
        assert "Walking: brisk walking" in text


def test_pdf_of_an_unknown_slug_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "pack.pdf"
    code, _, err = cli("guides", "pdf", "sit-to-stand", "moonwalk", "-o", str(target))
    assert (code, target.exists()) == (2, False)
    assert err == (
        "error: value 'moonwalk': no guide has this slug; "
        "list the guides with 'exonc guides list'\n"
    )


def test_check_passes_on_the_shipped_library(cli: Cli) -> None:
    code, out, err = cli("guides", "check")
    assert (code, err) == (0, "")
    assert "62 of 62 guides await clinical review" in out
    assert "everyday_activity" in out


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    folder = tmp_path / "library"
    shutil.copytree(data_folder(), folder)
    return folder


def test_check_of_a_file_with_a_missing_field_is_one_line(cli: Cli, broken: Path) -> None:
    edit(
        broken / "guides/walking.toml",
        'purpose = "A fitter heart and lungs, at a moderate effort."\n',
        "",
    )
    code, out, err = cli("guides", "check", "--library", str(broken))
    assert (code, out) == (2, "")
    assert err == (
        "error: guides/walking.toml, key guides.walking-brisk.purpose: missing key; add 'purpose'\n"
    )


def test_check_of_an_unknown_movement_is_one_line(cli: Cli, broken: Path) -> None:
    edit(
        broken / "guides/walking.toml", 'movements = ["weight_bearing"]', 'movements = ["jumping"]'
    )
    code, _, err = cli("guides", "list", "--library", str(broken))
    assert code == 2
    assert err.startswith(
        "error: guides/walking.toml, key guides.walking-starting-out.movements: value 'jumping': "
        "lists an unknown movement; use one of hip_flexion"
    )


def test_check_reports_every_coverage_problem_and_exits_2(cli: Cli, broken: Path) -> None:
    edit(broken / "guides/cycling.toml", "levels = [3]", "levels = [2]")
    code, _, err = cli("guides", "check", "--library", str(broken))
    assert code == 2
    assert err.splitlines() == [
        "error: guides/cycling.toml, key guides.cycling-building-up.harder_guide: "
        "cycling-active is not one level harder",
        "error: guides/cycling.toml, key guides.cycling-active.easier_guide: "
        "cycling-building-up is not one level easier",
        "error: guides/, key exercise: no guide teaches the programme exercise "
        "cycle_ergometer at level 3",
    ]
