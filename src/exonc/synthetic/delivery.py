"""Programme delivery (exercise arm), daily activity (both arms) and resource use."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from exonc._data import Floats, each_row
from exonc.synthetic.model import FOLLOW_UPS, Delivery, ResourceRate

WEEKS = 36
SUPERVISED_ONLY_WEEKS = 26  # months 0-6: two supervised sessions a week
MISSED_REASONS = ("illness", "treatment", "holiday", "transport", "other")
PHASES = ((1, 3, "1-3"), (4, 14, "4-14"), (15, 25, "15-25"), (26, 36, "26-36"))


def phase_of(week: int) -> str:
    return next(label for first, last, label in PHASES if first <= week <= last)


def sessions(
    people: pd.DataFrame, programme_end: list[dt.date], delivery: Delivery, rng: np.random.Generator
) -> pd.DataFrame:
    """Scheduled sessions of the exercise arm: two a week, the second at home after week 26."""
    rows = []
    for person, stop in zip(each_row(people), programme_end, strict=True):
        if person.arm != "exercise":
            continue
        attendance = rng.beta(
            8 * delivery.supervised_attendance, 8 * (1 - delivery.supervised_attendance)
        )
        home = rng.beta(6 * delivery.home_completion, 6 * (1 - delivery.home_completion))
        start = person.randomised_on + dt.timedelta(days=7 - person.randomised_on.weekday())
        for week in range(1, WEEKS + 1):
            for slot, weekday in enumerate((1, 3)):  # Tuesdays and Thursdays
                day = start + dt.timedelta(weeks=week - 1, days=weekday)
                if day > stop:
                    break
                kind = "home" if week > SUPERVISED_ONLY_WEEKS and slot == 1 else "supervised"
                rows.append(_session(person.participant_id, day, week, kind, attendance, home, rng))
    frame = pd.DataFrame(
        rows,
        columns=[
            "participant_id",
            "date",
            "week",
            "phase",
            "kind",
            "attended",
            "missed_reason",
            "duration_minutes",
            "group_size",
            "rpe",
            "pain",
        ],
    )
    return frame.astype({"rpe": "Int64", "pain": "Int64"})


def _session(
    pid: str,
    day: dt.date,
    week: int,
    kind: str,
    attendance: float,
    home: float,
    rng: np.random.Generator,
) -> tuple[object, ...]:
    attended = rng.random() < (home if kind == "home" else attendance)
    if not attended:
        reason = MISSED_REASONS[int(rng.integers(len(MISSED_REASONS)))]
        return (pid, day, week, phase_of(week), kind, 0, reason, 0, 0, None, None)
    duration = int(np.clip(rng.normal(60 if kind == "supervised" else 45, 6), 20, 90))
    group = 1 if kind == "supervised" else 0
    rpe = int(np.clip(np.rint(rng.normal(6, 1.2)), 1, 10))
    pain = int(np.clip(np.rint(rng.gamma(1.2, 1.2)), 0, 10))
    return (pid, day, week, phase_of(week), kind, 1, "", duration, group, rpe, pain)


def tracker_days(
    people: pd.DataFrame, end: list[dt.date], delivery: Delivery, rng: np.random.Generator
) -> pd.DataFrame:
    """Daily tracker summaries from randomisation to the end of follow-up, both arms."""
    frames = []
    for person, last in zip(each_row(people), end, strict=True):
        days = (last - person.randomised_on).days + 1
        frames.append(
            _person_days(
                person.participant_id, person.randomised_on, person.arm, days, delivery, rng
            )
        )
    return pd.concat(frames, ignore_index=True)


def _person_days(
    pid: str,
    start: dt.date,
    arm: str,
    days: int,
    delivery: Delivery,
    rng: np.random.Generator,
) -> pd.DataFrame:
    arm_mean = (
        delivery.active_minutes_exercise if arm == "exercise" else delivery.active_minutes_control
    )
    typical = arm_mean * rng.lognormal(-0.18, 0.6)  # person's own level, mean about arm_mean
    worn = rng.random(days) < delivery.tracker_wear_days
    wear = np.where(worn, rng.normal(850, 70, days), rng.uniform(0, 590, days)).clip(0, 1440)
    share = wear / 850
    active = np.rint(rng.gamma(2.0, typical / 2.0, days) * share).astype(int)
    vigorous = rng.binomial(active, 0.25)
    light = np.rint(wear * rng.uniform(0.18, 0.32, days)).astype(int)
    wear = np.maximum(np.rint(wear).astype(int), active + light)
    steps = np.rint(
        delivery.baseline_steps * share * rng.lognormal(0, 0.25, days)
        + active * delivery.steps_per_active_minute
    ).astype(int)
    dates = [start + dt.timedelta(days=d) for d in range(days)]
    return pd.DataFrame(
        {
            "participant_id": pid,
            "date": dates,
            "wear_minutes": wear,
            "sedentary_minutes": wear - light - active,
            "light_minutes": light,
            "moderate_minutes": active - vigorous,
            "vigorous_minutes": vigorous,
            "active_minutes": active,
            "steps": steps,
            "valid_day": (wear >= 600).astype(int),
            "goal_met": ((wear >= 600) & (active >= 30)).astype(int),
        }
    )


def resource_use(
    people: pd.DataFrame,
    completed: pd.DataFrame,
    health: Floats,
    items: tuple[ResourceRate, ...],
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Health-care use reported at each completed follow-up visit for the previous 3 months."""
    index = {pid: i for i, pid in enumerate(people["participant_id"])}
    arms = dict(zip(people["participant_id"], people["arm"], strict=True))
    rows = []
    for row in each_row(completed[completed["visit"].isin(FOLLOW_UPS)]):
        i = index[row.participant_id]
        frailty = np.exp(-0.35 * health[i, FOLLOW_UPS.index(row.visit)])
        for item in items:
            mean = (
                item.mean
                * frailty
                * (item.exercise_ratio if arms[row.participant_id] == "exercise" else 1)
            )
            quantity = rng.poisson(rng.gamma(1.5, mean / 1.5))
            rows.append((row.participant_id, row.visit, item.item, int(quantity)))
    return pd.DataFrame(rows, columns=["participant_id", "visit", "item", "quantity"])
