"""The progress report's figures (reports/progress.py): weeks, months, daily scores, phases,
warnings
seen and consistency, checked against a small diary whose numbers are worked out by hand.

The diary helpers here (`small_diary`, `ten_year_diary`, `save`) are shared with
test_export_formats.py and test_cli_summary.py.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from rugcoach import i18n
from rugcoach.coach import alerts as warnings
from rugcoach.coach import plan as coach_plan
from rugcoach.content import load as content
from rugcoach.diary import store as storage
from rugcoach.diary.edits import add_entry, make_entry, new_diary
from rugcoach.reports import format as report_format
from rugcoach.reports import progress as report
from rugcoach.reports import seen as report_seen
from rugcoach.schema import Diary
from test_cli_diary import fast_content  # noqa: F401 - an autouse fixture, active by import

# ------------------------------------------------------------------------ shared diaries

START = date(2025, 3, 3)  # a Monday
PHASE_2 = date(2025, 3, 13)
END = date(2025, 3, 16)  # two full weeks: 3-9 and 10-16 March 2025
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


def d(day: int) -> date:
    return date(2025, 3, day)


def small_diary(language: str | None = None) -> Diary:
    """Two weeks, worked out by hand:

    week 1 (3-9 Mar): day scores 5 (6 and 4), 5, 3 -> mean 4.33, low 3, high 5; entries on
        4 days; exercise on 3; walking 10 + 15 + 20 = 45 min.
    week 2 (10-16 Mar): day scores 4, 2, 3 -> mean 3, low 2, high 4; entries on 3 days;
        exercise on 2; walking 30 min; exercise pain 6 on the 15th; a warning sign on the 10th.
    """
    diary = new_diary(start=START, version=storage.VERSION, language=language)  # type: ignore[arg-type]
    diary["phases"].append({"number": 2, "start": PHASE_2.isoformat(), "how": "next"})
    rows: list[tuple[str, date, dict[str, Any]]] = [
        ("e01", d(3), {"time": "08:00", "pain": 6, "stiffness_minutes": 40, "note": "first day"}),
        ("e02", d(3), {"time": "20:00", "pain": 4, "walk_minutes": 10, "done": ["bird-dog"]}),
        ("e03", d(4), {"pain": 5, "walk_minutes": 15, "done": ["cat-camel"], "note": SCRIPT}),
        ("e04", d(6), {"pain": 3, "done": ["bird-dog"]}),
        ("e05", d(8), {"walk_minutes": 20, "note": IMG}),
        ("e06", d(10), {"pain": 4, "done": ["bird-dog"], "symptoms": ["radiating-leg-pain"]}),
        ("e07", d(12), {"pain": 2, "walk_minutes": 30, "done": ["bird-dog", "cat-camel"]}),
        ("e08", d(15), {"time": "18:30", "pain": 3, "exercise_pain": 6}),
    ]
    for entry_id, day, values in rows:
        diary = add_entry(diary, make_entry(entry_id, day, **values))
    return diary


def ten_year_diary(today: date) -> Diary:
    """Ten years up to `today`, three entries a day (about 11,000 entries)."""
    rng = random.Random(5)
    start = today - timedelta(days=3650)
    diary = new_diary(start=start, version=storage.VERSION)
    entries = []
    for i in range(3651):
        day = start + timedelta(days=i)
        for k, time in enumerate(("08:00", "13:00", "21:00")):
            entries.append(
                make_entry(
                    f"{i:04x}{k}",
                    day,
                    time=time,
                    pain=rng.randint(0, 8),
                    walk_minutes=rng.randint(0, 40) if k == 2 else None,
                    done=["bird-dog"] if k == 1 and rng.random() < 0.7 else [],
                    note=f"day {i} <b>" if k == 0 and rng.random() < 0.05 else None,
                )
            )
    diary["entries"] = entries
    return diary


def save(home: Path, diary: Diary) -> None:
    storage.Store(home).update(lambda _current: diary)


def build(diary: Diary | None, first: date | None = None, last: date | None = None, **kw: Any):  # type: ignore[no-untyped-def]
    today = kw.pop("today", date(2026, 1, 1))
    return report.build(content.load(), diary, first, last, today)


# --------------------------------------------------------------------------------- weeks


def test_weeks_by_hand() -> None:
    progress = build(small_diary(), START, END)
    assert (progress.first, progress.last) == (START, END)
    assert len(progress.weeks) == 2
    one, two = progress.weeks
    assert (one.first, one.last, two.first, two.last) == (d(3), d(9), d(10), d(16))
    assert one.pain_mean == pytest.approx(13 / 3)
    assert (one.pain_low, one.pain_high, one.pain_days) == (3, 5, 3)
    assert (one.logged_days, one.exercise_days, one.walk_minutes) == (4, 3, 45)
    assert two.pain_mean == pytest.approx(3.0)
    assert (two.pain_low, two.pain_high, two.pain_days) == (2, 4, 3)
    assert (two.logged_days, two.exercise_days, two.walk_minutes) == (3, 2, 30)


def test_daily_scores_are_day_means() -> None:
    progress = build(small_diary(), START, END)
    assert progress.daily == (
        (d(3), 5.0),
        (d(4), 5.0),
        (d(6), 3.0),
        (d(10), 4.0),
        (d(12), 2.0),
        (d(15), 3.0),
    )
    assert progress.pain_mean == pytest.approx(22 / 6)
    assert (progress.pain_low, progress.pain_high) == (2.0, 5.0)
    assert (progress.walk_minutes, progress.walk_days) == (75, 4)


def test_a_short_last_week_and_months() -> None:
    progress = build(small_diary(), START, d(12))
    assert [(w.first, w.last, w.length) for w in progress.weeks] == [
        (d(3), d(9), 7),
        (d(10), d(12), 3),
    ]
    assert [(m.first, m.last) for m in progress.months] == [(d(3), d(12))]
    assert progress.months[0].logged_days == 6
    assert progress.consistency.full_weeks == 1


def test_months_across_a_year_end() -> None:
    diary = new_diary(start=date(2024, 12, 20), version=storage.VERSION)
    diary = add_entry(diary, make_entry("a", date(2024, 12, 31), pain=4))
    diary = add_entry(diary, make_entry("b", date(2025, 1, 2), pain=2))
    progress = build(diary, None, date(2025, 2, 3))
    assert [(m.first, m.last) for m in progress.months] == [
        (date(2024, 12, 20), date(2024, 12, 31)),
        (date(2025, 1, 1), date(2025, 1, 31)),
        (date(2025, 2, 1), date(2025, 2, 3)),
    ]
    assert [m.pain_mean for m in progress.months] == [4.0, 2.0, None]


def test_consistency() -> None:
    c = build(small_diary(), START, END).consistency
    assert (c.days, c.logged_days, c.exercise_days) == (14, 7, 5)
    assert c.exercise_per_week == pytest.approx(2.5)
    assert c.target == (4, 5)
    assert (c.full_weeks, c.weeks_on_target) == (2, 0)


# ------------------------------------------------------------------------ phases, period


def test_phase_timeline() -> None:
    spans = build(small_diary(), START, END).phases
    assert [(s.number, s.start, s.end, s.how, s.days, s.current) for s in spans] == [
        (1, START, d(12), "init", 10, False),
        (2, PHASE_2, None, "next", 4, True),
    ]
    assert spans[1].name["en"].startswith("Stability")


def test_phases_outside_the_period_are_left_out() -> None:
    spans = build(small_diary(), START, d(5)).phases
    assert [(s.number, s.end, s.current) for s in spans] == [(1, d(12), True)]


def test_the_period_is_narrowed_to_the_diary() -> None:
    diary = small_diary()
    assert report.period(diary, date(2020, 1, 1), None, d(20)) == (START, d(20))
    assert report.period(diary, None, None, d(20)) == (START, d(20))
    # An entry before the diary's start date widens it.
    early = add_entry(diary, make_entry("x", d(1), pain=3))
    assert report.period(early, None, d(5), d(20)) == (d(1), d(5))
    # Asked for a period before the diary, or with no diary at all: nothing to show.
    assert report.period(diary, None, date(2024, 1, 1), d(20)) == (None, None)
    assert report.period(None, START, END, d(20)) == (None, None)


# ------------------------------------------------------------------------------ warnings


def test_warnings_seen() -> None:
    progress = build(small_diary(), START, END)
    seen = {w.id: w for w in progress.warnings}
    leg = seen["radiating-leg-pain"]
    assert (leg.source, leg.level, leg.days, leg.first, leg.last) == (
        "symptom",
        "consult",
        1,
        d(10),
        d(10),
    )
    # Exercise pain 6 (above 5) on the 15th: active that day and the next (a 2-day window).
    high = seen["exercise-pain-high"]
    assert (high.source, high.level, high.days, high.first, high.last) == (
        "rule",
        "adjust",
        2,
        d(15),
        d(16),
    )
    # Morning stiffness over 30 minutes on one day only: the rule needs three.
    assert "morning-stiffness" not in seen
    assert progress.rules_from == START
    levels = [warnings.LEVEL_ORDER[w.level] for w in progress.warnings]
    assert levels == sorted(levels)


def test_symptom_level_follows_the_profile() -> None:
    diary = small_diary()
    diary["profile"]["profile"] = "nerve"  # radiating leg pain is the known complaint
    seen = {w.id: w for w in build(diary, START, END).warnings}
    assert seen["radiating-leg-pain"].level == "adjust"


def test_rules_are_checked_only_for_the_last_weeks(monkeypatch: pytest.MonkeyPatch) -> None:
    today = date(2026, 1, 1)
    diary = ten_year_diary(today)
    calls: list[date] = []
    real = warnings.base_alerts

    def counting(content_: Any, diary_: Any, day: date) -> Any:
        calls.append(day)
        return real(content_, diary_, day)

    monkeypatch.setattr(warnings, "base_alerts", counting)
    progress = build(diary, today=today)
    weeks = report_seen.RULE_WEEKS
    assert len(calls) == 7 * weeks
    assert min(calls) == progress.rules_from == today - timedelta(days=7 * weeks - 1)
    for w in progress.warnings:
        if w.source == "rule":
            assert w.first >= progress.rules_from
    assert len(progress.weeks) == 522
    assert len(progress.daily) == 3651
    assert progress.entries == len(diary["entries"])


def test_rule_results_match_a_full_evaluation() -> None:
    """The trimmed diary gives the same warnings as the whole diary would."""
    today = date(2026, 1, 1)
    diary = ten_year_diary(today)
    c = content.load()
    for day in (today, today - timedelta(days=30)):
        full = {a.id for a in coach_plan.evaluate(c, diary, day)}
        trimmed = report_seen._trimmed(c, diary, day, day)
        assert {a.id for a in coach_plan.evaluate(c, trimmed, day)} == full


# ------------------------------------------------------------------------- empty, JSON


def test_empty_period() -> None:
    diary = small_diary()
    progress = build(diary, date(2025, 4, 1), date(2025, 4, 14))
    assert progress.empty
    assert (progress.first, progress.last) == (date(2025, 4, 1), date(2025, 4, 14))
    assert all(w.logged_days == 0 and w.pain_mean is None for w in progress.weeks)
    assert progress.pain_mean is None and progress.consistency.exercise_per_week == 0


def test_no_diary() -> None:
    progress = build(None)
    assert progress.empty and progress.first is None and progress.weeks == ()


def test_progress_json() -> None:
    data = report_format.progress_json(build(small_diary(), START, END), "en")
    assert list(data) == [
        "period",
        "entries",
        "pain",
        "weeks",
        "daily",
        "phases",
        "warnings_seen",
        "rules_checked_from",
        "consistency",
        "walking",
    ]
    assert data["period"] == {"from": "2025-03-03", "to": "2025-03-16", "days": 14}
    assert data["weeks"][0]["pain_mean"] == 4.33
    assert data["consistency"]["exercise_days_per_week"] == 2.5
    assert data["walking"] == {"minutes": 75, "days": 4, "per_day": 5.4}
    assert data["daily"][0] == {"date": "2025-03-03", "pain": 5.0}


def test_numbers_and_dates_in_each_language() -> None:
    i18n.set_language("nl")
    assert report_format.number(4.26) == "4,3"
    assert report_format.number(4) == "4,0"
    assert report_format.span(d(3), d(9)) == "3 – 9 mrt 2025"
    i18n.set_language("en")
    assert report_format.number(13 / 3) == "4.3"
    assert report_format.number(None) == "–"
    assert report_format.span(date(2024, 12, 30), d(2)) == "30 Dec 2024 – 2 Mar 2025"
    assert report_format.span(date(2025, 2, 24), d(2)) == "24 Feb – 2 Mar 2025"
