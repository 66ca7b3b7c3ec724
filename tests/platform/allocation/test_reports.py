"""The allocation log and the balance/CONSORT report, against counts worked out by hand."""

from __future__ import annotations

import csv
import io

import pytest

from exonc.errors import AccessDenied, InputError
from exonc.platform.accounts.models import User
from exonc.platform.allocation import services
from exonc.platform.allocation.log import allocation_log
from exonc.platform.allocation.models import Allocation, AllocationSequence
from exonc.platform.allocation.reports import allocation_report
from tests.platform.allocation.conftest import NOW, MakeReady

pytestmark = pytest.mark.django_db


@pytest.fixture
def six(
    hand_sequence: AllocationSequence,
    make_ready: MakeReady,
    coordinator: User,
    other_coordinator: User,
) -> None:
    """Six allocations from the hand-written list (arms read off it):
    NL-UTR 1st/2nd positions 1-4: control, exercise, exercise, exercise;
    NL-UTR 3rd+ position 1: exercise; DE-HEI 1st/2nd position 1: exercise."""
    for i in range(4):
        services.randomise(coordinator, make_ready(f"NL-UTR-00{i}"), now=NOW)
    services.randomise(coordinator, make_ready("NL-UTR-100", line="3rd+"), now=NOW)
    hei = make_ready("DE-HEI-001", centre="DE-HEI", by=other_coordinator)
    services.randomise(other_coordinator, hei, now=NOW)


def _row(report: object, group: str) -> dict[str, object]:
    return next(r for r in report.balance if r["group"] == group)  # type: ignore[attr-defined]


def test_consort_counts(six: None, statistician: User) -> None:
    report = allocation_report(statistician)
    assert (report.purpose, report.method, report.randomised) == ("live", "blocks", 6)
    assert [(a.arm, a.n, a.target_proportion) for a in report.arms] == [
        ("exercise", 5, 0.5),
        ("control", 1, 0.5),
    ]
    assert report.arms[0].proportion == pytest.approx(5 / 6)


@pytest.mark.parametrize(
    ("group", "n_exercise", "n_control", "imbalance"),
    [
        # Worked by hand from the six allocations in the fixture's docstring.
        ("all", 5, 1, 4),
        ("centre=NL-UTR", 4, 1, 3),
        ("centre=DE-HEI", 1, 0, 1),
        ("centre=PL-WAW", 0, 0, 0),
        ("line_of_treatment=1st/2nd", 4, 1, 3),
        ("line_of_treatment=3rd+", 1, 0, 1),
        ("centre=NL-UTR|line_of_treatment=1st/2nd", 3, 1, 2),
        ("centre=NL-UTR|line_of_treatment=3rd+", 1, 0, 1),
        ("centre=DE-HEI|line_of_treatment=1st/2nd", 1, 0, 1),
        ("centre=AU-MEL|line_of_treatment=3rd+", 0, 0, 0),
    ],
)
def test_balance_within_strata_and_margins(
    six: None, statistician: User, group: str, n_exercise: int, n_control: int, imbalance: int
) -> None:
    row = _row(allocation_report(statistician), group)
    assert (row["n_exercise"], row["n_control"], row["imbalance"]) == (
        n_exercise,
        n_control,
        imbalance,
    )


def test_balance_has_every_stratum_and_level(six: None, statistician: User) -> None:
    report = allocation_report(statistician)
    scopes = [r["scope"] for r in report.balance]
    # 1 overall row, 8 centres + 2 lines, 8 × 2 strata.
    assert (scopes.count("overall"), scopes.count("margin"), scopes.count("stratum")) == (1, 10, 16)
    assert (report.overall_imbalance, report.max_margin_imbalance) == (4, 3)
    assert report.max_stratum_imbalance == 2


def test_report_refusals(six: None, coordinator: User, statistician: User) -> None:
    with pytest.raises(AccessDenied):
        allocation_report(coordinator)
    with pytest.raises(InputError, match="must be live or test"):
        allocation_report(statistician, "dummy")
    assert allocation_report(statistician, "test").randomised == 0


def test_the_log_columns(six: None, statistician: User, coordinator: User) -> None:
    with pytest.raises(AccessDenied):
        allocation_log(coordinator)
    assert allocation_log(statistician).columns == [
        "sequence",
        "study_id",
        "centre",  # also the first stratification factor: one column
        "allocated_on",
        "allocated_at",
        "stratum",
        "line_of_treatment",
        "arm",
        "method",
        "purpose",
        "list_position",
        "decision",
        "protocol",
        "corrections",
    ]


def test_log_rows_and_csv(six: None, statistician: User, coordinator: User) -> None:
    first = Allocation.objects.get(sequence=1)
    services.correct(
        coordinator, first, kind="other", problem="wrong date", action="noted", now=NOW
    )
    log = allocation_log(statistician)
    assert [r["study_id"] for r in log.rows] == [
        "NL-UTR-000",
        "NL-UTR-001",
        "NL-UTR-002",
        "NL-UTR-003",
        "NL-UTR-100",
        "DE-HEI-001",
    ]
    assert [r["list_position"] for r in log.rows] == [1, 2, 3, 4, 1, 1]
    rows = list(csv.DictReader(io.StringIO(log.csv_text())))
    assert rows[0] == {
        "sequence": "1",
        "study_id": "NL-UTR-000",
        "centre": "NL-UTR",
        "allocated_on": "2024-05-02",
        "allocated_at": "2024-05-02T10:30:00Z",
        "stratum": "centre=NL-UTR|line_of_treatment=1st/2nd",
        "line_of_treatment": "1st/2nd",
        "arm": "control",
        "method": "blocks",
        "purpose": "live",
        "list_position": "1",
        "decision": "",
        "protocol": "PREFERABLE-EFFECT v1.0",
        "corrections": "other: wrong date — noted",
    }
