"""The day's routine (SPEC §5, §11): the programme week's exercises at the week's dose
step, then what the day itself changes — nerve glides after a recent leg symptom, an easier
variant (or a step lower) after "too hard" earlier in the week, and a lighter load while an
adjust warning is active.

Pure and standard library only (the `rugcoach today` hot path).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rugcoach.coach import progression, rotation, selection

if TYPE_CHECKING:
    from rugcoach.schema import Content, Diary, Dose, Exercise, Phase, Progression

LOAD_NORMAL, LOAD_REDUCED, LOAD_PAUSED = "normal", "reduced", "paused"
WEEK_EASY_DAYS = 2  # "too easy" on 2 days of a week counts (SPEC §11), without data for it


@dataclass(frozen=True)
class RoutineItem:
    exercise: Exercise
    dose: Dose
    minutes: int
    reduced: bool  # an easier variant or a lighter dose than the week's own
    step: int = 0  # dose steps above the phase's starting dose (SPEC §11)
    source: str = "coach"  # "programme": prescribed by the therapist (SPEC §12)
    note: object = None  # the therapist's note: {nl?, en?}, a plain string, or None


# A reduced routine takes at most this share of the day's normal minutes (SPEC §11).
REDUCED_SHARE = (2, 3)


@dataclass(frozen=True)
class DayRoutine:
    """The day's routine and the programme week it belongs to."""

    items: tuple[RoutineItem, ...]
    week: rotation.Week
    step: int  # the week's step (each item's own is capped at its top)
    previous_step: int  # the step of the week before
    eased: tuple[str, ...] = ()  # week exercises made easier after "too hard" this week


def _item(
    exercise: Exercise, phase: int, steps: int, rule: Progression | None, reduced: bool = False
) -> RoutineItem:
    start = selection.dose_up_to(exercise, phase)
    assert start is not None  # chosen only with a dose up to this phase
    dose, taken = progression.stepped(start, steps, rule)
    minutes = progression.scaled_minutes(exercise["minutes"], start, dose)
    return RoutineItem(exercise, dose, minutes, reduced, taken)


def _with_dose(item: RoutineItem, dose: Dose, phase: int, step: int) -> RoutineItem:
    start = selection.dose_up_to(item.exercise, phase)
    assert start is not None
    minutes = progression.scaled_minutes(item.exercise["minutes"], start, dose)
    return RoutineItem(item.exercise, dose, minutes, True, step)


def reduce_item(
    exercise: Exercise,
    dose: Dose,
    library: Mapping[str, Exercise],
    phase: int,
    profile: str,
    used: set[str],
    *,
    step: int = 0,
    rule: Progression | None = None,
    fits: selection.Fits = None,
) -> RoutineItem:
    """The lighter version of one routine item (at `step`): its easier variant when that
    exists, suits the person, is not in the routine already and has a dose up to this phase
    (at the same step); else the same exercise one step lower; else one set fewer."""
    easier = selection.easier_variant(exercise, library, phase, profile, used, fits)
    if easier is not None:
        return _item(easier[0], phase, step, rule, reduced=True)
    item = RoutineItem(exercise, dose, exercise["minutes"], False, step)
    if step > 0 and rule is not None:
        start = selection.dose_up_to(exercise, phase)
        assert start is not None
        lower, taken = progression.stepped(start, step - 1, rule)
        return _with_dose(item, lower, phase, taken)
    return _with_dose(item, selection.lighter(dose), phase, step)


def _within_share(items: list[RoutineItem], normal: int, phase: int) -> list[RoutineItem]:
    """Lighter still (one set fewer, the longest item first) until the routine takes at
    most REDUCED_SHARE of the normal minutes; as a last resort, fewer items."""
    top, of = REDUCED_SHARE

    def over() -> bool:
        return of * sum(i.minutes for i in items) > top * normal

    while over():
        options = [
            k
            for k, it in enumerate(items)
            if it.minutes > 1 and selection.lighter(it.dose) != it.dose
        ]
        if not options:
            break
        k = max(options, key=lambda k: items[k].minutes)
        items[k] = _with_dose(items[k], selection.lighter(items[k].dose), phase, items[k].step)
    while over() and len(items) > 1:
        items.pop()
    return items


