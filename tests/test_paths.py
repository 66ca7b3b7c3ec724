"""exonc.paths: paths built from data stay inside their folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from exonc.errors import InputError
from exonc.paths import UnsafePath, inside, remove_inside


def test_inside_joins_and_resolves(tmp_path: Path) -> None:
    assert inside(tmp_path, "activity", "NL-UTR-001") == tmp_path.resolve() / "activity/NL-UTR-001"
    assert inside(tmp_path, "a/../b") == tmp_path.resolve() / "b"


@pytest.mark.parametrize(
    "parts",
    [
        ("../../../../../../tmp/x",),
        ("activity", "../../../../../../tmp/x", "20240502T100000Z"),
        ("..",),
        (".",),
        ("",),
        ("/etc/passwd",),
        ("a\x00b",),
        ("activity", "..", ".."),
    ],
)
def test_inside_refuses_what_leaves_the_folder(tmp_path: Path, parts: tuple[str, ...]) -> None:
    with pytest.raises(UnsafePath) as refused:
        inside(tmp_path / "uploads", *parts)
    assert isinstance(refused.value, InputError)  # the CLI's exit 2, a page's 400


def test_inside_refuses_a_link_that_leads_out(tmp_path: Path) -> None:
    (tmp_path / "uploads").mkdir()
    os.symlink(tmp_path, tmp_path / "uploads" / "out")
    with pytest.raises(UnsafePath):
        inside(tmp_path / "uploads", "out", "x")


def test_remove_inside_removes_files_and_folders_under_base(tmp_path: Path) -> None:
    folder = tmp_path / "uploads" / "activity" / "x"
    folder.mkdir(parents=True)
    (folder / "f.csv").write_text("1")
    remove_inside(tmp_path / "uploads", folder / "f.csv")
    assert folder.is_dir()
    assert not (folder / "f.csv").exists()
    remove_inside(tmp_path / "uploads", folder)
    assert not folder.exists()
    remove_inside(tmp_path / "uploads", folder)  # already gone: fine


def test_remove_inside_refuses_outside_and_the_base(tmp_path: Path) -> None:
    base = tmp_path / "uploads"
    outside = tmp_path / "keep"
    outside.mkdir()
    base.mkdir()
    for target in (outside, base, base / ".." / "keep", base / "."):
        with pytest.raises(UnsafePath):
            remove_inside(base, target)
    assert outside.is_dir()
    assert base.is_dir()


def test_remove_inside_removes_a_link_not_its_target(tmp_path: Path) -> None:
    base = tmp_path / "uploads"
    base.mkdir()
    keep = tmp_path / "keep"
    keep.mkdir()
    (keep / "f").write_text("1")
    os.symlink(keep, base / "link")
    remove_inside(base, base / "link")
    assert (keep / "f").exists()
    assert not (base / "link").exists()
