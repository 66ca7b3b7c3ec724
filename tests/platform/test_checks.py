"""The platform refuses to start under a broken protocol file."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import override_settings

from exonc.platform.settings import load_settings
from exonc.platform.trial import checks, protocols
from exonc.protocol.loader import default_protocol_path


@pytest.fixture
def protocol_file(tmp_path: Path) -> Path:
    path = tmp_path / "trial.toml"
    path.write_text(
        default_protocol_path().read_text().replace('country = "NL"', 'country = "NLD"', 1)
    )
    return path


def test_a_broken_protocol_is_a_start_up_error(protocol_file: Path) -> None:
    broken = load_settings({"EXONC_PROTOCOL": str(protocol_file)})
    protocols.active_protocol.cache_clear()
    try:
        with override_settings(EXONC=broken):
            (error,) = checks.protocol_is_valid()
    finally:
        protocols.active_protocol.cache_clear()
    assert error.id == "exonc.E001"
    assert "trial.toml, key centres[1].country: value 'NLD'" in error.msg


def test_the_shipped_protocol_passes() -> None:
    assert checks.protocol_is_valid() == []
