"""The reviewed bone-metastasis rule table, read from data.

The table (``exonc/exercise/data/safety_rules.toml``, documented with its sources in
``docs/concepts/bone-metastasis-safety.md``) holds:

* the region of every lesion site, and the regions every movement loads;
* the site-specific restrictions (e.g. pelvis → no loaded hip flexion/extension), each with
  its sources;
* the Mirels and SINS thresholds for clinician sign-off and for hard stops.

It is validated when read: every site and movement of :mod:`exonc.exercise.anatomy` must be
mapped, every rule must cite a known source, and the thresholds must be ordered.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Mapping, Set
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

from exonc import _toml
from exonc.errors import ProtocolError
from exonc.exercise.anatomy import Movement, Region, Site

M = TypeVar("M", Site, Movement)
C = TypeVar("C", Region, Movement)

__all__ = ["SafetyRules", "SiteRule", "Thresholds", "default_safety_rules", "load_safety_rules"]


@dataclass(frozen=True)
class SiteRule:
    """Movements that may not be loaded while a lesion sits at *site*."""

    site: Site
    restricted: frozenset[Movement]
    sources: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class Thresholds:
    mirels_sign_off: int = 8
    mirels_hard_stop: int = 9
    sins_sign_off: int = 7
    sins_hard_stop: int = 13


@dataclass(frozen=True)
class SafetyRules:
    """The whole rule table."""

    version: str
    status: str
    reviewed_by: tuple[str, ...]
    thresholds: Thresholds
    site_regions: Mapping[Site, Region]
    movement_regions: Mapping[Movement, frozenset[Region]]
    rules: Mapping[Site, SiteRule]
    sources: Mapping[str, str]
    unruled_sites_need_sign_off: bool = True

    def movements_loading(self, region: Region) -> frozenset[Movement]:
        """Every movement that loads *region* (what a hard stop of the region forbids)."""
        return frozenset(m for m, regions in self.movement_regions.items() if region in regions)


@functools.cache
def default_safety_rules() -> SafetyRules:
    """The rule table shipped with exonc (read once; the table is immutable)."""
    source = resources.files("exonc.exercise") / "data" / "safety_rules.toml"
    with resources.as_file(source) as path:
        return load_safety_rules(path)


def load_safety_rules(path: Path) -> SafetyRules:
    """Read and validate a rule table; errors name the file and the key."""
    root = _toml.Table(_toml.read(path, ProtocolError), file=str(path), error=ProtocolError)
    table = root.table("table")
    sources = _sources(root.table("sources"))
    rules = SafetyRules(
        version=table.text("version"),
        status=table.text("status"),
        reviewed_by=tuple(table.items("reviewed_by")),
        thresholds=_thresholds(root.table("thresholds")),
        site_regions=MappingProxyType(_site_regions(root.table("regions"))),
        movement_regions=MappingProxyType(_movement_regions(root.table("movements"))),
        rules=MappingProxyType(_rules(root.tables("rules"), sources)),
        sources=MappingProxyType(sources),
        unruled_sites_need_sign_off=table.flag("unruled_sites_need_sign_off"),
    )
    table.done()
    root.done()
    return rules


def _sources(table: _toml.Table) -> dict[str, str]:
    return {name: table.text(name) for name in table.names()}


def _thresholds(table: _toml.Table) -> Thresholds:
    values = Thresholds(
        mirels_sign_off=table.whole("mirels_sign_off"),
        mirels_hard_stop=table.whole("mirels_hard_stop"),
        sins_sign_off=table.whole("sins_sign_off"),
        sins_hard_stop=table.whole("sins_hard_stop"),
    )
    if not 4 <= values.mirels_sign_off <= values.mirels_hard_stop <= 12:
        table.fail(
            "mirels_hard_stop", "Mirels thresholds must satisfy 4 <= sign-off <= hard stop <= 12"
        )
    if not 0 <= values.sins_sign_off <= values.sins_hard_stop <= 18:
        table.fail(
            "sins_hard_stop", "SINS thresholds must satisfy 0 <= sign-off <= hard stop <= 18"
        )
    table.done()
    return values


def _site_regions(table: _toml.Table) -> dict[Site, Region]:
    regions = {}
    for name in table.names():
        site = _member(table, name, Site)
        regions[site] = table.choice(name, Region)
    _complete(table, set(regions), Site)
    return regions


def _movement_regions(table: _toml.Table) -> dict[Movement, frozenset[Region]]:
    loads = {}
    for name in table.names():
        movement = _member(table, name, Movement)
        loads[movement] = frozenset(_choices(table, name, Region))
    _complete(table, set(loads), Movement)
    return loads


def _rules(tables: list[_toml.Table], sources: Mapping[str, str]) -> dict[Site, SiteRule]:
    rules: dict[Site, SiteRule] = {}
    for table in tables:
        site = table.choice("site", Site)
        if site in rules:
            table.fail("site", "a second rule for the same site", site.value, "merge the two rules")
        cited = tuple(table.items("sources"))
        unknown = [s for s in cited if s not in sources]
        if not cited or unknown:
            table.fail("sources", "every rule must cite known sources", unknown or cited)
        restricted = frozenset(_choices(table, "restricted", Movement))
        rules[site] = SiteRule(site, restricted, cited, table.text("note", ""))
        table.done()
    return rules


def _member(table: _toml.Table, name: str, kind: type[M]) -> M:
    try:
        return kind(name)
    except ValueError:
        table.fail(name, f"not a known {kind.__name__.lower()}", name)


def _choices(table: _toml.Table, name: str, kind: type[C]) -> list[C]:
    values = table.items(name)
    try:
        return [kind(v) for v in values]
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        table.fail(name, f"lists an unknown {kind.__name__.lower()}", values, f"use {allowed}")


def _complete(table: _toml.Table, found: Set[enum.Enum], kind: type[enum.Enum]) -> None:
    missing = sorted(m.value for m in kind if m not in found)
    if missing:
        table.fail(None, f"no entry for {', '.join(missing)}", hint="map every value")
