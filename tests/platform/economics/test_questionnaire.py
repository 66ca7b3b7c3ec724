"""The questionnaire's periods and unit rules, and the figures' drawing coordinates."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from exonc.economics import resource_items
from exonc.platform.economics import figures
from exonc.platform.economics.questionnaire import (
    UNITS,
    Period,
    ResourceUseEntry,
    check_entry,
    items_of,
    periods,
)

M3 = Period("m3", "3 months", 0, 3, 107)


def test_every_follow_up_visit_asks_about_the_months_since_the_previous_one() -> None:
    # protocol: visits at 0, 3, 6, 9 months; 14 days of late window after 3, 6 and 9
    assert periods() == {
        "m3": Period("m3", "3 months", 0, 3, 31 * 3 + 14),
        "m6": Period("m6", "6 months (primary endpoint)", 3, 6, 31 * 3 + 14),
        "m9": Period("m9", "9 months", 6, 9, 31 * 3 + 14),
    }


def test_every_item_of_the_catalogue_has_a_unit_rule() -> None:
    assert {i.unit for i in resource_items()} <= set(UNITS)


def _zeros(**given: object) -> ResourceUseEntry:
    quantities: dict[str, object] = {i.code: 0 for i in items_of("NL")}
    return ResourceUseEntry(quantities | given, paid_work="no")


@given(st.integers(min_value=0, max_value=107))
def test_any_whole_count_up_to_the_period_is_accepted(days: int) -> None:
    checked = check_entry(_zeros(inpatient_day=days), "NL", M3)
    assert checked.problems == {}
    assert checked.quantities["inpatient_day"] == days


@given(st.floats(min_value=-1e6, max_value=-1e-9) | st.integers(min_value=108, max_value=10**6))
def test_negative_or_impossible_counts_are_refused(value: float) -> None:
    checked = check_entry(_zeros(inpatient_day=value), "NL", M3)
    assert set(checked.problems) == {"inpatient_day"}
    assert checked.error() is not None


def test_the_plane_and_the_curve_are_drawn_by_the_figures_module() -> None:
    plane = [
        {"delta_qaly": q, "delta_cost": c} for q, c in [(-0.02, -500), (0.05, 2500), (0.01, 800)]
    ]
    drawn = figures.ce_plane(plane, [20_000, 50_000, 80_000], "EUR")
    assert drawn is not None
    assert drawn.svg.lstrip().startswith("<?xml")
    assert drawn.png.startswith(b"\x89PNG")
    assert drawn.data_uri().startswith("data:image/svg+xml;base64,")
    curves = [{"wtp": float(k), "ceac": k / 120_000} for k in range(0, 120_001, 40_000)]
    curve = figures.ceac(curves, [20_000], "EUR")
    assert curve is not None
    assert curve.name == "ceac"
    assert figures.ce_plane([], [20_000], "EUR") is None
    assert figures.ceac([], [20_000], "EUR") is None
