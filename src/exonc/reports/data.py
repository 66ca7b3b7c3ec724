"""A trial's tidy tables as the report reads them: a folder of CSV (or Parquet) files.

The folder is what ``exonc synth`` writes or a locked dataset (``exonc export dataset``).
Cells are read as text, exactly as ``exonc analyse plan`` reads them, so that the report's
numbers are the command's numbers. The folder's identity is the SHA-256 of its
``MANIFEST.json`` when it has one (a lock), else of its files' own hashes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pandas as pd

from exonc.analysis.plan import SHIPPED_PLANS, AnalysisPlan, parse_plan, shipped_plan
from exonc.errors import InputError
from exonc.questionnaires import score

__all__ = ["PlanSource", "TrialTables", "load_plan", "read_folder", "read_table", "scored"]

MANIFEST = "MANIFEST.json"
#: The tables a report uses (the rest of the folder is ignored).
TABLES = (
    "participants",
    "visits",
    "withdrawals",
    "screening",
    "sessions",
    "tracker_days",
    "resource_use",
    "adverse_events",
    "centres",
    "qlq_c30",
    "qlq_fa12",
    "eq5d5l",
)


@dataclass(frozen=True)
class PlanSource:
    """An analysis plan and the SHA-256 of the text it was read from."""

    plan: AnalysisPlan
    sha256: str
    name: str


@dataclass(frozen=True)
class TrialTables:
    """The trial's tables by name (text cells), with the folder's identity."""

    tables: Mapping[str, pd.DataFrame]
    sha256: str
    source: str
    metadata: Mapping[str, object] = field(default_factory=dict)

    def get(self, name: str) -> pd.DataFrame | None:
        return self.tables.get(name)

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self.tables:
            raise InputError(
                f"has no {name}.csv", file=self.source, hint="write the tables with exonc synth"
            )
        return self.tables[name]


def load_plan(source: str) -> PlanSource:
    """A shipped plan by name, or a plan TOML file."""
    if source in SHIPPED_PLANS:
        text = resources.files("exonc.analysis").joinpath("plans", f"{source}.toml")
        raw = text.read_bytes()
        return PlanSource(shipped_plan(source), hashlib.sha256(raw).hexdigest(), source)
    path = Path(source)
    if not path.is_file():
        raise InputError(
            "no such plan",
            file=source,
            hint=f"name a shipped plan ({', '.join(SHIPPED_PLANS)}) or the path of a TOML file",
        )
    raw = path.read_bytes()
    plan = parse_plan(raw.decode("utf-8"), source=str(path))
    return PlanSource(plan, hashlib.sha256(raw).hexdigest(), str(path))


def read_table(path: Path) -> pd.DataFrame:
    """A CSV file with every cell as text (empty cells missing), or a Parquet file."""
    try:
        if path.suffix.lower() in {".parquet", ".pq"}:
            return pd.read_parquet(path)
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(
            f"cannot be read as a table ({first_line})",
            file=str(path),
            hint="give a comma-separated CSV with a header row",
        ) from exc


def read_folder(folder: Path) -> TrialTables:
    """The report's tables from *folder* (``<name>.csv``; a lock's ``csv/<name>.csv``)."""
    if not folder.is_dir():
        raise InputError("is not a folder", file=str(folder), hint="give the trial's data folder")
    base = folder / "csv" if (folder / "csv").is_dir() else folder
    tables = {
        name: read_table(base / f"{name}.csv")
        for name in TABLES
        if (base / f"{name}.csv").is_file()
    }
    if "participants" not in tables:
        raise InputError(
            "has no participants.csv", file=str(folder), hint="write the tables with exonc synth"
        )
    manifest = folder / MANIFEST
    metadata: dict[str, object] = {}
    if manifest.is_file():
        digest = hashlib.sha256(manifest.read_bytes()).hexdigest()
        metadata = dict(json.loads(manifest.read_text(encoding="utf-8")).get("lock", {}))
    else:
        digest = _files_hash(folder)
    truth = folder / "truth.json"
    if truth.is_file():
        metadata["synthetic_seed"] = json.loads(truth.read_text(encoding="utf-8")).get("seed")
    return TrialTables(tables, digest, str(folder), metadata)


def _files_hash(folder: Path) -> str:
    """SHA-256 over the sorted ``name sha256`` lines of the folder's files."""
    lines = [
        f"{p.name} {hashlib.sha256(p.read_bytes()).hexdigest()}\n"
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.startswith(".")
    ]
    return hashlib.sha256("".join(lines).encode()).hexdigest()


def scored(instrument: str, frame: pd.DataFrame, scales: list[str]) -> pd.DataFrame:
    """The instrument's table with its scale columns, scoring the item answers if needed
    (exactly what ``exonc analyse plan`` does)."""
    if all(scale in frame.columns for scale in scales):
        return frame
    result: pd.DataFrame = score(instrument, frame)
    return result
