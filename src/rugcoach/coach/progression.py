"""Graded activity (SPEC §11): programme weeks, dose steps, the person's feedback, fitting.

A phase runs in programme weeks of 7 days from its start date; the routine of each week is
`coach/rotation.py`'s. Doses grow one step for each earlier week of the phase that counted;
"too hard" makes an exercise easier for the rest of its week, "too easy" twice in a week
brings the harder variant (or one extra step) the next week.

Pure and standard library only (the `rugcoach today` hot path): no clock, no files. Costs
stay small on a ten-year diary: the diary is read once for the phase's feedback, and the
step rule looks at the weeks of the current phase only, and stops once no dose could step
any further.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from rugcoach.coach import alerts, selection
from rugcoach.coach.timeline import parse_date

if TYPE_CHECKING:
    from rugcoach.schema import Content, Diary, Dose, Entry, Exercise, Progression

WEEK_DAYS = 7
# Estimating how long a dose takes, to scale an exercise's minutes with its dose.
REP_SECONDS = 4
REST_SECONDS = 30
SWITCH_SECONDS = 5
# The adjust rules look back at most this far (pain-flare: 7 days before D-1); a margin on
# top, so that a week's warnings can be judged on the entries near it alone.
LOOKBACK_DAYS = 31


def week_of(started: date, day: date) -> int:
    """The programme week of `day` in a phase that started on `started` (week 1 first)."""
    return max((day - started).days, 0) // WEEK_DAYS + 1


def week_first(started: date, week: int) -> date:
    return started + timedelta(days=WEEK_DAYS * (week - 1))


# ------------------------------------------------------------------------------- doses


def stepped(dose: Dose, steps: int, rule: Progression | None) -> tuple[Dose, int]:
    """`dose` after `steps` steps, and how many steps it really took: each adds the unit's
    step up to its top, then one set up to `sets_top`; never more than `max_steps`."""
    if rule is None or steps <= 0:
        return dose, 0
    out = dose.copy()
    unit = next(u for u in ("reps", "seconds", "minutes") if u in dose)
    grow = rule["steps"][unit]
    taken = 0
    for _ in range(min(steps, rule["max_steps"])):
        amount: int = out[unit]
        if amount < grow["top"]:
            out[unit] = min(amount + grow["step"], grow["top"])
        elif out["sets"] < grow.get("sets_top", 0):
            out["sets"] = out["sets"] + 1
        else:
            break
        taken += 1
    return out, taken


def dose_seconds(dose: Dose) -> int:
    """About how long a dose takes: work, side switches and rests between sets."""
    if "seconds" in dose:
        work = dose["seconds"]
    elif "reps" in dose:
        work = dose["reps"] * REP_SECONDS
    else:
        work = dose.get("minutes", 1) * 60
    sides = 2 if dose.get("per_side") else 1
    sets = dose["sets"]
    rest = dose.get("rest_seconds", REST_SECONDS)
    return sets * (work * sides + SWITCH_SECONDS * (sides - 1)) + rest * (sets - 1)


def scaled_minutes(minutes: int, start: Dose, dose: Dose) -> int:
    """An exercise's minutes (given for its starting dose) for another dose of it."""
    if dose == start:
        return minutes
    return max(1, round(minutes * dose_seconds(dose) / max(dose_seconds(start), 1)))


# ----------------------------------------------------------------------------- fitting


def glides_for_profile(content: Content, profile: str) -> bool:
    """Nerve glides belong in every week's routine of this profile."""
    rule = content["phases"].get("fitting")
    return rule is None or profile in rule["nerve_glide_profiles"]


def glide_symptoms_lately(content: Content, diary: Diary | None, day: date) -> bool:
    """A leg symptom that calls for nerve glides was noted in the last days (SPEC §11)."""
    return read(content, diary, day.replace(year=max(day.year - 1, 1)), day, 0).glides_lately


def fits_for(content: Content, profile: str) -> Callable[[Exercise], bool]:
    glides = glides_for_profile(content, profile)
    return lambda e: glides or e["category"] != selection.NERVE_GLIDE


