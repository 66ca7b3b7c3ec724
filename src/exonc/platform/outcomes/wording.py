"""The item wording forms show: the installed text pack, or the shipped placeholder pack.

``EXONC_TEXT_PACK`` names a text pack (``docs/instruments/text-packs.md``) written from the
questionnaires the trial licenses, or a folder of text packs, one per language. It is read
and checked once, when the platform starts. A form takes the pack in the reader's language;
when the installed packs cover the instrument in another language only, it takes that one
and says so (:attr:`Wording.other_language`). Instruments no pack covers take the shipped
placeholder wording in the reader's language, which forms mark with a "placeholder
wording" banner.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.utils import translation

from exonc.questionnaires import InstrumentText, TextPack, placeholder_text_pack, read_text_pack


@dataclass(frozen=True)
class Wording:
    """One instrument's texts and the pack they come from."""

    text: InstrumentText
    pack: str
    language: str
    placeholder: bool
    licence: str
    #: The reader's language has no installed pack for this instrument; another one is used.
    other_language: bool = False


@cache
def installed_text_packs() -> dict[str, TextPack]:
    """The packs named by ``EXONC_TEXT_PACK`` (a file, or a folder of ``*.toml`` packs) by
    primary language, checked against the definitions; empty if unset."""
    path = settings.EXONC.text_pack
    if path is None:
        return {}
    files = sorted(path.glob("*.toml")) if path.is_dir() else [path]
    packs = [read_text_pack(file) for file in files]
    return {primary(pack.language): pack for pack in packs}


def installed_text_pack() -> TextPack | None:
    """The first installed pack (read at start-up to refuse a broken one early)."""
    return next(iter(installed_text_packs().values()), None)


@cache
def _placeholder_pack(language: str) -> TextPack:
    return placeholder_text_pack(language)


def primary(language: str) -> str:
    """The primary subtag of a language code: ``en-gb`` → ``en``."""
    return language.split("-")[0].split("_")[0].lower()


def wording(instrument: str, language: str | None = None) -> Wording:
    """The texts of *instrument* in *language* (default: the active one): the installed pack
    of that language, else an installed pack of another language (flagged), else the
    placeholder pack of that language."""
    wanted = primary(language or translation.get_language() or "en")
    packs = installed_text_packs()
    pack = packs.get(wanted)
    other = False
    if pack is None or instrument not in pack.instruments:
        covering = [p for p in packs.values() if instrument in p.instruments]
        pack = covering[0] if covering else _placeholder_pack(wanted)
        other = bool(covering)
    return Wording(
        text=pack.for_instrument(instrument),
        pack=pack.name,
        language=pack.language,
        placeholder=pack.placeholder,
        licence=pack.licence,
        other_language=other,
    )
