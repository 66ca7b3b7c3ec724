"""The synthetic trial's generative model file: read by the one TOML reader, strictly."""

from __future__ import annotations

from importlib import resources

import pytest

from exonc.errors import InputError
from exonc.synthetic.model import load_model

SHIPPED = load_model()


def _shipped_text() -> str:
    return (resources.files("exonc.synthetic") / "data" / "preferable-effect.toml").read_text(
        encoding="utf-8"
    )


def test_the_shipped_model_reads_into_typed_values() -> None:
    assert SHIPPED.population.participants > 0
    assert isinstance(SHIPPED.population.ecog, tuple)
    assert SHIPPED.scales["PHYSICAL"].effect == (-3.4, -5.3, -5.6)  # Hiensch 2024 [P2]
    assert {r.item for r in SHIPPED.resource_use} >= {"gp_consultation"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("[latent]", "[latent]\nsd_generl = 1.0"), "key latent.sd_generl: unknown key"),
        (
            ("[scales.PHYSICAL]\nmean = 45.0", "[scales.PHYSICAL]\nmean = 'high'"),
            "key scales.PHYSICAL.mean: value 'high': must be a number",
        ),
        (
            ("[scales.PHYSICAL]\nmean = 45.0", "[scales.PHYSICAL]"),
            "key scales.PHYSICAL.mean: missing",
        ),
        (("[delivery]", "[delivry]\n[delivery]"), "key delivry: unknown key"),
    ],
)
def test_a_broken_model_names_file_and_key(change: tuple[str, str], message: str) -> None:
    text = _shipped_text()
    assert change[0] in text
    with pytest.raises(InputError, match=f"^model.toml, {message}"):
        load_model(text.replace(*change, 1), source="model.toml")
