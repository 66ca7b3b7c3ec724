"""A mapper (how ``--scheduler`` runs the summaries on Dask) changes nothing in the output."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from exonc.trackers import daily_from_files, pipeline


def _fitabase(path: Path, participants: int) -> Path:
    rows = [
        f"{p},4/{d}/2016 {h}:{m:02d}:00 AM,{(p * 7 + m) % 130 if m < 45 else 0}"
        for p in range(1, participants + 1)
        for d in (12, 13)
        for h in range(7, 12)
        for m in range(60)
    ]
    path.write_text("Id,ActivityMinute,Steps\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_mapped_summaries_equal_the_threaded_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = [_fitabase(tmp_path / "minuteStepsNarrow_merged.csv", 5)]
    calls: list[int] = []

    def mapper(function: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
        calls.append(len(items))
        return [function(item) for item in reversed(items)][::-1]

    monkeypatch.setattr(pipeline, "MAPPED_BATCH", 4)
    monkeypatch.setattr(pipeline, "MAPPED_TASK", 2)
    local = daily_from_files(files, "fitabase")
    mapped = daily_from_files(files, "fitabase", mapper=mapper)
    assert calls == [2, 1]  # tasks of 2 participants, 4 participants in flight
    assert mapped.daily.equals(local.daily)
    assert mapped.report.to_dict() == local.report.to_dict()
    assert local.daily.height == 10
