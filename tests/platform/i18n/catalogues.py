"""Read the translation catalogues: which entries are untranslated or fuzzy.

``make messages`` runs this module after compiling (``python -m
tests.platform.i18n.catalogues``) and the completeness test uses it, so both list the
same missing entries. A small reader of the PO format as ``makemessages --no-wrap``
writes it (msgctxt, msgid, msgid_plural, msgstr[n], ``#,`` flags).
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass, field
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[3] / "src" / "exonc" / "platform" / "locale"
LANGUAGES = ("de", "nl", "es", "pl", "sv")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    context: str = ""
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.context, self.msgid, self.msgid_plural)


def _fields(block: list[str]) -> tuple[set[str], dict[str, str]]:
    """The flags and the keyword → text pairs of one PO entry (continuation lines joined)."""
    flags: set[str] = set()
    fields: dict[str, str] = {}
    keyword = ""
    for line in block:
        if line.startswith("#,"):
            flags |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith('"'):
            fields[keyword] += ast.literal_eval(line)
        elif not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            fields[keyword] = ast.literal_eval(rest)
    return flags, fields


def read_po(path: Path) -> list[Entry]:
    """The entries of the PO file at *path* (the header entry, msgid "", left out)."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        flags, fields = _fields([line for line in block.splitlines() if line.strip()])
        if not fields.get("msgid"):
            continue
        msgstr = {
            int(k[7:-1]) if k.startswith("msgstr[") else 0: v
            for k, v in fields.items()
            if k.startswith("msgstr")
        }
        entries.append(
            Entry(
                fields["msgid"],
                fields.get("msgid_plural", ""),
                fields.get("msgctxt", ""),
                msgstr,
                flags,
            )
        )
    return entries


def catalogue(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def missing(language: str) -> list[str]:
    """The msgids of *language*'s catalogue that are untranslated or fuzzy."""
    return [e.msgid for e in read_po(catalogue(language)) if not e.translated or "fuzzy" in e.flags]


def main() -> int:
    status = 0
    for language in LANGUAGES:
        entries = read_po(catalogue(language))
        gaps = missing(language)
        print(f"{language}: {len(entries)} entries, {len(gaps)} untranslated or fuzzy")
        for msgid in gaps[:20]:
            print(f"    {msgid!r}")
        if len(gaps) > 20:
            print(f"    … and {len(gaps) - 20} more")
        status = status or bool(gaps)
    return int(status)


if __name__ == "__main__":
    sys.exit(main())
