"""The item wording forms show: the installed text pack, or the shipped placeholder pack.

``EXONC_TEXT_PACK`` names a text pack (``docs/instruments/text-packs.md``) written from the
questionnaires the trial licenses. It is read and checked once, when the platform starts.
Instruments it does not cover, and every instrument when no pack is installed, take the
shipped placeholder wording, which forms mark with a "placeholder wording" banner.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.conf import settings

from exonc.questionnaires import InstrumentText, TextPack, placeholder_text_pack, read_text_pack


@dataclass(frozen=True)
class Wording:
    """One instrument's texts and the pack they come from."""

    text: InstrumentText
    pack: str
    language: str
    placeholder: bool
    licence: str


@cache
def installed_text_pack() -> TextPack | None:
    """The pack named by ``EXONC_TEXT_PACK``, checked against the definitions; None if unset."""
    path = settings.EXONC.text_pack
    return None if path is None else read_text_pack(path)


@cache
def _placeholder_pack() -> TextPack:
    return placeholder_text_pack()


def wording(instrument: str) -> Wording:
    """The texts of *instrument*: the installed pack's if it covers it, else the placeholder's."""
    pack = installed_text_pack()
    if pack is None or instrument not in pack.instruments:
        pack = _placeholder_pack()
    return Wording(
        text=pack.for_instrument(instrument),
        pack=pack.name,
        language=pack.language,
        placeholder=pack.placeholder,
        licence=pack.licence,
    )
