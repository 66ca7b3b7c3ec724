"""Reading a programme from TOML, validated key by key.

The file format is documented in ``docs/concepts/programme.md``; the programmes exonc ships
live in ``exonc/exercise/programmes/``. Every error names the file and the key (for example
``preferable-effect.toml, key aerobic[2].intervals.work.fraction``) and says what to do.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TypeVar

from exonc import _toml
from exonc.errors import ProtocolError
from exonc.exercise.anatomy import Movement, Region
from exonc.exercise.programme import (
    AerobicPhase,
    BalanceBlock,
    Component,
    ExerciseDefinition,
    Intensity,
    Intervals,
    Programme,
    ProgressionRule,
    Reference,
    ResistanceBlock,
    ResistanceScheme,
    SchedulePeriod,
    Segment,
)

__all__ = ["bundled_programmes", "load_programme"]

Table = _toml.Table
E = TypeVar("E", Movement, Region)


def bundled_programmes() -> tuple[str, ...]:
    """Names of the programmes shipped with exonc (usable wherever a file is expected)."""
    folder = resources.files("exonc.exercise") / "programmes"
    return tuple(
        sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))
    )


def load_programme(source: Path | str) -> Programme:
    """Read a programme file, or a bundled programme by name (e.g. ``preferable-effect``)."""
    if isinstance(source, str) and source in bundled_programmes():
        packaged = resources.files("exonc.exercise") / "programmes" / f"{source}.toml"
        with resources.as_file(packaged) as path:
            return _load(path)
    return _load(Path(source))


def _load(path: Path) -> Programme:
    root = Table(_toml.read(path, ProtocolError), file=path.name, error=ProtocolError)
    head = root.table("programme")
    exercises = _exercises(root.table("exercises"))
    programme = Programme(
        name=head.text("name"),
        title=head.text("title"),
        weeks=_whole(head, "weeks", 1, 520),
        session_minutes=_whole(head, "session_minutes", 1, 600),
        sources=tuple(head.items("sources", [])),
        schedule=tuple(_period(t) for t in root.tables("schedule", required=True)),
        aerobic=tuple(_phase(t) for t in root.tables("aerobic", required=True)),
        resistance=_resistance(root.table("resistance")),
        balance=_balance(root.table("balance")) if root.has("balance") else None,
        progression=_progression(root.table("progression", None)),
        exercises=exercises,
    )
    head.done()
    root.done()
    _check_weeks(root, "schedule", [p.weeks for p in programme.schedule], programme.weeks)
    _check_weeks(root, "aerobic", [p.weeks for p in programme.aerobic], programme.weeks)
    _check_references(root, programme)
    return programme


def _whole(table: Table, name: str, low: int, high: int) -> int:
    value: int = table.whole(name)
    if not low <= value <= high:
        table.fail(name, f"must be from {low} to {high}", value)
    return value


def _fraction_pair(table: Table, name: str, low: float, high: float) -> tuple[float, float]:
    pair = table.pair(name)
    if not (low <= pair[0] and pair[1] <= high):
        table.fail(name, f"values must lie from {low:g} to {high:g}", list(pair))
    return pair


def _weeks(table: Table) -> tuple[int, int]:
    first, last = table.pair("weeks")
    if first != int(first) or last != int(last) or first < 1:
        table.fail("weeks", "must be [first, last] programme weeks, 1 or more", [first, last])
    return int(first), int(last)


def _period(table: Table) -> SchedulePeriod:
    period = SchedulePeriod(
        weeks=_weeks(table),
        supervised_per_week=_whole(table, "supervised_per_week", 0, 14),
        home_per_week=_whole(table, "home_per_week", 0, 14),
    )
    table.done()
    return period


def _intensity(table: Table) -> Intensity:
    if table.has("watts"):
        value = table.raw("watts")
        low, high = table.pair("watts") if isinstance(value, list) else (table.number("watts"),) * 2
        if not 0 < low <= high <= 2000:
            table.fail("watts", "watts must be more than 0 and at most 2000", value)
        table.done()
        return Intensity(None, low, high)
    reference = table.choice("reference", Reference)
    if table.has("fraction"):
        low = high = table.number("fraction")
    else:
        low, high = table.number("low"), table.number("high")
    if not 0 < low <= high <= 2:
        table.fail(
            "fraction" if table.has("fraction") else "high",
            "fractions must satisfy 0 < low <= high <= 2",
            [low, high],
        )
    table.done()
    return Intensity(reference, low, high)


def _seconds(table: Table) -> int:
    seconds = table.number("minutes") * 60 if table.has("minutes") else table.number("seconds")
    if seconds <= 0 or seconds != int(seconds):
        table.fail(
            "minutes" if table.has("minutes") else "seconds",
            "must be a positive whole number of seconds",
            seconds,
        )
    return int(seconds)


def _segment(table: Table) -> Segment:
    seconds = _seconds(table)
    if not any(table.has(k) for k in ("watts", "reference")):
        table.done()
        return Segment(seconds, None)
    return Segment(seconds, _intensity(table))


def _intervals(table: Table) -> Intervals:
    intervals = Intervals(
        repetitions=_whole(table, "repetitions", 1, 100),
        work_seconds=_whole(table, "work_seconds", 1, 3600),
        work=_intensity(table.table("work")),
        rest_seconds=_whole(table, "rest_seconds", 0, 3600),
        rest=_intensity(table.table("rest")),
    )
    table.done()
    return intervals


def _phase(table: Table) -> AerobicPhase:
    if table.has("continuous") == table.has("intervals"):
        table.fail(None, "an aerobic phase needs either 'continuous' or 'intervals'")
    main: Segment | Intervals = (
        _segment(table.table("continuous"))
        if table.has("continuous")
        else _intervals(table.table("intervals"))
    )
    phase = AerobicPhase(
        name=table.text("name"),
        weeks=_weeks(table),
        exercise=table.text("exercise"),
        main=main,
        warm_up=_segment(table.table("warm_up")) if table.has("warm_up") else None,
        cool_down=_segment(table.table("cool_down")) if table.has("cool_down") else None,
        description=table.text("description", ""),
    )
    table.done()
    return phase


def _scheme(table: Table) -> ResistanceScheme:
    low, high = table.pair("reps")
    if low < 1 or low != int(low) or high != int(high):
        table.fail("reps", "must be [low, high] whole repetitions, 1 or more", [low, high])
    scheme = ResistanceScheme(
        name=table.text("name"),
        reps=(int(low), int(high)),
        percent_h1rm=_fraction_pair(table, "percent_h1rm", 1, 100),
    )
    table.done()
    return scheme


def _resistance(table: Table) -> ResistanceBlock:
    block = ResistanceBlock(
        sets=_whole(table, "sets", 1, 20),
        exercises=tuple(table.items("exercises")),
        schemes=tuple(_scheme(t) for t in table.tables("schemes", required=True)),
        alternation_weeks=_whole(table, "alternation_weeks", 1, 520),
        minutes=_whole(table, "minutes", 1, 600),
    )
    if not block.schemes:
        table.fail("schemes", "at least one scheme is needed")
    table.done()
    return block


def _balance(table: Table) -> BalanceBlock:
    block = BalanceBlock(
        minutes=_whole(table, "minutes", 1, 600),
        exercise=table.text("exercise"),
        description=table.text("description", ""),
    )
    table.done()
    return block


def _progression(table: Table | None) -> ProgressionRule:
    if table is None:
        return ProgressionRule()
    rule = ProgressionRule(
        max_rpe=table.number("max_rpe", 7.0),
        sessions_required=_whole(table, "sessions_required", 1, 20)
        if table.has("sessions_required")
        else 1,
        step_kg=table.number("step_kg", None),
    )
    if not 0 <= rule.max_rpe <= 10:
        table.fail("max_rpe", "RPE is on the 0–10 (CR-10) scale", rule.max_rpe)
    if rule.step_kg is not None and not 0 < rule.step_kg <= 50:
        table.fail("step_kg", "must be more than 0 and at most 50 kg", rule.step_kg)
    table.done()
    return rule


def _exercises(table: Table) -> dict[str, ExerciseDefinition]:
    found = {}
    for name in table.names():
        entry = table.table(name)
        movements = _enum_list(entry, "movements", Movement)
        found[name] = ExerciseDefinition(
            name=name,
            title=entry.text("title"),
            component=entry.choice("component", Component),
            equipment=entry.text("equipment"),
            movements=frozenset(movements),
            regions=frozenset(_enum_list(entry, "regions", Region, required=False)),
            substitutions=tuple(entry.items("substitutions", [])),
        )
        entry.done()
    return found


def _enum_list(table: Table, name: str, kind: type[E], *, required: bool = True) -> list[E]:
    values = table.items(name) if required else table.items(name, [])
    allowed = {m.value for m in kind}
    unknown = [v for v in values if v not in allowed]
    if unknown:
        table.fail(
            name,
            f"unknown {kind.__name__.lower()} {unknown[0]!r}",
            values,
            f"use {', '.join(sorted(allowed))}",
        )
    return [kind(v) for v in values]


def _check_weeks(root: Table, name: str, spans: list[tuple[int, int]], weeks: int) -> None:
    expected = 1
    for first, last in sorted(spans):
        if first != expected:
            root.fail(
                name,
                "weeks must follow on without gaps or overlaps; "
                + (
                    f"week {expected} is not covered"
                    if first > expected
                    else f"week {first} is covered twice"
                ),
                [first, last],
            )
        expected = last + 1
    if expected != weeks + 1:
        root.fail(
            name, f"the phases cover weeks 1–{expected - 1} but the programme has {weeks} weeks"
        )


def _check_references(root: Table, programme: Programme) -> None:
    known = programme.exercises
    wanted = [
        ("resistance.exercises", n, Component.RESISTANCE) for n in programme.resistance.exercises
    ]
    wanted += [
        (f"aerobic[{i}].exercise", p.exercise, Component.AEROBIC)
        for i, p in enumerate(programme.aerobic, 1)
    ]
    if programme.balance:
        wanted.append(("balance.exercise", programme.balance.exercise, Component.BALANCE))
    for definition in known.values():
        wanted += [
            (f"exercises.{definition.name}.substitutions", s, definition.component)
            for s in definition.substitutions
        ]
    for key, name, component in wanted:
        if name not in known:
            raise ProtocolError(
                "names an exercise with no [exercises] entry",
                file=root.file,
                key=key,
                value=name,
                hint=f"add [exercises.{name}] or use one of {', '.join(sorted(known))}",
            )
        if known[name].component is not component:
            raise ProtocolError(
                f"is a {known[name].component.value} exercise, not {component.value}",
                file=root.file,
                key=key,
                value=name,
            )
