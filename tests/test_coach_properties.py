"""Properties of the plan for any diary: safety first, determinism, and the time line.

Diaries are generated at random (entries over a few weeks, any symptoms including the
urgent ones and aliases, phase changes, screening flags) against both the synthetic and
the real content.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rugcoach.coach import phase as coach_phase
from rugcoach.coach import plan as coach
from rugcoach.coach import progression
from rugcoach.schema import Content, Diary
from rugcoach.vocab import PROFILES

from factories import content, diary, entry, real_content

BASE = date(2026, 1, 5)
SYNTHETIC = content()
LEVEL_RANK = {"urgent": 0, "consult": 1, "adjust": 2}

SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def contents() -> dict[str, Content]:
    return {"synthetic": SYNTHETIC, "real": real_content()}


def symptom_names(c: Content) -> list[str]:
    names = ["unknown-symptom"]
    for s in c["coaching"]["symptoms"]:
        names += [s["id"], *s["aliases"]]
    return names


@st.composite
def cases(draw: st.DrawFn) -> tuple[Content, Diary, date]:
    which = draw(st.sampled_from(["synthetic", "real"]))
    c = contents()[which]
    exercise_ids = [e["id"] for e in c["exercises"]["exercises"]][:12]
    start = BASE + timedelta(days=draw(st.integers(0, 20)))
    n_phases = draw(st.integers(1, 3))
    offsets = sorted(draw(st.lists(st.integers(0, 60), min_size=n_phases, max_size=n_phases)))
    offsets[0] = 0
    phases = [(draw(st.integers(1, 4)), start + timedelta(days=o)) for o in offsets]
    phases[0] = (draw(st.integers(1, 2)), start)
    score = st.none() | st.integers(0, 10)
    entry_strategy = st.builds(
        lambda o, pain, ex, stiff, walk, done, symptoms: entry(
            start + timedelta(days=o),
            pain=pain,
            exercise_pain=ex,
            stiffness=stiff,
            walk=walk,
            done=done,
            symptoms=symptoms,
        ),
        st.integers(-5, 70),
        score,
        score,
        st.none() | st.integers(0, 120),
        st.none() | st.integers(0, 90),
        st.lists(st.sampled_from(exercise_ids), max_size=3),
        st.lists(st.sampled_from(symptom_names(c)), max_size=2)
        | st.just([]),  # most entries have no symptoms
    )
    entries = draw(st.lists(entry_strategy, max_size=80))
    d = diary(
        entries,
        start=start,
        profile=draw(st.sampled_from(PROFILES)),
        phases=phases,
        screening_flags=draw(st.lists(st.sampled_from(["cancer", "steroids"]), max_size=1)),
        screening_cleared=draw(st.booleans()),
    )
    when = start + timedelta(days=draw(st.integers(-3, 70)))
    return c, d, when


def _focus(c: Content, d: Diary, p: coach.Plan) -> set[str]:
    """The phase's focus, less nerve glides where they do not fit the person (SPEC §11)."""
    focus = set(p.phase.phase["focus"])
    if not progression.glides_for_profile(c, p.profile) and not progression.glide_symptoms_lately(
        c, d, p.date
    ):
        focus.discard("nerve-glide")
    return focus


def without_later(d: Diary, when: date) -> Diary:
    out: dict[str, Any] = dict(d)
    out["entries"] = [e for e in d["entries"] if e["date"] <= when.isoformat()]
    return out  # type: ignore[return-value]


