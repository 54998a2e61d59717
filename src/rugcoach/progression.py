"""Graded activity (SPEC §11): programme weeks, dose steps, the person's feedback, fitting.

A phase runs in programme weeks of 7 days from its start date. Within a week the routine is
the same every day, so it can be learned; each new week one exercise makes way for another
(the one done longest goes first, replaced by one of the same category the person has not
done for longest), so the focus stays covered and the routine moves on slowly. Doses grow
one step for each earlier week of the phase that counted; "too easy" twice in a week brings
the harder variant (or one extra step) the next week.

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

from rugcoach import selection, warnings
from rugcoach.timeline import parse_date

if TYPE_CHECKING:
    from rugcoach.schema import Content, Diary, Dose, Entry, Exercise, Phase, Progression

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
    grow = rule["steps"][unit]  # type: ignore[literal-required]
    taken = 0
    for _ in range(min(steps, rule["max_steps"])):
        amount: int = out[unit]  # type: ignore[literal-required]
        if amount < grow["top"]:
            out[unit] = min(amount + grow["step"], grow["top"])  # type: ignore[literal-required]
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
    rule = content["phases"].get("fitting")
    if rule is None or diary is None:
        return False
    first = (day - timedelta(days=rule["nerve_glide_days"] - 1)).isoformat()
    last = day.isoformat()
    wanted = set(rule["nerve_glide_symptoms"])
    return any(
        first <= e["date"] <= last and wanted.intersection(e.get("symptoms") or ())
        for e in diary["entries"]
    )


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


def feedback(diary: Diary | None, started: date, day: date) -> Feedback:
    """The feedback of entries dated from `started` up to the day before `day`: feedback
    only ever changes the days after it was given."""
    hard: dict[str, set[date]] = {}
    easy: dict[str, set[date]] = {}
    if diary is not None:
        lo, hi = started.isoformat(), (day - timedelta(days=1)).isoformat()
        for entry in diary["entries"]:
            if not (entry.get("hard") or entry.get("easy")) or not lo <= entry["date"] <= hi:
                continue
            when = parse_date(entry["date"])
            for ex_id in entry.get("hard") or ():
                hard.setdefault(ex_id, set()).add(when)
            for ex_id in entry.get("easy") or ():
                easy.setdefault(ex_id, set()).add(when)
    return Feedback(
        {i: tuple(sorted(d)) for i, d in hard.items()},
        {i: tuple(sorted(d)) for i, d in easy.items()},
    )


# ------------------------------------------------------------------------ counted weeks


def adjust_active(content: Content, diary: Diary, day: date) -> bool:
    """An `adjust` warning is active on `day` (the one place the step rule asks)."""
    return any(a.level == "adjust" for a in warnings.base_alerts(content, diary, day))


def week_steps(content: Content, diary: Diary | None, started: date, week: int) -> list[int]:
    """The step of each programme week 1 … `week` of the phase: how many earlier weeks
    counted (a week counts unless an adjust warning was active on `adjust_days` or more of
    its days). Counting stops at `max_steps`, beyond which no dose steps any further."""
    rule = content["phases"].get("progression")
    if rule is None:
        return [0] * week
    cap = rule["max_steps"]
    if diary is None:
        return [min(n, cap) for n in range(week)]
    # The phase's entries (and a little before it), by date, read once.
    lo = (started - timedelta(days=LOOKBACK_DAYS)).isoformat()
    near = sorted((e for e in diary["entries"] if e["date"] >= lo), key=lambda e: e["date"])
    dates = [e["date"] for e in near]
    out = [0]
    for number in range(1, week):
        count = out[-1]
        if count < cap and _week_counts(
            content, diary, near, dates, started, number, rule["adjust_days"]
        ):
            count += 1
        out.append(count)
    return out


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
    lo = bisect.bisect_left(dates, (first - timedelta(days=LOOKBACK_DAYS)).isoformat())
    hi = bisect.bisect_right(dates, last.isoformat())
    if lo == hi:
        return True  # nothing noted near this week: no warning could be active
    nearby: Diary = {**diary, "entries": list(near[lo:hi])}
    flagged = 0
    for offset in range(WEEK_DAYS):
        if adjust_active(content, nearby, first + timedelta(days=offset)):
            flagged += 1
            if flagged >= limit:
                return False
    return True


# ------------------------------------------------------------------------ weekly routine


@dataclass(frozen=True)
class Slot:
    id: str
    extra: int  # extra steps from "too easy"
    since: int  # the week it came into the routine


@dataclass(frozen=True)
class Week:
    """A programme week's routine (before the day's feedback and load), and what changed
    since the week before."""

    number: int
    slots: tuple[Slot, ...]  # in session order
    added: tuple[str, ...]  # new this week (ids)
    removed: tuple[str, ...]  # gone since last week
    harder: tuple[tuple[str, str], ...]  # (was, now): a harder variant after "too easy"
    extra: tuple[str, ...]  # one extra step after "too easy"


def week_routine(
    content: Content,
    phase: Phase,
    profile: str,
    started: date,
    week: int,
    easy_weeks: Mapping[int, frozenset[str]] | None = None,
    steps: Sequence[int] | None = None,
) -> Week:
    """The routine of programme `week`: week 1 is drawn for the phase's start date; each
    later week follows from the one before (see the module's docstring). `steps`: the step
    of each week (from `week_steps`), so the routine keeps to the session's minutes as its
    doses grow."""
    rule = content["phases"].get("progression")
    number_of_phase = phase["number"]
    fits = fits_for(content, profile)
    library = {e["id"]: e for e in content["exercises"]["exercises"]}
    candidates = selection.pool(content, phase, profile, started, fits)
    by_category: dict[str, list[Exercise]] = {}
    for ex in candidates:
        by_category.setdefault(ex["category"], []).append(ex)
    focus = [c for c in dict.fromkeys(phase["focus"]) if c in by_category]
    fill_order = [e for c in focus for e in by_category[c]] + [
        e for e in candidates if e["category"] not in focus and e["category"] != "walking"
    ]
    related = selection.families(library)
    rank = {e["id"]: i for i, e in enumerate(candidates)}
    session = content["phases"]["session"]
    easy_weeks = easy_weeks or {}
    known: dict[tuple[str, int], int] = {}

    def minutes_at(ex_id: str, step: int) -> int:
        if (ex_id, step) not in known:
            ex = library[ex_id]
            start = selection.dose_up_to(ex, number_of_phase)
            assert start is not None
            known[ex_id, step] = scaled_minutes(ex["minutes"], start, stepped(start, step, rule)[0])
        return known[ex_id, step]

    first = selection.choose_exercises(content, phase, profile, started, fits)
    slots = [Slot(e["id"], 0, 1) for e in first]
    last_used = {s.id: 1 for s in slots}
    before: list[Slot] = list(slots)
    harder: list[tuple[str, str]] = []
    extra: list[str] = []
    for number in range(2, week + 1):
        step = steps[number - 1] if steps is not None and len(steps) >= number else 0
        before = list(slots)
        harder, extra = [], []
        kept: set[str] = set()  # changed by feedback: not rotated out this week
        easy = easy_weeks.get(number - 1, frozenset())
        for i, slot in enumerate(slots):
            if slot.id not in easy:
                continue
            up = library[slot.id].get("harder")
            ids = {s.id for s in slots}
            if up and up in rank and up not in ids:
                slots[i] = Slot(up, 0, number)
                harder.append((slot.id, up))
                kept.add(up)
            else:
                slots[i] = Slot(slot.id, slot.extra + 1, slot.since)
                extra.append(slot.id)
                kept.add(slot.id)
        plan = _Rotation(
            slots, kept, number, library, related, rank, last_used, session,
            lambda ex_id, s=step: minutes_at(ex_id, s),
        )  # fmt: skip
        plan.rotate(by_category)
        plan.trim(focus)
        plan.fill(fill_order)
        for slot in slots:
            last_used[slot.id] = number
    ordered = selection.in_session_order(slots, lambda s: library[s.id]["category"])
    was = {s.id for s in before} if week > 1 else {s.id for s in slots}
    now = {s.id for s in slots}
    return Week(
        week,
        tuple(ordered),
        tuple(s.id for s in ordered if s.id not in was),
        tuple(i for i in (s.id for s in before) if i not in now),
        tuple(harder),
        tuple(extra),
    )


@dataclass
class _Rotation:
    """One week's change to the routine (in place on `slots`)."""

    slots: list[Slot]
    kept: set[str]  # not to be rotated out this week
    number: int
    library: Mapping[str, Exercise]
    related: Mapping[str, frozenset[str]]
    rank: Mapping[str, int]
    last_used: Mapping[str, int]
    session: Mapping[str, int]
    minutes: Callable[[str], int]  # an exercise's minutes at this week's step

    def total(self) -> int:
        return sum(self.minutes(s.id) for s in self.slots)

    def blocked(self, leaving: Slot | None = None) -> set[str]:
        out: set[str] = set()
        for other in self.slots:
            if other is not leaving:
                out |= self.related.get(other.id, {other.id})
        return out

    def longest_unused(self, options: list[Exercise]) -> Exercise:
        return min(options, key=lambda e: (self.last_used.get(e["id"], 0), self.rank[e["id"]]))

    def rotate(self, by_category: Mapping[str, list[Exercise]]) -> None:
        """Replace the exercise done longest by another of its category: not in the
        routine, no variant of another one in it, within the session's minutes where
        possible, the one not done for longest (never done first)."""
        ids = {s.id for s in self.slots}
        total = self.total()
        slots = self.slots
        for i in sorted(range(len(slots)), key=lambda i: (slots[i].since, i)):
            slot = slots[i]
            if slot.id in self.kept:
                continue
            blocked = self.blocked(slot)
            category = self.library[slot.id]["category"]
            options = [
                e
                for e in by_category.get(category, ())
                if e["id"] not in ids and e["id"] not in blocked
            ]
            if not options:
                continue
            rest = total - self.minutes(slot.id)
            low, high = self.session["min_minutes"], self.session["max_minutes"]
            within = [e for e in options if low <= rest + self.minutes(e["id"]) <= high]
            slots[i] = Slot(self.longest_unused(within or options)["id"], 0, self.number)
            return

    def trim(self, focus: Sequence[str]) -> None:
        """Over the session's minutes as doses grow: the exercise done longest makes way,
        as long as the focus stays covered."""
        while self.total() > self.session["max_minutes"] and len(self.slots) > 1:
            counts: dict[str, int] = {}
            for s in self.slots:
                category = self.library[s.id]["category"]
                counts[category] = counts.get(category, 0) + 1
            removable = [
                s
                for s in self.slots
                if s.id not in self.kept
                and s.since < self.number
                and (
                    self.library[s.id]["category"] not in focus
                    or counts[self.library[s.id]["category"]] > 1
                )
            ]
            if removable:
                self.slots.remove(min(removable, key=lambda s: s.since))
            elif not self.shorten():
                return

    def shorten(self) -> bool:
        """Swap the longest exercise for a shorter one of its category, if there is one."""
        ids = {s.id for s in self.slots}
        for slot in sorted(self.slots, key=lambda s: -self.minutes(s.id)):
            if slot.id in self.kept:
                continue
            blocked = self.blocked(slot)
            category = self.library[slot.id]["category"]
            options = [
                e
                for e in self.library.values()
                if e["id"] in self.rank
                and e["category"] == category
                and e["id"] not in ids
                and e["id"] not in blocked
                and self.minutes(e["id"]) < self.minutes(slot.id)
            ]
            if options:
                pick = min(options, key=lambda e: (self.minutes(e["id"]), self.rank[e["id"]]))
                self.slots[self.slots.index(slot)] = Slot(pick["id"], 0, self.number)
                return True
        return False

    def fill(self, order: Sequence[Exercise]) -> None:
        """Under the session's minutes: one more exercise, from the focus first."""
        while True:
            total = self.total()
            if total >= self.session["min_minutes"]:
                return
            ids = {s.id for s in self.slots}
            blocked = self.blocked()
            room = self.session["max_minutes"] - total
            options = [
                e
                for e in order
                if e["id"] not in ids and e["id"] not in blocked and self.minutes(e["id"]) <= room
            ]
            if not options:
                return
            self.slots.append(Slot(self.longest_unused(options)["id"], 0, self.number))
