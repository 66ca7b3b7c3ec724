"""The plain words the guide library speaks in: names of levels and components, lesion
sites and body regions in everyday language, the sentences that explain an exclusion, and
the labels of a printed handout.

They are content, like the guides, so they live in a data file (``data/words.toml``) that a
translation overlays (``data/translations/<language>/words.toml``): every entry is a whole
sentence or a whole phrase, and sentences take their variable parts as named placeholders
(``{site}``, ``{region}``, ``{movement}``), never by gluing fragments together.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from exonc.errors import GuideDataError
from exonc.exercise.anatomy import Movement, Region, Site
from exonc.guides.model import GuideComponent, GuideSetting, Level

__all__ = ["Words"]

#: The sections of the words file and the placeholders each sentence of ``reasons`` takes.
SECTIONS = (
    "levels",
    "level_descriptions",
    "components",
    "settings",
    "sites",
    "regions",
    "movements",
    "equipment",
    "reasons",
    "labels",
)
REASONS = {
    "site_rule": ("site", "movement"),
    "sign_off_required": ("site", "region"),
    "hard_stop": ("site", "region"),
    "overridden": ("site",),
    "arm": (),
}


@dataclass(frozen=True)
class Words:
    """Every plain-language word and sentence of one language."""

    language: str
    sections: Mapping[str, Mapping[str, str]]

    def level(self, level: Level) -> str:
        return self.sections["levels"][level.name.lower()]

    def level_description(self, level: Level) -> str:
        return self.sections["level_descriptions"][level.name.lower()]

    def component(self, component: GuideComponent) -> str:
        return self.sections["components"][component.value]

    def setting(self, setting: GuideSetting) -> str:
        return self.sections["settings"][setting.value]

    def site(self, site: Site) -> str:
        return self.sections["sites"][site.value]

    def region(self, region: Region) -> str:
        return self.sections["regions"][region.value]

    def movement(self, movement: Movement) -> str:
        return self.sections["movements"][movement.value]

    def equipment(self, name: str) -> str:
        return self.sections["equipment"][name]

    def label(self, name: str) -> str:
        return self.sections["labels"][name]

    def reason(self, kind: str, **values: str) -> str:
        """The sentence *kind* of ``reasons`` with its placeholders filled in."""
        return self.sections["reasons"][kind].format(**values)

    def labels(self) -> Mapping[str, str]:
        return self.sections["labels"]


def validate(words: Words, file: str) -> None:
    """Every site, region, movement, level, component and setting has its words, and every
    reason sentence uses exactly its placeholders."""
    needed = {
        "levels": [m.name.lower() for m in Level],
        "level_descriptions": [m.name.lower() for m in Level],
        "components": [m.value for m in GuideComponent],
        "settings": [m.value for m in GuideSetting],
        "sites": [m.value for m in Site],
        "regions": [m.value for m in Region],
        "movements": [m.value for m in Movement],
        "reasons": list(REASONS),
    }
    for section, keys in needed.items():
        missing = [k for k in keys if k not in words.sections[section]]
        if missing:
            raise GuideDataError(
                "missing words", file=file, key=f"{section}.{missing[0]}", hint="add the entry"
            )
    for kind, names in REASONS.items():
        try:
            words.reason(kind, **dict.fromkeys(names, "x"))
        except (KeyError, IndexError, ValueError) as exc:
            raise GuideDataError(
                f"uses a placeholder it is not given ({exc})",
                file=file,
                key=f"reasons.{kind}",
                hint=f"use only {', '.join('{' + n + '}' for n in names) or 'no placeholders'}",
            ) from None
