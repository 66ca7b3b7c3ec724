"""Protocol files: the shipped default loads; broken files fail naming file, key and problem."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from exonc.errors import ProtocolError, UnknownCentre
from exonc.protocol import (
    CriterionKind,
    GuideAccess,
    RandomisationMethod,
    load_protocol,
    parse_protocol,
)
from exonc.protocol.loader import default_protocol_path


@pytest.fixture(scope="module")
def shipped() -> str:
    return default_protocol_path().read_text(encoding="utf-8")


def test_shipped_protocol_matches_the_published_design() -> None:
    protocol = load_protocol()
    assert protocol.name == "PREFERABLE-EFFECT"
    assert protocol.registration == "NCT04120298"
    assert protocol.arm_codes == ("exercise", "control")
    assert [a.ratio for a in protocol.arms] == [1, 1]  # 1:1 (P1)
    assert len(protocol.centres) == 8  # eight centres (P1, P2)
    assert {c.country for c in protocol.centres} == {"NL", "DE", "PL", "ES", "SE", "AU"}
    assert [v.code for v in protocol.visits] == ["baseline", "m3", "m6", "m9"]
    assert [v.offset_months for v in protocol.visits] == [0, 3, 6, 9]
    assert protocol.randomisation.method is RandomisationMethod.BLOCKS
    assert [f.code for f in protocol.randomisation.factors] == ["centre", "line_of_treatment"]
    assert protocol.randomisation.factors[0].levels == tuple(c.code for c in protocol.centres)
    assert protocol.programme == "preferable-effect"


def test_eligibility_criteria_carry_identifiers_and_text() -> None:
    protocol = load_protocol()
    ids = [c.id for c in protocol.eligibility]
    assert ids == ["INC-1", "INC-2", "INC-3", "INC-4", "EXC-1", "EXC-2"]
    unstable = next(c for c in protocol.eligibility if c.id == "EXC-1")
    assert unstable.kind is CriterionKind.EXCLUSION
    assert "unstable bone metastases" in unstable.text.lower()


def test_checksum_identifies_the_file_version(shipped: str) -> None:
    first = parse_protocol(shipped.encode(), source="a.toml")
    amended = parse_protocol(
        shipped.replace('version = "1.0"', 'version = "1.1"', 1).encode(), source="b.toml"
    )
    assert first.checksum != amended.checksum
    assert amended.label == "PREFERABLE-EFFECT v1.1"
    assert re.fullmatch(r"[0-9a-f]{64}", first.checksum)


def test_unknown_centre_is_refused_with_the_known_codes() -> None:
    with pytest.raises(UnknownCentre, match=r"unknown centre 'XX-YYY'.*NL-UTR"):
        load_protocol().centre("XX-YYY")


BROKEN = [
    # (replace this, with this, message must contain)
    ('time_zone = "Europe/Amsterdam"', 'time_zone = "Europe/Amsterdm"', "key centres[1].time_zone"),
    ('country = "NL"', 'country = "Netherlands"', "two-letter ISO 3166"),
    ("ratio = 1", "ratio = 0", "key arms[1].ratio: value 0: must be a whole number of at least 1"),
    ("block_sizes = [2, 4, 6]", "block_sizes = [2, 3]", "multiples of 2"),
    ('method = "blocks"', 'method = "coin"', "key randomisation.method"),
    ("offset_months = 3", "offset_months = 12", "strictly increasing offset_months"),
    ('code = "NL-AMS"', 'code = "NL-UTR"', "key centres[2].code: value 'NL-UTR': duplicate code"),
    (
        'kind = "exclusion"',
        'kind = "maybe"',
        "key eligibility[5].kind: value 'maybe': not a known value; use one of inclusion",
    ),
    ('levels = ["1st/2nd", "3rd+"]', 'levels = ["1st/2nd"]', "at least two distinct levels"),
    ("window_after_days = 14", "window_after_days = -1", "key visits[2].window_after_days"),
    ('name = "PREFERABLE-EFFECT"', "", "key protocol.name: missing key"),
    ("[protocol]", "[protocol", "not valid TOML"),
    ('"hads"]', '"sf-36"]', "key visits[1].instruments"),
    (
        'sponsor = "UMC Utrecht"',
        'sponsor = "UMC Utrecht"\nsponsr = "typo"',
        "key protocol.sponsr: unknown key",
    ),
]


@pytest.mark.parametrize(("old", "new", "message"), BROKEN)
def test_broken_protocol_names_file_key_and_problem(
    shipped: str, old: str, new: str, message: str
) -> None:
    assert old in shipped
    broken = shipped.replace(old, new, 1)
    with pytest.raises(ProtocolError) as caught:
        parse_protocol(broken.encode(), source="trial.toml")
    text = str(caught.value)
    assert text.startswith("trial.toml")
    assert message in text
    assert "\n" not in text


def test_missing_file_is_a_protocol_error(tmp_path: Path) -> None:
    with pytest.raises(ProtocolError, match="cannot be read"):
        load_protocol(tmp_path / "absent.toml")


def test_a_second_protocol_is_just_another_file(tmp_path: Path, shipped: str) -> None:
    other = tmp_path / "other.toml"
    other.write_text(shipped.replace('name = "PREFERABLE-EFFECT"', 'name = "OTHER"', 1))
    assert load_protocol(other).name == "OTHER"


def test_each_arm_says_which_exercise_guides_its_patients_see(shipped: str) -> None:
    protocol = load_protocol()
    assert {a.code: a.guides for a in protocol.arms} == {
        "exercise": GuideAccess.PRESCRIPTION,
        "control": GuideAccess.EVERYDAY_ACTIVITY,
    }
    assert protocol.arm("control").guides is GuideAccess.EVERYDAY_ACTIVITY
    # Left out, an arm sees the everyday-activity guides only (usual care stays usual).
    plain = parse_protocol(
        shipped.replace('guides = "prescription"\n', "", 1).encode(), source="a.toml"
    )
    assert plain.arm("exercise").guides is GuideAccess.EVERYDAY_ACTIVITY


def test_an_unknown_guide_access_is_refused(shipped: str) -> None:
    broken = shipped.replace('guides = "prescription"', 'guides = "everything"', 1)
    with pytest.raises(ProtocolError) as raised:
        parse_protocol(broken.encode(), source="b.toml")
    assert str(raised.value) == (
        "b.toml, key arms[1].guides: value 'everything': not a known value; "
        "use one of everyday_activity, prescription, all"
    )
