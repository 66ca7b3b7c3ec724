"""Done means: a REDCap trial's export becomes an exonc analysis. The synthetic trial goes to
a REDCap project and back, and the pre-specified analysis plan gives the same result on the
imported tables as on the original ones."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXONC = str(Path(sys.executable).parent / "exonc")


def _exonc(*args: str) -> str:
    done = subprocess.run(
        [EXONC, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        timeout=1200,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.slow
def test_the_analysis_plan_runs_the_same_on_imported_redcap_data(tmp_path: Path) -> None:
    _exonc("synth", "--out", str(tmp_path / "trial"))
    _exonc("export", "redcap", str(tmp_path / "trial"), "-o", str(tmp_path / "redcap"))
    _exonc("import", "redcap", str(tmp_path / "redcap"), "-o", str(tmp_path / "imported"))
    original = json.loads(
        _exonc("analyse", "plan", "preferable-effect", str(tmp_path / "trial"), "--format", "json")
    )
    imported = json.loads(
        _exonc(
            "analyse", "plan", "preferable-effect", str(tmp_path / "imported"), "--format", "json"
        )
    )
    assert imported == original
    assert original  # the plan produced results
