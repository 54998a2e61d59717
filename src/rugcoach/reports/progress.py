"""Progress report data: weekly and monthly rows, the daily pain series, the phase timeline,
the warnings seen and consistency, for one period (SPEC §3 `summary`, §7 exports).

Pure functions of (content, diary, first, last, today): standard library only, no clock, no
files, no printing. Built in one pass over the period's days (`timeline.days` once), so a
ten-year diary costs milliseconds (SPEC §8).

Warnings seen (a bounded scheme, so ten years do not mean 3,650 rule evaluations):
- symptoms: every warning sign logged anywhere in the period, with its level for the
  person's profile, on how many days, first and last date (read from the same pass);
- diary rules (no improvement, phase overdue, exercise pain, flare, stiffness, screening):
  evaluated for each day of the last `RULE_WEEKS` weeks of the period only, on a copy of
  the diary trimmed to the entries those rules can look at.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from rugcoach.coach.timeline import Day, days, parse_date

if TYPE_CHECKING:
    from rugcoach.schema import Content, Diary, Entry, Text

# SPEC §2: "five short sessions a week beat one long one"; 4-5 exercise days is on target.
TARGET_EXERCISE_DAYS: tuple[int, int] = (4, 5)
# The diary rules are checked for each day of this many last weeks of the period.
RULE_WEEKS = 12


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
class SeenWarning:
    id: str
    level: str  # urgent | consult | adjust
    message: Text
    name: Text | None  # a symptom's plain description; None for a rule (see report_format)
    source: str  # "symptom" (logged) | "rule" (raised by a diary rule)
    days: int  # days logged (symptom) / days active among those checked (rule)
    first: date
    last: date


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
    seen, rules_from = _warnings_seen(content, diary, by_day, first, last)
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


# ----------------------------------------------------------------------------- warnings


def _warnings_seen(
    content: Content,
    diary: Diary | None,
    by_day: Mapping[date, Day],
    first: date,
    last: date,
) -> tuple[tuple[SeenWarning, ...], date | None]:
    from rugcoach.coach import alerts as warnings

    found: dict[str, list[Any]] = {}  # id -> [level, message, name, source, days, first, last]

    def note(alert_id: str, level: str, message: Text, name: Text | None, when: date) -> None:
        item = found.get(alert_id)
        if item is None:
            source = "rule" if name is None else "symptom"
            found[alert_id] = [level, message, name, source, 1, when, when]
        else:
            item[4] += 1
            item[6] = when

    index = warnings.symptom_index(content)
    profile = diary["profile"]["profile"] if diary is not None else "general"
    for when, day in by_day.items():
        for noted in day.symptoms:
            symptom = index.get(noted)
            if symptom is not None:
                level = warnings.symptom_level(symptom, profile)
                note(symptom["id"], level, symptom["message"], symptom["description"], when)

    rules_from = None
    if diary is not None:
        rules_from = max(first, last - timedelta(days=7 * RULE_WEEKS - 1))
        _rule_warnings(content, diary, rules_from, last, note)

    order = {s["id"]: i for i, s in enumerate(content["coaching"]["symptoms"])}
    rules = {r: len(order) + i for i, r in enumerate((*warnings.RULE_IDS, warnings.SCREENING))}
    ranked = sorted(
        found.items(),
        key=lambda kv: (
            warnings.LEVEL_ORDER.get(kv[1][0], 9),
            kv[1][3] != "symptom",
            order.get(kv[0], rules.get(kv[0], 99)),
        ),
    )
    seen = tuple(SeenWarning(key, *item) for key, item in ranked)
    return seen, rules_from


def _rule_warnings(content: Content, diary: Diary, lo: date, hi: date, note: Any) -> None:
    """The diary-rule warnings active on each day of [lo, hi] (symptoms are counted apart)."""
    from rugcoach.coach import alerts as warnings
    from rugcoach.coach.phase import phase_status

    symptoms = {s["id"] for s in content["coaching"]["symptoms"]}
    trimmed = _trimmed(content, diary, lo, hi)
    day = lo
    while day <= hi:
        base = warnings.base_alerts(content, trimmed, day)
        status = phase_status(content, trimmed, day, alerts=base)
        for alert in warnings.with_phase_overdue(content, trimmed, base, status, day):
            if alert.id not in symptoms:
                note(alert.id, alert.level, alert.message, None, day)
        day += timedelta(days=1)


def _trimmed(content: Content, diary: Diary, lo: date, hi: date) -> Diary:
    """The diary with only the entries a rule evaluated on [lo, hi] can look at: those of
    the look-back before `lo` up to `hi`, and the first days after the start and after
    each phase start (the no-improvement and phase-overdue rules compare with them). The
    same rule results, a fraction of the work."""
    back = _lookback(content)
    start = parse_date(diary["profile"]["start_date"])
    early_hi = (start + timedelta(days=back)).isoformat()
    early_lo = start.isoformat()
    recent_lo, recent_hi = (lo - timedelta(days=back)).isoformat(), hi.isoformat()
    # The first days of each phase too: `phase-overdue` compares with them (SPEC §10).
    spans = [(early_lo, early_hi), (recent_lo, recent_hi)] + [
        (p["start"], (parse_date(p["start"]) + timedelta(days=back)).isoformat())
        for p in diary["phases"]
    ]
    kept = [e for e in diary["entries"] if any(a <= e["date"] <= b for a, b in spans)]
    return {**diary, "entries": kept}


def _lookback(content: Content) -> int:
    """Comfortably more days than any rule or readiness check looks back over."""
    numbers: list[int] = []

    def collect(value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            numbers.append(int(value))

    collect(content["phases"]["rules"])
    for phase in content["phases"]["phases"]:
        if phase["readiness"] is not None:
            numbers.append(phase["readiness"]["window_days"])
    return 2 * max(numbers, default=30) + 2


__all__ = [
    "RULE_WEEKS",
    "TARGET_EXERCISE_DAYS",
    "Bucket",
    "Consistency",
    "Note",
    "PhaseSpan",
    "Progress",
    "SeenWarning",
    "build",
    "period",
    "phase_spans",
]
