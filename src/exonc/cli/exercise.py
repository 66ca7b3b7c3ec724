"""``exonc exercise``: session plans, adherence tables and the physiotherapist's calculators.

File-based: ``plan`` reads a participant file (TOML or JSON) and ``adherence`` a session-log
export (CSV). Formats and column contracts: docs/concepts/prescriptions.md and
docs/concepts/adherence.md. Database-backed: ``plan --participant`` and ``adherence
--database`` read the platform's records (docs/concepts/exercise-platform.md).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import pandas as pd
import typer
from rich.table import Table

from exonc.cli import _app, _io
from exonc.cli._exercise_db import adherence_from_database, plan_from_database
from exonc.errors import ExerciseInputError, ExoncError, InputError
from exonc.exercise import (
    OneRepMaxFormula,
    Prescription,
    Programme,
    SessionPlan,
    Setting,
    Sex,
    WpeakEquation,
    adherence,
    default_safety_rules,
    hypothetical_1rm,
    load_participant,
    load_programme,
    load_safety_rules,
    load_wpeak_equation,
    plan_session,
    prescription_history,
    read_session_export,
)
from exonc.exercise.equipment import Equipment
from exonc.exercise.programme import Intervals, Segment

__all__ = ["register"]

R = TypeVar("R")

exercise_app = typer.Typer(
    name="exercise",
    help="Session plans, adherence and fitness-test calculators for the exercise arm.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


class PlanFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


class TableFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


ProgrammeOption = Annotated[
    str,
    typer.Option(
        "--programme",
        help="A bundled programme name (preferable-effect) or a programme TOML file.",
    ),
]
TodayOption = Annotated[
    str | None,
    typer.Option("--today", help="Today's date (YYYY-MM-DD); default: the system date."),
]


def register(app: typer.Typer) -> None:
    """Add the ``exercise`` command group to the root application."""
    app.add_typer(exercise_app)


def _run(action: Callable[[], R], options: dict[str, str] | None = None) -> R:
    """Run *action*; an error the user can fix prints one line and exits with code 2.

    *options* renames a value object's field (``reps``) to the option that set it (``--reps``).
    """
    try:
        return action()
    except InputError as error:
        if options and error.file is None and error.key in options:
            error = type(error)(
                error.problem,
                key=options[error.key],
                value=error.value,
                hint=error.hint,
            )
        _app.fail(str(error))
    except ExoncError as error:
        _app.fail(str(error))


def _date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ExerciseInputError(
            "not a date", key=option, value=value, hint="write dates as YYYY-MM-DD"
        ) from None


def _today(value: str | None) -> dt.date:
    return _date(value, "--today") if value else dt.date.today()


@exercise_app.command("plan")
def plan_command(
    date: Annotated[str, typer.Option("--date", help="Session date (YYYY-MM-DD).")],
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="Participant file (TOML or JSON).")
    ] = None,
    participant: Annotated[
        str | None,
        typer.Option(help="A study ID: plan from the platform's database instead of a file."),
    ] = None,
    programme: ProgrammeOption = "preferable-effect",
    setting: Annotated[
        Setting, typer.Option(help="Supervised or home session.")
    ] = Setting.SUPERVISED,
    equation: Annotated[
        Path | None, typer.Option(help="SRT→Wpeak equation file (see the fitness-tests docs).")
    ] = None,
    rules: Annotated[
        Path | None, typer.Option(help="Rule table replacing the shipped one.")
    ] = None,
    today: TodayOption = None,
    output_format: Annotated[PlanFormat, typer.Option("--format")] = PlanFormat.TABLE,
) -> None:
    """Print the session plan of one participant for one date (from a file or the database)."""

    def build() -> SessionPlan:
        day = _date(date, "--date")
        if participant is not None:
            _database_only(file, equation, rules)
            return plan_from_database(participant, day, setting)
        if file is None:
            raise ExerciseInputError(
                "give a participant file or a study ID",
                key="--file",
                hint="use --file PARTICIPANT.toml, or --participant ID for the database",
            )
        loaded = load_participant(file, today=_today(today))
        chosen = load_programme(programme)
        eq = load_wpeak_equation(equation) if equation else None
        table = load_safety_rules(rules) if rules else default_safety_rules()
        chosen.check_week(loaded.state.week_on(day))
        current = _current(loaded.state, chosen, loaded.equipment, day, eq)
        return plan_session(
            chosen,
            current,
            loaded.state,
            day,
            equipment=loaded.equipment,
            rules=table,
            setting=setting,
        )

    plan = _run(build)
    if output_format is PlanFormat.JSON:
        _io.write_json(plan.to_dict())
    else:
        _print_plan(plan)


def _database_only(file: Path | None, equation: Path | None, rules: Path | None) -> None:
    """The database path plans with the centre's stored rules and equation."""
    for option, value in (("--file", file), ("--equation", equation), ("--rules", rules)):
        if value is not None:
            raise ExerciseInputError(
                "cannot be combined with --participant",
                key=option,
                value=str(value),
                hint="the database path uses the participant's records and her centre's "
                "configured rule table and equation",
            )


