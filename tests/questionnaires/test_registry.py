"""The shipped instruments: names, column contracts and item-to-scale maps."""

from __future__ import annotations

from pathlib import Path

import pytest

import exonc.questionnaires as questionnaires
from exonc.errors import ScoringError
from exonc.questionnaires import INSTRUMENTS, get_instrument, score_response
from exonc.questionnaires.definition import parse_instrument
from exonc.questionnaires.registry import package_text

C30_ITEMS = tuple(f"q{i}" for i in range(1, 31))


def test_the_registry_is_a_plain_dict_of_the_four_instruments() -> None:
    assert type(INSTRUMENTS) is dict
    assert list(INSTRUMENTS) == ["qlq-c30", "qlq-fa12", "eq-5d-5l", "hads"]


@pytest.mark.parametrize(
    ("name", "items", "scores"),
    [
        # the column contract of issue #3
        (
            "qlq-c30",
            C30_ITEMS,
            "QL PF RF EF CF SF FA NV PA DY SL AP CO DI FI C30_SUMMARY",
        ),
        (
            "qlq-fa12",
            tuple(f"q{i}" for i in range(1, 13)),
            "PHYSICAL EMOTIONAL COGNITIVE INTERFERENCE SOCIAL TOTAL",
        ),
        ("eq-5d-5l", ("MO", "SC", "UA", "PD", "AD", "VAS"), "utility"),
        ("hads", tuple(f"q{i}" for i in range(1, 15)), "ANXIETY DEPRESSION"),
    ],
)
def test_column_contracts(name: str, items: tuple[str, ...], scores: str) -> None:
    instrument = get_instrument(name)
    assert instrument.item_codes == items
    assert instrument.score_codes == tuple(scores.split())


@pytest.mark.parametrize(
    ("scale", "items", "item_range", "higher"),
    [
        # tests/reference/domain.md §6.1 (PROscorer qlq_c30.R; scoring manual, Fayers et al. 2001)
        ("QL", (29, 30), 6, "better"),
        ("PF", (1, 2, 3, 4, 5), 3, "better"),
        ("RF", (6, 7), 3, "better"),
        ("EF", (21, 22, 23, 24), 3, "better"),
        ("CF", (20, 25), 3, "better"),
        ("SF", (26, 27), 3, "better"),
        ("FA", (10, 12, 18), 3, "worse"),
        ("NV", (14, 15), 3, "worse"),
        ("PA", (9, 19), 3, "worse"),
        ("DY", (8,), 3, "worse"),
        ("SL", (11,), 3, "worse"),
        ("AP", (13,), 3, "worse"),
        ("CO", (16,), 3, "worse"),
        ("DI", (17,), 3, "worse"),
        ("FI", (28,), 3, "worse"),
    ],
)
def test_qlq_c30_scales_match_the_scoring_manual(
    scale: str, items: tuple[int, ...], item_range: int, higher: str
) -> None:
    instrument = get_instrument("qlq-c30")
    definition = next(s for s in instrument.scales if s.code == scale)
    assert definition.items == tuple(f"q{i}" for i in items)
    first = instrument.item(definition.items[0])
    assert first.max - first.min == item_range
    assert definition.higher == higher
    expected = "eortc-functional" if scale in {"PF", "RF", "EF", "CF", "SF"} else "eortc-symptom"
    assert definition.transform == expected


def test_c30_summary_is_the_giesinger_mean_of_13_scales() -> None:
    # Giesinger et al. 2016: PF RF EF CF SF and 100 - score of FA PA NV DY SL AP CO DI
    summary = get_instrument("qlq-c30").derived[0]
    assert summary.kind == "mean-of-scales"
    assert sorted(summary.scales) == sorted(
        ["PF", "RF", "EF", "CF", "SF", "FA", "PA", "NV", "DY", "SL", "AP", "CO", "DI"]
    )
    assert sorted(summary.reverse) == sorted(["FA", "PA", "NV", "DY", "SL", "AP", "CO", "DI"])


def test_qlq_fa12_says_its_subscale_map_is_unverified() -> None:
    fa12 = get_instrument("qlq-fa12")
    assert not fa12.verified
    assert fa12.caveat is not None
    assert "not verified" in fa12.caveat
    # verified from Weis 2017 / Friedrich 2018: 5 + 3 + 2 items from items 1-10, two singles
    sizes = {s.code: len(s.items) for s in fa12.scales}
    assert sizes == {
        "PHYSICAL": 5,
        "EMOTIONAL": 3,
        "COGNITIVE": 2,
        "INTERFERENCE": 1,
        "SOCIAL": 1,
        "TOTAL": 10,
    }