@SETTINGS
@given(cases())
def test_the_plan_is_safe_and_consistent(case: tuple[Content, Diary, date]) -> None:
    c, d, when = case
    p = coach.plan(c, d, when)
    levels = [a.level for a in p.warnings]

    # Safety: an urgent warning withholds the routine.
    if "urgent" in levels:
        assert p.load == "paused"
        assert p.routine == ()
    elif "adjust" in levels:
        assert p.load == "reduced"
        assert p.routine and all(item.reduced for item in p.routine)
    else:
        assert p.load == "normal"
        session = c["phases"]["session"]
        total = sum(item.minutes for item in p.routine)
        assert session["min_minutes"] <= total <= session["max_minutes"]
        assert {item.exercise["category"] for item in p.routine} >= _focus(c, d, p)

    # Every item has a dose for the phase (a reduced one: this phase or an earlier one).
    number = p.phase.number
    for item in p.routine:
        assert item.dose["phase"] <= number
        if not item.reduced:
            start = coach.dose_for(item.exercise, number)
            assert start is not None
            rule = c["phases"].get("progression")
            assert progression.stepped(start, item.step, rule) == (item.dose, item.step)
        assert p.profile not in item.exercise.get("not_for", [])
    ids = [item.exercise["id"] for item in p.routine]
    assert len(ids) == len(set(ids))

    # Warnings: most serious first, one per id, the same as evaluate() gives.
    assert [LEVEL_RANK[x] for x in levels] == sorted(LEVEL_RANK[x] for x in levels)
    assert len({a.id for a in p.warnings}) == len(p.warnings)
    assert list(p.warnings) == coach.evaluate(c, d, when)

    # Readiness never while a doctor or therapist should be seen; overdue only if not ready.
    blocking = [a for a in p.warnings if a.level != "adjust" and a.id != "phase-overdue"]
    if p.phase.ready:
        assert not blocking and not p.phase.final and not p.phase.overdue
    assert ("phase-overdue" in {a.id for a in p.warnings}) is p.phase.overdue
    assert p.phase.day >= 1


@SETTINGS
@given(cases())
def test_the_plan_is_deterministic_and_blind_to_later_entries(
    case: tuple[Content, Diary, date],
) -> None:
    c, d, when = case
    p = coach.plan(c, d, when)
    assert p == coach.plan(c, d, when)
    assert p == coach.plan(c, without_later(d, when), when)
    future = dict(d)
    future["entries"] = [
        *d["entries"],
        entry(when + timedelta(days=1), pain=10, exercise_pain=10, symptoms=["both-legs"]),
        entry(when + timedelta(days=2), stiffness=120, symptoms=["saddle-numbness"]),
    ]
    assert p == coach.plan(c, future, when)  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
    st.integers(1, 4),
    st.sampled_from(PROFILES),
)
def test_the_real_routine_for_any_day(when: date, number: int, profile: str) -> None:
    c = real_content()
    phase = coach_phase.find_phase(c, number)
    routine = coach.routine(c, phase, profile, when)
    assert routine == coach.routine(c, phase, profile, when)
    session = c["phases"]["session"]
    assert session["min_minutes"] <= sum(i.minutes for i in routine) <= session["max_minutes"]
    focus = set(phase["focus"]) - (set() if profile == "nerve" else {"nerve-glide"})
    assert {i.exercise["category"] for i in routine} >= focus
    reduced = coach.routine(c, phase, profile, when, coach.LOAD_REDUCED)
    assert len(reduced) == len(routine)
    # A reduced load really is lighter: at most 2/3 of the normal minutes (SPEC §11).
    assert 3 * sum(i.minutes for i in reduced) <= 2 * sum(i.minutes for i in routine)
    for normal, lighter in zip(routine, reduced, strict=True):
        assert lighter.reduced
        if lighter.exercise["id"] == normal.exercise["id"]:
            # fewer sets, or the same sets with fewer reps / seconds / minutes
            assert lighter.dose["sets"] <= normal.dose["sets"]
            assert lighter.dose != normal.dose or normal.dose["sets"] == 1
            assert lighter.minutes <= normal.minutes
        else:
            assert lighter.exercise["id"] == normal.exercise.get("easier")
            assert lighter.dose["phase"] <= number
    assert coach.routine(c, phase, profile, when, coach.LOAD_PAUSED) == ()
