"""Loading and validating protocol files.

``load_protocol(path)`` reads a TOML file into a :class:`~exonc.protocol.model.Protocol`.
Every problem is a :class:`~exonc.errors.ProtocolError` naming the file, the key and what
to change; nothing is half-loaded.
"""

from __future__ import annotations

import hashlib
import tomllib
import zoneinfo
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from exonc.errors import ProtocolError
from exonc.protocol._toml import Table
from exonc.protocol.model import (
    Arm,
    Centre,
    Criterion,
    CriterionKind,
    Factor,
    Protocol,
    RandomisationMethod,
    RandomisationSettings,
    VisitDefinition,
)
from exonc.questionnaires import INSTRUMENTS

DEFAULT_PROTOCOL = "preferable-effect"


def default_protocol_path() -> Path:
    """Path of the shipped PREFERABLE-EFFECT protocol file."""
    ref = resources.files("exonc.protocol") / "protocols" / f"{DEFAULT_PROTOCOL}.toml"
    return Path(str(ref))


def load_protocol(path: Path | None = None) -> Protocol:
    """Load and validate a protocol file (the shipped default when *path* is None)."""
    path = path or default_protocol_path()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ProtocolError(f"cannot be read ({exc.strerror})", file=str(path)) from exc
    return parse_protocol(raw, source=str(path))


def parse_protocol(raw: bytes, *, source: str) -> Protocol:
    """Validate the bytes of a protocol file; *source* names it in messages."""
    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ProtocolError(
            f"is not valid TOML ({exc})", file=source, hint="check the syntax"
        ) from exc
    return _build(Table(data, "", source), hashlib.sha256(raw).hexdigest(), text)


def _build(root: Table, checksum: str, text: str) -> Protocol:
    head = root.table("protocol")
    centres = _unique(root, "centres", [_centre(t) for t in root.tables("centres")])
    arms = _unique(root, "arms", [_arm(t) for t in root.tables("arms")])
    if len(arms) < 2:
        raise root.error("arms", "must define at least two arms")
    randomisation = _randomisation(root.table("randomisation"), centres)
    cycle = sum(arm.ratio for arm in arms)
    for size in randomisation.block_sizes:
        if size % cycle:
            raise root.error(
                "randomisation.block_sizes",
                f"must be multiples of {cycle}, the sum of the arms' ratios",
                list(randomisation.block_sizes),
            )
    return Protocol(
        name=head.text("name"),
        title=head.text("title"),
        version=head.text("version"),
        registration=head.optional_text("registration"),
        sponsor=head.optional_text("sponsor"),
        programme=head.text("programme"),
        consent_version=head.text("consent_version"),
        arms=arms,
        centres=centres,
        randomisation=randomisation,
        visits=_visits(root),
        eligibility=_unique(
            root, "eligibility", [_criterion(t) for t in root.tables("eligibility")], key="id"
        ),
        source=root.file,
        checksum=checksum,
        text=text,
    )


def _unique(root: Table, name: str, items: list[Any], key: str = "code") -> tuple[Any, ...]:
    seen: set[str] = set()
    for index, item in enumerate(items):
        value = getattr(item, key)
        if value in seen:
            raise ProtocolError(
                f"duplicate {key}", file=root.file, key=f"{name}[{index}].{key}", value=value
            )
        seen.add(value)
    return tuple(items)


def _arm(t: Table) -> Arm:
    return Arm(code=t.text("code"), name=t.text("name"), ratio=t.integer("ratio", minimum=1))


def _centre(t: Table) -> Centre:
    zone = t.text("time_zone")
    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise t.error(
            "time_zone", "is not a known time zone", zone, "use an IANA name such as Europe/Berlin"
        ) from exc
    country = t.text("country")
    if len(country) != 2 or not country.isalpha() or not country.isupper():
        raise t.error("country", "must be a two-letter ISO 3166 code such as NL", country)
    return Centre(code=t.text("code"), name=t.text("name"), country=country, time_zone=zone)


def _randomisation(t: Table, centres: Iterable[Centre]) -> RandomisationSettings:
    method = t.text("method")
    if method not in {m.value for m in RandomisationMethod}:
        raise t.error("method", "must be 'blocks' or 'minimisation'", method)
    factors = _unique(t, "factors", [_factor(f, centres) for f in t.tables("factors")])
    return RandomisationSettings(
        method=RandomisationMethod(method),
        factors=factors,
        block_sizes=t.integers("block_sizes"),
        minimisation_probability=t.fraction("minimisation_probability", 0.8),
    )


def _factor(t: Table, centres: Iterable[Centre]) -> Factor:
    raw: Any = t.data.get("levels")
    levels = tuple(c.code for c in centres) if raw == "centres" else t.texts("levels")
    if len(levels) < 2 or len(set(levels)) != len(levels):
        raise t.error("levels", "must list at least two distinct levels", raw)
    return Factor(code=t.text("code"), name=t.text("name"), levels=levels)


def _visits(root: Table) -> tuple[VisitDefinition, ...]:
    visits = _unique(root, "visits", [_visit(t) for t in root.tables("visits")])
    offsets = [v.offset_months for v in visits]
    if offsets != sorted(set(offsets)):
        raise root.error(
            "visits", "must be listed in order of strictly increasing offset_months", offsets
        )
    return visits


def _visit(t: Table) -> VisitDefinition:
    instruments = t.texts("instruments")
    unknown = [name for name in instruments if name not in INSTRUMENTS]
    if unknown:
        raise t.error(
            "instruments",
            f"names an instrument exonc does not score: {unknown[0]}",
            list(instruments),
            f"use {', '.join(INSTRUMENTS)}",
        )
    return VisitDefinition(
        code=t.text("code"),
        name=t.text("name"),
        offset_months=t.integer("offset_months", minimum=0),
        window_before_days=t.integer("window_before_days", minimum=0),
        window_after_days=t.integer("window_after_days", minimum=0),
        instruments=instruments,
    )


def _criterion(t: Table) -> Criterion:
    kind = t.text("kind")
    if kind not in {k.value for k in CriterionKind}:
        raise t.error("kind", "must be 'inclusion' or 'exclusion'", kind)
    return Criterion(
        id=t.text("id"), kind=CriterionKind(kind), text=t.text("text"), note=t.optional_text("note")
    )


def protocol_summary(protocol: Protocol) -> Mapping[str, Any]:
    """A short description for logs and the CLI."""
    return {
        "protocol": protocol.label,
        "arms": [a.code for a in protocol.arms],
        "centres": len(protocol.centres),
        "visits": [v.code for v in protocol.visits],
        "checksum": protocol.checksum,
    }
