"""Graded activity in the engine (SPEC §11): programme weeks, dose steps, the step rule,
feedback, fitting — with the packaged content, and properties over random diaries."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rugcoach.coach import phase as coach_phase
from rugcoach.coach import plan as coach
from rugcoach.coach import progression, rotation
from rugcoach.schema import Content, Diary, Dose
from rugcoach.vocab import PROFILES

from factories import diary, entry, real_content

REAL = real_content()
RULE = REAL["phases"]["progression"]
START = date(2026, 3, 2)
REAL_BY_ID = {e["id"]: e for e in REAL["exercises"]["exercises"]}


def dose(**amount: Any) -> Dose:
    return {"phase": 1, **amount}  # type: ignore[typeddict-item]


def day(n: int) -> date:
    return START + timedelta(days=n)


# ------------------------------------------------------------------------------- weeks


@pytest.mark.parametrize(("offset", "week"), [(0, 1), (6, 1), (7, 2), (13, 2), (14, 3), (70, 11)])
def test_a_programme_week_is_seven_days_from_the_phase_start(offset: int, week: int) -> None:
    assert progression.week_of(START, day(offset)) == week
    assert progression.week_first(START, week) <= day(offset)
    assert day(offset) < progression.week_first(START, week + 1)


# ------------------------------------------------------------------------------- steps


@pytest.mark.parametrize(
    ("start", "steps", "expected", "taken"),
    [
        # +2 reps up to 12, then one set more up to 3 sets; never more than 3 steps.
        (dose(sets=2, reps=8), 1, dose(sets=2, reps=10), 1),
        (dose(sets=2, reps=8), 2, dose(sets=2, reps=12), 2),
        (dose(sets=2, reps=8), 3, dose(sets=3, reps=12), 3),
        (dose(sets=2, reps=8), 9, dose(sets=3, reps=12), 3),
        (dose(sets=2, reps=11), 1, dose(sets=2, reps=12), 1),  # up to the top, not past it
        (dose(sets=3, reps=12), 2, dose(sets=3, reps=12), 0),  # at its top already
        # +5 s for holds up to 45 s, then a set; +2 minutes for timed work up to 15.
        (dose(sets=3, seconds=20), 2, dose(sets=3, seconds=30), 2),
        (dose(sets=2, seconds=40, per_side=True), 3, dose(sets=3, seconds=45, per_side=True), 2),
        (dose(sets=1, minutes=8), 3, dose(sets=1, minutes=14), 3),
        (dose(sets=1, minutes=14), 3, dose(sets=1, minutes=15), 1),
        (dose(sets=2, reps=8), 0, dose(sets=2, reps=8), 0),
    ],
)
def test_each_step_follows_the_data_up_to_the_top(
    start: Dose, steps: int, expected: Dose, taken: int
) -> None:
    original = dict(start)
    assert progression.stepped(start, steps, RULE) == (expected, taken)
    assert start == original  # the content is never changed


def test_without_step_data_a_dose_never_steps() -> None:
    assert progression.stepped(dose(sets=2, reps=8), 3, None) == (dose(sets=2, reps=8), 0)


def test_minutes_grow_with_the_dose() -> None:
    start = dose(sets=2, reps=8)
    assert progression.scaled_minutes(3, start, start) == 3
    assert progression.scaled_minutes(3, start, dose(sets=3, reps=12)) > 3
    assert progression.scaled_minutes(3, start, dose(sets=1, reps=8)) < 3


def steps_of(entries: list[Any], weeks: int, profile: str = "general") -> list[int]:
    d = diary(entries, start=START, profile=profile)
    return progression.week_steps(REAL, d, START, weeks)


def test_every_week_that_counted_adds_one_step_up_to_the_top() -> None:
    assert steps_of([], 6) == [0, 1, 2, 3, 3, 3]
    assert progression.week_steps(REAL, None, START, 3) == [0, 1, 2]


def test_a_week_with_an_adjust_warning_on_two_days_adds_no_step() -> None:
    # Exercise pain 7 on day 8: exercise-pain-high on days 8 and 9 (two days of week 2).
    assert steps_of([entry(day(8), exercise_pain=7)], 5) == [0, 1, 1, 2, 3]
    # On the last day of week 2 only one of its days has the warning: the week counts.
    assert steps_of([entry(day(13), exercise_pain=7)], 5) == [0, 1, 2, 3, 3]


def test_the_step_rule_reads_only_the_weeks_it_needs() -> None:
    """A long phase costs no more than a short one once every dose is at its top: later
    entries (here: not even valid ones) are never looked at."""
    odd: dict[str, Any] = {**entry(day(400)), "pain": "not a number"}
    assert steps_of([odd], 60)[-1] == RULE["max_steps"]


# --------------------------------------------------------------------- weekly routine


def ids(items: Any) -> list[str]:
    return [i.exercise["id"] for i in items]


@pytest.mark.parametrize("profile", ["general", "nerve", "chronic", "acute"])
@pytest.mark.parametrize("number", [1, 2, 3, 4])
def test_the_routine_is_stable_in_a_week_and_changes_every_week(number: int, profile: str) -> None:
    phase = coach_phase.find_phase(REAL, number)
    focus = set(phase["focus"]) - (set() if profile == "nerve" else {"nerve-glide"})
    session = REAL["phases"]["session"]
    previous: list[str] | None = None
    for week in range(1, 29):  # across the start of a new block (week 14, 27)
        first = progression.week_first(START, week)
        items = coach.routine(REAL, phase, profile, first, started=START)
        if week % 4 == 1:  # the same exercises at the same dose all week
            later = coach.routine(REAL, phase, profile, first + timedelta(6), started=START)
            assert later == items
        assert {i.exercise["category"] for i in items} >= focus
        minutes = sum(i.minutes for i in items)
        assert session["min_minutes"] - 3 <= minutes <= session["max_minutes"] + 5, week
        assert len(set(ids(items))) == len(items)
        if previous is not None:
            assert set(ids(items)) != set(previous), f"week {week} is week {week - 1} again"
        previous = ids(items)


def test_a_week_says_what_changed() -> None:
    phase = coach_phase.find_phase(REAL, 2)
    one = rotation.week_routine(REAL, phase, "general", START, 1)
    two = rotation.week_routine(REAL, phase, "general", START, 2)
    assert one.added == () and one.removed == ()
    assert set(two.added) == {s.id for s in two.slots} - {s.id for s in one.slots}
    assert set(two.removed) == {s.id for s in one.slots} - {s.id for s in two.slots}
    assert two.added


def test_too_easy_on_two_days_brings_the_harder_variant_next_week() -> None:
    phase, easy, harder = next(
        (phase, i.exercise["id"], i.exercise["harder"])
        for phase in REAL["phases"]["phases"]
        for week1 in [coach.routine(REAL, phase, "general", START, started=START)]
        for i in week1
        if i.exercise.get("harder")
        and coach.dose_for(REAL_BY_ID[i.exercise["harder"]], phase["number"])
        and i.exercise["harder"] not in ids(week1)
    )
    d = diary([entry(day(1), easy=[easy]), entry(day(3), easy=[easy])], start=START)
    week2 = rotation.week_routine(
        REAL,
        phase,
        "general",
        START,
        2,
        progression.feedback(d, START, day(7)).easy_weeks(START, 2),
    )
    assert (easy, harder) in week2.harder
    items = coach.routine(REAL, phase, "general", day(7), diary=d, started=START)
    assert harder in ids(items) and easy not in ids(items)
    # Once only: the exercise stays as it was.
    d["entries"] = d["entries"][:1]
    assert easy in ids(coach.routine(REAL, phase, "general", day(7), diary=d, started=START))


def test_too_easy_without_a_harder_variant_gives_one_extra_step() -> None:
    phase = coach_phase.find_phase(REAL, 2)
    plain = next(
        i
        for i in coach.routine(REAL, phase, "general", day(7), started=START)
        if not i.exercise.get("harder")
        and i.step < progression.stepped(i.dose, 9, RULE)[1] + i.step
    )
    target = plain.exercise["id"]
    d = diary([entry(day(2), easy=[target]), entry(day(4), easy=[target])], start=START)
    steps = {
        i.exercise["id"]: i.step
        for i in coach.routine(REAL, phase, "general", day(7), diary=d, started=START)
    }
    assert steps[target] == plain.step + 1  # week 2: one step for the week, one for "easy"


def test_too_hard_makes_it_easier_from_the_next_day_to_the_end_of_the_week() -> None:
    phase = coach_phase.find_phase(REAL, 2)
    week1 = coach.routine(REAL, phase, "general", START, started=START)
    hard = week1[0]
    d = diary([entry(day(2), hard=[hard.exercise["id"]])], start=START)

    def item_on(n: int) -> coach.RoutineItem:
        return coach.routine(REAL, phase, "general", day(n), diary=d, started=START)[0]

    assert item_on(2) == hard  # the day it was said: unchanged
    for n in (3, 6):
        eased = item_on(n)
        assert eased.reduced
        assert eased.exercise["id"] == hard.exercise.get("easier") or (
            eased.exercise["id"] == hard.exercise["id"] and eased.minutes <= hard.minutes
        )
    assert not item_on(7).reduced  # a new week


def test_too_hard_about_the_easier_variant_of_a_lighter_day_counts_for_the_exercise() -> None:
    phase = coach_phase.find_phase(REAL, 2)
    week1 = coach.routine(REAL, phase, "general", START, started=START)
    used = set(ids(week1))
    item = next(i for i in week1 if i.exercise.get("easier") and i.exercise["easier"] not in used)
    easier = item.exercise["easier"]
    d = diary(
        [entry(day(1), exercise_pain=7), entry(day(2), hard=[easier])],
        start=START,
        phases=[(2, START)],
    )
    on_4 = coach.plan(REAL, d, day(4))
    assert on_4.load == "normal"
    assert item.exercise["id"] in on_4.eased
    shown = {i.exercise["id"]: i for i in on_4.routine}
    assert easier in shown and shown[easier].reduced


# ----------------------------------------------------------------------- reduced load


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("number", [1, 2, 3, 4])
def test_a_reduced_load_is_lighter_in_every_item_and_two_thirds_at_most(
    number: int, profile: str
) -> None:
    phase = coach_phase.find_phase(REAL, number)
    for week in (1, 3, 6):
        when = progression.week_first(START, week)
        normal = coach.routine(REAL, phase, profile, when, started=START)
        reduced = coach.routine(REAL, phase, profile, when, coach.LOAD_REDUCED, started=START)
        assert reduced and all(i.reduced for i in reduced)
        assert 3 * sum(i.minutes for i in reduced) <= 2 * sum(i.minutes for i in normal)
        for light, full in zip(reduced, normal, strict=False):
            assert (
                light.exercise["id"] == full.exercise.get("easier")
                or light.step < full.step
                or light.dose["sets"] < full.dose["sets"]
                or light.minutes < full.minutes
            )


# ---------------------------------------------------------------------------- fitting


def test_nerve_glides_only_for_the_nerve_profile_or_a_recent_leg_symptom() -> None:
    phase = coach_phase.find_phase(REAL, 1)
    for week in range(1, 6):
        when = progression.week_first(START, week)
        general = coach.routine(REAL, phase, "general", when, started=START)
        assert "nerve-glide" not in {i.exercise["category"] for i in general}
        nerve = coach.routine(REAL, phase, "nerve", when, started=START)
        assert "nerve-glide" in {i.exercise["category"] for i in nerve}
    d = diary([entry(day(3), symptoms=["numbness"])], start=START)

    def glides(n: int) -> bool:
        items = coach.routine(REAL, phase, "general", day(n), diary=d, started=START)
        return "nerve-glide" in {i.exercise["category"] for i in items}

    assert [glides(n) for n in (2, 3, 16, 17)] == [False, True, True, False]


# --------------------------------------------------------------------------- properties

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@st.composite
def diaries(draw: st.DrawFn) -> tuple[Diary, date]:
    score = st.none() | st.integers(0, 10)
    made = st.builds(
        lambda o, pain, ex, stiff: entry(day(o), pain=pain, exercise_pain=ex, stiffness=stiff),
        st.integers(0, 48),
        score,
        score,
        st.none() | st.integers(0, 60),
    )
    entries = draw(st.lists(made, max_size=60))
    profile = draw(st.sampled_from(PROFILES))
    number = draw(st.integers(1, 4))
    d = diary(entries, start=START, profile=profile, phases=[(number, START)])
    return d, day(draw(st.integers(0, 48)))


@SETTINGS
@given(diaries())
def test_a_week_with_adjust_on_two_days_never_adds_a_step(case: tuple[Diary, date]) -> None:
    d, _ = case
    steps = progression.week_steps(REAL, d, START, 7)
    for week in range(2, 8):
        first = progression.week_first(START, week - 1)
        flagged = sum(
            progression.adjust_active(REAL, d, first + timedelta(days=n)) for n in range(7)
        )
        grew = steps[week - 1] - steps[week - 2]
        assert grew in (0, 1)
        if flagged >= RULE["adjust_days"]:
            assert grew == 0
        elif steps[week - 2] < RULE["max_steps"]:
            assert grew == 1


@SETTINGS
@given(diaries(), st.integers(0, 40), st.booleans())
def test_feedback_never_changes_a_day_before_it_was_given(
    case: tuple[Diary, date], given_on: int, too_hard: bool
) -> None:
    d, _ = case
    when = day(given_on)
    items = coach.plan(REAL, d, when).routine
    if not items:
        return
    said = [items[0].exercise["id"]]
    note = entry(when, hard=said) if too_hard else entry(when, easy=said)
    with_note: Diary = {**d, "entries": [*d["entries"], note]}
    for n in range(0, given_on + 1, 3):
        assert coach.plan(REAL, with_note, day(n)) == coach.plan(REAL, d, day(n))
    assert coach.plan(REAL, with_note, when) == coach.plan(REAL, d, when)


@SETTINGS
@given(diaries())
def test_the_same_date_gives_the_same_plan(case: tuple[Diary, date]) -> None:
    d, when = case
    assert coach.plan(REAL, d, when) == coach.plan(REAL, d, when)


def test_the_content_checks_step_and_fitting_data() -> None:
    from rugcoach.content.load import cross_check

    bad: Content = {**REAL, "phases": {**REAL["phases"]}}  # type: ignore[misc]
    bad["phases"]["progression"] = {
        **RULE,
        "steps": {**RULE["steps"], "reps": {"step": 20, "top": 12}},
    }
    bad["phases"]["fitting"] = {**REAL["phases"]["fitting"], "nerve_glide_symptoms": ["numbnes"]}
    found = {(loc, field) for _, loc, field, _ in cross_check(bad)}
    assert (("progression", "steps", "reps", "step"), "progression.steps.reps.step") in found
    assert (("fitting", "nerve_glide_symptoms", 0), "fitting.nerve_glide_symptoms[0]") in found


@SETTINGS
@given(diaries(), st.randoms(use_true_random=False))
def test_the_order_of_the_entries_does_not_matter(case: tuple[Diary, date], rng: Any) -> None:
    """A diary in date order is read by bisection, any other order in one pass: the same."""
    d, when = case
    for e in d["entries"][::3]:
        e["easy" if rng.random() < 0.5 else "hard"] = ["pelvic-tilt"]
    shuffled = list(d["entries"])
    rng.shuffle(shuffled)
    in_order = sorted(d["entries"], key=lambda e: e["date"])
    a = coach.plan(REAL, {**d, "entries": in_order}, when)
    b = coach.plan(REAL, {**d, "entries": shuffled}, when)
    assert a.routine == b.routine and a.step == b.step and a.week == b.week
