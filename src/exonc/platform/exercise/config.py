"""What the engine is configured with at each centre: programme, equipment, rules, equation.

A centre may store a reviewed rule table and an SRT→Wpeak equation (both as the TOML text
of the files described in docs/concepts/bone-metastasis-safety.md and fitness-tests.md);
without them the shipped rule table is used and Wpeak comes only from a CPET. The texts are
parsed once per content (cached by checksum).
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path
from typing import TypeVar, cast

from exonc import exercise as ex
from exonc.errors import InputError
from exonc.platform.exercise.models import CentreConfiguration
from exonc.platform.trial.models import Centre

T = TypeVar("T")


@cache
def programme(name: str) -> ex.Programme:
    """A programme by its bundled name (or file path), read and validated once."""
    return ex.load_programme(name)


def configuration(centre: Centre) -> CentreConfiguration | None:
    return CentreConfiguration.objects.filter(centre=centre).first()


def equipment(centre: Centre, stored: CentreConfiguration | None = None) -> ex.Equipment:
    """The centre's equipment steps (exonc's defaults when none are stored)."""
    stored = stored or configuration(centre)
    if stored is None:
        return ex.Equipment(centre=centre.code)
    return ex.Equipment(
        centre=centre.code,
        default_increment_kg=stored.default_increment_kg,
        increments_kg=dict(stored.increments_kg),
        minimum_kg=dict(stored.minimum_kg),
        ergometer_increment_w=stored.ergometer_increment_w,
    )


def rules(centre: Centre, stored: CentreConfiguration | None = None) -> ex.SafetyRules:
    """The centre's reviewed rule table, or the shipped one."""
    stored = stored or configuration(centre)
    if stored is None or not stored.safety_rules.strip():
        return ex.default_safety_rules()
    return parse_rules(stored.safety_rules, centre.code)


def equation(centre: Centre, stored: CentreConfiguration | None = None) -> ex.WpeakEquation | None:
    """The centre's SRT→Wpeak equation, or None (no equation ships with exonc)."""
    stored = stored or configuration(centre)
    if stored is None or not stored.wpeak_equation.strip():
        return None
    return parse_equation(stored.wpeak_equation, centre.code)


def parse_rules(text: str, centre: str) -> ex.SafetyRules:
    return _parsed(text, f"{centre} rule table", ex.load_safety_rules)


def parse_equation(text: str, centre: str) -> ex.WpeakEquation:
    return _parsed(text, f"{centre} Wpeak equation", ex.load_wpeak_equation)


def _parsed(text: str, label: str, load: Callable[[Path], T]) -> T:
    digest = hashlib.sha256(text.encode()).hexdigest()
    return cast(T, _cached(digest, text, label, load))


@lru_cache(maxsize=64)
def _cached(digest: str, text: str, label: str, load: Callable[[Path], object]) -> object:
    """Parse *text* with a file loader; errors name *label* instead of the temporary file."""
    with tempfile.TemporaryDirectory(prefix="exonc-") as folder:
        path = Path(folder) / "configuration.toml"
        path.write_text(text, encoding="utf-8")
        try:
            return load(path)
        except InputError as error:
            raise type(error)(
                error.problem,
                file=label,
                row=error.row,
                column=error.column,
                key=error.key,
                value=error.value,
                hint=error.hint,
            ) from None
