"""The patient hub's "today's plan": the engine's plan for the day, in plain language.

Read-only and for the patient herself. It says what the session holds, which movements her
lesions rule out and why, whether a symptom flag holds her progression, and when to stop
and call. No scores, no percentages of h1RM: those are for the physiotherapist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from exonc import exercise as ex
from exonc.errors import AccessDenied
from exonc.platform.accounts.models import Role, User
from exonc.platform.exercise import config, state
from exonc.platform.exercise.models import ExerciseProfile
from exonc.platform.trial.models import Participant, Withdrawal
from exonc.platform.trial.services import local_today

MOVEMENTS = {
    "hip_flexion": "bending at the hip (lifting the knee) against weight",
    "hip_extension": "straightening the hip (pushing the leg back) against weight",
    "hip_abduction": "moving the leg out to the side against weight",
    "hip_adduction": "pulling the leg in against weight",
    "knee_flexion": "bending the knee against weight",
    "knee_extension": "straightening the knee against weight",
    "ankle_plantarflexion": "pushing up onto the toes against weight",
    "shoulder_flexion": "raising the arm forwards against weight",
    "shoulder_extension": "pulling the arm back against weight",
    "shoulder_abduction": "raising the arm out to the side against weight",
    "shoulder_adduction": "pulling the arm in to the body against weight",
    "elbow_flexion": "bending the elbow against weight",
    "elbow_extension": "straightening the elbow against weight",
    "spinal_flexion": "bending the back forwards against weight",
    "spinal_extension": "arching the back against weight",
    "spinal_rotation": "twisting the back against weight",
    "weight_bearing": "standing exercises that carry your body weight",
}
STOP_SIGNS = [
    "new or worse bone pain, especially at rest or at night",
    "numbness, tingling or weakness in the legs, or trouble passing urine",
    "fever or feeling unwell with an infection",
    "chest pain or unusual breathlessness",
    "dizziness or feeling faint",
]


@dataclass(frozen=True)
class StepGuide:
    """A programme exercise of the step; the page links it to its guide (guides app)."""

    exercise: str
    title: str


@dataclass(frozen=True)
class Step:
    title: str
    lines: list[str]
    guides: list[StepGuide] = field(default_factory=list)


@dataclass(frozen=True)
class PatientToday:
    date: dt.date
    status: str  # plan, no_programme, not_started, finished, stopped
    message: str
    week: int | None = None
    steps: list[Step] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    avoid: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    home_this_week: bool = False
    stop_signs: list[str] = field(default_factory=lambda: list(STOP_SIGNS))


def patient_today(user: User, now: dt.datetime) -> PatientToday:
    """Today's plan for the signed-in patient."""
    participant = _own(user)
    today = local_today(participant.centre, now)
    if not state.in_exercise_arm(participant):
        return PatientToday(today, "no_programme", _ADVICE)
    withdrawal = Withdrawal.objects.filter(participant=participant).first()
    if withdrawal is not None and withdrawal.withdrawn_on <= today:
        return PatientToday(today, "stopped", "Your exercise programme has ended.")
    profile = ExerciseProfile.objects.filter(participant=participant).first()
    if profile is None or profile.start_date > today:
        when = f" on {_day(profile.start_date)} {profile.start_date.year}" if profile else " soon"
        return PatientToday(today, "not_started", f"Your programme starts{when}.")
    programme = config.programme(profile.programme)
    week = (today - profile.start_date).days // 7 + 1
    if week > programme.weeks:
        return PatientToday(today, "finished", "You have finished the programme. Well done!")
    plan = state.load(participant, today, profile).plan(today)
    return PatientToday(
        date=today,
        status="plan",
        message=f"Week {week} of {programme.weeks}.",
        week=week,
        steps=_with_guides(_steps(plan), user, now),
        left_out=_left_out(plan),
        avoid=_avoid(plan, _sites(participant)),
        flags=_flags(plan, participant, today),
        home_this_week=programme.period_for_week(week).home_per_week > 0,
    )


_ADVICE = (
    "You are in the group without a supervised programme. Try to be active for at least "
    "30 minutes every day, as your care team advised."
)


def _own(user: User) -> Participant:
    if user.role != Role.PATIENT:
        raise AccessDenied("this page is the patient's own plan; staff see the participant page")
    participant = Participant.objects.filter(user=user).select_related("centre").first()
    if participant is None:
        raise AccessDenied("your login is not linked to a participant; ask your physiotherapist")
    return participant


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B}"


