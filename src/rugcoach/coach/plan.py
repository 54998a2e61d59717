"""The coaching engine: the day's plan (SPEC §5, §11), and every warning of a day.

Pure: standard library only (this is the `rugcoach today` hot path), never reads the clock,
files or environment, never prints. Every threshold comes from content. The same inputs
always give the same plan. The phase and its readiness are `coach/phase.py`; which
exercises, and how they change week by week, `coach/selection.py` and
`coach/progression.py`; a therapist's prescription `coach/prescribed.py`. This module puts
the day together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rugcoach.coach import alerts as alert_rules
from rugcoach.coach import prescribed, rotation, selection
from rugcoach.coach.alerts import Alert
from rugcoach.coach.phase import DEFAULT_PROFILE, PhaseStatus, phase_status
from rugcoach.coach.routine import (
    LOAD_NORMAL,
    LOAD_PAUSED,
    LOAD_REDUCED,
    REDUCED_SHARE,
    DayRoutine,
    RoutineItem,
    day_routine,
    reduce_item,
    routine,
)
from rugcoach.coach.timeline import parse_date

if TYPE_CHECKING:
    from rugcoach.schema import Content, Diary, Tip

SLOTS: tuple[str, ...] = ("morning", "afternoon", "evening")


@dataclass(frozen=True)
class Plan:
    date: date
    profile: str
    has_diary: bool
    phase: PhaseStatus
    load: str  # "normal" | "reduced" (an adjust warning) | "paused" (an urgent warning)
    # While paused (an urgent warning, SPEC §10) the day shows only what to do: no routine,
    # no walking goal, no mini-routines, no tip.
    routine: tuple[RoutineItem, ...]
    walk_minutes_goal: int | None
    daily_routines: Mapping[str, tuple[str, ...]]  # morning/afternoon/evening -> ids
    tip: Tip | None
    warnings: tuple[Alert, ...]  # most serious first
    # The therapist's programme in force on `date` (SPEC §12), as coach/prescribed.py reads it.
    programme: Mapping[str, object] | None = None
    week: rotation.Week | None = None  # the programme week and what changed in it
    step: int = 0  # the week's dose step
    stepped_up: bool = False  # doses went one step up this week
    eased: tuple[str, ...] = ()  # made easier today after "too hard" earlier this week


# ----------------------------------------------------------------------------- the plan

# Kept here for callers that know them as the coach's (the library view, the tests).
dose_for = selection.dose_for
choose_exercises = selection.choose_exercises
CATEGORY_ORDER = selection.CATEGORY_ORDER
__all__ = [
    "LOAD_NORMAL",
    "LOAD_PAUSED",
    "LOAD_REDUCED",
    "REDUCED_SHARE",
    "DayRoutine",
    "RoutineItem",
    "day_routine",
    "reduce_item",
    "routine",
]


def evaluate(content: Content, diary: Diary | None, day: date) -> list[Alert]:
    """Every warning active on `day`, most serious first (urgent, consult, adjust). Here,
    not in `alerts`, because `phase-overdue` needs the phase status: data flows one way,
    alerts -> phase status -> the day's warnings."""
    if diary is None:
        return []
    alerts = alert_rules.base_alerts(content, diary, day)
    status = phase_status(content, diary, day, alerts=alerts)
    return alert_rules.with_phase_overdue(content, diary, alerts, status, day)


def walking_goal(content: Content, diary: Diary | None, day: date) -> int:
    """Time-contingent: start_minutes in the first step_days from the diary's start date,
    then step_minutes more each step_days, up to max_minutes. Pain does not change it."""
    rule = content["phases"]["walking"]
    if diary is None:
        return min(rule["start_minutes"], rule["max_minutes"])
    elapsed = max((day - parse_date(diary["profile"]["start_date"])).days, 0)
    steps = elapsed // rule["step_days"]
    return min(rule["start_minutes"] + steps * rule["step_minutes"], rule["max_minutes"])


def load_for(alerts: Sequence[Alert]) -> str:
    """Paused with any urgent warning, reduced with any adjust warning, else normal.
    (A `consult` warning alone leaves the load: SPEC §4, keep moving within comfort.)"""
    levels = {a.level for a in alerts}
    if "urgent" in levels:
        return LOAD_PAUSED
    if "adjust" in levels:
        return LOAD_REDUCED
    return LOAD_NORMAL


def daily_routines(content: Content, profile: str) -> dict[str, tuple[str, ...]]:
    """The morning/afternoon/evening mini-routines' exercise ids, leaving out ids the
    exercise library does not know (a custom exercises.yaml) and those not for the profile."""
    library = {e["id"]: e for e in content["exercises"]["exercises"]}
    out: dict[str, tuple[str, ...]] = {}
    for slot in SLOTS:
        ids = content["coaching"]["daily_routines"][slot]["exercises"]  # type: ignore[literal-required]
        out[slot] = tuple(i for i in ids if i in library and selection.allowed(library[i], profile))
    return out


def tip_of_the_day(content: Content, day: date) -> Tip:
    """One tip a day, in turn: consecutive days always differ."""
    tips = content["coaching"]["tips"]
    return tips[day.toordinal() % len(tips)]


def plan(
    content: Content,
    diary: Diary | None,
    day: date,
    programme: Mapping[str, object] | None = None,
) -> Plan:
    """Everything `rugcoach today` shows for `day`; with a therapist's `programme` in force
    on `day`, its exercises and walking goal replace the automatic ones (SPEC §12)."""
    profile = diary["profile"]["profile"] if diary is not None else DEFAULT_PROFILE
    base = alert_rules.base_alerts(content, diary, day)
    status = phase_status(content, diary, day, alerts=base)
    alerts = tuple(alert_rules.with_phase_overdue(content, diary, base, status, day))
    load = load_for(alerts)
    today = day_routine(
        content, status.phase, profile, day, load, diary=diary, started=status.started
    )
    items = today.items
    walk = walking_goal(content, diary, day)
    if programme is not None:
        if prescribed.in_force(programme, day):
            walk = prescribed.walk_goal(programme, walk)
            # The safety rules stand above the prescription: a paused day stays empty.
            items = (
                ()
                if load == LOAD_PAUSED
                else prescribed.routine(
                    programme,
                    content,
                    status.number,
                    profile,
                    day,
                    load == LOAD_REDUCED,
                    diary,
                )
            )
        else:
            programme = None
    paused = load == LOAD_PAUSED
    return Plan(
        date=day,
        profile=profile,
        has_diary=diary is not None,
        phase=status,
        load=load,
        routine=items,
        week=today.week,
        step=today.step,
        stepped_up=today.step > today.previous_step,
        eased=today.eased,
        walk_minutes_goal=None if paused else walk,
        daily_routines={slot: () for slot in SLOTS} if paused else daily_routines(content, profile),
        tip=None if paused else tip_of_the_day(content, day),
        warnings=alerts,
        programme=programme,
    )
