"""exonc._toml: the one reader of exonc's TOML files, and its located errors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from exonc import _toml
from exonc.errors import InputError


@dataclass(frozen=True)
class Thing:
    name: str
    weight: float
    count: int
    when: dt.date
    pair: tuple[float, float]
    shares: dict[str, float]
    note: str | None = None
    flag: bool = False


TEXT = """
name = "box"
weight = 2
count = 3
when = 2024-07-25
pair = [1, 2.5]
shares = { a = 0.25, b = 0.75 }
"""


def test_record_reads_a_dataclass_by_its_field_types() -> None:
    thing = _toml.root(TEXT, source="t.toml", error=InputError).record(Thing)
    assert thing == Thing("box", 2.0, 3, dt.date(2024, 7, 25), (1, 2.5), {"a": 0.25, "b": 0.75})
    assert isinstance(thing.weight, float)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("count = 3", "count = 3.5"), "key count: value 3.5: must be a whole number"),
        (('name = "box"\n', ""), "key name: missing key"),
        (("count = 3", "count = 3\ncuont = 4"), "key cuont: unknown key; did you mean 'count'?"),
        (("a = 0.25", 'a = "x"'), "key shares: .*must be a table of numbers"),
        (("when = 2024-07-25", 'when = "soon"'), "key when: value 'soon': must be a date"),
        (("count = 3", "count = 3\nnote = 5"), "key note: value 5: must be text"),
        (("weight = 2", "weight = [2"), "^t.toml: not valid TOML"),
    ],
)
def test_errors_name_the_file_and_the_key(change: tuple[str, str], message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        _toml.root(TEXT.replace(*change), source="t.toml", error=InputError).record(Thing)
    assert str(caught.value).startswith("t.toml")


def test_typed_readers() -> None:
    text = 'kind = "b"\nnames = ["x", "y"]\nlabels = { one = "1" }\n'
    rows = "[[rows]]\nv = 1\n[[rows]]\nv = 2\n"
    root = _toml.root(text + rows, source="r.toml", error=InputError)
    assert root.one_of("kind", ("a", "b")) == "b"
    assert root.texts("names") == ["x", "y"]
    assert root.text_table("labels") == {"one": "1"}
    assert [t.whole("v") for t in root.tables("rows")] == [1, 2]
    root.done()
    with pytest.raises(InputError, match=r"key rows\[2\]\.w: missing key"):
        root.tables("rows")[1].whole("w")
    with pytest.raises(InputError, match="key kind: value 'b': not a known value; use one of a"):
        root.one_of("kind", ("a",))


def test_read_takes_toml_or_json_files(tmp_path: Path) -> None:
    toml_file, json_file = tmp_path / "m.toml", tmp_path / "m.json"
    toml_file.write_text('steps = "s"\n', encoding="utf-8")
    json_file.write_text('{"steps": "s"}', encoding="utf-8")
    assert _toml.read(toml_file, InputError) == _toml.read(json_file, InputError) == {"steps": "s"}
    with pytest.raises(InputError, match="file not found"):
        _toml.read(tmp_path / "none.toml", InputError)
    (tmp_path / "bad.toml").write_bytes(b"x = '\xff'")
    with pytest.raises(InputError, match=r"bad\.toml: is not UTF-8 text"):
        _toml.read(tmp_path / "bad.toml", InputError)
