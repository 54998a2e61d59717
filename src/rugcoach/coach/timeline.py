"""The diary, day by day: one `Day` per date with entries (SPEC §4, "pain is judged per day").

Shared by the coach, the warnings, the summary and the exports. Standard library only: this
module is on the `rugcoach today` hot path and never reads the clock, files or environment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rugcoach.schema import Entry

# Comparing two means of whole-number scores: tolerate floating-point noise, so that a mean
# that is exactly on a threshold (5.0 vs "at most 5") is judged as exactly on it.
EPSILON = 1e-9


@dataclass(frozen=True)
class Day:
    """Everything noted on one date."""

    date: date
    pain: float | None  # the day's pain score: the mean of its `--pain` values
    exercise_pain: int | None  # the highest exercise pain of the day
    stiffness_minutes: int | None  # the longest morning stiffness of the day
    walk_minutes: int  # the day's walking, summed
    exercised: bool  # an entry with at least one `--done` id
    done: tuple[str, ...]  # distinct ids, in the order first noted
    symptoms: tuple[str, ...]  # distinct ids, in the order first noted


@lru_cache(maxsize=1 << 16)
def parse_date(s: str) -> date:
    """`YYYY-MM-DD` as a date; cached, since a long diary repeats the same dates often."""
    return date.fromisoformat(s)


def window(day: date, length: int) -> tuple[date, date]:
    """The `length` days ending on `day`, both ends included: D-(length-1) … D."""
    return day - timedelta(days=max(length, 1) - 1), day


def days(entries: Iterable[Entry], first: date, last: date) -> dict[date, Day]:
    """One `Day` for each date in [first, last] that has entries; other entries are ignored."""
    if last < first:
        return {}
    # Diary dates are zero-padded ISO strings, so they sort as text: a cheap filter before
    # any parsing, which matters on a ten-year diary.
    lo, hi = first.isoformat(), last.isoformat()
    grouped: dict[str, list[Entry]] = {}
    for entry in entries:
        when = entry["date"]
        if lo <= when <= hi:
            grouped.setdefault(when, []).append(entry)
    out: dict[date, Day] = {}
    for when, group in grouped.items():
        parsed = parse_date(when)
        if first <= parsed <= last:  # the text filter is exact for valid dates; be sure
            out[parsed] = _day(parsed, group)
    return dict(sorted(out.items()))


def _day(when: date, group: list[Entry]) -> Day:
    pains: list[int] = []
    exercise_pain: int | None = None
    stiffness: int | None = None
    walk = 0
    done: dict[str, None] = {}
    symptoms: dict[str, None] = {}
    for entry in group:
        pain = entry.get("pain")
        if pain is not None:
            pains.append(pain)
        value = entry.get("exercise_pain")
        if value is not None and (exercise_pain is None or value > exercise_pain):
            exercise_pain = value
        value = entry.get("stiffness_minutes")
        if value is not None and (stiffness is None or value > stiffness):
            stiffness = value
        walk += entry.get("walk_minutes") or 0
        for item in entry.get("done") or ():
            done[item] = None
        for item in entry.get("symptoms") or ():
            symptoms[item] = None
    return Day(
        date=when,
        pain=sum(pains) / len(pains) if pains else None,
        exercise_pain=exercise_pain,
        stiffness_minutes=stiffness,
        walk_minutes=walk,
        exercised=bool(done),
        done=tuple(done),
        symptoms=tuple(symptoms),
    )


def pain_scores(by_day: Mapping[date, Day], first: date, last: date) -> list[float]:
    """The day pain scores in [first, last], oldest first."""
    return [d.pain for when, d in by_day.items() if first <= when <= last and d.pain is not None]
