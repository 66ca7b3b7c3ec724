"""``exonc trackers daily --scheduler local``: a real LocalCluster, the same bytes out."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from exonc.cli import main
from tests.trackers.test_pipeline_mapper import _fitabase


def _daily(monkeypatch: pytest.MonkeyPatch, *args: str) -> None:
    monkeypatch.setattr(sys, "argv", ["exonc", "trackers", "daily", "--format", "fitabase", *args])
    code = 0
    try:
        main()
    except SystemExit as stop:
        code = int(stop.code or 0)
    assert code == 0


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_cluster_output_is_identical_to_a_local_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = str(_fitabase(tmp_path / "minuteStepsNarrow_merged.csv", 6))
    _daily(monkeypatch, source, "-o", str(tmp_path / "local.csv"))
    _daily(monkeypatch, source, "-o", str(tmp_path / "cluster.csv"), "--scheduler", "local")
    local = (tmp_path / "local.csv").read_bytes()
    assert local.count(b"\n") == 13  # header + 6 participants x 2 days
    assert (tmp_path / "cluster.csv").read_bytes() == local