def _watts(watts: tuple[float, float] | None) -> str:
    if watts is None:
        return "at the effort your physiotherapist sets"
    low, high = watts
    return f"at {low:g} watts" if low == high else f"at {low:g} to {high:g} watts"


def _duration(seconds: int) -> str:
    if seconds % 60:
        return f"{seconds} seconds"
    minutes = seconds // 60
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def _steps(plan: ex.SessionPlan) -> list[Step]:
    steps = []
    a = plan.aerobic
    if a.status != ex.ItemStatus.OMITTED:
        guide = [StepGuide(a.exercise, a.title)]
        steps.append(Step(f"Cycling ({a.title.lower()})", _aerobic(a), guide))
    done = [r for r in plan.resistance if r.status != ex.ItemStatus.OMITTED]
    strength = [
        f"{r.title}{_instead(r.replaces)}: {r.sets} sets of {r.reps[0]} to {r.reps[1]} "
        f"repetitions, {f'with {r.load_kg:g} kg' if r.load_kg else _SET_BY_PHYSIO}"
        for r in done
    ]
    if strength:
        guides = [StepGuide(r.exercise, r.title) for r in done]
        steps.append(Step("Strength exercises", strength, guides))
    b = plan.balance
    if b is not None and b.status != ex.ItemStatus.OMITTED:
        guide = [StepGuide(b.exercise, b.title)]
        steps.append(Step(f"Balance: {b.title.lower()}", [f"{b.minutes} minutes"], guide))
    return steps


def _with_guides(steps: list[Step], user: User, now: dt.datetime) -> list[Step]:
    """Steps whose guide links lead to a guide she may read: an exercise with no approved
    guide at her level keeps its title but gets no link (a link must never end in a refusal)."""
    from exonc.platform.guides.patient import guided_exercises  # the guides app builds on this one

    guided = guided_exercises(user, now)
    return [replace(s, guides=[g for g in s.guides if g.exercise in guided]) for s in steps]


_SET_BY_PHYSIO = "with the weight your physiotherapist sets"


def _aerobic(item: ex.AerobicItem) -> list[str]:
    lines = []
    if item.warm_up:
        lines.append(f"Warm up: {_duration(item.warm_up.seconds)} {_watts(item.warm_up.watts)}.")
    main = item.main
    if isinstance(main, ex.PlannedIntervals):
        lines.append(
            f"Then {main.repetitions} times: {_duration(main.work_seconds)} hard "
            f"{_watts(main.work_watts)}, followed by {_duration(main.rest_seconds)} easy "
            f"{_watts(main.rest_watts)}."
        )
    else:
        lines.append(f"Cycle for {_duration(main.seconds)} {_watts(main.watts)}.")
    if item.cool_down:
        lines.append(f"Cool down: {_duration(item.cool_down.seconds)} of easy cycling.")
    return lines


def _instead(replaces: str | None) -> str:
    return f" (instead of {replaces.replace('_', ' ')})" if replaces else ""


def _left_out(plan: ex.SessionPlan) -> list[str]:
    items: list[ex.AerobicItem | ex.ResistanceItem | ex.BalanceItem] = [plan.aerobic]
    items += [*plan.resistance, *([plan.balance] if plan.balance else [])]
    return [i.title for i in items if i.status == ex.ItemStatus.OMITTED]


def _sites(participant: Participant) -> dict[str, str]:
    return {
        label: site.replace("_", " ")
        for label, site in participant.lesions.values_list("label", "site")
    }


def _avoid(plan: ex.SessionPlan, sites: dict[str, str]) -> list[str]:
    lines = []
    for r in plan.restrictions:
        moves = "; ".join(MOVEMENTS.get(m, m.replace("_", " ")) for m in r.movements)
        where = f"the lesion in your {sites[r.lesion_id]}" if r.lesion_id in sites else "a lesion"
        if r.kind == ex.RestrictionKind.SITE_RULE:
            lines.append(f"Because of {where} ({r.lesion_id}): no {moves}.")
        else:
            lines.append(
                f"Because of {where} ({r.lesion_id}), until your doctor has cleared it: no {moves}."
            )
    return lines


def _flags(plan: ex.SessionPlan, participant: Participant, today: dt.date) -> list[str]:
    flags = participant.symptom_flags.filter(closed_on=None, opened_on__lte=today)
    return [
        f"You reported {f.kind.replace('_', ' ')} on {_day(f.opened_on)}. Your exercises will "
        "not get harder until your doctor has checked. Tell your physiotherapist how you feel."
        for f in flags
    ]
