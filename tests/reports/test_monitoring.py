"""The monitoring report's numbers on a hand-made centre (counted by hand below)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from exonc.reports.monitoring import Target, monitoring_html, monitoring_report


def _tables() -> dict[str, pd.DataFrame]:
    people = pd.DataFrame(
        {
            "participant_id": ["A-1", "A-2", "A-3", "B-1"],
            "centre": ["A", "A", "A", "B"],
            "arm": ["exercise", "control", "exercise", "control"],
            "randomised_on": ["2024-01-10", "2024-01-20", "2024-03-05", "2024-01-11"],
        }
    )
    visits = pd.DataFrame(
        [
            ("A-1", "baseline", "2024-01-10", "2024-01-09"),
            ("A-1", "m3", "2024-04-10", "2024-04-12"),
            ("A-2", "baseline", "2024-01-20", "2024-01-19"),
            ("A-2", "m3", "2024-04-20", None),  # withdrew before: not due
            ("A-3", "baseline", "2024-03-05", "2024-03-05"),
            ("A-3", "m3", "2024-06-05", None),  # due after today
            ("B-1", "baseline", "2024-01-11", "2024-01-11"),
        ],
        columns=["participant_id", "visit", "due_date", "completed_on"],
    )
    return {
        "centres": pd.DataFrame({"centre": ["A", "B"]}),
        "participants": people,
        "visits": visits,
        "withdrawals": pd.DataFrame(
            {
                "participant_id": ["A-2"],
                "withdrawn_on": ["2024-03-01"],
                "kind": ["lost"],
                "reason": ["x"],
            }
        ),
        "qlq_c30": pd.DataFrame(
            {
                "participant_id": ["A-1", "A-2"],
                "visit": ["baseline", "baseline"],
                "completed_on": ["2024-01-09", "2024-01-19"],
            }
        ),
        "sessions": pd.DataFrame(
            {
                "participant_id": ["A-1"] * 3 + ["A-3"] * 3,
                "date": [
                    "2024-01-16",
                    "2024-01-18",
                    "2024-01-23",
                    "2024-03-12",
                    "2024-03-14",
                    "2024-03-19",
                ],
                "week": ["1", "1", "2", "1", "1", "2"],
                "kind": ["supervised"] * 6,
                "attended": ["1", "1", "0", "1", "0", "0"],
            }
        ),
        "adverse_events": pd.DataFrame(
            {
                "participant_id": ["A-1", "B-1"],
                "onset": ["2024-02-01", "2024-02-01"],
                "grade": ["2", "1"],
                "serious": ["0", "1"],
            }
        ),
    }


def test_monitoring_counts_one_centre() -> None:
    queries = pd.DataFrame(
        {
            "participant_id": ["A-1", "A-3", "B-1"],
            "record": ["visit m3", "baseline", "visit"],
            "question": ["late?", "age?", "other centre"],
            "status": ["open", "closed", "open"],
            "opened_on": ["2024-04-20", "2024-03-10", "2024-04-01"],
        }
    )
    report = monitoring_report(
        _tables(), "A", today=dt.date(2024, 5, 1), queries=queries, target=Target(12, 12)
    )
    data = report.data
    assert data["randomised"] == 3
    assert [(r["month"], r["randomised"], r["target"]) for r in data["recruitment"]] == [
        ("2024-01", 2, 1.0), ("2024-02", 2, 2.0), ("2024-03", 3, 3.0),
        ("2024-04", 3, 4.0), ("2024-05", 3, 5.0),
    ]  # fmt: skip
    visits = {r["visit"]: (r["due"], r["completed"]) for r in data["visits"]}
    assert visits == {"baseline": (3, 3), "m3": (1, 1)}
    c30 = {r["visit"]: (r["visits_done"], r["completed"]) for r in data["questionnaires"]}
    assert c30 == {"baseline": (3, 2), "m3": (1, 0)}
    assert data["adherence"]["participants"] == 2
    assert data["adherence"]["median_percent"] == 50.0  # 2/3 and 1/3
    assert data["adverse_events"] == {"total": 1, "serious": 0, "by_grade": {"2": 1}}
    assert data["queries"]["open"] == 1
    assert [q["days_open"] for q in data["queries"]["rows"]] == [11]
    assert "Monitoring report" in monitoring_html(report)
