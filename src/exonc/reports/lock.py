"""A locked dataset: an immutable, pseudonymised snapshot of a trial's tidy tables.

:func:`lock_tables` takes the trial's tables (the tables and columns ``exonc synth``
writes, as text or typed), cuts them at a date if asked, pseudonymises them and adds the
derived tables:

* ``<instrument>_scores`` — every questionnaire scored by :mod:`exonc.questionnaires`
  (scale columns next to the answers);
* ``adherence`` — per participant of the exercise arm, sessions scheduled and attended;
* ``activity_windows`` — per participant and visit, valid tracker days inside the visit's
  window, mean active minutes and days meeting the goal;
* ``economics`` — the per-participant cost-utility table of :mod:`exonc.reports.economics`
  (utilities, death month, costs).

:func:`write_lock` writes it as a folder that never changes afterwards: ``csv/`` and
``parquet/`` (one file per table), ``DICTIONARY.csv`` (table, column, type, unit, allowed
values, source), and ``MANIFEST.json`` (who locked it and when, the cut-off, the
protocol, plan and scoring versions, and the SHA-256 of every file). The files are made
read-only; a folder that exists already is never written into. ``exonc report`` runs on
the folder (it reads ``csv/``; the report's provenance is the manifest's SHA-256).

Pseudonymised: participants are known by their study IDs only; ``birth_year`` is
dropped (``age`` at randomisation is kept), as are free-text staff names.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from exonc import __version__
from exonc._csv import write_frame
from exonc.errors import InputError
from exonc.protocol import load_protocol
from exonc.questionnaires import INSTRUMENTS, score
from exonc.reports import economics
from exonc.reports.activity import GOAL_MINUTES
from exonc.reports.data import MANIFEST

__all__ = ["LockInfo", "cut_at", "lock_tables", "write_lock"]

DICTIONARY = "DICTIONARY.csv"
#: Columns that could identify a person or a member of staff: never in a lock.
IDENTIFYING = {"birth_year", "tester", "clinician", "cleared_by", "entered_by", "logged_by"}
#: Per table, the date column that says when a row happened (for a cut-off).
EVENT_DATES = {
    "visits": "completed_on",
    "withdrawals": "withdrawn_on",
    "sessions": "date",
    "tracker_days": "date",
    "fitness_tests": "date",
    "symptom_flags": "date",
    "adverse_events": "onset",
    "screening": "screened_on",
    "qlq_c30": "completed_on",
    "qlq_fa12": "completed_on",
    "eq5d5l": "completed_on",
    "hads": "completed_on",
}
QUESTIONNAIRES = {
    "qlq_c30": "qlq-c30",
    "qlq_fa12": "qlq-fa12",
    "eq5d5l": "eq-5d-5l",
    "hads": "hads",
}
UNITS = {
    "age": "years",
    "duration_minutes": "minutes",
    "wear_minutes": "minutes",
    "sedentary_minutes": "minutes",
    "light_minutes": "minutes",
    "moderate_minutes": "minutes",
    "vigorous_minutes": "minutes",
    "active_minutes": "minutes",
    "mean_active_minutes": "minutes a day",
    "steps": "steps a day",
    "height_cm": "cm",
    "msec_w": "W",
    "wpeak_w": "W",
    "load_kg": "kg",
    "seconds": "s",
    "quantity": "units of the item in the previous 3 months",
    "death_month": "months",
    "VAS": "0-100",
    "utility": "utility (1 = full health)",
}


@dataclass(frozen=True)
class LockInfo:
    """Who locked the data, when, up to which day, and from where."""

    locked_by: str
    locked_at: dt.datetime
    cut_off: dt.date | None = None
    source: str = ""
    versions: Mapping[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "locked_by": self.locked_by,
            "locked_at": self.locked_at.isoformat(timespec="seconds"),
            "cut_off": self.cut_off.isoformat() if self.cut_off else None,
            "source": self.source,
            "versions": dict(self.versions),
        }


def versions(plan_sha256: str | None = None) -> dict[str, str]:
    """exonc's, the protocol's, the scoring versions and (if given) the plan's hash."""
    protocol = load_protocol()
    found = {"exonc": __version__, "protocol": f"{protocol.name} {protocol.version}"}
    found |= {
        f"scoring {name}": f"{i.version} (scoring {i.scoring_version})"
        for name, i in INSTRUMENTS.items()
    }
    if plan_sha256:
        found["analysis plan sha256"] = plan_sha256
    return found


