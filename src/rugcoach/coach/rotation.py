"""The routine of a programme week (SPEC §11): the same all week, one change a week.

Week 1 of a phase is drawn for its start date (`selection.choose_exercises`). Each later
week follows from the one before: first the person's "too easy" of last week (the harder
variant, or one extra step), then one exercise makes way — the one done longest, for one of
its category that has not been done for longest (never done first), so the focus stays
covered — and the routine keeps to the session's minutes as the doses grow.

A long phase (the final one can last years) is planned in blocks of BLOCK_WEEKS weeks:
each block starts from a routine drawn for its first day, checked against the last week of
the block before, so `today` costs the same after ten years as after ten weeks.

Pure and standard library only (the `rugcoach today` hot path).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rugcoach.coach import selection
from rugcoach.coach.progression import fits_for, scaled_minutes, stepped, week_first

if TYPE_CHECKING:
    from rugcoach.schema import Content, Exercise, Phase, Session

BLOCK_WEEKS = 13  # a quarter of a year
CHECK_DEPTH = 2  # how many blocks back a block's start is checked exactly


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
    """The routine of programme `week` of a phase that started on `started`.

    `easy_weeks`: per week, the ids called too easy on enough of its days; `steps`: the
    step of each week 1 … `week` (`progression.week_steps`)."""
    planner = _Planner(content, phase, profile, started, easy_weeks or {}, steps or ())
    block = (week - 1) // BLOCK_WEEKS
    first = block * BLOCK_WEEKS + 1
    slots = planner.block_start(block, 0)
    before = planner.ending if block > 0 else list(slots)
    harder: list[tuple[str, str]] = []
    extra: list[str] = []
    for number in range(first + 1, week + 1):
        before = list(slots)
        harder, extra = planner.advance(slots, number)
    library = planner.library
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


def first_week_day(started: date, week: int) -> date:
    """The first day whose feedback the plan of `week` can depend on: the start of the
    earliest block it looks back to."""
    block = max((week - 1) // BLOCK_WEEKS - CHECK_DEPTH, 0)
    return week_first(started, block * BLOCK_WEEKS + 1)


class _Planner:
    """What every week of one phase's plan needs, worked out once."""

    def __init__(
        self,
        content: Content,
        phase: Phase,
        profile: str,
        started: date,
        easy_weeks: Mapping[int, frozenset[str]],
        steps: Sequence[int],
    ) -> None:
        self.content, self.phase, self.profile, self.started = content, phase, profile, started
        self.easy_weeks, self.steps = easy_weeks, steps
        self.rule = content["phases"].get("progression")
        self.fits = fits_for(content, profile)
        self.library = {e["id"]: e for e in content["exercises"]["exercises"]}
        self.candidates = selection.pool(content, phase, profile, started, self.fits)
        self.by_category: dict[str, list[Exercise]] = {}
        for ex in self.candidates:
            self.by_category.setdefault(ex["category"], []).append(ex)
        self.focus = [c for c in dict.fromkeys(phase["focus"]) if c in self.by_category]
        self.fill_order = [e for c in self.focus for e in self.by_category[c]] + [
            e
            for e in self.candidates
            if e["category"] not in self.focus and e["category"] != "walking"
        ]
        self.related = selection.families(self.library)
        self.rank = {e["id"]: i for i, e in enumerate(self.candidates)}
        self.session = content["phases"]["session"]
        self.last_used: dict[str, int] = {}
        self.ending: list[Slot] = []  # the last week of the block before the one asked
        self._minutes: dict[tuple[str, int], int] = {}

    def step_of(self, number: int) -> int:
        return self.steps[number - 1] if 0 < number <= len(self.steps) else 0

    def minutes_at(self, ex_id: str, step: int) -> int:
        key = (ex_id, step)
        if key not in self._minutes:
            ex = self.library[ex_id]
            start = selection.dose_up_to(ex, self.phase["number"])
            assert start is not None
            dose = stepped(start, step, self.rule)[0]
            self._minutes[key] = scaled_minutes(ex["minutes"], start, dose)
        return self._minutes[key]

    def block_start(self, block: int, depth: int) -> list[Slot]:
        """The routine of a block's first week: drawn for its first day; if that is the
        very routine the block before ended with, one exercise changes."""
        number = block * BLOCK_WEEKS + 1
        day = week_first(self.started, number)
        drawn = selection.choose_exercises(self.content, self.phase, self.profile, day, self.fits)
        slots = [Slot(e["id"], 0, number) for e in drawn]
        self.last_used = {s.id: number for s in slots}
        if block > 0:  # drawn at the starting doses: keep to the minutes at this step
            plan = self.rotation(slots, set(), number)
            plan.trim(self.focus, fresh=True)
            plan.fill(self.fill_order)
        if block > 0 and depth < CHECK_DEPTH:
            ending = self.block_end(block - 1, depth + 1)
            if depth == 0:
                self.ending = list(ending)
            if {s.id for s in ending} == {s.id for s in slots}:
                self.last_used = {s.id: number - 1 for s in ending}
                self.rotation(slots, set(), number).rotate(self.by_category)
        # Each block starts afresh: what it plans never depends on how far back it looked.
        self.last_used = {s.id: number for s in slots}
        return slots

    def block_end(self, block: int, depth: int) -> list[Slot]:
        """The routine of a block's last week."""
        slots = self.block_start(block, depth)
        for number in range(block * BLOCK_WEEKS + 2, (block + 1) * BLOCK_WEEKS + 1):
            self.advance(slots, number)
        return slots

    def rotation(self, slots: list[Slot], kept: set[str], number: int) -> _Rotation:
        step = self.step_of(number)
        return _Rotation(
            slots, kept, number, self.library, self.related, self.rank, self.last_used,
            self.session, lambda ex_id: self.minutes_at(ex_id, step),
        )  # fmt: skip

    def advance(self, slots: list[Slot], number: int) -> tuple[list[tuple[str, str]], list[str]]:
        """From the routine of week `number - 1` to that of `number`, in place; what the
        person's "too easy" of last week changed."""
        harder: list[tuple[str, str]] = []
        extra: list[str] = []
        kept: set[str] = set()  # changed by feedback: not rotated out this week
        easy = self.easy_weeks.get(number - 1, frozenset())
        for i, slot in enumerate(slots):
            if slot.id not in easy:
                continue
            up = self.library[slot.id].get("harder")
            if up and up in self.rank and up not in {s.id for s in slots}:
                slots[i] = Slot(up, 0, number)
                harder.append((slot.id, up))
                kept.add(up)
            else:
                slots[i] = Slot(slot.id, slot.extra + 1, slot.since)
                extra.append(slot.id)
                kept.add(slot.id)
        plan = self.rotation(slots, kept, number)
        plan.rotate(self.by_category)
        plan.trim(self.focus)
        plan.fill(self.fill_order)
        for slot in slots:
            self.last_used[slot.id] = number
        return harder, extra


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
    session: Session
    minutes: Callable[[str], int]  # an exercise's minutes at this week's step

    def __post_init__(self) -> None:
        # What last week held: nothing that makes way this week comes back the same week.
        self.last_week = {s.id for s in self.slots}

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
            if not within:  # over the minutes already: at least no longer than before
                within = [e for e in options if self.minutes(e["id"]) <= self.minutes(slot.id)]
            pick = (
                self.longest_unused(within)
                if within
                else min(options, key=lambda e: (self.minutes(e["id"]), self.rank[e["id"]]))
            )
            slots[i] = Slot(pick["id"], 0, self.number)
            return

    def trim(self, focus: Sequence[str], fresh: bool = False) -> None:
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
                and (fresh or s.since < self.number)
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
            if slot.id in self.kept or slot.id not in self.last_week:
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
                and e["id"] not in self.last_week
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
                if e["id"] not in ids
                and e["id"] not in blocked
                and e["id"] not in self.last_week
                and self.minutes(e["id"]) <= room
            ]
            if not options:
                return
            self.slots.append(Slot(self.longest_unused(options)["id"], 0, self.number))