# ---------------------------------------------------------------------------- feedback


@dataclass(frozen=True)
class Feedback:
    """ "Too hard" / "too easy" noted in a phase, before the day asked: id -> dates."""

    hard: Mapping[str, tuple[date, ...]]
    easy: Mapping[str, tuple[date, ...]]

    def hard_since(self, first: date) -> set[str]:
        return {i for i, dates in self.hard.items() if any(d >= first for d in dates)}

    def easy_weeks(self, started: date, need: int) -> dict[int, frozenset[str]]:
        """Per programme week, the ids called too easy on at least `need` of its days."""
        out: dict[int, set[str]] = {}
        for ex_id, dates in self.easy.items():
            per_week: dict[int, int] = {}
            for d in dates:
                week = week_of(started, d)
                per_week[week] = per_week.get(week, 0) + 1
            for week, count in per_week.items():
                if count >= need:
                    out.setdefault(week, set()).add(ex_id)
        return {w: frozenset(ids) for w, ids in out.items()}


@dataclass(frozen=True)
class PhaseNotes:
    """What the plan of a day needs from the diary, read in one pass over it."""

    feedback: Feedback  # from the phase's start up to the day before
    glides_lately: bool  # a leg symptom for nerve glides in the last days
    near: list[Entry]  # by date: the phase's first `weeks` weeks, and a little before
    dates: list[str]  # their dates
    weeks: int


def read(
    content: Content,
    diary: Diary | None,
    started: date,
    day: date,
    weeks: int,
    feedback_from: date | None = None,
) -> PhaseNotes:
    """The feedback of entries dated from `feedback_from` (default: `started`) up to the day
    before `day` (feedback only ever changes the days after it was given), recent leg
    symptoms, and the entries near the phase's first `weeks` weeks (for the step rule).

    A diary in date order (as rugcoach writes it) is read by bisection, so ten years cost
    no more than ten weeks; any other order is read in one pass."""
    hard: dict[str, set[date]] = {}
    easy: dict[str, set[date]] = {}
    near: list[Entry] = []
    lately = False
    if diary is not None:
        fitting = content["phases"].get("fitting")
        wanted = set(fitting["nerve_glide_symptoms"]) if fitting else set()
        glide_lo = day - timedelta(days=(fitting["nerve_glide_days"] if fitting else 1) - 1)
        first = max(started, feedback_from or started).isoformat()
        last, today = (day - timedelta(days=1)).isoformat(), day.isoformat()
        near_lo = (started - timedelta(days=LOOKBACK_DAYS)).isoformat()
        near_hi = (week_first(started, weeks) + timedelta(days=WEEK_DAYS - 1)).isoformat()
        entries = diary["entries"]
        dates = [e["date"] for e in entries]
        if dates == sorted(dates):

            def span(lo: str, hi: str) -> list[Entry]:
                return entries[bisect.bisect_left(dates, lo) : bisect.bisect_right(dates, hi)]

            near = span(near_lo, min(near_hi, today)) if weeks else []
            glide_span = span(glide_lo.isoformat(), today) if wanted else []
            said = span(first, last)
        else:
            near = [e for e in entries if near_lo <= e["date"] <= min(near_hi, today)]
            near = near if weeks else []
            glide_span = [e for e in entries if glide_lo.isoformat() <= e["date"] <= today]
            said = [e for e in entries if first <= e["date"] <= last]
        lately = any(not wanted.isdisjoint(e.get("symptoms") or ()) for e in glide_span)
        for entry in said:
            if entry.get("hard") or entry.get("easy"):
                parsed = parse_date(entry["date"])
                for ex_id in entry.get("hard") or ():
                    hard.setdefault(ex_id, set()).add(parsed)
                for ex_id in entry.get("easy") or ():
                    easy.setdefault(ex_id, set()).add(parsed)
    near = sorted(near, key=lambda e: e["date"])
    notes = Feedback(
        {i: tuple(sorted(d)) for i, d in hard.items()},
        {i: tuple(sorted(d)) for i, d in easy.items()},
    )
    return PhaseNotes(notes, lately, near, [e["date"] for e in near], weeks)


