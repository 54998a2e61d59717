"""The edges of the readiness windows, pinned (mutation testing found them loose): the
7-day window is D-6 … D (D-6 counts, D-7 does not), and the pain trend compares the last
3 days (D-2 … D) with the 4 days before them (D-6 … D-3), nothing earlier."""

from __future__ import annotations

from datetime import date, timedelta

from rugcoach.coach.phase import PhaseStatus, phase_status
from rugcoach.schema import Entry

from factories import D0, content, day, diary, entry

C = content()
WHEN = day(12)  # phase 1 (min 7 days, window 7, 4 pain scores, 4 exercise days, mean <= 5)


def at(offset: int, **measures: object) -> Entry:
    """An entry on D-offset."""
    return entry(WHEN - timedelta(days=offset), **measures)  # type: ignore[arg-type]


def status(entries: list[Entry]) -> PhaseStatus:
    return phase_status(C, diary(entries, start=D0, phases=[(1, D0)]), WHEN)


def reason(s: PhaseStatus, prefix: str) -> str:
    return next(r.key for r in s.reasons if r.key.startswith(prefix))


def exercised(*offsets: int) -> list[Entry]:
    return [at(n, done=["tilt"]) for n in offsets]


def test_a_pain_score_on_d_minus_6_counts_and_on_d_minus_7_does_not() -> None:
    three = [at(0, pain=2), at(1, pain=2), at(2, pain=2)]
    inside = status([*three, at(6, pain=2), *exercised(0, 1, 2, 3)])
    outside = status([*three, at(7, pain=2), *exercised(0, 1, 2, 3)])
    assert reason(inside, "coach.reason.pain_scores") == "coach.reason.pain_scores.met"
    assert inside.ready
    assert reason(outside, "coach.reason.pain_scores") == "coach.reason.pain_scores.short"


def test_an_exercise_day_on_d_minus_6_counts_and_on_d_minus_7_does_not() -> None:
    pains = [at(n, pain=2) for n in range(4)]
    assert status([*pains, *exercised(0, 1, 2, 6)]).ready
    late = status([*pains, *exercised(0, 1, 2, 7)])
    assert reason(late, "coach.reason.exercise") == "coach.reason.exercise.short"


def test_a_high_score_on_d_minus_7_is_outside_the_mean() -> None:
    pains = [at(n, pain=5) for n in range(7)]
    assert status([*pains, at(7, pain=10), *exercised(0, 1, 2, 3)]).ready


def _trend(extra: list[Entry]) -> str:
    before = [at(n, pain=3) for n in (3, 4, 5, 6)]
    recent = [at(0, pain=5), at(1, pain=4), at(2, pain=4)]  # mean 4.33 > 3 + 1: rising
    return reason(status([*before, *recent, *extra, *exercised(0, 1, 2, 3)]), "coach.reason.rising")


def test_the_trend_rises_on_these_scores() -> None:
    assert _trend([]) == "coach.reason.rising.short"


def test_a_score_on_d_minus_7_is_outside_the_before_window() -> None:
    # Counted, a 10 on D-7 would lift "before" to 4.4 and hide the rise.
    assert _trend([at(7, pain=10)]) == "coach.reason.rising.short"


def test_d_minus_3_belongs_to_the_before_window_not_the_recent_one() -> None:
    # A 10 on D-3 lifts "before" to 4.75 (no rise); in "recent" it would make one.
    before = [at(n, pain=3) for n in (4, 5, 6)] + [at(3, pain=10)]
    recent = [at(0, pain=5), at(1, pain=4), at(2, pain=4)]
    s = status([*before, *recent, *exercised(0, 1, 2, 3)])
    assert reason(s, "coach.reason.rising") == "coach.reason.rising.met"


def test_d_minus_2_belongs_to_the_recent_window() -> None:
    # Recent = D-2 … D: a 9 on D-2 makes the rise; were it "before", there would be none.
    before = [at(n, pain=3) for n in (3, 4, 5, 6)]
    recent = [at(0, pain=3), at(1, pain=3), at(2, pain=9)]
    s = status([*before, *recent, *exercised(0, 1, 2, 3)])
    assert reason(s, "coach.reason.rising") == "coach.reason.rising.short"


def test_the_day_itself_is_the_last_day_of_both_windows() -> None:
    assert isinstance(WHEN, date)
    pains = [at(n, pain=2) for n in (1, 2, 3)]
    late = status([*pains, at(-1, pain=2), *exercised(0, 1, 2, 3)])  # D+1: not yet
    assert reason(late, "coach.reason.pain_scores") == "coach.reason.pain_scores.short"
    assert status([*pains, at(0, pain=2), *exercised(0, 1, 2, 3)]).ready
