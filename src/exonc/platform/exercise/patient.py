"""The patient hub's "today's plan": the engine's plan for the day, in plain language.

Read-only and for the patient herself. It says what the session holds, which movements her
lesions rule out and why, whether a symptom flag holds her progression, and when to stop
and call. No scores, no percentages of h1RM: those are for the physiotherapist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from exonc import exercise as ex
from exonc.errors import AccessDenied
from exonc.exercise.anatomy import SITE_NAMES
from exonc.exercise.sessions import SYMPTOM_NAMES
from exonc.platform.accounts.models import Role, User
from exonc.platform.exercise import config, state
from exonc.platform.exercise.models import ExerciseProfile
from exonc.platform.trial.models import Participant, Withdrawal
from exonc.platform.trial.services import local_today

MOVEMENTS = {
    "hip_flexion": gettext_lazy("bending at the hip (lifting the knee) against weight"),
    "hip_extension": gettext_lazy("straightening the hip (pushing the leg back) against weight"),
    "hip_abduction": gettext_lazy("moving the leg out to the side against weight"),
    "hip_adduction": gettext_lazy("pulling the leg in against weight"),
    "knee_flexion": gettext_lazy("bending the knee against weight"),
    "knee_extension": gettext_lazy("straightening the knee against weight"),
    "ankle_plantarflexion": gettext_lazy("pushing up onto the toes against weight"),
    "shoulder_flexion": gettext_lazy("raising the arm forwards against weight"),
    "shoulder_extension": gettext_lazy("pulling the arm back against weight"),
    "shoulder_abduction": gettext_lazy("raising the arm out to the side against weight"),
    "shoulder_adduction": gettext_lazy("pulling the arm in to the body against weight"),
    "elbow_flexion": gettext_lazy("bending the elbow against weight"),
    "elbow_extension": gettext_lazy("straightening the elbow against weight"),
    "spinal_flexion": gettext_lazy("bending the back forwards against weight"),
    "spinal_extension": gettext_lazy("arching the back against weight"),
    "spinal_rotation": gettext_lazy("twisting the back against weight"),
    "weight_bearing": gettext_lazy("standing exercises that carry your body weight"),
}
STOP_SIGNS = [
    gettext_lazy("new or worse bone pain, especially at rest or at night"),
    gettext_lazy("numbness, tingling or weakness in the legs, or trouble passing urine"),
    gettext_lazy("fever or feeling unwell with an infection"),
    gettext_lazy("chest pain or unusual breathlessness"),
    gettext_lazy("dizziness or feeling faint"),
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
    stop_signs: list[str] = field(default_factory=lambda: [str(s) for s in STOP_SIGNS])


def patient_today(user: User, now: dt.datetime) -> PatientToday:
    """Today's plan for the signed-in patient."""
    participant = _own(user)
    today = local_today(participant.centre, now)
    if not state.in_exercise_arm(participant):
        return PatientToday(today, "no_programme", str(_ADVICE))
    withdrawal = Withdrawal.objects.filter(participant=participant).first()
    if withdrawal is not None and withdrawal.withdrawn_on <= today:
        return PatientToday(today, "stopped", _("Your exercise programme has ended."))
    profile = ExerciseProfile.objects.filter(participant=participant).first()
    if profile is None or profile.start_date > today:
        if profile is None:
            return PatientToday(today, "not_started", _("Your programme starts soon."))
        when = date_format(profile.start_date, "j F Y")
        return PatientToday(
            today, "not_started", _("Your programme starts on %(day)s.") % {"day": when}
        )
    programme = config.programme(profile.programme)
    week = (today - profile.start_date).days // 7 + 1
    if week > programme.weeks:
        return PatientToday(today, "finished", _("You have finished the programme. Well done!"))
    plan = state.load(participant, today, profile).plan(today)
    return PatientToday(
        date=today,
        status="plan",
        message=_("Week %(week)s of %(weeks)s.") % {"week": week, "weeks": programme.weeks},
        week=week,
        steps=_with_guides(_steps(plan), user, now),
        left_out=_left_out(plan),
        avoid=_avoid(plan, _sites(participant)),
        flags=_flags(plan, participant, today),
        home_this_week=programme.period_for_week(week).home_per_week > 0,
    )


_ADVICE = gettext_lazy(
    "You are in the group without a supervised programme. Try to be active for at least "
    "30 minutes every day, as your care team advised."
)


def _own(user: User) -> Participant:
    if user.role != Role.PATIENT:
        raise AccessDenied(_("this page is the patient's own plan; staff see the participant page"))
    participant = Participant.objects.filter(user=user).select_related("centre").first()
    if participant is None:
        raise AccessDenied(_("your login is not linked to a participant; ask your physiotherapist"))
    return participant


def _day(day: dt.date) -> str:
    return date_format(day, "j F")


def _watts(watts: tuple[float, float] | None) -> str:
    if watts is None:
        return _("at the effort your physiotherapist sets")
    low, high = watts
    if low == high:
        return _("at %(watts)s watts") % {"watts": f"{low:g}"}
    return _("at %(low)s to %(high)s watts") % {"low": f"{low:g}", "high": f"{high:g}"}


def _duration(seconds: int) -> str:
    if seconds % 60:
        return ngettext("%(n)s second", "%(n)s seconds", seconds) % {"n": seconds}
    minutes = seconds // 60
    return ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}


