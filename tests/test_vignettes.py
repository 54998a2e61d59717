"""Clinical vignettes: short stories of real people, run through the real content in data/.

Each checks what a careful physiotherapist would expect rugcoach to say on that day: who
needs a doctor today, who should see one soon, who should step back a little, and who is
simply doing fine.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from rugcoach.coach.plan import Plan, plan
from rugcoach.schema import Entry

from factories import diary, entry, real_content, series

START = date(2026, 9, 7)
MORNING = ["pelvic-tilt", "hip-hinge", "thoracic-rotation"]


def on(n: int) -> date:
    """Day n of the diary (day 1 is the start)."""
    return START + timedelta(days=n - 1)


def story(
    entries: Sequence[Entry],
    when: date,
    *,
    profile: str = "general",
    phases: Sequence[tuple[int, date]] | None = None,
    **kwargs: object,
) -> Plan:
    d = diary(entries, start=START, profile=profile, phases=phases, **kwargs)  # type: ignore[arg-type]
    return plan(real_content(), d, when)


def levels(p: Plan) -> dict[str, str]:
    return {a.id: a.level for a in p.warnings}


def referral(p: Plan) -> bool:
    return any(a.level in ("urgent", "consult") for a in p.warnings)


def test_severe_pain_alone_is_not_a_red_flag() -> None:
    """Anna (34) locked her back lifting a crate three days ago. Her pain is 8/10 and she
    is frightened, but she has no leg symptoms, no fever and no other signs. Severe pain on
    its own is no reason to send her to a doctor: rugcoach keeps her gently moving."""
    entries = series(on(1), [8, 8, 7, 8], done=["long-exhale-breathing"])
    p = story(entries, on(4), profile="acute")
    assert not referral(p)
    assert p.load in ("normal", "reduced")
    assert p.routine
    assert (p.phase.number, p.phase.day) == (1, 4)


def test_no_improvement_after_three_weeks_asks_for_a_consult() -> None:
    """Bram (51) has logged pain every day for 25 days: 6, 6, 7, 6 ... It is not getting
    better. After three weeks without improvement the guideline says: have it looked at."""
    pains = [6, 6, 7, 6, 6, 7, 6] * 4
    entries = series(on(1), pains[:25], done=["pelvic-tilt"])
    p = story(entries, on(25))
    assert levels(p)["no-improvement"] == "consult"
    assert not p.phase.ready
    # The same pains three days earlier (day 21: only 20 days since the start) do not yet
    # trigger the rule.
    assert "no-improvement" not in levels(story(entries, on(21)))
    assert "no-improvement" in levels(story(entries, on(22)))


def test_steady_improvement_is_quiet_and_moves_on() -> None:
    """Carla (45) started at 5/10, got to 3 after a week and to 2 by day 20, exercising
    almost every day. Nothing to warn about, and she is ready for phase 2."""
    pains = [5, 5, 5, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2]
    entries = series(on(1), pains, done=MORNING, walk=15)
    p = story(entries, on(20))
    assert p.warnings == ()
    assert p.load == "normal"
    assert p.phase.ready and not p.phase.overdue
    assert p.phase.next_phase == 2


def test_both_legs_is_urgent_and_pauses_the_routine() -> None:
    """Dirk (58) notes tingling and weakness in both legs. That can be a cauda equina
    syndrome: he must contact his GP or the out-of-hours service now, not exercise."""
    entries = [*series(on(1), [4, 4, 5]), entry(on(4), pain=6, symptoms=["both-legs"])]
    p = story(entries, on(4))
    assert p.warnings[0].id == "both-legs"
    assert p.warnings[0].level == "urgent"
    assert p.load == "paused"
    assert p.routine == ()
    assert p.warnings[0].message["nl"] and p.warnings[0].message["en"]
    assert not p.phase.ready


def test_radiating_pain_is_the_known_complaint_for_the_nerve_profile() -> None:
    """Eva (39) has a known hernia (profile nerve). Pain radiating below her knee is what
    she has had for weeks: a reason to step the load back, not to see the doctor again."""
    entries = [*series(on(1), [5, 5, 4, 4, 5]), entry(on(5), symptoms=["radiating-leg-pain"])]
    p = story(entries, on(5), profile="nerve")
    assert levels(p) == {"radiating-leg-pain": "adjust"}
    assert p.load == "reduced"
    assert p.routine and all(item.reduced for item in p.routine)


def test_radiating_pain_without_a_known_cause_asks_for_a_consult() -> None:
    """Frank (42), profile general, notices pain shooting below his knee for the first
    time. That should be assessed soon; he may keep moving within comfort meanwhile."""
    entries = [*series(on(1), [5, 5, 4, 4, 5]), entry(on(5), symptoms=["radiating-leg-pain"])]
    p = story(entries, on(5))
    assert levels(p) == {"radiating-leg-pain": "consult"}
    assert p.load == "normal"
    assert p.routine


def test_weakness_stays_a_consult_even_for_the_nerve_profile() -> None:
    """Eva again, a week later: now her foot feels weak. Weakness is new information, so
    even with a known hernia she should see her GP or therapist."""
    entries = [entry(on(12), pain=5, symptoms=["leg-weakness"])]
    assert levels(story(entries, on(12), profile="nerve")) == {"leg-weakness": "consult"}


def test_fever_with_back_pain_asks_for_a_consult() -> None:
    """Gert (66) has had a fever and chills for two days together with his back pain."""
    entries = [entry(on(9), pain=6, symptoms=["koorts"]), entry(on(10), symptoms=["fever"])]
    p = story(entries, on(10))
    assert levels(p) == {"fever": "consult"}


def test_saddle_numbness_stays_urgent_until_a_doctor_has_seen_it() -> None:
    """Hanna (47) noted numbness around her seat area on day 3. A week later nobody has
    recorded a doctor's visit: the warning still stands and now asks whether she called
    her GP (SPEC §10). Once her GP has seen her (recorded on day 11) the plan resumes."""
    entries = [*series(on(1), [6, 6, 5]), entry(on(3), symptoms=["saddle-numbness"])]
    assert levels(story(entries, on(9)))["saddle-numbness"] == "urgent"
    later = story(entries, on(10))
    assert levels(later)["saddle-numbness"] == "urgent" and later.routine == ()
    assert later.warnings[0].follow_up_days == 7
    seen = diary(entries, start=START)
    seen["clearances"] = [
        {"id": "saddle-numbness", "date": on(11).isoformat(), "time": None, "note": None}
    ]
    after = plan(real_content(), seen, on(11))
    assert "saddle-numbness" not in {a.id for a in after.warnings} and after.routine


def test_good_scores_in_phase_one_on_day_ten_mean_ready_for_phase_two() -> None:
    """Ilse (29) is on day 10 of phase 1. Over the last week she logged pain 4, 3, 4, 3, 3
    and exercised five times. She is ready for phase 2; rugcoach says so, but does not move
    her: she runs `rugcoach phase next` herself."""
    pains: list[int | None] = [5, 5, None, None, None, 4, 3, 4, 3, 3]
    entries = series(on(1), pains, done=["pelvic-tilt", "knee-rocking"])
    p = story(entries, on(10))
    assert p.phase.ready
    assert (p.phase.number, p.phase.day, p.phase.next_phase) == (1, 10, 2)
    assert all(reason.met for reason in p.phase.reasons)
    # ... and on day 6 she was not yet: too early in the phase.
    early = story(entries, on(6))
    assert not early.phase.ready
    assert next(r.key for r in early.phase.reasons if not r.met) == "coach.reason.days.short"


def test_a_flare_after_a_good_week_steps_the_load_back() -> None:
    """Jan (55) had a good week at 3/10, then woke up at 6/10 after gardening. A flare:
    step the load back, then build up again. Not a reason to see a doctor."""
    entries = series(on(1), [3, 3, 3, 3, 3, 3, 3, 6], done=MORNING)
    p = story(entries, on(8))
    assert levels(p) == {"pain-flare": "adjust"}
    assert p.load == "reduced"
    assert all(item.reduced for item in p.routine)


def test_high_exercise_pain_yesterday_reduces_today() -> None:
    """Karin (61) felt 7/10 during yesterday's exercises. Light pain during exercise is
    fine; this was not. Today's routine is lighter."""
    entries = [*series(on(1), [4, 4, 4, 4]), entry(on(4), exercise_pain=7, done=["cat-camel"])]
    p = story(entries, on(5))
    assert levels(p) == {"exercise-pain-high": "adjust"}
    assert p.load == "reduced"
    # Two days later it no longer counts.
    assert "exercise-pain-high" not in levels(story(entries, on(6)))


