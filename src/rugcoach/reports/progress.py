"""Progress report data: weekly and monthly rows, the daily pain series, the phase timeline,
the warnings seen and consistency, for one period (SPEC §3 `summary`, §7 exports).

Pure functions of (content, diary, first, last, today): standard library only, no clock, no
files, no printing. Built in one pass over the period's days (`timeline.days` once), so a
ten-year diary costs milliseconds (SPEC §8). Which warnings were seen in the period, and
how that stays bounded over ten years, is `reports/seen.py`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from rugcoach.coach.timeline import Day, days, parse_date
from rugcoach.reports.seen import warnings_seen

if TYPE_CHECKING:
    from rugcoach.reports.seen import SeenWarning
    from rugcoach.schema import Content, Diary, Entry, Text

# SPEC §2: "five short sessions a week beat one long one"; 4-5 exercise days is on target.
TARGET_EXERCISE_DAYS: tuple[int, int] = (4, 5)


@dataclass(frozen=True)
class Bucket:
    """One week (7 days from the period's start) or one calendar month, clipped to the period.

    Pain figures are over day scores (a day's score is the mean of its `--pain` values).
    """

    first: date
    last: date
    pain_mean: float | None
    pain_low: float | None
    pain_high: float | None
    pain_days: int  # days with a pain score
    logged_days: int  # days with any entry
    exercise_days: int
    walk_minutes: int

    @property
    def length(self) -> int:
        return (self.last - self.first).days + 1


@dataclass(frozen=True)
class PhaseSpan:
    number: int
    name: Text
    start: date
    end: date | None  # the phase's last day; None while it goes on
    how: str  # init | next | forced | set
    days: int  # its length; for the phase that goes on, up to the period's end
    current: bool  # the phase on the period's last day


@dataclass(frozen=True)
class Consistency:
    days: int  # days in the period
    logged_days: int
    exercise_days: int
    exercise_per_week: float | None  # exercise days per 7 days of the period
    target: tuple[int, int]
    full_weeks: int
    weeks_on_target: int  # full weeks with at least target[0] exercise days


@dataclass(frozen=True)
class Note:
    date: date
    time: str | None
    text: str


@dataclass(frozen=True)
class Cleared:
    """A warning recorded as seen to (SPEC §10): a doctor saw an urgent sign, or a warning
    was discussed with the GP or therapist."""

    date: date
    id: str
    name: Text | None  # a sign's name; None for a rule warning
    note: str | None


@dataclass(frozen=True)
class Progress:
    first: date | None  # None: nothing to report (no diary, no period)
    last: date | None
    entries: int
    weeks: tuple[Bucket, ...]
    months: tuple[Bucket, ...]
    daily: tuple[tuple[date, float], ...]  # (day, day score) for days with a pain score
    phases: tuple[PhaseSpan, ...]
    warnings: tuple[SeenWarning, ...]  # most serious first
    rules_from: date | None  # the diary rules were checked from this day to `last`
    consistency: Consistency
    notes: tuple[Note, ...]
    pain_mean: float | None
    pain_low: float | None
    pain_high: float | None
    walk_minutes: int
    walk_days: int
    cleared: tuple[Cleared, ...] = ()

    @property
    def empty(self) -> bool:
        return self.entries == 0


def period(
    diary: Diary | None, first: date | None, last: date | None, today: date
) -> tuple[date | None, date | None]:
    """The period a report covers: [first, last] as asked, narrowed to the diary's own span
    (from its start, or its first entry if earlier, to today, or its last entry if later),
    so that "days in the period" means days the person could have logged. Without a
    diary, or when the asked period lies outside that span: (None, None)."""
    if diary is None:
        return None, None
    dates = [e["date"] for e in diary["entries"]]
    earliest = parse_date(min(diary["profile"]["start_date"], min(dates, default="9999-12-31")))
    latest = max(today, parse_date(max(dates))) if dates else today
    lo = earliest if first is None else max(first, earliest)
    hi = latest if last is None else min(last, latest)
    if lo > hi:
        return None, None
    return lo, hi


def build(
    content: Content,
    diary: Diary | None,
    first: date | None,
    last: date | None,
    today: date,
    entries: Sequence[Entry] | None = None,
) -> Progress:
    """The report for [first, last] (narrowed by `period`). `entries`: the entries of
    [first, last] in date order if the caller has them already (else taken from the diary)."""
    if entries is None:
        entries = _between(diary, first, last)
    first, last = period(diary, first, last, today)
    if first is None or last is None:
        return _nothing(entries)
    by_day = days(entries, first, last)
    weeks, months = _buckets(by_day, first, last)
    scores = [d.pain for d in by_day.values() if d.pain is not None]
    exercise_days = sum(1 for d in by_day.values() if d.exercised)
    length = (last - first).days + 1
    full = [w for w in weeks if w.length == 7]
    consistency = Consistency(
        days=length,
        logged_days=len(by_day),
        exercise_days=exercise_days,
        exercise_per_week=exercise_days * 7 / length,
        target=TARGET_EXERCISE_DAYS,
        full_weeks=len(full),
        weeks_on_target=sum(1 for w in full if w.exercise_days >= TARGET_EXERCISE_DAYS[0]),
    )
    seen, rules_from = warnings_seen(content, diary, by_day, first, last)
    return Progress(
        first=first,
        last=last,
        entries=len(entries),
        weeks=weeks,
        months=months,
        daily=tuple((when, d.pain) for when, d in by_day.items() if d.pain is not None),
        phases=phase_spans(content, diary, first, last),
        warnings=seen,
        rules_from=rules_from,
        consistency=consistency,
        notes=tuple(
            Note(parse_date(e["date"]), e["time"], e["note"]) for e in entries if e["note"]
        ),
        pain_mean=sum(scores) / len(scores) if scores else None,
        pain_low=min(scores, default=None),
        pain_high=max(scores, default=None),
        walk_minutes=sum(d.walk_minutes for d in by_day.values()),
        walk_days=sum(1 for d in by_day.values() if d.walk_minutes),
        cleared=clearances(content, diary, first, last),
    )


def clearances(
    content: Content, diary: Diary | None, first: date | None, last: date | None
) -> tuple[Cleared, ...]:
    """The clearances recorded in [first, last] (either end open), oldest first."""
    if diary is None:
        return ()
    names = {s["id"]: s["name"] for s in content["coaching"]["symptoms"]}
    lo = first.isoformat() if first else ""
    hi = last.isoformat() if last else "9999-12-31"
    found = [c for c in diary["clearances"] if lo <= c["date"] <= hi]
    return tuple(
        Cleared(parse_date(c["date"]), c["id"], names.get(c["id"]), c["note"])
        for c in sorted(found, key=lambda c: c["date"])
    )


def _between(diary: Diary | None, first: date | None, last: date | None) -> list[Entry]:
    if diary is None:
        return []
    lo = first.isoformat() if first else ""
    hi = last.isoformat() if last else "9999-12-31"
    chosen = [e for e in diary["entries"] if lo <= e["date"] <= hi]
    return sorted(chosen, key=lambda e: (e["date"], e["time"] or ""))


def _nothing(entries: Sequence[Entry]) -> Progress:
    return Progress(
        first=None,
        last=None,
        entries=len(entries),
        weeks=(),
        months=(),
        daily=(),
        phases=(),
        warnings=(),
        rules_from=None,
        consistency=Consistency(0, 0, 0, None, TARGET_EXERCISE_DAYS, 0, 0),
        notes=(),
        pain_mean=None,
        pain_low=None,
        pain_high=None,
        walk_minutes=0,
        walk_days=0,
    )


# ------------------------------------------------------------------------------ buckets


class _Acc:
    """Running totals of one bucket."""

    __slots__ = ("exercise", "logged", "pains", "walk")

    def __init__(self) -> None:
        self.pains: list[float] = []
        self.logged = 0
        self.exercise = 0
        self.walk = 0

    def add(self, day: Day) -> None:
        self.logged += 1
        if day.pain is not None:
            self.pains.append(day.pain)
        if day.exercised:
            self.exercise += 1
        self.walk += day.walk_minutes

    def bucket(self, first: date, last: date) -> Bucket:
        pains = self.pains
        return Bucket(
            first=first,
            last=last,
            pain_mean=sum(pains) / len(pains) if pains else None,
            pain_low=min(pains, default=None),
            pain_high=max(pains, default=None),
            pain_days=len(pains),
            logged_days=self.logged,
            exercise_days=self.exercise,
            walk_minutes=self.walk,
        )


def _buckets(
    by_day: Mapping[date, Day], first: date, last: date
) -> tuple[tuple[Bucket, ...], tuple[Bucket, ...]]:
    """Weeks (7 days from `first`, the last one possibly shorter) and calendar months, both
    clipped to [first, last]; every week and month of the period has a row, data or not."""
    n_weeks = (last - first).days // 7 + 1
    weeks = [_Acc() for _ in range(n_weeks)]
    months: dict[tuple[int, int], _Acc] = {}
    for when, day in by_day.items():
        weeks[(when - first).days // 7].add(day)
        months.setdefault((when.year, when.month), _Acc()).add(day)
    week_rows = tuple(
        acc.bucket(first + timedelta(days=7 * i), min(first + timedelta(days=7 * i + 6), last))
        for i, acc in enumerate(weeks)
    )
    month_rows = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        start = max(date(year, month, 1), first)
        following = date(year + month // 12, month % 12 + 1, 1)
        end = min(following - timedelta(days=1), last)
        month_rows.append(months.get((year, month), _Acc()).bucket(start, end))
        year, month = following.year, following.month
    return week_rows, tuple(month_rows)


# ------------------------------------------------------------------------------- phases


def phase_spans(
    content: Content, diary: Diary | None, first: date, last: date
) -> tuple[PhaseSpan, ...]:
    """The phases that overlap [first, last], with their real start and end dates. On one
    date the later record wins (as in `coach.phase.current_phase`)."""
    if diary is None:
        return ()
    from rugcoach.coach.phase import find_phase

    by_start: dict[date, Any] = {}
    for record in sorted(
        enumerate(diary["phases"]), key=lambda pair: (parse_date(pair[1]["start"]), pair[0])
    ):
        by_start[parse_date(record[1]["start"])] = record[1]
    starts = list(by_start)
    out = []
    for i, start in enumerate(starts):
        end = starts[i + 1] - timedelta(days=1) if i + 1 < len(starts) else None
        if start > last or (end is not None and end < first):
            continue
        record = by_start[start]
        until = last if end is None or end > last else end
        out.append(
            PhaseSpan(
                number=int(record["number"]),
                name=find_phase(content, int(record["number"]))["name"],
                start=start,
                end=end,
                how=record["how"],
                days=max((until - start).days + 1, 0) if end is None else (end - start).days + 1,
                current=start <= last and (end is None or end >= last),
            )
        )
    return tuple(out)


__all__ = [
    "TARGET_EXERCISE_DAYS",
    "Bucket",
    "Consistency",
    "Note",
    "PhaseSpan",
    "Progress",
    "build",
    "period",
    "phase_spans",
]