def _current(
    state: Any,
    programme: Programme,
    equipment: Equipment,
    day: dt.date,
    equation: WpeakEquation | None,
) -> Prescription:
    versions = prescription_history(state, programme, equipment, day, equation=equation)
    return [v for v in versions if v.effective <= day][-1]


def _print_plan(plan: SessionPlan) -> None:
    console = _app.console
    console.print(
        f"{plan.participant_id} · {plan.date.isoformat()} · week {plan.week} · {plan.setting.value}"
        f" · {plan.programme}",
        markup=False,
    )
    console.print(f"aerobic phase {plan.phase}; resistance {plan.scheme}", markup=False)
    console.print(
        f"prescription v{plan.prescription_version}: {plan.prescription_reason}", markup=False
    )
    frame = plan.summary()
    notes: list[str] = []
    table = Table()
    for column in [c for c in frame.columns if c != "notes"] + ["see"]:
        table.add_column(str(column), overflow="fold")
    item_notes = [plan.aerobic.notes] + [r.notes for r in plan.resistance]
    item_notes += [plan.balance.notes] if plan.balance else []
    rows = frame.drop(columns="notes").to_dict(orient="records")
    for row, item in zip(rows, item_notes, strict=True):
        refs = []
        for note in item:
            notes.append(note)
            refs.append(str(len(notes)))
        table.add_row(*(_cell(v) for v in row.values()), ",".join(refs))
    console.print(table)
    for number, note in enumerate(notes, start=1):
        console.print(f"{number}. {note}", markup=False)
    for restriction in plan.restrictions:
        console.print(
            f"restriction {restriction.lesion_id} ({restriction.kind}): {restriction.reason}",
            markup=False,
        )
    for warning in plan.warnings:
        console.print(f"warning: {warning}", markup=False)


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