def test_long_morning_stiffness_on_three_days_is_an_adjust_signal() -> None:
    """Lotte (50, degenerative) has needed 45 minutes to loosen up on three mornings this
    week."""
    entries = [entry(on(n), pain=4, stiffness=45) for n in (2, 4, 6)]
    p = story(entries, on(6), profile="degenerative")
    assert levels(p) == {"morning-stiffness": "adjust"}
    assert p.load == "reduced"
    # Two such mornings are not (yet) a pattern.
    assert "morning-stiffness" not in levels(story(entries, on(5), profile="degenerative"))


def test_a_screening_flag_stands_until_it_is_discussed() -> None:
    """Marco (57) had cancer ten years ago, which he said at the intake. Until he has
    discussed his back pain with his GP, rugcoach keeps reminding him, and holds the phase."""
    entries = series(on(1), [4, 4, 3, 3, 3, 3, 3, 3], done=MORNING)
    flagged = story(entries, on(8), screening_flags=["cancer"])
    assert levels(flagged) == {"screening": "consult"}
    assert not flagged.phase.ready
    cleared = story(entries, on(8), screening_flags=["cancer"], screening_cleared=True)
    assert cleared.warnings == ()
    assert cleared.phase.ready


def test_a_phase_that_runs_far_past_its_typical_length_asks_for_a_consult() -> None:
    """Nora (44) moved to phase 2 on day 10 and, thirty days later, is still not ready: her
    pain hovers around 5. Longer than the typical four weeks: worth discussing with her
    therapist."""
    phase2 = on(10)
    when = phase2 + timedelta(days=29)  # day 30 of phase 2
    entries = series(on(1), [5] * 40, done=["bird-dog"])
    p = story(entries, when, phases=[(1, START), (2, phase2)])
    assert (p.phase.number, p.phase.day) == (2, 30)
    assert not p.phase.ready and p.phase.overdue
    assert levels(p)["phase-overdue"] == "consult"
    # On day 28 (the typical maximum) it is not yet overdue.
    day28 = story(entries, phase2 + timedelta(days=27), phases=[(1, START), (2, phase2)])
    assert "phase-overdue" not in levels(day28)


def test_before_init_rugcoach_still_shows_a_plan() -> None:
    """Olaf (36) runs `rugcoach today` before `init`: phase 1, day 1, the general profile,
    the first walking goal, and no warnings."""
    p = plan(real_content(), None, date(2026, 11, 21))
    assert not p.has_diary
    assert (p.phase.number, p.phase.day, p.profile) == (1, 1, "general")
    assert p.walk_minutes_goal == real_content()["phases"]["walking"]["start_minutes"]
    assert p.warnings == ()
    assert p.routine
    assert p.daily_routines["morning"] == tuple(MORNING)


def test_the_walking_goal_grows_with_the_calendar_not_the_pain() -> None:
    """Petra (48) has a sore week in week three. Her walking goal keeps its schedule: 10
    minutes in week one, 15 in week two, 20 in week three, however the pain goes."""
    entries = series(on(1), [4] * 14 + [7] * 7)
    goals = [story(entries, on(n)).walk_minutes_goal for n in (1, 7, 8, 15, 21, 29, 60)]
    assert goals == [10, 10, 15, 20, 20, 30, 30]
