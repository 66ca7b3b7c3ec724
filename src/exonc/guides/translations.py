"""Translations of the guide library: the text fields of another language, laid over the
source-language files.

A translation lives in ``translations/<language>/`` beside the library and mirrors its
files: ``words.toml`` holds any of the words file's entries, and ``guides/<file>.toml``
holds ``[guides.<slug>]`` tables with only the text fields of :data:`TEXT_FIELDS` (and
``illustration.alt``). Everything else — levels, movements, regions, poses, sources,
review — stays in the one source file, so a translation can never change what a guide
loads or who it suits. A translated field for an unknown guide or a non-text field is
refused; a field left out keeps the source language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exonc import _toml
from exonc.errors import GuideDataError

__all__ = ["TEXT_FIELDS", "Overlay"]

TEXT_FIELDS = frozenset(
    {
        "title",
        "purpose",
        "dose",
        "steps",
        "breathing",
        "cues",
        "mistakes",
        "easier",
        "harder",
        "warning_signs",
    }
)


@dataclass
class Overlay:
    """The text fields of one translation (empty for the source language)."""

    folder: Path | None
    guides: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)

    @classmethod
    def for_language(cls, library: Path, language: str, source: str) -> Overlay:
        if language == source:
            return cls(None)
        folder = library / "translations" / language
        if not folder.is_dir():
            raise GuideDataError(
                "no translation of the guides in this language",
                file=str(folder),
                value=language,
                hint=f"use {source}, or add the translation folder",
            )
        overlay = cls(folder)
        for path in sorted((folder / "guides").glob("*.toml")):
            overlay._read(path, folder)
        return overlay

    def _read(self, path: Path, folder: Path) -> None:
        name = str(path.relative_to(folder))
        root = _toml.Table(_toml.read(path, GuideDataError), file=name, error=GuideDataError)
        guides = root.table("guides")
        for slug, table in guides.subtables():
            for key in table.names():
                if key not in TEXT_FIELDS | {"illustration"}:
                    table.fail(key, "a translation holds text fields only", hint="remove it")
            alt = table.raw("illustration", {})
            if set(alt) - {"alt"}:
                table.fail("illustration", "a translation holds only illustration.alt")
            self.guides[slug] = {key: table.raw(key) for key in table.names()}
            self.files[slug] = name
        root.done()

    def words(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """The words file's sections with this translation's entries laid over them."""
        if self.folder is None:
            return dict(data)
        path = self.folder / "words.toml"
        own = _toml.read(path, GuideDataError) if path.is_file() else {}
        merged = {name: dict(section) for name, section in data.items()}
        for name, section in own.items():
            if name not in merged or not isinstance(section, Mapping):
                raise GuideDataError("unknown section", file=str(path), key=name)
            merged[name].update(section)
        return merged

    def guide(self, slug: str, raw: Any) -> Any:
        """The guide table *raw* with its translated text fields."""
        own = self.guides.get(slug)
        if own is None or not isinstance(raw, Mapping):
            return raw
        merged = {**raw, **{k: v for k, v in own.items() if k != "illustration"}}
        if "illustration" in own and isinstance(raw.get("illustration"), Mapping):
            merged["illustration"] = {**raw["illustration"], **own["illustration"]}
        return merged

    def check_used(self, slugs: set[str]) -> None:
        """Refuse a translated guide that the library does not have."""
        for slug, file in self.files.items():
            if slug not in slugs:
                raise GuideDataError(
                    "translates a guide the library does not have",
                    file=file,
                    key=f"guides.{slug}",
                    hint="check the slug",
                )