def test_qlq_fa12_subscales_are_labelled_provisional() -> None:
    fa12 = get_instrument("qlq-fa12")
    assert fa12.provisional_scores == ("PHYSICAL", "EMOTIONAL", "COGNITIVE")
    assert fa12.score_label("PHYSICAL") == "Physical fatigue (provisional item map)"
    assert fa12.score_label("TOTAL") == "Total fatigue (items 1-10)"
    assert fa12.provisional_warning is not None
    assert "PHYSICAL, EMOTIONAL, COGNITIVE: provisional item map" in fa12.provisional_warning
    assert all(i.verified for name, i in INSTRUMENTS.items() if name != "qlq-fa12")


def test_correcting_the_fa12_map_is_one_edit_of_its_definition(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the manual at hand, a maintainer edits qlq-fa12.toml and nothing else: here q5
    moves to EMOTIONAL and q6 to PHYSICAL, and the provisional flags go."""
    shipped = package_text("definitions/qlq-fa12.toml")
    edited = (
        shipped.replace(
            'items = ["q1", "q2", "q3", "q4", "q5"]', 'items = ["q1", "q2", "q3", "q4", "q6"]'
        )
        .replace('items = ["q6", "q7", "q8"]', 'items = ["q5", "q7", "q8"]')
        .replace("provisional = true\n", "")
        .replace('scoring_version = "1"', 'scoring_version = "2"')
    )
    corrected = parse_instrument(edited, source="qlq-fa12.toml")
    monkeypatch.setitem(INSTRUMENTS, "qlq-fa12", corrected)
    answers = {f"q{i}": 1 for i in range(1, 13)} | {"q5": 4}  # only q5 is not "not at all"
    result = score_response("qlq-fa12", answers)
    # by hand: PHYSICAL = mean(1, 1, 1, 1, 1) -> 0; EMOTIONAL = mean(4, 1, 1) = 2 -> 33.33
    assert result.scores["PHYSICAL"] == 0.0
    assert result.scores["EMOTIONAL"] == pytest.approx(100 / 3, rel=1e-12)
    assert result.warnings == ()
    assert corrected.verified
    assert corrected.score_label("PHYSICAL") == "Physical fatigue"
    # and no other source file about the FA12 repeats the map: every output reads it from
    # the definition (the QLQ-C30's physical functioning happens to hold items 1-5 too)
    source = Path(questionnaires.__file__).parents[1]
    maps = ['"q1", "q2", "q3", "q4", "q5"]', '"q6", "q7", "q8"]', '["q9", "q10"]']
    holders = set()
    for path in source.rglob("*"):
        if path.suffix in {".py", ".toml", ".html", ".txt", ".json"}:
            text = path.read_text(encoding="utf-8")
            if "fa12" in text.lower() and any(m in text for m in maps):
                holders.add(str(path.relative_to(source)))
    assert holders == {"questionnaires/data/definitions/qlq-fa12.toml"}


def test_hads_items_are_scored_values_with_the_printed_order_recorded() -> None:
    hads = get_instrument("hads")
    assert all((i.min, i.max, i.reverse) == (0, 3, False) for i in hads.items)
    # Zigmond & Snaith 1983 form: these items print their options from 3 down to 0
    descending = [i.code for i in hads.items if i.printed_order == "descending"]
    assert descending == ["q1", "q3", "q5", "q6", "q8", "q10", "q11", "q13"]


def test_get_instrument_rejects_unknown_names_and_versions() -> None:
    with pytest.raises(ScoringError, match="unknown instrument 'sf-36'; choose one of"):
        get_instrument("sf-36")
    assert get_instrument("hads", "1") is INSTRUMENTS["hads"]
    with pytest.raises(ScoringError, match="hads has no scoring version '0'; known versions: 1"):
        get_instrument("hads", "0")


def test_the_package_exports_what_all_lists() -> None:
    for name in questionnaires.__all__:
        assert hasattr(questionnaires, name), name
    public = {n for n in vars(questionnaires) if not n.startswith("_")}
    modules = {"answers", "definition", "engine", "interpretation", "registry", "scoring"}
    modules |= {"text_pack", "value_sets", "annotations"}
    assert public - modules == set(questionnaires.__all__)


DOCS = Path(__file__).resolve().parents[2] / "docs" / "instruments"


@pytest.mark.parametrize("name", list(INSTRUMENTS))
def test_every_instrument_and_score_is_documented(name: str) -> None:
    page = (DOCS / f"{name}.md").read_text(encoding="utf-8")
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    assert f"`{name}`" in index
    for code in INSTRUMENTS[name].score_codes:
        assert f"`{code}`" in page or code in index


def test_every_value_set_is_documented() -> None:
    page = (DOCS / "eq-5d-5l.md").read_text(encoding="utf-8")
    for value_set in questionnaires.VALUE_SETS.values():
        assert f"| `{value_set.code}` |" in page
        assert value_set.doi in page
