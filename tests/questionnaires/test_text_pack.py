"""Text packs: the shipped placeholder pack and the validation of user-installed packs."""

from __future__ import annotations

from pathlib import Path

import pytest

from exonc.errors import InstrumentDataError
from exonc.questionnaires import INSTRUMENTS, parse_text_pack, placeholder_text_pack, read_text_pack


def test_the_placeholder_pack_covers_every_item_and_says_it_is_a_placeholder() -> None:
    pack = placeholder_text_pack()
    assert pack.placeholder
    assert list(pack.instruments) == list(INSTRUMENTS)
    for name, instrument in INSTRUMENTS.items():
        texts = pack.for_instrument(name)
        assert texts.title.startswith("[Placeholder]")
        assert [t.code for t in texts.items] == list(instrument.item_codes)
        for item in texts.items:
            assert item.text.startswith("[Placeholder]")
            assert all(label.startswith("[Placeholder]") for _, label in item.options)


def test_options_pair_each_answer_value_with_its_label_in_printed_order() -> None:
    hads = placeholder_text_pack().for_instrument("hads")
    # Zigmond & Snaith form: item 1 prints 3 … 0, item 2 prints 0 … 3
    assert [value for value, _ in hads.item("q1").options] == [3, 2, 1, 0]
    assert [value for value, _ in hads.item("q2").options] == [0, 1, 2, 3]
    vas = placeholder_text_pack().for_instrument("eq-5d-5l").item("VAS")
    assert vas.options == ()
    assert vas.anchors is not None
    with pytest.raises(KeyError):
        hads.item("q15")


PACK = """
[pack]
name = "mine"
language = "nl"
placeholder = false
licence = "licensed from the publisher for trial X"

[instruments.hads]
version = "1983"
title = "HADS"
instructions = "Tick one box per question."

[instruments.hads.options]
"0-3" = ["a", "b", "c", "d"]

[instruments.hads.items]
{items}
"""


def pack_text(**overrides: str) -> str:
    items = {f"q{i}": f'q{i} = "item {i}"' for i in range(1, 15)} | overrides
    return PACK.format(items="\n".join(v for v in items.values() if v))


def test_a_pack_may_cover_only_some_instruments() -> None:
    pack = parse_text_pack(pack_text(), source="mine.toml")
    assert pack.for_instrument("hads").item("q1").options[0] == (3, "a")
    with pytest.raises(InstrumentDataError, match="text pack mine has no texts for qlq-c30"):
        pack.for_instrument("qlq-c30")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (pack_text(q3=""), "no text for item q3"),
        (pack_text(q15='q15 = "extra"'), "hads has no item q15"),
        (pack_text(q2='q2 = { text = "x", options = ["a", "b"] }'), "2 option labels for 4"),
        (
            pack_text(q2="q2 = 5"),
            r"key instruments\.hads\.items\.q2: value 5: must be a string or a table",
        ),
        (pack_text().replace('"0-3" = ["a", "b", "c", "d"]', ""), "no option labels"),
        (pack_text().replace('version = "1983"', 'version = "2"'), "wording is for version 2"),
        (pack_text().replace("instruments.hads", "instruments.phq9"), "unknown instrument"),
        (pack_text().replace("placeholder = false", ""), "key pack.placeholder: missing key"),
        ("[pack", "not valid TOML"),
        (
            pack_text().replace("[pack]", '[pack]\nlangauge = "en"'),  # codespell:ignore
            "key pack.langauge: unknown",  # codespell:ignore
        ),
        (PACK.split("[instruments.hads]")[0] + "[instruments]\nhads = 1\n", "must be a table"),
    ],
)
def test_packs_that_do_not_match_the_definitions_are_refused(text: str, message: str) -> None:
    with pytest.raises(InstrumentDataError, match=message) as caught:
        parse_text_pack(text, source="mine.toml")
    assert str(caught.value).startswith("mine.toml")


def test_numeric_items_take_anchors_not_options() -> None:
    head = PACK.split("[instruments.hads]")[0]
    body = """
[instruments."eq-5d-5l"]
version = "5L"
title = "EQ"
instructions = "…"
[instruments."eq-5d-5l".options]
"1-5" = ["1", "2", "3", "4", "5"]
[instruments."eq-5d-5l".items]
MO = "m"
SC = "s"
UA = "u"
PD = "p"
AD = "a"
"""
    with pytest.raises(InstrumentDataError, match="numeric and takes anchors"):
        parse_text_pack(head + body + 'VAS = { text = "v", options = ["x"] }\n', source="p")
    with pytest.raises(InstrumentDataError, match="anchors are two labels"):
        parse_text_pack(head + body + 'VAS = { text = "v", anchors = ["x"] }\n', source="p")
    pack = parse_text_pack(head + body + 'VAS = "v"\n', source="p")
    assert pack.for_instrument("eq-5d-5l").item("VAS").anchors is None


def test_read_text_pack(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(pack_text(), encoding="utf-8")
    assert read_text_pack(path).language == "nl"
    with pytest.raises(InstrumentDataError, match="cannot be read"):
        read_text_pack(tmp_path / "absent.toml")