def feedback(diary: Diary | None, started: date, day: date) -> Feedback:
    """The feedback of entries dated from `started` up to the day before `day`."""
    return read({"phases": {}}, diary, started, day, 0).feedback  # type: ignore[typeddict-item]


# ------------------------------------------------------------------------ counted weeks


def adjust_active(content: Content, diary: Diary, day: date) -> bool:
    """An `adjust` warning is active on `day` (the one place the step rule asks)."""
    return alerts.adjust_active(content, diary, day)


def week_steps(
    content: Content,
    diary: Diary | None,
    started: date,
    week: int,
    notes: PhaseNotes | None = None,
) -> list[int]:
    """The step of each programme week 1 … `week` of the phase: how many earlier weeks
    counted (a week counts unless an adjust warning was active on `adjust_days` or more of
    its days). Counting stops at `max_steps`, beyond which no dose steps any further.
    `notes`: the diary read for these weeks already (`read`)."""
    rule = content["phases"].get("progression")
    if rule is None:
        return [0] * week
    cap = rule["max_steps"]
    if diary is None:
        return [min(n, cap) for n in range(week)]
    out = [0]
    horizon = notes.weeks if notes is not None else 0  # the last week with entries at hand
    near, dates = (notes.near, notes.dates) if notes is not None else ([], [])
    for number in range(1, week):
        count = out[-1]
        if count < cap:
            if number > horizon:
                # More of the phase's entries, only if they are needed (once every dose
                # is at its top, no later week matters).
                horizon = min(week - 1, max(2 * horizon, steps_horizon(cap)))
                near, dates = _entries_near(diary, started, horizon)
            if _week_counts(content, diary, near, dates, started, number, rule["adjust_days"]):
                count += 1
        out.append(count)
    return out


def steps_horizon(cap: int) -> int:
    """How many weeks of entries to read at first for the step rule: enough for every
    dose to reach its top even when some weeks do not count."""
    return 3 * cap + 4


def _entries_near(diary: Diary, started: date, weeks: int) -> tuple[list[Entry], list[str]]:
    """The entries of the phase's first `weeks` weeks (and a little before), by date."""
    lo = (started - timedelta(days=LOOKBACK_DAYS)).isoformat()
    hi = (week_first(started, weeks) + timedelta(days=WEEK_DAYS - 1)).isoformat()
    near = sorted((e for e in diary["entries"] if lo <= e["date"] <= hi), key=lambda e: e["date"])
    return near, [e["date"] for e in near]


def lookback_days(content: Content) -> int:
    """How far back the diary rules look (their `*_days` thresholds), with a margin: a
    week's warnings can be judged on the entries of those days alone."""
    found: list[int] = []

    def collect(node: object, key: str = "") -> None:
        if isinstance(node, dict):
            for name, value in node.items():
                collect(value, str(name))
        elif isinstance(node, int) and not isinstance(node, bool) and key.endswith("days"):
            found.append(node)

    collect(content["phases"]["rules"])
    return min(max(found, default=LOOKBACK_DAYS) + 2, LOOKBACK_DAYS)


def _week_counts(
    content: Content,
    diary: Diary,
    near: Sequence[Entry],
    dates: Sequence[str],
    started: date,
    week: int,
    limit: int,
) -> bool:
    first = week_first(started, week)
    last = first + timedelta(days=WEEK_DAYS - 1)
    lo = bisect.bisect_left(dates, (first - timedelta(days=lookback_days(content))).isoformat())
    hi = bisect.bisect_right(dates, last.isoformat())
    if lo == hi:
        return True  # nothing noted near this week: no warning could be active
    nearby: Diary = {**diary, "entries": list(near[lo:hi])}
    flagged = 0
    for offset in range(WEEK_DAYS):
        if flagged + WEEK_DAYS - offset < limit:
            return True  # the days left cannot make it a week that does not count
        if adjust_active(content, nearby, first + timedelta(days=offset)):
            flagged += 1
            if flagged >= limit:
                return False
    return True