def cut_at(tables: Mapping[str, pd.DataFrame], day: dt.date) -> dict[str, pd.DataFrame]:
    """The tables as known at the end of *day*: participants randomised by then, rows
    dated by then (a visit done later is not done yet)."""
    text = day.isoformat()
    people = tables["participants"]
    known = set(people.loc[people["randomised_on"].astype(str) <= text, "participant_id"])
    cut: dict[str, pd.DataFrame] = {}
    for name, frame in tables.items():
        if "participant_id" in frame.columns and name != "screening":
            frame = frame[frame["participant_id"].isin(known)]
        column = EVENT_DATES.get(name)
        if name == "visits":
            done = frame["completed_on"].astype(str) <= text
            frame = frame.assign(completed_on=frame["completed_on"].where(done))
        elif column is not None and column in frame.columns:
            frame = frame[frame[column].astype(str) <= text]
        cut[name] = frame.reset_index(drop=True)
    if "resource_use" in cut and "visits" in cut:
        seen = cut["visits"].dropna(subset=["completed_on"])[["participant_id", "visit"]]
        cut["resource_use"] = cut["resource_use"].merge(seen, on=["participant_id", "visit"])
    return cut


def lock_tables(
    tables: Mapping[str, pd.DataFrame], *, cut_off: dt.date | None = None
) -> dict[str, pd.DataFrame]:
    """The lock's tables: the trial's (cut, pseudonymised) and the derived ones."""
    if "participants" not in tables:
        raise InputError("the data hold no participants table", hint="lock a trial's tables")
    source = cut_at(tables, cut_off) if cut_off else dict(tables)
    locked = {
        name: frame.drop(columns=[c for c in frame.columns if c in IDENTIFYING])
        for name, frame in source.items()
    }
    for name, instrument in QUESTIONNAIRES.items():
        if name in locked and not locked[name].empty:
            if instrument == "eq-5d-5l":
                locked[f"{name}_scores"] = _utilities(locked[name], _countries(locked))
            else:
                locked[f"{name}_scores"] = score(instrument, _text(locked[name]))
    if "sessions" in locked:
        locked["adherence"] = _adherence(locked["sessions"])
    if "tracker_days" in locked and "visits" in locked:
        locked["activity_windows"] = _activity_windows(locked["tracker_days"], locked["visits"])
    if "eq5d5l" in locked and "resource_use" in locked:
        locked["economics"] = economics.cea_table({k: _text(v) for k, v in locked.items()})
    return locked


