"""Loading and validating protocol files.

``load_protocol(path)`` reads a TOML file into a :class:`~exonc.protocol.model.Protocol`.
Every problem is a :class:`~exonc.errors.ProtocolError` naming the file, the key and what
to change (an unknown key too: a misspelt setting must not be silently ignored); nothing
is half-loaded. Arrays of tables are counted from 1 in keys, as a reader counts them.
"""

from __future__ import annotations

import hashlib
import zoneinfo
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from exonc import _toml
from exonc._toml import Table
from exonc.errors import InputError, ProtocolError
from exonc.protocol.model import (
    DEFAULT_STUDY_IDS,
    Arm,
    Centre,
    Criterion,
    CriterionKind,
    Factor,
    GuideAccess,
    Protocol,
    RandomisationMethod,
    RandomisationSettings,
    VisitDefinition,
)
from exonc.protocol.study_ids import SAFE, StudyIdPattern
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
    root = _toml.root(raw, source=source, error=ProtocolError)
    protocol = _build(root, hashlib.sha256(raw).hexdigest(), raw.decode("utf-8"))
    root.done()
    return protocol


def _build(root: Table, checksum: str, text: str) -> Protocol:
    head = root.table("protocol")
    centres = _unique(root, "centres", [_centre(t) for t in root.tables("centres", required=True)])
    arms = _unique(root, "arms", [_arm(t) for t in root.tables("arms", required=True)])
    if len(arms) < 2:
        root.fail("arms", "must define at least two arms")
    randomisation = _randomisation(root.table("randomisation"), centres, arms)
    protocol = Protocol(
        name=_text(head, "name"),
        title=_text(head, "title"),
        version=_text(head, "version"),
        registration=_text(head, "registration", ""),
        sponsor=_text(head, "sponsor", ""),
        programme=_text(head, "programme"),
        consent_version=_text(head, "consent_version"),
        arms=arms,
        centres=centres,
        randomisation=randomisation,
        visits=_visits(root),
        eligibility=_unique(
            root,
            "eligibility",
            [_criterion(t) for t in root.tables("eligibility", required=True)],
            key="id",
        ),
        source=root.file,
        checksum=checksum,
        text=text,
        study_ids=_study_ids(root),
        metastatic_sites=_sites(root),
    )
    head.done()
    return protocol


def _study_ids(root: Table) -> StudyIdPattern:
    if not root.has("study_ids"):
        return DEFAULT_STUDY_IDS
    t = root.table("study_ids")
    text = _text(t, "pattern")
    try:
        pattern = StudyIdPattern.parse(text)
    except InputError as error:
        t.fail("pattern", error.problem, text, error.hint)
    t.done()
    return pattern


def _sites(root: Table) -> tuple[str, ...]:
    if not root.has("baseline"):
        return ()
    t = root.table("baseline")
    sites = tuple(t.items("metastatic_sites"))
    if not all(isinstance(s, str) and SAFE.fullmatch(s.replace("_", "-")) for s in sites):
        t.fail("metastatic_sites", "must be a list of names (letters, digits, _ and -)", sites)
    if len(set(sites)) != len(sites):
        t.fail("metastatic_sites", "lists a site twice", list(sites))
    t.done()
    return sites


def _text(t: Table, name: str, default: str | None = None) -> str:
    value: str = t.text(name) if default is None else t.text(name, default)
    if default is None and not value.strip():
        t.fail(name, "must not be empty", value)
    return value.strip()


def _positive(t: Table, name: str, minimum: int) -> int:
    value: int = t.whole(name)
    if value < minimum:
        t.fail(name, f"must be a whole number of at least {minimum}", value)
    return value


def _unique(root: Table, name: str, items: list[Any], key: str = "code") -> tuple[Any, ...]:
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        value = getattr(item, key)
        if value in seen:
            root.fail(f"{name}[{number}].{key}", f"duplicate {key}", value)
        seen.add(value)
    return tuple(items)


def _arm(t: Table) -> Arm:
    arm = Arm(
        code=_text(t, "code"),
        name=_text(t, "name"),
        ratio=_positive(t, "ratio", 1),
        guides=t.choice("guides", GuideAccess, GuideAccess.EVERYDAY_ACTIVITY),
    )
    t.done()
    return arm


