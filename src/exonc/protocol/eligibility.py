"""Eligibility from a screening's answers.

Each criterion is answered ``yes``, ``no`` or ``unknown``. A participant is eligible when
every inclusion criterion is answered ``yes`` and every exclusion criterion ``no``; an
``unknown`` answer keeps her not (yet) eligible.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from exonc.errors import InputError
from exonc.protocol.model import CriterionKind, Protocol


class Answer(enum.StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class EligibilityVerdict:
    eligible: bool
    failed: tuple[str, ...]  # criteria answered the wrong way
    unknown: tuple[str, ...]  # criteria not yet known

    @property
    def reason(self) -> str:
        if self.eligible:
            return "meets every criterion"
        parts = []
        if self.failed:
            parts.append(f"fails {', '.join(self.failed)}")
        if self.unknown:
            parts.append(f"not yet known: {', '.join(self.unknown)}")
        return "; ".join(parts)


def assess_eligibility(protocol: Protocol, answers: Mapping[str, Answer]) -> EligibilityVerdict:
    """Judge *answers* (criterion id → answer) against every criterion of *protocol*."""
    known = {c.id for c in protocol.eligibility}
    extra = sorted(set(answers) - known)
    if extra:
        raise InputError(
            "is not a criterion of this protocol",
            column="criterion",
            value=extra[0],
            hint=f"answer the criteria {', '.join(sorted(known))}",
        )
    missing = [c.id for c in protocol.eligibility if c.id not in answers]
    if missing:
        raise InputError(
            f"no answer for criterion {missing[0]}", hint="answer every criterion (or 'unknown')"
        )
    failed = tuple(c.id for c in protocol.eligibility if answers[c.id] is _wrong_answer(c.kind))
    unknown = tuple(c.id for c in protocol.eligibility if answers[c.id] is Answer.UNKNOWN)
    return EligibilityVerdict(eligible=not failed and not unknown, failed=failed, unknown=unknown)


def _wrong_answer(kind: CriterionKind) -> Answer:
    return Answer.NO if kind is CriterionKind.INCLUSION else Answer.YES
