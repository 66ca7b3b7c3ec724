"""Scoring QLQ-C30 answer sets: exonc's vectorised engine against plain pandas, row by row.

Goal (issue #3): at least 1,000,000 QLQ-C30 answer sets per second per core, reported
beside a plain pandas row-wise implementation (``DataFrame.apply(axis=1)`` with the
scoring manual's rules written out per row) measured in the same run. The row-wise peer
is timed on a subset because it would take minutes on the full table; both are reported
as answer sets per second. Everything runs in one process on one core (numpy's
element-wise operations are single-threaded).
"""

from __future__ import annotations

import math
import sys
import time

import numpy as np
import pandas as pd

from benchmarks._report import best_of, machine, write_section
from exonc.questionnaires import INSTRUMENTS, score
from exonc.questionnaires.answers import answers_from_frame
from exonc.questionnaires.engine import score_codes

N_SETS = 1_000_000
N_PEER = 20_000
N_TEXT = 100_000
MISSING = 0.05
GOAL = 1_000_000  # answer sets per second per core
SEED = 20240725

C30 = INSTRUMENTS["qlq-c30"]


def answer_sets(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """*n* random QLQ-C30 answer sets with about 5 % of answers missing."""
    values = rng.integers(1, 5, size=(n, 30)).astype(np.float64)
    values[:, 28:] = rng.integers(1, 8, size=(n, 2))
    values[rng.random((n, 30)) < MISSING] = np.nan
    return pd.DataFrame(values, columns=list(C30.item_codes))


def rowwise_scores(row: pd.Series) -> pd.Series:
    """The peer: the scoring manual's rules applied to one row with plain Python."""
    out = {}
    for scale in C30.scales:
        answered = [row[i] for i in scale.items if not math.isnan(row[i])]
        if len(answered) * 2 < len(scale.items):
            out[scale.code] = math.nan
            continue
        item = C30.item(scale.items[0])
        raw = sum(answered) / len(answered)
        ratio = (raw - item.min) / (item.max - item.min)
        out[scale.code] = (
            (1 - ratio) * 100 if scale.transform == "eortc-functional" else ratio * 100
        )
    summary = C30.derived[0]
    parts = [100 - out[s] if s in summary.reverse else out[s] for s in summary.scales]
    out[summary.code] = sum(parts) / len(parts)
    return pd.Series(out)


def _range_check(values: pd.DataFrame) -> None:
    """The peers' checks: every answer a whole number within its item's range."""
    low = pd.Series({item.code: item.min for item in C30.items})
    high = pd.Series({item.code: item.max for item in C30.items})
    valid = values.eq(values.round()) & values.ge(low, axis=1) & values.le(high, axis=1)
    if (values.notna() & ~valid).to_numpy().any():
        raise ValueError("an answer is not a whole number within its item's range")


def _transformed(raw: pd.Series | np.ndarray, scale: object, span: float) -> object:
    ratio = (raw - 1.0) / span
    return (1.0 - ratio) * 100.0 if scale.transform == "eortc-functional" else ratio * 100.0  # type: ignore[attr-defined]


def pandas_columnwise(frame: pd.DataFrame) -> pd.DataFrame:
    """The expert pandas peer: the same range checks, then one vectorised pass per scale
    (row means of the answered items, the half rule, the EORTC transformations)."""
    values = frame[list(C30.item_codes)]
    _range_check(values)
    out = {}
    for scale in C30.scales:
        items = values[list(scale.items)]
        item = C30.item(scale.items[0])
        raw = items.mean(axis=1).where(items.notna().sum(axis=1) >= scale.min_answered)
        out[scale.code] = _transformed(raw, scale, item.max - item.min)
    summary = C30.derived[0]
    parts = pd.DataFrame(
        {s: 100.0 - out[s] if s in summary.reverse else out[s] for s in summary.scales}
    )
    out[summary.code] = parts.mean(axis=1, skipna=False)
    return pd.DataFrame(out)


def numpy_columnwise(frame: pd.DataFrame) -> pd.DataFrame:
    """The expert numpy peer: the same checks and rules on the float matrix."""
    values = frame[list(C30.item_codes)].to_numpy()
    low = np.array([item.min for item in C30.items], dtype=float)
    high = np.array([item.max for item in C30.items], dtype=float)
    with np.errstate(invalid="ignore"):
        valid = (values == np.round(values)) & (values >= low) & (values <= high)
    if (~np.isnan(values) & ~valid).any():
        raise ValueError("an answer is not a whole number within its item's range")
    position = {code: j for j, code in enumerate(C30.item_codes)}
    answered = ~np.isnan(values)
    filled = np.where(answered, values, 0.0)
    out = {}
    for scale in C30.scales:
        columns = [position[code] for code in scale.items]
        count = answered[:, columns].sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            raw = filled[:, columns].sum(axis=1) / count
        raw[count < scale.min_answered] = np.nan
        item = C30.item(scale.items[0])
        out[scale.code] = _transformed(raw, scale, item.max - item.min)
    summary = C30.derived[0]
    parts = [100.0 - out[s] if s in summary.reverse else out[s] for s in summary.scales]
    out[summary.code] = np.mean(parts, axis=0)
    return pd.DataFrame(out)


def _agree(ours: pd.DataFrame, peer: pd.DataFrame) -> bool:
    columns = list(C30.score_codes)
    a, b = ours[columns].to_numpy(), peer[columns].to_numpy()
    return bool(((np.isnan(a) & np.isnan(b)) | (np.abs(a - b) < 1e-9)).all())


def main() -> None:
    rng = np.random.default_rng(SEED)
    frame = answer_sets(N_SETS, rng)
    library = best_of(lambda: score("qlq-c30", frame), repeat=3)
    codes = answers_from_frame(C30, frame).codes
    engine = best_of(lambda: score_codes(C30, codes), repeat=3)
    text = frame.head(N_TEXT).astype("Int64").astype("string").astype(object)
    from_text = best_of(lambda: score("qlq-c30", text), repeat=3)
    subset = frame.head(N_PEER)
    start = time.perf_counter()
    peer_scores = subset.apply(rowwise_scores, axis=1)
    peer = time.perf_counter() - start
    agree = _agree(score("qlq-c30", subset), peer_scores)
    write_section("questionnaires", _page(library, engine, from_text, peer, agree))
    print(f"exonc {N_SETS / library:,.0f}/s; pandas row-wise {N_PEER / peer:,.0f}/s")


def _page(library: float, engine: float, from_text: float, peer: float, agree: bool) -> str:
    rate, peer_rate = N_SETS / library, N_PEER / peer
    rows = [
        ('exonc `score("qlq-c30", frame)`: checks answers, adds 16 scores', N_SETS, library),
        ("exonc engine alone (`score_codes` on checked answers)", N_SETS, engine),
        ("exonc from text cells, as read from CSV", N_TEXT, from_text),
        ("plain pandas, row-wise", N_PEER, peer),
    ]
    table = "\n".join(f"| {what} | {n:,} | {t:.3f} | {n / t:,.0f} |" for what, n, t in rows)
    return f"""## Questionnaire scoring (QLQ-C30)

{machine()}

Command: `python -m benchmarks questionnaires` (part of `make bench`). Data: {N_SETS:,}
random QLQ-C30 answer sets (seed {SEED}), about {MISSING:.0%} of answers missing, as a
float DataFrame; best of 3 runs. The peer is a plain pandas row-wise implementation
(`DataFrame.apply(axis=1)`, the manual's rules per row), timed once on the first
{N_PEER:,} sets; it agrees with exonc to 1e-9 on them: {"yes" if agree else "NO"}.

| What | Answer sets | Seconds | Answer sets per second |
| --- | ---: | ---: | ---: |
{table}

Ratio exonc / pandas row-wise: {rate / peer_rate:,.0f}×. Goal ≥ {GOAL:,} answer sets per
second per core: {"met" if rate >= GOAL else "NOT met"} ({rate:,.0f}).
"""


if __name__ == "__main__":
    main()
    sys.exit(0)
