"""Which level of guides suits someone: from her fitness tests, or from a self-assessment.

Inside a trial the level comes from the participant's latest fitness tests through the
reviewed mapping in ``data/levels.toml``: each listed test gives a level from its latest
result (two cut-offs per test), and her level is the **lowest** of them. Outside a trial a
short self-assessment (``data/self_assessment.toml``) does the same from five answers.
Both files are exonc's proposal awaiting clinical review; docs/concepts/guides.md explains
them.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from exonc import _toml
from exonc.errors import GuideDataError
from exonc.exercise import fitness_tests as ft
from exonc.guides.model import Level

__all__ = [
    "Answer",
    "LevelAssessment",
    "LevelBasis",
    "LevelMapping",
    "Question",
    "SelfAssessment",
    "TestCutOffs",
    "level_from_answers",
    "level_from_tests",
    "load_level_mapping",
    "load_self_assessment",
    "parse_level",
]

#: The fitness-test records a mapping may name, by their ``kind``.
TEST_KINDS: Mapping[str, type[Any]] = {
    cls.kind: cls
    for cls in (
        ft.SteepRampTest,
        ft.CardiopulmonaryTest,
        ft.HandgripTest,
        ft.SingleLegStanceTest,
        ft.TimedUpAndGoTest,
    )
}
Table = _toml.Table


class Better(enum.StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


@dataclass(frozen=True)
class TestCutOffs:
    """A test's two cut-offs: the result needed for level 2 and for level 3."""

    __test__ = False  # not a pytest test class

    kind: str
    field: str
    unit: str
    better: Better
    level_2: float
    level_3: float

    def level(self, value: float) -> Level:
        if self.better is Better.HIGHER:
            reached = [value >= self.level_2, value >= self.level_3]
        else:
            reached = [value < self.level_2, value < self.level_3]
        return Level(1 + sum(reached))


@dataclass(frozen=True)
class LevelMapping:
    version: str
    status: str
    no_tests: Level
    tests: tuple[TestCutOffs, ...]


@dataclass(frozen=True)
class LevelBasis:
    """One test's part in the level: its latest result and the level that result gives."""

    kind: str
    date: dt.date
    value: float
    unit: str
    level: Level


@dataclass(frozen=True)
class LevelAssessment:
    """The level and where it came from (``tests`` or ``self_assessment``; no basis means
    no test was on record and the mapping's ``no_tests`` level applies)."""

    level: Level
    source: str
    basis: tuple[LevelBasis, ...] = ()


def parse_level(value: object, key: str = "level") -> Level:
    """*value* (1, 2 or 3, or a level's name) as a :class:`Level`, or a one-line error
    naming *key* (the option or field it came from)."""
    text = str(value).strip().lower().replace("-", "_").replace(" ", "_")
    for level in Level:
        if text in (str(level.value), level.name.lower()):
            return level
    names = ", ".join(f"{m.value} ({m.name.lower()})" for m in Level)
    raise GuideDataError("not a known level", key=key, value=value, hint=f"use {names}")


def load_level_mapping(path: Path) -> LevelMapping:
    """Read and validate ``levels.toml``."""
    root = Table(_toml.read(path, GuideDataError), file=path.name, error=GuideDataError)
    head = root.table("mapping")
    mapping = LevelMapping(
        version=head.text("version"),
        status=head.text("status"),
        no_tests=_level(head, "no_tests"),
        tests=tuple(_cut_offs(t) for t in root.tables("tests", required=True)),
    )
    head.done()
    root.done()
    return mapping


def _level(t: Table, name: str) -> Level:
    try:
        return Level(t.whole(name))
    except ValueError:
        t.fail(name, "not a known level", t.raw(name), "use 1, 2 or 3")