def _centre(t: Table) -> Centre:
    zone = _text(t, "time_zone")
    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        t.fail(
            "time_zone", "is not a known time zone", zone, "use an IANA name such as Europe/Berlin"
        )
    country = _text(t, "country")
    if len(country) != 2 or not country.isalpha() or not country.isupper():
        t.fail("country", "must be a two-letter ISO 3166 code such as NL", country)
    code = _text(t, "code")
    if not SAFE.fullmatch(code):
        t.fail("code", "may hold only letters, digits and hyphens", code, "e.g. NL-UTR")
    centre = Centre(code=code, name=_text(t, "name"), country=country, time_zone=zone)
    t.done()
    return centre


def _randomisation(
    t: Table, centres: Iterable[Centre], arms: tuple[Arm, ...]
) -> RandomisationSettings:
    method = t.choice("method", RandomisationMethod)
    sizes = tuple(t.items("block_sizes"))
    if not sizes or not all(
        isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in sizes
    ):
        t.fail("block_sizes", "must be a non-empty list of positive whole numbers", list(sizes))
    cycle = sum(arm.ratio for arm in arms)
    if any(size % cycle for size in sizes):
        t.fail(
            "block_sizes", f"must be multiples of {cycle}, the sum of the arms' ratios", list(sizes)
        )
    probability = t.number("minimisation_probability", 0.8)
    if not 0 < probability <= 1:
        t.fail("minimisation_probability", "must be above 0 and at most 1", probability)
    factors = _unique(
        t, "factors", [_factor(f, centres) for f in t.tables("factors", required=True)]
    )
    t.done()
    return RandomisationSettings(
        method=method,
        factors=factors,
        block_sizes=sizes,
        minimisation_probability=float(probability),
    )


def _factor(t: Table, centres: Iterable[Centre]) -> Factor:
    raw = t.raw("levels")
    if raw == "centres":
        levels = tuple(c.code for c in centres)
    elif isinstance(raw, list) and all(isinstance(v, str) and v for v in raw):
        levels = tuple(raw)
    else:
        t.fail("levels", 'must be a list of levels or "centres"', raw)
    if len(levels) < 2 or len(set(levels)) != len(levels):
        t.fail("levels", "must list at least two distinct levels", raw)
    factor = Factor(code=_text(t, "code"), name=_text(t, "name"), levels=levels)
    t.done()
    return factor


def _visits(root: Table) -> tuple[VisitDefinition, ...]:
    visits = _unique(root, "visits", [_visit(t) for t in root.tables("visits", required=True)])
    offsets = [v.offset_months for v in visits]
    if offsets != sorted(set(offsets)):
        root.fail("visits", "must be listed in order of strictly increasing offset_months", offsets)
    return visits


def _visit(t: Table) -> VisitDefinition:
    instruments = tuple(t.items("instruments"))
    unknown = [name for name in instruments if name not in INSTRUMENTS]
    if unknown:
        t.fail(
            "instruments",
            f"names an instrument exonc does not score: {unknown[0]}",
            list(instruments),
            f"use {', '.join(INSTRUMENTS)}",
        )
    visit = VisitDefinition(
        code=_text(t, "code"),
        name=_text(t, "name"),
        offset_months=_positive(t, "offset_months", 0),
        window_before_days=_positive(t, "window_before_days", 0),
        window_after_days=_positive(t, "window_after_days", 0),
        instruments=instruments,
    )
    t.done()
    return visit


def _criterion(t: Table) -> Criterion:
    criterion = Criterion(
        id=_text(t, "id"),
        kind=t.choice("kind", CriterionKind),
        text=_text(t, "text"),
        note=_text(t, "note", ""),
    )
    t.done()
    return criterion


def protocol_summary(protocol: Protocol) -> Mapping[str, Any]:
    """A short description for logs and the CLI."""
    return {
        "protocol": protocol.label,
        "arms": [a.code for a in protocol.arms],
        "centres": len(protocol.centres),
        "visits": [v.code for v in protocol.visits],
        "checksum": protocol.checksum,
    }