@exercise_app.command("adherence")
def adherence_command(
    sessions: Annotated[
        Path | None, typer.Argument(help="Session-log export (CSV); omit with --database.")
    ] = None,
    plans: Annotated[
        list[Path] | None,
        typer.Argument(help="Session plans from 'exonc exercise plan --format json'."),
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Output file.")] = None,
    programme: ProgrammeOption = "preferable-effect",
    today: TodayOption = None,
    database: Annotated[
        bool, typer.Option("--database", help="Read the session logs stored by the platform.")
    ] = False,
    centre: Annotated[
        str | None, typer.Option(help="With --database: only this centre's participants.")
    ] = None,
    output_format: Annotated[TableFormat, typer.Option("--format")] = TableFormat.CSV,
) -> None:
    """Write the adherence table (per participant, participant × phase, centre, phase, all)."""

    def build() -> pd.DataFrame:
        if database:
            if sessions is not None:
                raise ExerciseInputError(
                    "cannot be combined with --database",
                    file=str(sessions),
                    hint="give a session export, or --database, not both",
                )
            return adherence_from_database(centre)
        if centre is not None:
            raise ExerciseInputError(
                "applies to --database only",
                key="--centre",
                value=centre,
                hint="filter the export before reading it",
            )
        if sessions is None:
            raise ExerciseInputError(
                "give a session-log export",
                key="SESSIONS",
                hint="or --database to read the platform's session logs",
            )
        chosen = load_programme(programme)
        frame = _io.read_table(sessions)
        records = read_session_export(
            frame, chosen, file=str(sessions), today=_today(today), plans=_plans(plans or [])
        )
        return adherence(records).summary()

    _io.write_table(_run(build), output, "json" if output_format is TableFormat.JSON else "csv")


def _plans(paths: list[Path]) -> dict[tuple[str, dt.date], dict[str, Any]]:
    found: dict[tuple[str, dt.date], dict[str, Any]] = {}
    for path in paths:
        for plan in _plan_documents(path):
            try:
                key = (str(plan["participant_id"]), dt.date.fromisoformat(str(plan["date"])))
            except (KeyError, ValueError, TypeError):
                raise ExerciseInputError(
                    "not a session plan (needs participant_id and date)",
                    file=str(path),
                    hint="pass files written by 'exonc exercise plan --format json'",
                ) from None
            if key in found:
                raise ExerciseInputError(
                    f"a second plan for {key[0]} on {key[1].isoformat()}",
                    file=str(path),
                    hint="pass one plan per participant and date",
                )
            found[key] = plan
    return found


def _plan_documents(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise ExerciseInputError("file not found", file=str(path), hint="check the path")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ExerciseInputError(f"not valid JSON ({exc})", file=str(path)) from exc
    documents = data if isinstance(data, list) else [data]
    if not all(isinstance(d, dict) for d in documents):
        raise ExerciseInputError("must hold a plan or a list of plans", file=str(path))
    return documents


@exercise_app.command("h1rm")
def h1rm_command(
    load: Annotated[float, typer.Option(help="Load lifted in the test, kg.")],
    reps: Annotated[int, typer.Option(help="Repetitions to fatigue (2–10).")],
    formula: Annotated[
        OneRepMaxFormula | None, typer.Option(help="Brzycki or Epley; default: both.")
    ] = None,
    increment: Annotated[float, typer.Option(help="Machine load step, kg.")] = 2.5,
    output_format: Annotated[PlanFormat, typer.Option("--format")] = PlanFormat.TABLE,
) -> None:
    """Hypothetical 1RM from a multiple-repetition test, with training loads per % h1RM."""
    formulas = [formula] if formula else list(OneRepMaxFormula)

    def build() -> pd.DataFrame:
        equipment = Equipment(default_increment_kg=increment)
        rows = []
        for chosen in formulas:
            h1rm = hypothetical_1rm(load, reps, chosen)
            row: dict[str, Any] = {"formula": chosen.value, "h1rm_kg": round(h1rm, 1)}
            for percent in (70, 75, 80, 85):
                row[f"load_{percent}_kg"] = equipment.round_load("", h1rm * percent / 100)
            rows.append(row)
        return pd.DataFrame(rows)

    frame = _run(build, {"reps": "--reps", "load_kg": "--load", "formula": "--formula"})
    _emit(frame, output_format)


@exercise_app.command("srt")
def srt_command(
    msec: Annotated[float | None, typer.Option(help="Steep Ramp Test peak watts (MSEC).")] = None,
    wpeak: Annotated[float | None, typer.Option(help="Wpeak measured by CPET, W.")] = None,
    equation: Annotated[Path | None, typer.Option(help="SRT→Wpeak equation file.")] = None,
    sex: Annotated[Sex | None, typer.Option(help="For the equation.")] = None,
    age: Annotated[int | None, typer.Option(help="Age in years, for the equation.")] = None,
    height: Annotated[float | None, typer.Option(help="Height in cm, for the equation.")] = None,
    programme: ProgrammeOption = "preferable-effect",
    increment: Annotated[float, typer.Option(help="Ergometer watt step.")] = 5.0,
    output_format: Annotated[PlanFormat, typer.Option("--format")] = PlanFormat.TABLE,
) -> None:
    """Training watts of every aerobic phase from MSEC and Wpeak (measured or estimated)."""

    def build() -> pd.DataFrame:
        chosen = load_programme(programme)
        target = wpeak
        if target is None and equation is not None:
            target = _estimate(equation, msec, sex, age, height)
        return _phase_watts(chosen, target, msec, Equipment(ergometer_increment_w=increment))

    _emit(_run(build), output_format)


def _estimate(
    path: Path, msec: float | None, sex: Sex | None, age: int | None, height: float | None
) -> float:
    if msec is None or sex is None or age is None or height is None:
        raise ExerciseInputError(
            "the equation needs --msec, --sex, --age and --height",
            key="--equation",
            value=str(path),
            hint="give all four, or a measured --wpeak",
        )
    estimate = load_wpeak_equation(path).estimate(msec, sex, age, height)
    for warning in estimate.warnings:
        _app.err_console.print(f"warning: {warning}", markup=False)
    return estimate.wpeak_w


def _phase_watts(
    programme: Programme, wpeak: float | None, msec: float | None, equipment: Equipment
) -> pd.DataFrame:
    def watts(intensity: Any) -> str:
        if intensity is None:
            return "self-selected"
        value = intensity.watts(wpeak, msec)
        if value is None:
            return f"? ({intensity.describe()})"
        low, high = (equipment.round_watts(v) for v in value)
        return f"{low:g} W" if low == high else f"{low:g}–{high:g} W"

    rows = []
    for phase in programme.aerobic:
        main = phase.main
        work, rest = (main.intensity, None) if isinstance(main, Segment) else (main.work, main.rest)
        rows.append(
            {
                "phase": phase.name,
                "weeks": f"{phase.weeks[0]}–{phase.weeks[1]}",
                "work": _describe(main),
                "work_watts": watts(work),
                "rest_watts": "" if isinstance(main, Segment) else watts(rest),
            }
        )
    return pd.DataFrame(rows)


def _describe(main: Segment | Intervals) -> str:
    if isinstance(main, Segment):
        return f"{main.seconds // 60} min continuous"
    work = (
        f"{main.work_seconds // 60} min"
        if main.work_seconds % 60 == 0
        else f"{main.work_seconds} s"
    )
    rest = (
        f"{main.rest_seconds // 60} min"
        if main.rest_seconds % 60 == 0
        else f"{main.rest_seconds} s"
    )
    return f"{main.repetitions} × {work}, {rest} rest"


@exercise_app.command("programme")
def programme_command(
    source: Annotated[
        str, typer.Argument(help="A bundled programme name or a programme TOML file.")
    ] = "preferable-effect",
    output_format: Annotated[PlanFormat, typer.Option("--format")] = PlanFormat.TABLE,
) -> None:
    """Validate a programme file and show its weeks: phase, scheme and sessions per week."""

    def build() -> pd.DataFrame:
        chosen = load_programme(source)
        rows = []
        for week in range(1, chosen.weeks + 1):
            period = chosen.period_for_week(week)
            rows.append(
                {
                    "week": week,
                    "aerobic_phase": chosen.phase_for_week(week).name,
                    "resistance_scheme": chosen.resistance.scheme_for_week(week).name,
                    "supervised": period.supervised_per_week,
                    "home": period.home_per_week,
                }
            )
        return pd.DataFrame(rows)

    _emit(_run(build), output_format)


def _emit(frame: pd.DataFrame, output_format: PlanFormat) -> None:
    if output_format is PlanFormat.JSON:
        _io.write_json(frame)
        return
    table = Table()
    for column in frame.columns:
        table.add_column(str(column))
    for row in frame.itertuples(index=False):
        table.add_row(*(_cell(v) for v in row))
    _app.console.print(table)
