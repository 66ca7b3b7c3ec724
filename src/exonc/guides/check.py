"""Checking a guide library against the rule table and the programme (``exonc guides check``).

Loading a library already refuses a missing field, an unknown movement, region, level,
component, equipment, prop or source. :func:`check_library` adds what needs the other
reviewed files:

* every movement a guide names is mapped by the rule table, and every region it names is
  one the rule table closes (so no guide can escape a restriction);
* every exercise of the programme is taught by a guide at every level, and that guide
  loads at least what the programme says the exercise loads (a guide may be stricter than
  the programme, never looser);
* every ``alternative_to`` names a programme exercise; every ``easier_guide`` and
  ``harder_guide`` names a guide one level away (easier below, harder above);
* every exercise guide has a drawing, and every guide has at least one level.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from exonc.exercise.programme import Programme
from exonc.exercise.safety_rules import SafetyRules
from exonc.guides.library import Library
from exonc.guides.model import Guide, Level

__all__ = ["LibraryCheck", "Problem", "check_library"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong, located like every exonc input error: file, guide and field."""

    file: str
    guide: str | None
    field: str
    problem: str

    def __str__(self) -> str:
        where = f"guides.{self.guide}.{self.field}" if self.guide else self.field
        return f"{self.file}, key {where}: {self.problem}"


@dataclass(frozen=True)
class LibraryCheck:
    """What ``exonc guides check`` reports."""

    guides: int
    problems: tuple[Problem, ...]
    by_component_and_level: dict[tuple[str, int], int]
    awaiting_review: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_library(library: Library, rules: SafetyRules, programme: Programme) -> LibraryCheck:
    problems: list[Problem] = []
    for guide in library.guides:
        problems += _vocabulary(guide, rules)
        problems += _links(guide, library, programme)
    problems += _coverage(library, programme)
    counts = Counter((g.component.value, int(level)) for g in library.guides for level in g.levels)
    waiting = tuple(g.slug for g in library.guides if not g.review.approved)
    return LibraryCheck(len(library.guides), tuple(problems), dict(sorted(counts.items())), waiting)


def _vocabulary(guide: Guide, rules: SafetyRules) -> list[Problem]:
    closable = set(rules.site_regions.values())
    found = [
        Problem(guide.file, guide.slug, "movements", f"{m.value} is not in the rule table")
        for m in sorted(guide.movements)
        if m not in rules.movement_regions
    ]
    found += [
        Problem(guide.file, guide.slug, "regions", f"no lesion site lies in {r.value}")
        for r in sorted(guide.regions)
        if r not in closable
    ]
    if guide.is_exercise and guide.illustration is None:
        found.append(Problem(guide.file, guide.slug, "illustration", "an exercise needs a drawing"))
    return found


def _links(guide: Guide, library: Library, programme: Programme) -> list[Problem]:
    found = []
    for name in (*guide.alternative_to, *([guide.exercise] if guide.exercise else [])):
        if name not in programme.exercises:
            field = "exercise" if name == guide.exercise else "alternative_to"
            found.append(
                Problem(
                    guide.file, guide.slug, field, f"{name} is not an exercise of the programme"
                )
            )
    for field, target, easier in (
        ("easier_guide", guide.easier_guide, True),
        ("harder_guide", guide.harder_guide, False),
    ):
        if target is None:
            continue
        if not library.has(target):
            found.append(Problem(guide.file, guide.slug, field, f"no guide {target}"))
        elif not _neighbour(guide, library.guide(target), easier):
            found.append(
                Problem(
                    guide.file,
                    guide.slug,
                    field,
                    f"{target} is not one level {'easier' if easier else 'harder'}",
                )
            )
    return found


def _neighbour(guide: Guide, other: Guide, easier: bool) -> bool:
    if easier:
        return min(other.levels) == min(guide.levels) - 1
    return max(other.levels) == max(guide.levels) + 1


def _coverage(library: Library, programme: Programme) -> list[Problem]:
    found = []
    for name, exercise in programme.exercises.items():
        for level in Level:
            guide = library.for_exercise(name, level)
            if guide is None:
                found.append(
                    Problem(
                        "guides/",
                        None,
                        "exercise",
                        f"no guide teaches the programme exercise {name} at level {int(level)}",
                    )
                )
            elif not (exercise.movements <= guide.movements and exercise.regions <= guide.regions):
                found.append(
                    Problem(
                        guide.file,
                        guide.slug,
                        "movements",
                        f"loads less than the programme's {name}; add what the programme lists",
                    )
                )
    return found
