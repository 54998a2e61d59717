"""What the therapist's programme asks for a day (SPEC §12): whether it is in force, its
review, its weeks, the day's routine at the prescribed doses, the walking goal.

Pure, standard library only (the `rugcoach today` hot path): `coach.plan` puts the
prescription in the day's plan; finding, loading and checking the file is `programme/`.

A programme here is the normalised, validated file as a plain dict (JSON-safe, the shape the
cache holds): the file's keys (`format` is FORMAT), dates as `YYYY-MM-DD`, each exercise's
`days` as English weekday ids (all seven when the file gives none), `dose` as written or
None, `note` a {nl?, en?} mapping, a plain string, or None.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from rugcoach.coach import progression
from rugcoach.coach.routine import RoutineItem, reduce_item

if TYPE_CHECKING:
    from rugcoach.schema import Content, Diary, Dose, Exercise

    Programme = Mapping[str, Any]

FORMAT = "rugcoach-programme"
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Steps of `progress: true` (SPEC §11 in its simplest form): per completed programme week one
# step, at most MAX_STEPS, each adding this much to the dose's unit.
STEP_SIZE = {"reps": 2, "seconds": 5, "minutes": 2}
UNIT_TOP = {"reps": 100, "seconds": 600, "minutes": 120}
MAX_STEPS = 4
UNITS = ("reps", "seconds", "minutes")


# ----------------------------------------------------------------------------- the days


def start(programme: Programme) -> date:
    return date.fromisoformat(programme["from"])


def review(programme: Programme) -> date | None:
    value = programme.get("review")
    return date.fromisoformat(value) if value else None


def in_force(programme: Programme | None, day: date) -> bool:
    return programme is not None and day >= start(programme)


def review_due(programme: Programme, day: date) -> bool:
    """From the review date on, `today` reminds the person to see their therapist."""
    when = review(programme)
    return when is not None and day >= when


def planned_on(item: Mapping[str, Any], day: date) -> bool:
    return WEEKDAYS[day.weekday()] in item["days"]


def week_of(programme: Programme, day: date) -> int:
    """Programme week N (1 from `from`, a new one every 7 days)."""
    return (day - start(programme)).days // 7 + 1


def planned_days(item: Mapping[str, Any], first: date, last: date) -> list[date]:
    """The days from `first` to `last` on which `item` is prescribed."""
    out = []
    day = first
    while day <= last:
        if planned_on(item, day):
            out.append(day)
        day += timedelta(days=1)
    return out


# ---------------------------------------------------------------------------- the routine


def _base_dose(exercise: Exercise, written: Mapping[str, Any] | None, phase: int) -> Dose:
    """The prescribed dose as a content dose; without one, the exercise's own dose for the
    phase (else the nearest lower phase, else its first)."""
    if written is None:
        doses = [d for d in exercise["dose"] if d["phase"] <= phase] or list(exercise["dose"])
        return max(doses, key=lambda d: d["phase"]).copy()
    dose: dict[str, Any] = {"phase": phase, "sets": written.get("sets", 1)}
    for key in (*UNITS, "per_side", "rest_seconds"):
        if key in written and written[key] is not None:
            dose[key] = written[key]
    if "rest_seconds" not in dose:
        # No rest prescribed: the session rests as long as the exercise usually does.
        rest = _base_dose(exercise, None, phase).get("rest_seconds")
        if rest is not None:
            dose["rest_seconds"] = rest
    return dose  # type: ignore[return-value]


def _stepped(dose: Dose, step: int) -> Dose:
    out = dose.copy()
    for unit in UNITS:
        amount = dose.get(unit)
        if isinstance(amount, int):
            out[unit] = min(amount + STEP_SIZE[unit] * step, UNIT_TOP[unit])  # type: ignore[literal-required]
    return out


def _volume(dose: Mapping[str, Any]) -> int:
    amount = next((dose[u] for u in UNITS if isinstance(dose.get(u), int)), 1)
    return int(dose.get("sets", 1)) * int(amount) * (2 if dose.get("per_side") else 1)


def _minutes(exercise: Exercise, dose: Dose) -> int:
    """The time the prescribed dose takes, scaled from the exercise's own estimate."""
    own = _base_dose(exercise, None, dose["phase"])
    if "minutes" in dose:
        return max(1, dose["sets"] * dose["minutes"])
    ratio = _volume(dose) / max(_volume(own), 1)
    return max(1, min(60, math.ceil(exercise["minutes"] * ratio - 1e-9)))


def step_of(
    programme: Programme,
    day: date,
    content: Content | None = None,
    diary: Diary | None = None,
) -> int:
    """With `progress: true`, the dose step of §11 for this programme week: one per earlier
    week that counted (not one with an adjust warning on `adjust_days` or more of its
    days), capped by `phases.yaml`; without that data, one per completed week up to
    MAX_STEPS."""
    if not programme.get("progress"):
        return 0
    week = week_of(programme, day)
    if content is not None and content["phases"].get("progression") is not None:
        return progression.week_steps(content, diary, start(programme), week)[-1]
    return min(week - 1, MAX_STEPS)


def routine(
    programme: Programme,
    content: Content,
    phase: int,
    profile: str,
    day: date,
    reduced: bool,
    diary: Diary | None = None,
) -> tuple[RoutineItem, ...]:
    """The programme's exercises for `day` (those planned on its weekday), at their doses;
    with `reduced`, each made lighter by the coach's own rule (SPEC §11). The caller has
    already left out a paused day."""
    library = {e["id"]: e for e in content["exercises"]["exercises"]}
    number = programme.get("phase") or phase
    step = step_of(programme, day, content, diary)
    rule = content["phases"].get("progression")
    items: list[RoutineItem] = []
    for item in programme["exercises"]:
        exercise = library.get(item["id"])
        if exercise is None or not planned_on(item, day):
            continue  # the cache key covers the library: an unknown id is re-checked first
        base = _base_dose(exercise, item.get("dose"), number)
        if rule is not None:  # the steps and tops of phases.yaml (SPEC §11)
            dose = progression.stepped(base, step, rule)[0]
        else:
            dose = _stepped(base, step)
        items.append(
            RoutineItem(
                exercise,
                dose,
                _minutes(exercise, dose),
                False,
                source="programme",
                note=item.get("note"),
            )
        )
    if not reduced:
        return tuple(items)
    used = {i.exercise["id"] for i in items}
    out = []
    for routine_item in items:
        lighter = reduce_item(
            routine_item.exercise, routine_item.dose, library, number, profile, used
        )
        used.add(lighter.exercise["id"])
        out.append(replace(lighter, source="programme", note=routine_item.note))
    return tuple(out)


def walk_goal(programme: Programme, automatic: int) -> int:
    minutes = programme.get("walk_minutes")
    return automatic if minutes is None else int(minutes)
