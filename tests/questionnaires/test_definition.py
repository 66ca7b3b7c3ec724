"""Instrument definitions: parsing, validation and the properties the engine relies on."""

from __future__ import annotations

import pytest

from exonc.errors import InstrumentDataError
from exonc.questionnaires.definition import Item, parse_instrument

HEAD = """
name = "toy"
title = "Toy"
version = "1"
scoring_version = "1"
licence = "none"
sources = ["hand-made for tests"]
"""

ITEMS = """
[[items]]
codes = ["a", "b", "c", "d", "e"]
min = 1
max = 4
"""


def toy(body: str, items: str = ITEMS) -> str:
    return HEAD + items + body


def scale(items: str, extra: str = "") -> str:
    return f"""
[[scales]]
code = "S"
name = "Scale"
items = {items}
transform = "eortc-symptom"
{extra}
"""


@pytest.mark.parametrize(
    ("items", "rule", "expected"),
    [
        # the EORTC half rule: at least half of the items, i.e. ceil(n / 2)
        ('["a"]', "", 1),
        ('["a", "b"]', "", 1),
        ('["a", "b", "c"]', "", 2),
        ('["a", "b", "c", "d"]', "", 2),
        ('["a", "b", "c", "d", "e"]', "", 3),
        ('["a", "b", "c"]', 'min_answered = "all"', 3),
        ('["a", "b", "c"]', "min_answered = 1", 1),
    ],
)
def test_min_answered_resolves_the_rule_to_a_count(items: str, rule: str, expected: int) -> None:
    instrument = parse_instrument(toy(scale(items, rule)), source="toy.toml")
    assert instrument.scales[0].min_answered == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (toy(scale('["a", "z"]')), "scale S refers to unknown item z"),
        (toy(scale("[]")), "scale S has no items"),
        (toy(scale('["a"]', "min_answered = 0")), "key scales[1].min_answered: value 0: must"),
        (toy(scale('["a"]', 'min_answered = "most"')), "min_answered: value 'most': must be"),
        (
            toy(scale('["a"]').replace('"eortc-symptom"', '"log"')),
            "key scales[1].transform: value 'log': not a known value",
        ),
        (
            toy(scale('["a"]').replace('transform = "eortc-symptom"', "")),
            "key scales[1].transform: missing key",
        ),
        (toy(scale('["a"]', "provisinal = true")), "key scales[1].provisinal: unknown key"),
        (toy(scale('["a"]') + scale('["b"]')), "score code S is defined twice"),
        (toy("", ITEMS + ITEMS), "item code a is defined twice"),
        (toy("", ITEMS.replace("max = 4", "max = 1")), "min must be below max"),
        (toy("", ITEMS.replace("max = 4", "max = 128")), "at most 127 answer values"),
        (toy("", ITEMS + 'reverse = ["q9"]\n'), "unknown item of the group q9"),
        (toy("", ITEMS.replace("min = 1", 'min = "1"')), "key items[1].min: value '1': must be a"),
        (HEAD.replace('name = "toy"', ""), "key name: missing key"),
        (HEAD.replace('["hand-made for tests"]', "[1]"), "key sources: value [1]: must be a list"),
        (HEAD + 'scales = ["S"]\n', "key scales: must be an array of tables"),
        (HEAD + "verifed = false\n", "key verifed: unknown key"),  # codespell:ignore
        ("name = ", "not valid TOML"),
        (toy('[[derived]]\ncode = "T"\nname = "T"\nkind = "mean-of-scales"\n'), "lists no scales"),
        (
            toy(
                scale('["a"]') + '[[derived]]\ncode="T"\nname="T"\nkind="mean-of-scales"\n'
                'scales=["S"]\nreverse=["X"]\n'
            ),
            "unknown listed scale X",
        ),
        (toy('[[derived]]\ncode = "T"\nname = "T"\nkind = "value-set"\n'), "must list 5 items"),
        (
            toy('[[derived]]\ncode="T"\nname="T"\nkind="value-set"\nitems=["a","b","c","d","z"]\n'),
            "unknown item z",
        ),
    ],
)
def test_invalid_definitions_fail_with_a_located_message(text: str, message: str) -> None:
    with pytest.raises(InstrumentDataError) as caught:
        parse_instrument(text, source="toy.toml")
    assert str(caught.value).startswith("toy.toml")
    assert message in str(caught.value)


def test_a_scale_cannot_mix_response_ranges() -> None:
    items = ITEMS + '\n[[items]]\ncodes = ["f"]\nmin = 1\nmax = 7\n'
    with pytest.raises(InstrumentDataError, match="mixes response ranges"):
        parse_instrument(toy(scale('["a", "f"]'), items), source="toy.toml")


def test_a_scale_cannot_use_a_numeric_item() -> None:
    items = ITEMS + '\n[[items]]\ncodes = ["v"]\nmin = 0\nmax = 100\nkind = "numeric"\n'
    with pytest.raises(InstrumentDataError, match="uses a numeric item"):
        parse_instrument(toy(scale('["v"]'), items), source="toy.toml")


def test_item_groups_mark_reversed_and_descending_items() -> None:
    items = ITEMS + 'reverse = ["b"]\ndescending = ["c"]\nrequired = false\n'
    instrument = parse_instrument(toy(scale('["a"]'), items), source="toy.toml")
    a, b, c = instrument.items[:3]
    assert (a.reverse, b.reverse, c.reverse) == (False, True, False)
    assert (a.printed_order, c.printed_order) == ("ascending", "descending")
    assert instrument.required_items == ()


@pytest.mark.parametrize(
    ("item", "options"),
    [
        (Item("q1", 1, 4), (1, 2, 3, 4)),
        (Item("q1", 0, 3, printed_order="descending"), (3, 2, 1, 0)),
        (Item("q29", 1, 7), (1, 2, 3, 4, 5, 6, 7)),
    ],
)
def test_item_options_are_listed_in_printed_order(item: Item, options: tuple[int, ...]) -> None:
    assert item.options == options


def test_instrument_properties() -> None:
    text = toy(
        scale('["a", "b"]')
        + '[[derived]]\ncode="T"\nname="T"\nkind="mean-of-scales"\nscales=["S"]\n'
    )
    instrument = parse_instrument(text, source="toy.toml")
    assert instrument.score_codes == ("S", "T")
    assert instrument.item_codes == ("a", "b", "c", "d", "e")
    assert instrument.scoring_id == "toy/1/1"
    assert not instrument.needs_value_set
    assert instrument.verified
    assert instrument.item("c").code == "c"
    with pytest.raises(KeyError):
        instrument.item("z")