def day_routine(
    content: Content,
    phase: Phase,
    profile: str,
    day: date,
    load: str = LOAD_NORMAL,
    *,
    diary: Diary | None = None,
    started: date | None = None,
) -> DayRoutine:
    """The routine of `day` in a phase that started on `started` (default: `day`): the
    programme week's exercises at the week's step (SPEC §11), then the day's own changes:
    nerve glides after a recent leg symptom, the easier variant (or a step lower) after
    "too hard" earlier this week, and a lighter load with an adjust warning."""
    started = started or day
    number = phase["number"]
    rule = content["phases"].get("progression")
    library = {e["id"]: e for e in content["exercises"]["exercises"]}
    week_no = progression.week_of(started, day)
    horizon = min(week_no - 1, progression.steps_horizon(rule["max_steps"])) if rule else 0
    read = progression.read(
        content, diary, started, day, horizon, rotation.first_week_day(started, week_no)
    )
    notes = read.feedback
    easy_weeks = notes.easy_weeks(started, rule["easy_days"] if rule else WEEK_EASY_DAYS)
    steps = progression.week_steps(content, diary, started, week_no, read)
    week = rotation.week_routine(content, phase, profile, started, week_no, easy_weeks, steps)
    step, previous = steps[-1], steps[-2] if week_no > 1 else 0
    if load == LOAD_PAUSED:
        return DayRoutine((), week, step, previous)

    always = progression.glides_for_profile(content, profile)
    lately = not always and read.glides_lately

    def fits(e: Exercise) -> bool:
        return always or lately or e["category"] != selection.NERVE_GLIDE

    items = [_item(library[s.id], number, step + s.extra, rule) for s in week.slots]
    if lately:  # a recent leg symptom: one nerve glide on top of the week's routine
        glides = [
            e
            for e in selection.pool(content, phase, profile, started)
            if e["category"] == selection.NERVE_GLIDE
        ]
        if glides:
            glide = _item(glides[0], number, step, rule)
            items = _make_room(items, glide.minutes, content["phases"]["session"]["max_minutes"])
            items.append(glide)
            items = selection.in_session_order(items, lambda i: i.exercise["category"])
    hard = notes.hard_since(progression.week_first(started, week_no))
    # "Too hard" about the easier variant shown on a lighter day counts for the exercise.
    hard |= {s.id for s in week.slots if library[s.id].get("easier") in hard}
    eased = tuple(i.exercise["id"] for i in items if i.exercise["id"] in hard)
    used = {i.exercise["id"] for i in items}
    for k, item in enumerate(items):
        if item.exercise["id"] in hard:
            items[k] = reduce_item(
                item.exercise, item.dose, library, number, profile, used,
                step=item.step, rule=rule, fits=fits,
            )  # fmt: skip
            used.add(items[k].exercise["id"])
    if load == LOAD_REDUCED:
        normal = sum(i.minutes for i in items)
        lighter = []
        for item in items:
            light = reduce_item(
                item.exercise, item.dose, library, number, profile, used,
                step=item.step, rule=rule, fits=fits,
            )  # fmt: skip
            used.add(light.exercise["id"])
            lighter.append(light)
        items = _within_share(lighter, normal, number)
    return DayRoutine(tuple(items), week, step, previous, eased)


def _make_room(items: list[RoutineItem], minutes: int, top: int) -> list[RoutineItem]:
    """`items` with room for `minutes` more within the session's `top`: the longest item of
    a category the routine holds twice goes first, so every category stays covered."""
    out = list(items)
    while sum(i.minutes for i in out) + minutes > top:
        counts: dict[str, int] = {}
        for item in out:
            counts[item.exercise["category"]] = counts.get(item.exercise["category"], 0) + 1
        doubled = [i for i in out if counts[i.exercise["category"]] > 1]
        if not doubled:
            break
        out.remove(max(doubled, key=lambda i: i.minutes))
    return out


def routine(
    content: Content,
    phase: Phase,
    profile: str,
    day: date,
    load: str = LOAD_NORMAL,
    *,
    diary: Diary | None = None,
    started: date | None = None,
) -> tuple[RoutineItem, ...]:
    """The day's routine for this load: empty while paused; lighter items when reduced."""
    return day_routine(content, phase, profile, day, load, diary=diary, started=started).items
