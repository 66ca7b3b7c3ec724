"""Interpretation metadata: what ships, how it is selected, and how files are validated."""

from __future__ import annotations

import math

import pytest

from exonc.errors import InstrumentDataError
from exonc.questionnaires import INTERPRETATION, ClinicalThreshold
from exonc.questionnaires.interpretation import parse_interpretation


def test_every_entry_names_its_source_and_evidence() -> None:
    entries = [*INTERPRETATION.mids, *INTERPRETATION.size_classes, *INTERPRETATION.thresholds]
    assert entries
    assert all(e.source and e.evidence in {"V", "R"} for e in entries)


@pytest.mark.parametrize(
    ("comparison", "direction", "low", "high"),
    [
        # Musoro et al. 2019, advanced breast cancer (tests/reference/domain.md §6.4)
        ("within-group", "improvement", 5, 14),
        ("within-group", "deterioration", -14, -4),
        ("between-group", "improvement", 4, 11),
        ("between-group", "deterioration", -18, -4),
    ],
)
def test_musoro_mid_ranges(comparison: str, direction: str, low: float, high: float) -> None:
    (mid,) = [
        m
        for m in INTERPRETATION.mids
        if m.source.startswith("Musoro") and (m.comparison, m.direction) == (comparison, direction)
    ]
    assert (mid.low, mid.high) == (low, high)
    assert mid.scales == ()


def test_select_keeps_entries_for_the_scale_and_for_all_scales() -> None:
    cf = INTERPRETATION.select("qlq-c30", "CF")
    labels = {(s.label, s.scales) for s in cf.size_classes}
    assert ("medium", ("CF",)) in labels  # Cocks 2011: smallest medium difference, CF 9
    assert ("medium", ("RF",)) not in labels
    assert ("small", ()) in labels  # Osoba 1998, all scales
    assert [t.scale for t in cf.thresholds] == []
    assert [t.scale for t in INTERPRETATION.select("qlq-c30", "PF").thresholds] == ["PF"]
    eq5d = INTERPRETATION.select("eq-5d-5l")
    assert [(m.low, m.scales) for m in eq5d.mids] == [(0.08, ("utility",))]
    assert INTERPRETATION.select("hads").mids == ()


def test_threshold_flags() -> None:
    below = ClinicalThreshold("qlq-c30", "PF", "<", 83, "test", "R")
    assert below.flags([80, 83, 90, math.nan]).tolist() == [True, False, False, False]
    above = ClinicalThreshold("qlq-c30", "FA", ">", 39, "test", "R")
    assert above.flags([40, 39]).tolist() == [True, False]


ENTRY = """
[[mid]]
instrument = "qlq-c30"
scales = ["PF"]
comparison = "within-group"
direction = "improvement"
low = 5
high = 10
population = "test"
method = "test"
source = "test"
evidence = "V"
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            ENTRY.replace('"qlq-c30"', '"sf-36"'),
            r"key mid\[1\]\.instrument: value 'sf-36': not a known value",
        ),
        (ENTRY.replace('["PF"]', '["XX"]'), "qlq-c30 has no score XX"),
        (ENTRY.replace("high = 10", "high = 1"), "low must not exceed high"),
        (ENTRY.replace("low = 5", "low = 5\nlwo = 5"), r"key mid\[1\]\.lwo: unknown key"),
        (
            ENTRY.replace('evidence = "V"', 'evidence = "maybe"'),
            r"key mid\[1\]\.evidence: value 'maybe': not a known value",
        ),
        (ENTRY.replace("low = 5", 'low = "5"'), r"key mid\[1\]\.low: value '5': must be a number"),
        (
            '[[threshold]]\ninstrument="hads"\nscale="PF"\noperator="<"\nvalue=1\n'
            'source="x"\nevidence="V"\n',
            "hads has no score PF",
        ),
    ],
)
def test_malformed_interpretation_files(text: str, message: str) -> None:
    with pytest.raises(InstrumentDataError, match=message) as caught:
        parse_interpretation(text, source="i.toml")
    assert str(caught.value).startswith("i.toml")


def test_a_valid_file_parses() -> None:
    parsed = parse_interpretation(ENTRY, source="i.toml")
    assert parsed.mids[0].scales == ("PF",)
    assert parsed.mids[0].note is None
