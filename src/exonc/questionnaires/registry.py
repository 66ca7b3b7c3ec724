"""The instruments exonc scores: a plain dict from name to definition.

Definitions ship as data files in ``exonc/questionnaires/data/definitions``. When a
scoring rule changes, the definition gets a new ``scoring_version`` and the previous file
moves to ``definitions/archive/NAME@VERSION.toml`` and into ``ARCHIVED_FILES``, so that a
stored score can always be recomputed with the version that produced it.
"""

from __future__ import annotations

from importlib import resources

from exonc.errors import ScoringError
from exonc.questionnaires.definition import Instrument, parse_instrument

__all__ = ["INSTRUMENTS", "get_instrument", "package_text"]

DEFINITION_FILES = ("qlq-c30.toml", "qlq-fa12.toml", "eq-5d-5l.toml", "hads.toml")
ARCHIVED_FILES: tuple[str, ...] = ()


def package_text(name: str) -> str:
    """The text of a data file shipped in ``exonc/questionnaires/data``."""
    return resources.files("exonc.questionnaires").joinpath("data", name).read_text("utf-8")


def _load(name: str) -> Instrument:
    return parse_instrument(package_text(f"definitions/{name}"), source=name)


INSTRUMENTS: dict[str, Instrument] = {
    instrument.name: instrument for instrument in map(_load, DEFINITION_FILES)
}

_ALL_VERSIONS: dict[tuple[str, str], Instrument] = {
    (i.name, i.scoring_version): i
    for i in [*INSTRUMENTS.values(), *(_load(f"archive/{f}") for f in ARCHIVED_FILES)]
}


def get_instrument(name: str, scoring_version: str | None = None) -> Instrument:
    """The definition of instrument *name* (current, or the given *scoring_version*)."""
    if name not in INSTRUMENTS:
        raise ScoringError(
            f"unknown instrument {name!r}",
            hint=f"choose one of {', '.join(INSTRUMENTS)}",
        )
    if scoring_version is None:
        return INSTRUMENTS[name]
    try:
        return _ALL_VERSIONS[(name, scoring_version)]
    except KeyError:
        known = sorted(v for n, v in _ALL_VERSIONS if n == name)
        raise ScoringError(
            f"{name} has no scoring version {scoring_version!r}",
            hint=f"known versions: {', '.join(known)}",
        ) from None
