"""Activity trackers: every common export format into one minute-level frame, daily
summaries with wear-time and valid-day rules, the activity goal, and a Parquet minute store.

The pure core works on polars frames of the minute schema (:data:`MINUTE_SCHEMA`); readers
stream files into it; :func:`daily_from_files` runs the whole file → daily pipeline, and
:class:`MinuteStore` keeps minutes in Parquet, partitioned by participant.
"""

from __future__ import annotations

from exonc.trackers.daily import DAILY_COLUMNS, DAILY_SCHEMA, DailyRules, daily_summary
from exonc.trackers.flags import FlagRule, activity_flags
from exonc.trackers.grid import DuplicateCounts, MinuteGrid, resolve_duplicates, to_grid
from exonc.trackers.intensity import (
    CADENCE_CUT_POINTS,
    COUNT_CUT_POINTS,
    FREEDSON_1998,
    MET_CUT_POINTS,
    TROIANO_2008,
    CutPoints,
)
from exonc.trackers.minutes import (
    METRICS,
    MINUTE_SCHEMA,
    SOURCES,
    Limits,
    Piece,
    Source,
    pieces_to_frame,
    screen,
)
from exonc.trackers.partitions import Partitioner
from exonc.trackers.pipeline import (
    DailyRun,
    daily_from_files,
    read_files,
    summarise_partition,
    summarise_partitions,
)
from exonc.trackers.readers import FORMATS, READERS, ColumnMapping, ReadOptions
from exonc.trackers.report import FileReport, ImportReport, Rejection
from exonc.trackers.store import MinuteStore, StoredImport, file_sha256
from exonc.trackers.summaries import (
    DEFAULT_WINDOWS,
    VisitWindow,
    goal_adherence,
    visit_window_summary,
    weekly_summary,
)
from exonc.trackers.timezones import Zone, zone
from exonc.trackers.vendor import VendorAgreement, vendor_agreement
from exonc.trackers.wear import WearRule

__all__ = [
    "CADENCE_CUT_POINTS",
    "COUNT_CUT_POINTS",
    "DAILY_COLUMNS",
    "DAILY_SCHEMA",
    "DEFAULT_WINDOWS",
    "FORMATS",
    "FREEDSON_1998",
    "METRICS",
    "MET_CUT_POINTS",
    "MINUTE_SCHEMA",
    "READERS",
    "SOURCES",
    "TROIANO_2008",
    "ColumnMapping",
    "CutPoints",
    "DailyRules",
    "DailyRun",
    "DuplicateCounts",
    "FileReport",
    "FlagRule",
    "ImportReport",
    "Limits",
    "MinuteGrid",
    "MinuteStore",
    "Partitioner",
    "Piece",
    "ReadOptions",
    "Rejection",
    "Source",
    "StoredImport",
    "VendorAgreement",
    "VisitWindow",
    "WearRule",
    "Zone",
    "activity_flags",
    "daily_from_files",
    "daily_summary",
    "file_sha256",
    "goal_adherence",
    "pieces_to_frame",
    "read_files",
    "resolve_duplicates",
    "screen",
    "summarise_partition",
    "summarise_partitions",
    "to_grid",
    "vendor_agreement",
    "visit_window_summary",
    "weekly_summary",
    "zone",
]
