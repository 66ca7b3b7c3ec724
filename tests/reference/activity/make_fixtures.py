"""Cut the activity-platform fixtures out of the Fitabase copy in ``../trackers/fitabase``.

Run from the repository root: ``.venv/bin/python tests/reference/activity/make_fixtures.py``.
Lines are copied unchanged (same header, same order); see PROVENANCE.md.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
SOURCE = HERE.parent / "trackers" / "fitabase"

#: output file -> (source file, participant Id, the days kept as Fitabase writes them)
CUTS = {
    "minuteIntensitiesWide_1503960366_0420-0422.csv": (
        "minuteIntensitiesWide_merged.csv",
        "1503960366",
        ("4/20/2016", "4/21/2016", "4/22/2016"),
    ),
    "minuteStepsWide_1503960366_0420-0422.csv": (
        "minuteStepsWide_merged.csv",
        "1503960366",
        ("4/20/2016", "4/21/2016", "4/22/2016"),
    ),
    "minuteIntensitiesWide_1503960366_0422-0423.csv": (
        "minuteIntensitiesWide_merged.csv",
        "1503960366",
        ("4/22/2016", "4/23/2016"),
    ),
    "minuteStepsWide_1503960366_0422-0423.csv": (
        "minuteStepsWide_merged.csv",
        "1503960366",
        ("4/22/2016", "4/23/2016"),
    ),
    "minuteStepsWide_1624580081_0420.csv": (
        "minuteStepsWide_merged.csv",
        "1624580081",
        ("4/20/2016",),
    ),
    "dailyActivity_1503960366_0420-0423.csv": (
        "dailyActivity_merged.csv",
        "1503960366",
        ("4/20/2016", "4/21/2016", "4/22/2016", "4/23/2016"),
    ),
}


def cut(source: str, participant: str, days: tuple[str, ...]) -> str:
    header, *lines = (SOURCE / source).read_text(encoding="utf-8").splitlines()
    kept = [
        line
        for line in lines
        if line.split(",")[0] == participant and line.split(",")[1].split(" ")[0] in days
    ]
    return "\n".join([header, *kept]) + "\n"


def main() -> None:
    for name, (source, participant, days) in CUTS.items():
        (HERE / name).write_text(cut(source, participant, days), encoding="utf-8")


if __name__ == "__main__":
    main()
