"""Reading the guide library from its data files, validated field by field.

The library is a folder (the one shipped in ``exonc/guides/data`` by default)::

    sources.toml              the works guides cite, by key
    words.toml                plain words and sentences (see :mod:`exonc.guides.words`)
    levels.toml               fitness tests → level (see :mod:`exonc.guides.levels`)
    self_assessment.toml      the short questionnaire used outside a trial
    guides/*.toml             the guides, ``[guides.<slug>]`` tables, one file per family
    translations/<language>/  the same files' text fields in another language

Every problem stops the load with one :class:`~exonc.errors.GuideDataError` naming the file,
the guide and the field (``guides/leg-press.toml, key guides.leg-press-active.steps:
missing key``): nothing is half-loaded. A ``[shared]`` table in a guide file gives fields
every guide of the file has unless it sets them itself (the ``illustration`` table is
merged one level deep, so a level can change a pose and keep the props).
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from exonc import _toml
from exonc.errors import GuideDataError
from exonc.exercise.anatomy import Movement, Region
from exonc.guides import translations
from exonc.guides.levels import (
    LevelMapping,
    SelfAssessment,
    load_level_mapping,
    load_self_assessment,
)
from exonc.guides.model import (
    Guide,
    GuideComponent,
    GuideSetting,
    Illustration,
    Level,
    Pose,
    Review,
    ReviewStatus,
    Support,
)
from exonc.guides.words import SECTIONS, Words, validate

__all__ = [
    "Library",
    "default_level_mapping",
    "default_library",
    "default_self_assessment",
    "fingerprint",
    "load_library",
]

Table = _toml.Table
SOURCE_LANGUAGE = "en"
POSE_FIELDS = frozenset(Pose.__dataclass_fields__)


@dataclass(frozen=True)
class Library:
    """Every guide, in file order, with the sources they cite and the words they use."""

    guides: tuple[Guide, ...]
    sources: Mapping[str, str]
    words: Words
    folder: str

    def guide(self, slug: str) -> Guide:
        for guide in self.guides:
            if guide.slug == slug:
                return guide
        raise GuideDataError(
            "no guide has this slug",
            value=slug,
            hint="list the guides with 'exonc guides list'",
        )

    def has(self, slug: str) -> bool:
        return any(g.slug == slug for g in self.guides)

    def at_level(self, level: Level) -> tuple[Guide, ...]:
        return tuple(g for g in self.guides if g.suits(level))

    def for_exercise(self, exercise: str, level: Level) -> Guide | None:
        """The guide teaching the programme exercise *exercise* at *level*, if any."""
        return next((g for g in self.guides if g.exercise == exercise and g.suits(level)), None)


@functools.lru_cache(maxsize=1024)
def fingerprint(guide: Guide) -> str:
    """SHA-256 of everything a reader sees or the rules check in *guide* (not its review or
    file name): an approval holds for exactly this content."""
    content = {k: v for k, v in dataclasses.asdict(guide).items() if k not in ("review", "file")}
    text = json.dumps(content, sort_keys=True, default=_plain, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(value: object) -> object:
    if isinstance(value, frozenset | set):
        return sorted(_plain(v) for v in value)  # type: ignore[type-var]
    if isinstance(value, enum.Enum):
        return value.value
    raise TypeError(f"cannot fingerprint {type(value).__name__}")


def data_folder() -> Path:
    """The folder of the shipped library."""
    return Path(str(resources.files("exonc.guides") / "data"))


@functools.cache
def default_library(language: str = SOURCE_LANGUAGE) -> Library:
    """The library shipped with exonc (read once; it is immutable)."""
    return load_library(data_folder(), language)


@functools.cache
def default_level_mapping() -> LevelMapping:
    """The shipped fitness-test → level mapping (``data/levels.toml``)."""
    return load_level_mapping(data_folder() / "levels.toml")


@functools.cache
def default_self_assessment(language: str = SOURCE_LANGUAGE) -> SelfAssessment:
    """The shipped self-assessment, in *language* when a translation gives its texts."""
    overlay = None
    if language != SOURCE_LANGUAGE:
        path = data_folder() / "translations" / language / "self_assessment.toml"
        overlay = _toml.read(path, GuideDataError) if path.is_file() else None
    return load_self_assessment(data_folder() / "self_assessment.toml", overlay)


def load_library(folder: Path, language: str = SOURCE_LANGUAGE) -> Library:
    """Read and validate the library in *folder*, in *language* (a translation overlays
    the text fields of ``translations/<language>/``)."""
    overlay = translations.Overlay.for_language(folder, language, SOURCE_LANGUAGE)
    sources = _sources(folder / "sources.toml")
    words = _words(folder / "words.toml", overlay, language)
    files = sorted((folder / "guides").glob("*.toml"))
    if not files:
        raise GuideDataError("no guide files", file=str(folder / "guides"), hint="add *.toml")
    guides: list[Guide] = []
    for path in files:
        guides.extend(_guide_file(path, folder, sources, words, overlay))
    _unique(guides)
    overlay.check_used({g.slug for g in guides})
    ordered = sorted(guides, key=lambda g: g.order)  # stable: file order within a component
    return Library(tuple(ordered), MappingProxyType(sources), words, str(folder))


def _name(path: Path, folder: Path) -> str:
    return str(path.relative_to(folder)) if path.is_relative_to(folder) else str(path)


def _sources(path: Path) -> dict[str, str]:
    root = Table(_toml.read(path, GuideDataError), file=path.name, error=GuideDataError)
    table = root.table("sources")
    found = {name: table.text(name) for name in table.names()}
    root.done()
    return found


def _words(path: Path, overlay: translations.Overlay, language: str) -> Words:
    data = overlay.words(_toml.read(path, GuideDataError))
    root = Table(data, file=path.name, error=GuideDataError)
    sections = {}
    for name in SECTIONS:
        table = root.table(name)
        sections[name] = MappingProxyType({key: table.text(key) for key in table.names()})
    root.done()
    words = Words(language, MappingProxyType(sections))
    validate(words, path.name)
    return words


def _guide_file(
    path: Path,
    folder: Path,
    sources: Mapping[str, str],
    words: Words,
    overlay: translations.Overlay,
) -> list[Guide]:
    name = _name(path, folder)
    data = _toml.read(path, GuideDataError)
    root = Table(data, file=name, error=GuideDataError)
    shared = root.raw("shared", {})
    guides = root.table("guides")
    found = []
    for slug in guides.names():
        raw = overlay.guide(slug, _merged(shared, guides.raw(slug)))
        table = Table(raw, file=name, error=GuideDataError, path=f"guides.{slug}")
        found.append(_guide(slug, table, name, sources, words))
    root.done()
    return found


def _merged(shared: Mapping[str, Any], own: Any) -> Any:
    if not isinstance(own, Mapping):
        return own
    merged = {**shared, **own}
    if isinstance(shared.get("illustration"), Mapping) and isinstance(
        own.get("illustration"), Mapping
    ):
        merged["illustration"] = {**shared["illustration"], **own["illustration"]}
    return merged


def _guide(slug: str, t: Table, file: str, sources: Mapping[str, str], words: Words) -> Guide:
    if not slug.replace("-", "").isalnum() or slug != slug.lower():
        t.fail(None, "a slug is lower-case letters, digits and hyphens", slug)
    guide = Guide(
        slug=slug,
        title=_text(t, "title"),
        purpose=_text(t, "purpose"),
        component=t.choice("component", GuideComponent),
        levels=_levels(t),
        setting=t.choice("setting", GuideSetting),
        equipment=_equipment(t, words),
        movements=frozenset(_members(t, "movements", Movement)),
        regions=frozenset(_members(t, "regions", Region)),
        dose=_text(t, "dose"),
        steps=_texts(t, "steps"),
        breathing=_text(t, "breathing"),
        cues=_texts(t, "cues"),
        mistakes=_texts(t, "mistakes"),
        easier=_text(t, "easier"),
        harder=_text(t, "harder"),
        warning_signs=_texts(t, "warning_signs"),
        sources=_cited(t, sources),
        review=_review(t.table("review")),
        file=file,
        exercise=_optional(t, "exercise"),
        alternative_to=tuple(_texts(t, "alternative_to", required=False)),
        easier_guide=_optional(t, "easier_guide"),
        harder_guide=_optional(t, "harder_guide"),
        illustration=_illustration(t),
    )
    t.done()
    return guide


def _text(t: Table, name: str) -> str:
    value: str = t.text(name)
    if not value.strip():
        t.fail(name, "must not be empty", hint=f"write the guide's {name.replace('_', ' ')}")
    return value.strip()


def _optional(t: Table, name: str) -> str | None:
    value: str = t.text(name, "")
    return value.strip() or None


def _texts(t: Table, name: str, *, required: bool = True) -> tuple[str, ...]:
    values = t.items(name) if required else t.items(name, [])
    if not all(isinstance(v, str) and v.strip() for v in values):
        t.fail(name, "must be a list of non-empty texts", values)
    if required and not values:
        t.fail(name, "must list at least one entry", values, f"write the guide's {name}")
    return tuple(v.strip() for v in values)


def _levels(t: Table) -> tuple[Level, ...]:
    values = t.items("levels")
    try:
        levels = tuple(sorted({Level(v) for v in values}))
    except (ValueError, TypeError):
        t.fail("levels", "lists an unknown level", values, "use 1, 2 or 3")
    if not levels or len(levels) != len(values):
        t.fail("levels", "must list each level once, at least one", values, "use 1, 2 or 3")
    return levels


def _members(t: Table, name: str, kind: type[Any]) -> list[Any]:
    values = t.items(name)
    try:
        return [kind(v) for v in values]
    except ValueError:
        bad = next(v for v in values if v not in {m.value for m in kind})
        allowed = ", ".join(m.value for m in kind)
        t.fail(name, f"lists an unknown {name.rstrip('s')}", bad, f"use one of {allowed}")


def _equipment(t: Table, words: Words) -> tuple[str, ...]:
    values = _texts(t, "equipment")
    known = words.sections["equipment"]
    for value in values:
        if value not in known:
            t.fail("equipment", "is not in the words file's [equipment]", value, "add it there")
    return values


def _cited(t: Table, sources: Mapping[str, str]) -> tuple[str, ...]:
    cited = _texts(t, "sources")
    for key in cited:
        if key not in sources:
            t.fail("sources", "cites an unknown source", key, f"use {', '.join(sources)}")
    return cited


def _review(t: Table) -> Review:
    review = Review(
        status=t.choice("status", ReviewStatus),
        version=t.whole("version"),
        reviewer=t.text("reviewer", "").strip(),
        date=t.day("date", None),
        note=t.text("note", "").strip(),
    )
    if review.version < 1:
        t.fail("version", "must be 1 or more", review.version)
    if review.status is ReviewStatus.APPROVED and not review.approved:
        t.fail("reviewer", "an approved guide names its reviewer and the date", hint="add both")
    t.done()
    return review


def _illustration(t: Table) -> Illustration | None:
    if not t.has("illustration"):
        if t.raw("component") != GuideComponent.EVERYDAY_ACTIVITY.value:
            t.fail("illustration", "missing key", hint="every exercise guide has a drawing")
        return None
    from exonc.guides.illustrations import PROPS  # the drawing's own vocabulary

    d = t.table("illustration")
    props = _texts(d, "props", required=False)
    for prop in props:
        if prop not in PROPS:
            d.fail("props", "is not a prop exonc can draw", prop, f"use {', '.join(PROPS)}")
    drawing = Illustration(
        support=d.choice("support", Support),
        start=_pose(d, "start"),
        end=_pose(d, "end"),
        alt=_text(d, "alt"),
        props=props,
        seat_height=d.number("seat_height", 0.30),
    )
    if not 0.1 <= drawing.seat_height <= 0.8:
        d.fail("seat_height", "must be from 0.1 to 0.8 (of standing height)", drawing.seat_height)
    d.done()
    return drawing


def _pose(t: Table, name: str) -> Pose:
    p = t.table(name)
    angles = {}
    for joint in p.names():
        if joint not in POSE_FIELDS:
            p.fail(joint, "is not a joint angle", hint=f"use {', '.join(sorted(POSE_FIELDS))}")
        angles[joint] = p.number(joint)
        if not -180 <= angles[joint] <= 180:
            p.fail(joint, "must be an angle from -180 to 180 degrees", angles[joint])
    return Pose(**angles)


def _unique(guides: Iterable[Guide]) -> None:
    seen: dict[str, str] = {}
    for guide in guides:
        if guide.slug in seen:
            raise GuideDataError(
                f"a second guide with this slug (the first is in {seen[guide.slug]})",
                file=guide.file,
                key=f"guides.{guide.slug}",
                hint="give each guide its own slug",
            )
        seen[guide.slug] = guide.file
