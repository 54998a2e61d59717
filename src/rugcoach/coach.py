"""The coaching engine: the phase and its readiness, and the day's plan (SPEC §5).

Pure: standard library only (this is the `rugcoach today` hot path), never reads the clock,
files or environment, never prints. Every threshold comes from content. The same inputs
always give the same plan; day-to-day variation comes from SHA-256 of the date, never from
Python's salted `hash()`.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from rugcoach import warnings
from rugcoach.timeline import EPSILON, Day, days, pain_scores, parse_date, window
from rugcoach.warnings import Alert

if TYPE_CHECKING:
    from rugcoach.schema import Content, Diary, Dose, Exercise, Phase, Readiness, Tip

DEFAULT_PROFILE = "general"
SLOTS: tuple[str, ...] = ("morning", "afternoon", "evening")
# The order of a session: settle and loosen first, then control, strength, endurance.
CATEGORY_ORDER: tuple[str, ...] = (
    "breathing",
    "mobility",
    "nerve-glide",
    "motor-control",
    "strength",
    "strength-power",
    "cardio",
    "walking",
)
LOAD_NORMAL, LOAD_REDUCED, LOAD_PAUSED = "normal", "reduced", "paused"
# Levels that hold a phase back (SPEC §5).
BLOCKING_LEVELS = frozenset({"urgent", "consult"})


@dataclass(frozen=True)
class Reason:
    """One line of "why (not) ready": an i18n key (coach.reason.*) and its parameters.

    `met`: True / False for a readiness criterion that is / is not met; None for a plain
    statement (the final phase).
    """

    key: str
    params: Mapping[str, object] = field(default_factory=dict)
    met: bool | None = None


@dataclass(frozen=True)
class PhaseStatus:
    number: int
    phase: Phase
    day: int  # day N of the phase; its start date is day 1
    started: date
    ready: bool  # ready to move on to `next_phase` (never for the final phase)
    reasons: tuple[Reason, ...]
    final: bool  # the phase has no exit (readiness null)
    # Longer than readiness.max_days in the phase, not ready, and without clear improvement
    # (SPEC §10): that raises `phase-overdue`.
    overdue: bool
    next_phase: int | None = None  # the number of the next phase in content, if any
    # Longer than readiness.max_days and not ready, but improving clearly: told calmly.
    improving_longer: bool = False


@dataclass(frozen=True)
class RoutineItem:
    exercise: Exercise
    dose: Dose
    minutes: int
    reduced: bool  # an easier variant or a lighter dose than the phase's own
    source: str = "coach"  # "programme": prescribed by the therapist (SPEC §12)
    note: object = None  # the therapist's note: {nl?, en?}, a plain string, or None


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
    # The therapist's programme in force on `date` (SPEC §12), as programme.py holds it.
    programme: Mapping[str, object] | None = None


# ------------------------------------------------------------------------------ phases


def current_phase(diary: Diary | None, day: date) -> tuple[int, date]:
    """The phase on `day` and its start: the last phase start on or before `day` (on the
    same date, the later record wins). Before init, or before the diary's first phase
    start: phase 1, starting that day."""
    if diary is None:
        return 1, day
    best: tuple[date, int] | None = None
    for index, record in enumerate(diary["phases"]):
        start = parse_date(record["start"])
        if start <= day and (best is None or (start, index) >= (best[0], best[1])):
            best = (start, index)
    if best is None:
        return 1, day
    return int(diary["phases"][best[1]]["number"]), best[0]


def find_phase(content: Content, number: int) -> Phase:
    """The content's phase `number`; if a custom phases file lacks it, the nearest lower
    phase (else the first)."""
    phases = content["phases"]["phases"]
    lower = [p for p in phases if p["number"] <= number]
    if lower:
        return max(lower, key=lambda p: p["number"])
    return min(phases, key=lambda p: p["number"])


def _next_phase(content: Content, number: int) -> int | None:
    later = [p["number"] for p in content["phases"]["phases"] if p["number"] > number]
    return min(later) if later else None


def phase_status(
    content: Content,
    diary: Diary | None,
    day: date,
    alerts: Sequence[Alert] | None = None,
) -> PhaseStatus:
    """Where the person is, and whether they are ready to move on, with a reason for each
    criterion (met or not).

    `alerts`: the warnings active on `day` if the caller has them (with or without
    `phase-overdue`); otherwise they are worked out here.
    """
    number, started = current_phase(diary, day)
    phase = find_phase(content, number)
    phase_day = (day - started).days + 1
    following = _next_phase(content, phase["number"])
    readiness = phase["readiness"]
    if readiness is None:
        final = (Reason("coach.reason.final", {"phase": phase["number"]}),)
        return PhaseStatus(
            phase["number"], phase, phase_day, started, False, final, True, False, following
        )
    if alerts is None:
        alerts = warnings.base_alerts(content, diary, day)
    ready, reasons = _readiness(content, diary, day, phase_day, readiness, alerts)
    longer = not ready and phase_day > readiness["max_days"]
    improving = longer and diary is not None and improving_clearly(content, diary, started, day)
    return PhaseStatus(
        phase["number"],
        phase,
        phase_day,
        started,
        ready,
        reasons,
        False,
        longer and not improving,
        following,
        improving,
    )


def improving_clearly(content: Content, diary: Diary, started: date, day: date) -> bool:
    """The last window's mean pain at least `min_improvement` below the mean of the phase's
    first window, each with enough scores (SPEC §10). With too few scores on either side
    there is no evidence of a lack of improvement either: then it counts as improving, so
    `phase-overdue` does not fire on a guess."""
    rule = content["phases"]["rules"]["phase_overdue"]
    size, need = rule["window_days"], rule["min_pain_scores"]
    first_last = started + timedelta(days=size - 1)
    early = pain_scores(days(diary["entries"], started, first_last), started, first_last)
    lo, hi = window(day, size)
    late = pain_scores(days(diary["entries"], lo, hi), lo, hi)
    if len(early) < need or len(late) < need:
        return True
    improvement = sum(early) / len(early) - sum(late) / len(late)
    return improvement >= rule["min_improvement"] - EPSILON


def _shown(value: float, limit_met: bool) -> float:
    """`value` to one decimal for display, rounded towards the verdict: a mean of 5.02
    against "at most 5" shows as 5.1, never as a misleading 5.0."""
    if limit_met:
        return math.floor(value * 10 + EPSILON) / 10
    return math.ceil(value * 10 - EPSILON) / 10


def _readiness(
    content: Content,
    diary: Diary | None,
    day: date,
    phase_day: int,
    readiness: Readiness,
    alerts: Sequence[Alert],
) -> tuple[bool, tuple[Reason, ...]]:
    rising_rule = content["phases"]["rules"]["pain_rising"]
    size = readiness["window_days"]
    recent_n, before_n = rising_rule["recent_days"], rising_rule["before_days"]
    lookback = max(size, recent_n + before_n)
    by_day: dict[date, Day] = (
        days(diary["entries"], window(day, lookback)[0], day) if diary is not None else {}
    )
    first, last = window(day, size)
    reasons: list[Reason] = []

    # Days in the phase.
    min_days = readiness["min_days"]
    ok = phase_day >= min_days
    reasons.append(
        Reason(
            "coach.reason.days.met" if ok else "coach.reason.days.short",
            {"day": phase_day, "min_days": min_days},
            ok,
        )
    )

    # Pain scores: how many days with one, and their mean.
    scores = pain_scores(by_day, first, last)
    need = readiness["min_pain_scores"]
    ok = len(scores) >= need
    reasons.append(
        Reason(
            "coach.reason.pain_scores.met" if ok else "coach.reason.pain_scores.short",
            {"count": len(scores), "window": size, "min": need},
            ok,
        )
    )
    top = readiness["max_mean_pain"]
    if scores:
        average = sum(scores) / len(scores)
        ok = average <= top + EPSILON
        reasons.append(
            Reason(
                "coach.reason.mean_pain.met" if ok else "coach.reason.mean_pain.short",
                {"mean": _shown(average, ok), "max": top},
                ok,
            )
        )
    else:
        # Nothing to judge: only "met" when the phase asks for no pain scores at all.
        reasons.append(Reason("coach.reason.mean_pain.none", {"window": size}, need == 0))

    # Exercise days.
    exercised = sum(1 for when, d in by_day.items() if first <= when <= last and d.exercised)
    need = readiness["min_exercise_days"]
    ok = exercised >= need
    reasons.append(
        Reason(
            "coach.reason.exercise.met" if ok else "coach.reason.exercise.short",
            {"count": exercised, "window": size, "min": need},
            ok,
        )
    )

    # No urgent or consult warning. `phase-overdue` is left out on purpose: it is raised
    # *because* the phase is not ready, so counting it would keep an overdue phase from
    # ever becoming ready again.
    blocking = [
        a.id for a in alerts if a.level in BLOCKING_LEVELS and a.id != warnings.PHASE_OVERDUE
    ]
    ok = not blocking
    others = [a.id for a in alerts if a.id not in blocking]
    if ok and others:
        # Warnings that do not hold the next phase back (adjust, phase-overdue) are still
        # warnings: no tick for "no warning" beside them, only a pointer to them.
        reasons.append(Reason("coach.reason.warnings.others", {"ids": ", ".join(others)}, None))
    else:
        reasons.append(
            Reason(
                "coach.reason.warnings.met" if ok else "coach.reason.warnings.short",
                {"count": len(blocking), "ids": ", ".join(blocking)},
                ok,
            )
        )

    # Pain not rising: the mean of the last `recent_days` days at most the mean of the
    # `before_days` days before them plus `margin`. Without scores on either side there is
    # no trend, and no trend is not a rise.
    recent_first, _ = window(day, recent_n)
    recent = pain_scores(by_day, recent_first, day)
    before = pain_scores(
        by_day, recent_first - timedelta(days=before_n), recent_first - timedelta(days=1)
    )
    if recent and before:
        recent_mean, before_mean = sum(recent) / len(recent), sum(before) / len(before)
        ok = recent_mean <= before_mean + rising_rule["margin"] + EPSILON
        reasons.append(
            Reason(
                "coach.reason.rising.met" if ok else "coach.reason.rising.short",
                {
                    "recent_days": recent_n,
                    "recent_mean": _shown(recent_mean, ok),
                    "before_days": before_n,
                    "before_mean": round(before_mean, 1),
                    "margin": rising_rule["margin"],
                },
                ok,
            )
        )
    else:
        reasons.append(
            Reason(
                "coach.reason.rising.unknown",
                {"recent_days": recent_n, "before_days": before_n},
                True,
            )
        )
    ready = all(r.met is not False for r in reasons)
    return ready, tuple(reasons)


# ----------------------------------------------------------------------------- the plan


def walking_goal(content: Content, diary: Diary | None, day: date) -> int:
    """Time-contingent: start_minutes in the first step_days from the diary's start date,
    then step_minutes more each step_days, up to max_minutes. Pain does not change it."""
    rule = content["phases"]["walking"]
    if diary is None:
        return min(rule["start_minutes"], rule["max_minutes"])
    elapsed = max((day - parse_date(diary["profile"]["start_date"])).days, 0)
    steps = elapsed // rule["step_days"]
    return min(rule["start_minutes"] + steps * rule["step_minutes"], rule["max_minutes"])


def dose_for(exercise: Exercise, phase: int) -> Dose | None:
    for dose in exercise["dose"]:
        if dose["phase"] == phase:
            return dose
    return None


def _dose_up_to(exercise: Exercise, phase: int) -> Dose | None:
    """The dose of this phase, else of the nearest lower phase."""
    doses = [d for d in exercise["dose"] if d["phase"] <= phase]
    return max(doses, key=lambda d: d["phase"]) if doses else None


def _allowed(exercise: Exercise, profile: str) -> bool:
    return profile not in (exercise.get("not_for") or ())


def _seed_key(day: date, phase: int, profile: str, exercise_id: str) -> bytes:
    # A stable, well-mixed order per (day, phase, profile); no cryptography needed, and zlib
    # is loaded already, where hashlib would cost ~5 ms of start-up for OpenSSL.
    key = f"{day.isoformat()}:{phase}:{profile}:{exercise_id}".encode()
    return zlib.crc32(key).to_bytes(4, "big") + zlib.adler32(key).to_bytes(4, "big")


def _family(exercise: Exercise, library: Mapping[str, Exercise]) -> set[str]:
    """The exercise and its easier and harder variants (both directions)."""
    own = exercise["id"]
    out = {own}
    for variant in (exercise.get("easier"), exercise.get("harder")):
        if variant:
            out.add(variant)
    for other in library.values():
        if own in (other.get("easier"), other.get("harder")):
            out.add(other["id"])
    return out


def choose_exercises(content: Content, phase: Phase, profile: str, day: date) -> list[Exercise]:
    """The day's exercises, before any load reduction.

    Candidates have a dose in the phase and are not `not_for` the profile. The phase's
    `focus` is what the plan draws on: one exercise of each focus category first, then more
    from the focus categories until the session reaches `session.min_minutes` (other
    categories only if the focus runs out; never walking, which has its own daily goal),
    never going over `session.max_minutes` unless covering the focus alone forces it.
    Never two variants (easier/harder) of one exercise. The candidates' order is a SHA-256
    shuffle of (date, phase, profile, id): the same for the same day, new the next day.
    """
    number = phase["number"]
    session = content["phases"]["session"]
    top = session["max_minutes"]
    library = {e["id"]: e for e in content["exercises"]["exercises"]}
    pool = sorted(
        (e for e in library.values() if dose_for(e, number) is not None and _allowed(e, profile)),
        key=lambda e: _seed_key(day, number, profile, e["id"]),
    )
    focus = [c for c in dict.fromkeys(phase["focus"]) if any(e["category"] == c for e in pool)]
    on_focus = [e for e in pool if e["category"] in focus]
    others = [e for e in pool if e["category"] not in focus and e["category"] != "walking"]
    shortest = {c: min(e["minutes"] for e in on_focus if e["category"] == c) for c in focus}

    picked: list[Exercise] = []
    taken: set[str] = set()  # ids picked, and their variants
    total = 0

    def take(exercise: Exercise) -> None:
        nonlocal total
        picked.append(exercise)
        taken.update(_family(exercise, library))
        total += exercise["minutes"]

    for i, category in enumerate(focus):
        # Leave room for the shortest exercise of each category still to come.
        budget = top - total - sum(shortest[c] for c in focus[i + 1 :])
        options = [e for e in on_focus if e["category"] == category and e["id"] not in taken]
        if not options:  # only variants of earlier picks are left: allow one
            used = {e["id"] for e in picked}
            options = [e for e in on_focus if e["category"] == category and e["id"] not in used]
        fitting = [e for e in options if e["minutes"] <= budget]
        take(fitting[0] if fitting else min(options, key=lambda e: e["minutes"]))
    for exercise in on_focus + others:
        if total >= session["min_minutes"]:
            break
        if exercise["id"] not in taken and total + exercise["minutes"] <= top:
            take(exercise)
    rank = {c: i for i, c in enumerate(CATEGORY_ORDER)}
    return sorted(picked, key=lambda e: rank.get(e["category"], len(rank)))


def _lighter(dose: Dose, minutes: int) -> tuple[Dose, int]:
    """One set fewer (at least one); a single set instead gets a third less of its reps,
    seconds or minutes. The time scales along."""
    lighter = dose.copy()
    sets = dose["sets"]
    if sets > 1:
        lighter["sets"] = sets - 1
        return lighter, max(1, math.ceil(minutes * (sets - 1) / sets))
    for unit in ("reps", "seconds", "minutes"):
        amount = dose.get(unit)
        if isinstance(amount, int):
            # A third less, and never the same amount when a smaller one exists (rounding
            # up 2 x 2/3 would give 2 again).
            lighter[unit] = max(1, min(amount - 1, math.ceil(amount * 2 / 3)))
    return lighter, max(1, math.ceil(minutes * 2 / 3))


def reduce_item(
    exercise: Exercise,
    dose: Dose,
    library: Mapping[str, Exercise],
    phase: int,
    profile: str,
    used: set[str],
) -> RoutineItem:
    """The lighter version of one routine item: its easier variant when that exists, suits
    the profile, is not in the routine already and has a dose in this phase or a lower one
    (that dose is used); else the same exercise with a lighter dose."""
    easier_id = exercise.get("easier")
    easier = library.get(easier_id) if easier_id else None
    if easier is not None and easier["id"] not in used and _allowed(easier, profile):
        easier_dose = _dose_up_to(easier, phase)
        if easier_dose is not None:
            return RoutineItem(easier, easier_dose, easier["minutes"], True)
    lighter, minutes = _lighter(dose, exercise["minutes"])
    return RoutineItem(exercise, lighter, minutes, True)


def routine(
    content: Content, phase: Phase, profile: str, day: date, load: str = LOAD_NORMAL
) -> tuple[RoutineItem, ...]:
    """The day's routine for this load: empty while paused; lighter items when reduced."""
    if load == LOAD_PAUSED:
        return ()
    number = phase["number"]
    chosen = choose_exercises(content, phase, profile, day)
    items = []
    for exercise in chosen:
        dose = dose_for(exercise, number)
        assert dose is not None  # chosen only with a dose in this phase
        items.append(RoutineItem(exercise, dose, exercise["minutes"], False))
    if load != LOAD_REDUCED:
        return tuple(items)
    library = {e["id"]: e for e in content["exercises"]["exercises"]}
    used = {e["id"] for e in chosen}
    out = []
    for item in items:
        lighter = reduce_item(item.exercise, item.dose, library, number, profile, used)
        used.add(lighter.exercise["id"])
        out.append(lighter)
    return tuple(out)


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
        out[slot] = tuple(i for i in ids if i in library and _allowed(library[i], profile))
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
    base = warnings.base_alerts(content, diary, day)
    status = phase_status(content, diary, day, alerts=base)
    alerts = tuple(warnings.with_phase_overdue(content, diary, base, status, day))
    load = load_for(alerts)
    items = routine(content, status.phase, profile, day, load)
    walk = walking_goal(content, diary, day)
    if programme is not None:
        from rugcoach import programme as programmes

        if programmes.in_force(programme, day):
            walk = programmes.walk_goal(programme, walk)
            # The safety rules stand above the prescription: a paused day stays empty.
            items = (
                ()
                if load == LOAD_PAUSED
                else programmes.routine(
                    programme, content, status.number, profile, day, load == LOAD_REDUCED
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
        walk_minutes_goal=None if paused else walk,
        daily_routines={slot: () for slot in SLOTS} if paused else daily_routines(content, profile),
        tip=None if paused else tip_of_the_day(content, day),
        warnings=alerts,
        programme=programme,
    )
