"""The phase and its readiness (SPEC §5, §11): which phase the person is in on a day, since
when, and whether they are ready to move on, with a reason for each criterion.

Pure: standard library only (the `rugcoach today` hot path), never reads the clock, files
or environment. Every threshold comes from content; `coach.plan` puts the status in the
day's plan, and `phase-overdue` (`coach.alerts`) is raised from it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from rugcoach.coach import alerts as alert_rules
from rugcoach.coach import progression
from rugcoach.coach.alerts import Alert
from rugcoach.coach.timeline import EPSILON, Day, days, pain_scores, parse_date, window

if TYPE_CHECKING:
    from rugcoach.schema import Content, Diary, Phase, Readiness

# The profile of a person without a diary yet.
DEFAULT_PROFILE = "general"
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
    week: int = 1  # the programme week of the phase (SPEC §11): 7 days from its start


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
    week = progression.week_of(started, day)
    readiness = phase["readiness"]
    if readiness is None:
        final = (Reason("coach.reason.final", {"phase": phase["number"]}),)
        return PhaseStatus(
            phase["number"], phase, phase_day, started, False, final, True, False, following,
            week=week,
        )  # fmt: skip
    if alerts is None:
        alerts = alert_rules.base_alerts(content, diary, day)
    profile = diary["profile"]["profile"] if diary is not None else DEFAULT_PROFILE
    rule = for_profile(readiness, profile)
    ready, reasons = _readiness(content, diary, day, phase_day, rule, alerts)
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
        improving_longer=improving,
        week=week,
    )


@dataclass(frozen=True)
class ReadinessRule:
    """A phase's readiness as it applies to one profile (SPEC §11)."""

    base: Readiness
    profile: str
    min_days: int
    min_pain_scores: int
    max_mean_pain: float | None  # None: no pain ceiling
    min_exercise_days: int
    blocking: frozenset[str]  # the warning levels that hold the phase back


def for_profile(readiness: Readiness, profile: str) -> ReadinessRule:
    own = (readiness.get("profiles") or {}).get(profile) or {}  # type: ignore[call-overload]
    return ReadinessRule(
        readiness,
        profile,
        own.get("min_days", readiness["min_days"]),
        own.get("min_pain_scores", readiness["min_pain_scores"]),
        own["max_mean_pain"] if "max_mean_pain" in own else readiness["max_mean_pain"],
        own.get("min_exercise_days", readiness["min_exercise_days"]),
        frozenset(own.get("blocking_levels", BLOCKING_LEVELS)),
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
    rule: ReadinessRule,
    alerts: Sequence[Alert],
) -> tuple[bool, tuple[Reason, ...]]:
    readiness = rule.base
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
    min_days = rule.min_days
    ok = phase_day >= min_days
    reasons.append(
        Reason(
            "coach.reason.days.met" if ok else "coach.reason.days.short",
            {"day": phase_day, "min_days": min_days},
            ok,
        )
    )

    # Pain scores: how many days with one, and their mean (none of this without a pain
    # ceiling: then the calendar decides, and pain only guards through its trend).
    scores = pain_scores(by_day, first, last)
    need = rule.min_pain_scores
    if need > 0 or rule.max_mean_pain is not None:
        ok = len(scores) >= need
        reasons.append(
            Reason(
                "coach.reason.pain_scores.met" if ok else "coach.reason.pain_scores.short",
                {"count": len(scores), "window": size, "min": need},
                ok,
            )
        )
    top = rule.max_mean_pain
    if top is None:
        reasons.append(Reason("coach.reason.no_ceiling", {"profile": rule.profile}))
    elif scores:
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
    need = rule.min_exercise_days
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
        a.id for a in alerts if a.level in rule.blocking and a.id != alert_rules.PHASE_OVERDUE
    ]
    ok = not blocking
    # Holding back for an adjust signal too (chronic pain) is a rule of its own: say so.
    kind = "warnings_all" if "adjust" in rule.blocking else "warnings"
    others = [a.id for a in alerts if a.id not in blocking]
    if ok and others:
        # Warnings that do not hold the next phase back (adjust, phase-overdue) are still
        # warnings: no tick for "no warning" beside them, only a pointer to them.
        reasons.append(Reason("coach.reason.warnings.others", {"ids": ", ".join(others)}, None))
    else:
        reasons.append(
            Reason(
                f"coach.reason.{kind}.met" if ok else f"coach.reason.{kind}.short",
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
