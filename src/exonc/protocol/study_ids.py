"""Study IDs: the pseudonymous name of a participant, numbered by the protocol's pattern.

A protocol names its pattern (``[study_ids] pattern = "{centre}-{NNN}"`` in the shipped
file, giving ``NL-UTR-064``): ``{centre}`` is the centre's code and a run of ``N`` is the
participant's number at that centre, zero-padded to that many digits (more digits once the
numbers outgrow it). Every study ID — generated or typed — is checked against the pattern,
and in any case holds only ASCII letters, digits and hyphens, so that it is safe in a URL,
a file name and a spreadsheet cell: never a ``/``, a ``.``, a space or a leading ``=``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from exonc.errors import InputError

MAX_LENGTH = 30
#: Letters, digits and inner hyphens: nothing a path, a URL or a formula can misread.
SAFE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_NUMBER = re.compile(r"N+")


@dataclass(frozen=True)
class StudyIdPattern:
    """A parsed pattern: literal text, ``{centre}`` and one zero-padded number."""

    text: str
    width: int

    @classmethod
    def parse(cls, text: str) -> StudyIdPattern:
        """Validate *text*; raise :class:`InputError` (key ``pattern``) when unusable."""
        names = _PLACEHOLDER.findall(text)
        numbers = [n for n in names if _NUMBER.fullmatch(n)]
        unknown = [n for n in names if n != "centre" and not _NUMBER.fullmatch(n)]
        if unknown:
            raise InputError(
                f"has an unknown placeholder {{{unknown[0]}}}",
                key="pattern",
                value=text,
                hint="use {centre} and one run of N, as in {centre}-{NNN}",
            )
        if len(numbers) != 1:
            raise InputError(
                "must hold exactly one number placeholder such as {NNN}",
                key="pattern",
                value=text,
            )
        literal = _PLACEHOLDER.sub("0", text)
        if not SAFE.fullmatch(literal):
            raise InputError(
                "may hold only letters, digits and hyphens besides its placeholders",
                key="pattern",
                value=text,
            )
        return cls(text=text, width=len(numbers[0]))

    def format(self, centre: str, number: int) -> str:
        """The study ID of participant *number* at *centre*."""
        return _PLACEHOLDER.sub(
            lambda m: centre if m.group(1) == "centre" else f"{number:0{self.width}d}", self.text
        )

    def regex(self, centre: str) -> re.Pattern[str]:
        """What a study ID at *centre* looks like; the number is the group ``number``."""
        digits = rf"(?P<number>\d{{{self.width}}}|[1-9]\d{{{self.width},}})"
        parts = []
        position = 0
        for match in _PLACEHOLDER.finditer(self.text):
            parts.append(re.escape(self.text[position : match.start()]))
            parts.append(re.escape(centre) if match.group(1) == "centre" else digits)
            position = match.end()
        parts.append(re.escape(self.text[position:]))
        return re.compile("".join(parts))


def check_safe(study_id: str) -> str:
    """*study_id* without surrounding blanks, refused unless letters, digits and hyphens."""
    value = study_id.strip()
    if not value:
        raise InputError(
            "is empty", column="study_id", hint="give the study ID, or leave it to be generated"
        )
    if len(value) > MAX_LENGTH or not SAFE.fullmatch(value):
        raise InputError(
            f"may hold only letters, digits and hyphens (at most {MAX_LENGTH} characters)",
            column="study_id",
            value=value,
            hint="no spaces, slashes or dots",
        )
    return value


def check_study_id(study_id: str, pattern: StudyIdPattern, centre: str) -> str:
    """*study_id* if it is safe and follows *pattern* at *centre*; otherwise InputError."""
    value = check_safe(study_id)
    if not pattern.regex(centre).fullmatch(value):
        example = pattern.format(centre, 1)
        raise InputError(
            f"does not follow the protocol's pattern {pattern.text} for centre {centre}",
            column="study_id",
            value=value,
            hint=f"write it like {example}, or leave it empty to have it generated",
        )
    return value


def next_study_id(pattern: StudyIdPattern, centre: str, taken: Iterable[str]) -> str:
    """The next free study ID at *centre*: one more than the highest number in use there."""
    regex = pattern.regex(centre)
    numbers = [int(m.group("number")) for m in map(regex.fullmatch, taken) if m]
    return pattern.format(centre, max(numbers, default=0) + 1)