def _steps(plan: ex.SessionPlan) -> list[Step]:
    steps = []
    a = plan.aerobic
    if a.status != ex.ItemStatus.OMITTED:
        guide = [StepGuide(a.exercise, a.title)]
        steps.append(Step(_("Cycling (%(kind)s)") % {"kind": a.title.lower()}, _aerobic(a), guide))
    done = [r for r in plan.resistance if r.status != ex.ItemStatus.OMITTED]
    strength = [
        _("%(exercise)s: %(sets)s sets of %(low)s to %(high)s repetitions, %(load)s")
        % {
            "exercise": f"{r.title}{_instead(r.replaces)}",
            "sets": r.sets,
            "low": r.reps[0],
            "high": r.reps[1],
            "load": _("with %(kg)s kg") % {"kg": f"{r.load_kg:g}"} if r.load_kg else _SET_BY_PHYSIO,
        }
        for r in done
    ]
    if strength:
        guides = [StepGuide(r.exercise, r.title) for r in done]
        steps.append(Step(_("Strength exercises"), strength, guides))
    b = plan.balance
    if b is not None and b.status != ex.ItemStatus.OMITTED:
        guide = [StepGuide(b.exercise, b.title)]
        title = _("Balance: %(kind)s") % {"kind": b.title.lower()}
        minutes = ngettext("%(n)s minute", "%(n)s minutes", b.minutes) % {"n": b.minutes}
        steps.append(Step(title, [minutes], guide))
    return steps


def _with_guides(steps: list[Step], user: User, now: dt.datetime) -> list[Step]:
    """Steps whose guide links lead to a guide she may read: an exercise with no approved
    guide at her level keeps its title but gets no link (a link must never end in a refusal)."""
    from exonc.platform.guides.patient import guided_exercises  # the guides app builds on this one

    guided = guided_exercises(user, now)
    return [replace(s, guides=[g for g in s.guides if g.exercise in guided]) for s in steps]


_SET_BY_PHYSIO = gettext_lazy("with the weight your physiotherapist sets")


def _aerobic(item: ex.AerobicItem) -> list[str]:
    lines = []
    if item.warm_up:
        lines.append(
            _("Warm up: %(time)s %(effort)s.")
            % {"time": _duration(item.warm_up.seconds), "effort": _watts(item.warm_up.watts)}
        )
    main = item.main
    if isinstance(main, ex.PlannedIntervals):
        lines.append(
            _(
                "Then %(n)s times: %(work)s hard %(work_effort)s, followed by %(rest)s easy "
                "%(rest_effort)s."
            )
            % {
                "n": main.repetitions,
                "work": _duration(main.work_seconds),
                "work_effort": _watts(main.work_watts),
                "rest": _duration(main.rest_seconds),
                "rest_effort": _watts(main.rest_watts),
            }
        )
    else:
        lines.append(
            _("Cycle for %(time)s %(effort)s.")
            % {"time": _duration(main.seconds), "effort": _watts(main.watts)}
        )
    if item.cool_down:
        lines.append(
            _("Cool down: %(time)s of easy cycling.") % {"time": _duration(item.cool_down.seconds)}
        )
    return lines


def _instead(replaces: str | None) -> str:
    if not replaces:
        return ""
    return " " + _("(instead of %(exercise)s)") % {"exercise": replaces.replace("_", " ")}


def _left_out(plan: ex.SessionPlan) -> list[str]:
    items: list[ex.AerobicItem | ex.ResistanceItem | ex.BalanceItem] = [plan.aerobic]
    items += [*plan.resistance, *([plan.balance] if plan.balance else [])]
    return [i.title for i in items if i.status == ex.ItemStatus.OMITTED]


def _site_name(site: str) -> str:
    """The site in the patient's words and language (the domain marks the English words)."""
    names = {str(code): text for code, text in SITE_NAMES.items()}
    return _(names[site]) if site in names else site.replace("_", " ")


def _sites(participant: Participant) -> dict[str, str]:
    return {
        label: _site_name(site) for label, site in participant.lesions.values_list("label", "site")
    }


def _avoid(plan: ex.SessionPlan, sites: dict[str, str]) -> list[str]:
    lines = []
    for r in plan.restrictions:
        moves = "; ".join(str(MOVEMENTS.get(m, m.replace("_", " "))) for m in r.movements)
        where = (
            _("the lesion in your %(site)s") % {"site": sites[r.lesion_id]}
            if r.lesion_id in sites
            else _("a lesion")
        )
        values = {"where": where, "lesion": r.lesion_id, "moves": moves}
        if r.kind == ex.RestrictionKind.SITE_RULE:
            lines.append(_("Because of %(where)s (%(lesion)s): no %(moves)s.") % values)
        else:
            lines.append(
                _(
                    "Because of %(where)s (%(lesion)s), until your doctor has cleared it: "
                    "no %(moves)s."
                )
                % values
            )
    return lines


def _symptom(kind: str) -> str:
    names = {str(code): text for code, text in SYMPTOM_NAMES.items()}
    return _(names[kind]) if kind in names else kind.replace("_", " ")


def _flags(plan: ex.SessionPlan, participant: Participant, today: dt.date) -> list[str]:
    flags = participant.symptom_flags.filter(closed_on=None, opened_on__lte=today)
    return [
        _(
            "You reported %(symptom)s on %(day)s. Your exercises will not get harder until "
            "your doctor has checked. Tell your physiotherapist how you feel."
        )
        % {"symptom": _symptom(f.kind), "day": _day(f.opened_on)}
        for f in flags
    ]