def _cut_offs(t: Table) -> TestCutOffs:
    kind = t.text("kind")
    if kind not in TEST_KINDS:
        t.fail("kind", "not a fitness test exonc records", kind, f"use {', '.join(TEST_KINDS)}")
    field = t.text("field")
    if field not in TEST_KINDS[kind].__dataclass_fields__:
        t.fail("field", f"not a field of a {kind} test", field)
    cut = TestCutOffs(
        kind=kind,
        field=field,
        unit=t.text("unit"),
        better=t.choice("better", Better),
        level_2=t.number("level_2"),
        level_3=t.number("level_3"),
    )
    ordered = (
        cut.level_2 <= cut.level_3 if cut.better is Better.HIGHER else cut.level_2 >= cut.level_3
    )
    if not ordered:
        t.fail("level_3", f"must be {'above' if cut.better is Better.HIGHER else 'below'} level_2")
    t.done()
    return cut


def level_from_tests(
    tests: Iterable[ft.FitnessTest], mapping: LevelMapping, on: dt.date
) -> LevelAssessment:
    """The level from the latest result of each mapped test done on or before *on*."""
    recorded = tuple(tests)
    basis = []
    for cut in mapping.tests:
        test = ft.latest(recorded, TEST_KINDS[cut.kind], on)
        if test is not None:
            value = float(getattr(test, cut.field))
            basis.append(LevelBasis(cut.kind, test.context.date, value, cut.unit, cut.level(value)))
    level = min((b.level for b in basis), default=mapping.no_tests)
    return LevelAssessment(level, "tests", tuple(basis))


# ------------------------------------------------------------------ self-assessment


@dataclass(frozen=True)
class Answer:
    id: str
    text: str
    level: Level


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    answers: tuple[Answer, ...]

    def answer(self, answer_id: str) -> Answer:
        for answer in self.answers:
            if answer.id == answer_id:
                return answer
        known = ", ".join(a.id for a in self.answers)
        raise GuideDataError(
            "not an answer to this question",
            key=self.id,
            value=answer_id,
            hint=f"use one of {known}",
        )


@dataclass(frozen=True)
class SelfAssessment:
    version: str
    status: str
    questions: tuple[Question, ...]


def load_self_assessment(path: Path, overlay: Mapping[str, Any] | None = None) -> SelfAssessment:
    """Read ``self_assessment.toml``; *overlay* (a translation's file) replaces the texts of
    ``[questions.<id>]``: ``text`` and ``answers.<answer id>``."""
    root = Table(_toml.read(path, GuideDataError), file=path.name, error=GuideDataError)
    head = root.table("assessment")
    texts = dict((overlay or {}).get("questions", {}))
    questions = tuple(_question(t, texts) for t in root.tables("questions", required=True))
    if len({q.id for q in questions}) != len(questions):
        root.fail("questions", "two questions share an id")
    assessment = SelfAssessment(head.text("version"), head.text("status"), questions)
    head.done()
    root.done()
    return assessment


def _question(t: Table, texts: Mapping[str, Any]) -> Question:
    qid = t.text("id")
    own = texts.get(qid, {})
    answers = []
    for index, raw in enumerate(t.items("answers"), start=1):
        if not isinstance(raw, Mapping):
            t.fail("answers", "each answer is a table of id, text and level", raw)
        a = Table(raw, file=t.file, error=GuideDataError, path=t.key(f"answers[{index}]"))
        aid = a.text("id")
        text = own.get("answers", {}).get(aid, a.text("text"))
        answers.append(Answer(aid, text, _level(a, "level")))
        a.done()
    if len(answers) < 2:
        t.fail("answers", "a question needs at least two answers")
    question = Question(qid, own.get("text", t.text("text")), tuple(answers))
    t.done()
    return question


def level_from_answers(assessment: SelfAssessment, answers: Mapping[str, str]) -> LevelAssessment:
    """The lowest level of the answers; every question must be answered."""
    levels = []
    for question in assessment.questions:
        if question.id not in answers or not answers[question.id]:
            raise GuideDataError(
                "this question is not answered", key=question.id, hint="answer every question"
            )
        levels.append(question.answer(answers[question.id]).level)
    return LevelAssessment(min(levels), "self_assessment")