def _text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell as text (missing stays missing), as the CSV readers give it."""
    return (
        frame.astype(object)
        .where(frame.notna(), None)
        .map(lambda v: v if v is None or isinstance(v, str) else _plain(v))
    )


def _plain(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _countries(tables: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    people = tables["participants"]
    return dict(zip(people["participant_id"], people["country"], strict=True))


def _utilities(frame: pd.DataFrame, country: dict[str, str]) -> pd.DataFrame:
    """EQ-5D-5L scored with each participant's country's value set."""
    text = _text(frame)
    parts = [
        score("eq-5d-5l", group, str(code))
        for code, group in text.groupby(text["participant_id"].map(country))
    ]
    return pd.concat(parts).sort_index() if parts else text


def _adherence(sessions: pd.DataFrame) -> pd.DataFrame:
    frame = sessions.assign(attended=pd.to_numeric(sessions["attended"]))
    table = frame.pivot_table(
        index="participant_id", columns="kind", values="attended", aggfunc=["size", "sum"]
    )
    table.columns = [
        f"{pair[1]}_{'scheduled' if pair[0] == 'size' else 'attended'}" for pair in table.columns
    ]
    return table.fillna(0).astype(int).reset_index()


def _activity_windows(days: pd.DataFrame, visits: pd.DataFrame) -> pd.DataFrame:
    valid = days[pd.to_numeric(days["valid_day"]) == 1].assign(
        active=lambda f: pd.to_numeric(f["active_minutes"]),
        goal=lambda f: pd.to_numeric(f["goal_met"]),
        day=lambda f: f["date"].astype(str),
    )
    windows = visits[["participant_id", "visit", "window_start", "window_end"]].astype(str)
    joined = valid.merge(windows, on="participant_id")
    inside = joined[
        (joined["day"] >= joined["window_start"]) & (joined["day"] <= joined["window_end"])
    ]
    table = inside.groupby(["participant_id", "visit"], as_index=False).agg(
        valid_days=("active", "size"),
        mean_active_minutes=("active", "mean"),
        goal_met_days=("goal", "sum"),
    )
    table["goal_minutes"] = GOAL_MINUTES
    return table


# ---------------------------------------------------------------- writing


def write_lock(tables: Mapping[str, pd.DataFrame], out: Path, info: LockInfo) -> dict[str, Any]:
    """Write the lock folder *out* (which must not exist); returns the manifest."""
    if out.exists() and any(out.iterdir()):
        raise InputError(
            "exists already: a lock is never written over",
            file=str(out),
            hint="choose a new folder for the new lock",
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}-partial-"))
    try:
        (staging / "csv").mkdir()
        (staging / "parquet").mkdir()
        for name, frame in tables.items():
            write_frame(staging / "csv" / f"{name}.csv", frame)
            _parquet_safe(frame).to_parquet(staging / "parquet" / f"{name}.parquet", index=False)
        dictionary = data_dictionary(tables)
        write_frame(staging / DICTIONARY, dictionary)
        files = {
            str(p.relative_to(staging)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(staging.rglob("*"))
            if p.is_file()
        }
        manifest = {
            "lock": info.to_dict(),
            "tables": {name: len(frame) for name, frame in tables.items()},
            "files": files,
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        for path in staging.rglob("*"):
            if path.is_file():
                path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        if out.exists():
            out.rmdir()
        os.replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


def _parquet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Typed for Parquet: a column whose every value is a number becomes numbers (whole
    numbers ``Int64``), everything else text; dates stay ISO text (as in the CSV)."""
    fixed = frame.copy()
    for column in fixed.columns:
        if pd.api.types.is_numeric_dtype(fixed[column]):
            continue
        values = fixed[column].astype(object)
        numbers = pd.to_numeric(values, errors="coerce")
        if values.notna().any() and numbers.notna().sum() == values.notna().sum():
            whole = bool((numbers.dropna() == numbers.dropna().round()).all())
            fixed[column] = numbers.astype("Int64") if whole else numbers.astype(float)
        else:
            fixed[column] = values.map(lambda v: None if v is None or v != v else str(v))
    return fixed


def data_dictionary(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per table and column: type, unit, allowed (observed) values and source."""
    rows = []
    for name, frame in tables.items():
        for column in frame.columns:
            values = frame[column].dropna()
            kind, allowed = _kind(values)
            rows.append(
                {
                    "table": name,
                    "column": column,
                    "type": kind,
                    "unit": _unit(name, column),
                    "allowed_values": allowed,
                    "source": _source(name, column, tables),
                }
            )
    return pd.DataFrame(
        rows, columns=["table", "column", "type", "unit", "allowed_values", "source"]
    )


def _kind(values: pd.Series) -> tuple[str, str]:
    numbers = pd.to_numeric(values, errors="coerce")
    if len(values) and numbers.notna().all():
        whole = bool((numbers == numbers.round()).all())
        distinct = sorted(set(numbers))
        if whole and len(distinct) <= 10:
            return "integer", "; ".join(f"{v:g}" for v in distinct)
        return ("integer" if whole else "number"), f"{numbers.min():g} to {numbers.max():g}"
    text = values.astype(str)
    if len(text) and text.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all():
        return "date", f"{text.min()} to {text.max()}"
    distinct = sorted(set(text))
    if len(distinct) <= 12:
        return "text", "; ".join(distinct)
    return "text", ""


def _unit(table: str, column: str) -> str:
    if column in UNITS:
        return UNITS[column]
    if column.startswith("cost_"):
        return f"EUR ({economics.PRICE_COUNTRY} prices, illustrative)"
    if column.startswith("u_m"):
        return UNITS["utility"]
    if table.endswith("_scores") and column.isupper() and column != "VAS":
        return "score points"
    return ""


def _source(table: str, column: str, tables: Mapping[str, pd.DataFrame]) -> str:
    base = table.removesuffix("_scores")
    if table.endswith("_scores") and column not in tables.get(base, pd.DataFrame()).columns:
        instrument = INSTRUMENTS[QUESTIONNAIRES[base]]
        version = instrument.scoring_version
        return f"derived: {instrument.title} scored by exonc.questionnaires (scoring {version})"
    if table == "adherence":
        return "derived: sessions"
    if table == "activity_windows":
        return "derived: tracker_days within visits' windows"
    if table == "economics":
        return "derived: exonc.reports.economics (eq5d5l, withdrawals, sessions, resource_use)"
    return f"recorded: {base}"
