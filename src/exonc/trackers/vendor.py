"""Agreement of minute-derived daily summaries with the vendor's own daily totals.

Fitbit's daily ``FairlyActiveMinutes`` and ``VeryActiveMinutes`` count the minutes of
intensity 2 and 3, and ``TotalSteps`` the day's steps, so a correct minute-to-day
aggregation reproduces them — ``SedentaryMinutes`` not, because Fitbit removes sleep and
non-wear from it. :func:`vendor_agreement` reports the share of days that agree exactly,
over the days present in both, and for steps over the days whose minute data are complete
(every minute of the local day recorded: 1,440, or 1,380/1,500 when the clocks change).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import polars as pl

from exonc.results import Result

__all__ = ["VendorAgreement", "vendor_agreement"]

_MEASURES = (
    ("moderate_minutes", "all"),
    ("vigorous_minutes", "all"),
    ("light_minutes", "all"),
    ("steps", "complete"),
    ("steps", "all"),
)


@dataclass(frozen=True)
class VendorAgreement(Result):
    """Days compared and the share that agree exactly, per measure."""

    days_in_both: int
    complete_days: int
    agreement: pd.DataFrame

    def share(self, measure: str, days: str = "all") -> float:
        rows = self.agreement[
            (self.agreement["measure"] == measure) & (self.agreement["days"] == days)
        ]
        return float(rows["share"].iloc[0]) if len(rows) else float("nan")

    def summary(self) -> pd.DataFrame:
        return self.agreement


def vendor_agreement(daily: pl.DataFrame, vendor: pl.DataFrame) -> VendorAgreement:
    """Compare *daily* (from :func:`~exonc.trackers.daily_summary` with ``with_coverage``)
    with *vendor* totals (e.g. :func:`~exonc.trackers.readers.fitabase.read_daily_totals`)."""
    if "recorded_minutes" not in daily.columns:
        raise ValueError("compute the daily summary with with_coverage=True")
    joined = daily.join(vendor, on=["participant_id", "date"], how="inner", suffix="_vendor")
    complete = pl.col("recorded_minutes") >= pl.col("day_minutes")
    rows = []
    for measure, days in _MEASURES:
        if f"{measure}_vendor" not in joined.columns:
            continue
        subset = joined.filter(complete) if days == "complete" else joined
        same = subset.select((pl.col(measure) == pl.col(f"{measure}_vendor")).sum()).item()
        count = subset.height
        rows.append(
            {
                "measure": measure,
                "days": days,
                "compared": count,
                "agreeing": int(same or 0),
                "share": (same or 0) / count if count else float("nan"),
            }
        )
    return VendorAgreement(
        joined.height,
        joined.filter(complete).height,
        pd.DataFrame(rows, columns=["measure", "days", "compared", "agreeing", "share"]),
    )
