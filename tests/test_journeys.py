"""Patient journeys through the CLI (SPEC §11): what `today` shows day by day — the programme
week, the step, what changed, readiness and the reduced loads — for an acute patient, a
chronic patient at a steady 6/10, and a nerve patient whose leg pain settles; and the
feedback commands (`log --hard/--easy`, `session`) end to end."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rugcoach.cli.shell import app
from rugcoach.coach import phase as coach_phase
from rugcoach.coach import plan as coach
from rugcoach.content import load as content
from rugcoach.diary.store import Store

from conftest import TODAY, snapshot

START = TODAY - timedelta(days=60)

pytestmark = pytest.mark.usefixtures("fast_content")


def on(n: int) -> str:
    return (START + timedelta(days=n)).isoformat()


def ok(runner: CliRunner, *args: str, input: str | None = None) -> Any:
    result = runner.invoke(app, list(args), input=input)
    assert result.exit_code == 0, result.stderr
    return result


def plan(runner: CliRunner, n: int) -> dict[str, Any]:
    return json.loads(ok(runner, "today", "--json", "--date", on(n)).stdout)


def routine(p: dict[str, Any]) -> list[tuple[str, str]]:
    return [(i["id"], i["dose"]) for i in p["routine"]]


def minutes(p: dict[str, Any]) -> int:
    return sum(i["minutes"] for i in p["routine"])


def normal_minutes(home: Path, n: int) -> int:
    """The minutes the day's routine would take without its warnings."""
    d = Store(home).load()
    day = START + timedelta(days=n)
    number, started = coach_phase.current_phase(d, day)
    c = content.load()
    phase = coach_phase.find_phase(c, number)
    items = coach.routine(c, phase, d["profile"]["profile"], day, diary=d, started=started)
    return sum(i.minutes for i in items)


def follow(
    runner: CliRunner, days: range, pain: Any, extra: Any = lambda n: [], exercise: Any = None
) -> dict[int, dict[str, Any]]:
    """Each day: read the plan, then log the pain and (on exercise days) the first two
    exercises of the plan, as a person following rugcoach would."""
    seen = {}
    for n in days:
        p = plan(runner, n)
        seen[n] = p
        args = ["log", "--date", on(n), "--pain", str(pain(n)), *extra(n)]
        if (exercise is None or exercise(n)) and p["routine"]:
            for item in p["routine"][:2]:
                args += ["--done", item["id"]]
        ok(runner, *args)
    return seen


def test_an_acute_patient_week_by_week(runner: CliRunner, home: Path) -> None:
    ok(runner, "init", "--start-date", on(0), "--profile", "acute")
    # Pain settles from 7 to 2; on days 9 and 10 the exercises hurt (7/10).
    seen = follow(
        runner,
        range(28),
        pain=lambda n: max(2, 7 - n // 4),
        extra=lambda n: ["--exercise-pain", "7"] if n in (9, 10) else [],
    )
    assert [seen[n]["phase"]["week"] for n in (0, 6, 7, 13, 14, 27)] == [1, 1, 2, 2, 3, 4]
    # Exercise pain above 5 is an adjust signal for 2 days: the plans read on days 10 and
    # 11 are lighter (day 9's was read before that day's exercise).
    reduced = [n for n in range(28) if seen[n]["load"] == "reduced"]
    assert reduced == [10, 11]
    for n in reduced:
        assert all(i["reduced"] for i in seen[n]["routine"])
        assert 3 * minutes(seen[n]) <= 2 * normal_minutes(home, n)
    # The same routine every normal day of a week, and another one each new week.
    for week in range(4):
        days = [n for n in range(week * 7, week * 7 + 7) if n not in reduced]
        assert len({tuple(routine(seen[n])) for n in days}) == 1, f"week {week + 1}"
    for week in range(1, 4):
        now, before = seen[week * 7]["routine"], seen[week * 7 - 1]["routine"]
        assert {i["id"] for i in now} != {i["id"] for i in before}
        assert seen[week * 7]["week_changes"]["added"]
    # Steps: week 1 counts, week 2 (adjust on 3 of its days) does not, week 3 does.
    assert [seen[n]["week_changes"]["step"] for n in (0, 7, 14, 21)] == [0, 1, 1, 2]
    assert [seen[n]["week_changes"]["stepped_up"] for n in (7, 14, 21)] == [True, False, True]
    assert max(i["step"] for i in seen[21]["routine"]) == 2
    assert all(i["step"] == 0 for i in seen[0]["routine"])
    # Readiness for phase 2: not on day 7 (pain still above 5), but by day 13.
    assert not seen[6]["phase"]["ready_to_advance"]
    assert plan(runner, 13)["phase"]["ready_to_advance"]
    text = ok(runner, "today", "--date", on(14)).stdout
    assert "Week 3 of this phase." in text
    assert "The doses stay as they were: last week had a warning on 2 or more days." in text
    assert "New this week:" in text


def test_a_chronic_patient_at_a_steady_6_moves_on_by_the_calendar(
    runner: CliRunner, home: Path
) -> None:
    ok(runner, "init", "--start-date", on(0), "--profile", "chronic")
    # Pain 6 every day; exercise on 5 days of every week.
    follow(runner, range(7), pain=lambda n: 6, exercise=lambda n: n % 7 < 5)
    ready = plan(runner, 6)["phase"]
    assert ready["ready_to_advance"] and ready["next"] == 2
    assert any("No pain ceiling" in r for r in ready["reasons"])
    assert not any("Mean pain" in r for r in ready["reasons"])
    ok(runner, "phase", "next", "--date", on(6))
    # Phase 2: stability work, doses growing week by week.
    seen = follow(runner, range(7, 21), pain=lambda n: 6, exercise=lambda n: n % 7 < 5)
    assert seen[7]["phase"]["number"] == 2 and seen[7]["phase"]["week"] == 1
    assert "motor-control" in {i["category"] for i in seen[7]["routine"]}
    assert [seen[n]["week_changes"]["step"] for n in (7, 14)] == [0, 1]
    assert not seen[18]["phase"]["ready_to_advance"]  # day 13 of phase 2: too early
    assert plan(runner, 20)["phase"]["ready_to_advance"]  # day 15: by the calendar
    ok(runner, "phase", "next", "--date", on(20))
    phase3 = plan(runner, 20)
    assert phase3["phase"]["number"] == 3
    assert any("strength" in i["category"] for i in phase3["routine"])
    # The same diary as a general profile is held back by its pain ceiling.
    ok(runner, "init", "--force", "--start-date", on(0), "--profile", "general")
    follow(runner, range(7), pain=lambda n: 6, exercise=lambda n: n % 7 < 5)
    held = plan(runner, 6)["phase"]
    assert not held["ready_to_advance"]
    assert any("Mean pain 6" in r for r in held["reasons"])


def test_a_nerve_patient_whose_leg_pain_settles(runner: CliRunner, home: Path) -> None:
    ok(runner, "init", "--start-date", on(0), "--profile", "nerve")
    # Leg pain noted on days 0-9 (the known complaint: an adjust signal), then gone.
    seen = follow(
        runner,
        range(36),
        pain=lambda n: 5 if n < 10 else 3,
        extra=lambda n: ["--symptom", "radiating-leg-pain"] if n < 10 else [],
    )
    # Lighter from the day after the first note until 7 days after the last one.
    loads = [seen[n]["load"] for n in range(36)]
    assert loads == ["normal"] + ["reduced"] * 15 + ["normal"] * 20
    for n in (1, 8, 15):
        assert 3 * minutes(seen[n]) <= 2 * normal_minutes(home, n)
        assert all(i["reduced"] for i in seen[n]["routine"])
    # No step while the signal lasts (weeks 1-3 have it on 2 or more days), then one a week.
    assert [seen[n]["week_changes"]["step"] for n in (0, 7, 14, 21, 28, 35)] == [0, 0, 0, 0, 1, 2]
    # Nerve glides all along: they are part of this profile's plan.
    for n in (0, 16, 30):
        assert "nerve-glide" in {i["category"] for i in seen[n]["routine"]}
    assert [seen[n]["phase"]["week"] for n in (0, 7, 14, 21, 28, 35)] == [1, 2, 3, 4, 5, 6]


def test_glides_only_after_a_recent_leg_symptom_for_other_profiles(
    runner: CliRunner, home: Path
) -> None:
    ok(runner, "init", "--start-date", on(0), "--profile", "general")
    categories = {n: {i["category"] for i in plan(runner, n)["routine"]} for n in (0, 3)}
    assert "nerve-glide" not in categories[0] | categories[3]
    ok(runner, "log", "--date", on(3), "--symptom", "numbness")
    assert "nerve-glide" in {i["category"] for i in plan(runner, 3)["routine"]}
    assert "nerve-glide" in {i["category"] for i in plan(runner, 16)["routine"]}
    assert "nerve-glide" not in {i["category"] for i in plan(runner, 17)["routine"]}


# ----------------------------------------------------------------------------- feedback


def test_log_hard_and_easy_take_only_the_days_routine(runner: CliRunner, home: Path) -> None:
    ok(runner, "init", "--start-date", on(0))
    ids = [i["id"] for i in plan(runner, 2)["routine"]]
    before = snapshot(home)
    result = runner.invoke(app, ["log", "--date", on(2), "--hard", "lunge"])
    assert result.exit_code == 2
    assert "'lunge' is not in the routine of" in result.stderr
    assert all(i in result.stderr for i in ids)
    assert snapshot(home) == before
    result = runner.invoke(app, ["log", "--date", on(2), "--pain", "3", "--easy", "nonsense"])
    assert result.exit_code == 2 and snapshot(home) == before
    ok(runner, "log", "--date", on(2), "--hard", ids[0].upper(), "--easy", ids[1])
    [entry] = Store(home).load()["entries"]
    assert (entry["hard"], entry["easy"]) == ([ids[0]], [ids[1]])
    # From the next day to the end of the programme week, lighter.
    assert plan(runner, 2)["routine"] == plan(runner, 1)["routine"]
    eased = plan(runner, 3)
    assert eased["week_changes"]["eased"] == [ids[0]]
    assert any(i["reduced"] for i in eased["routine"])
    assert not any(i["reduced"] for i in plan(runner, 7)["routine"])
    assert "too hard:" in ok(runner, "history").stdout
    md = ok(runner, "export", "--format", "md").stdout
    assert "## How the exercises felt" in md and ids[0] in md
    html = ok(runner, "export", "--format", "html").stdout
    assert "How the exercises felt" in html
    summary = json.loads(ok(runner, "summary", "--weeks", "12", "--json").stdout)
    assert {f["id"]: f["hard_days"] for f in summary["feedback"]}[ids[0]] == 1


def test_hard_on_a_day_without_a_routine_is_refused(runner: CliRunner, home: Path) -> None:
    ok(runner, "init", "--start-date", on(0))
    ok(runner, "log", "--date", on(1), "--symptom", "both-legs")
    before = snapshot(home)
    result = runner.invoke(app, ["log", "--date", on(1), "--hard", "pelvic-tilt"])
    assert result.exit_code == 2
    assert "no exercise routine" in result.stderr
    assert snapshot(home) == before


def test_dutch_messages_for_feedback(runner: CliRunner, home: Path) -> None:
    ok(runner, "init", "--start-date", on(0), "--lang", "nl")
    result = runner.invoke(app, ["log", "--date", on(1), "--easy", "lunge"])
    assert result.exit_code == 2 and "staat niet in het schema van" in result.stderr
    text = ok(runner, "today", "--date", on(8)).stdout
    assert "Week 2 van deze fase." in text


def test_the_session_asks_how_each_exercise_felt(
    runner: CliRunner, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rugcoach.cli import session as cli_session

    monkeypatch.setattr(cli_session, "sleep", lambda seconds: None)
    ok(runner, "init", "--start-date", on(0))
    items = plan(runner, 60)["routine"]
    # Exercise 1: too hard; 2: too easy; the rest: fine (Enter); then the exercise pain.
    answers = ["", "", "h", "", "", "e"] + ["", "", ""] * (len(items) - 2) + ["3"]
    result = ok(runner, "session", "--no-timers", input="\n".join(answers) + "\n")
    assert "How was it?" in result.stdout
    [entry] = Store(home).load()["entries"]
    assert entry["hard"] == [items[0]["id"]] and entry["easy"] == [items[1]["id"]]
    assert entry["done"] == [i["id"] for i in items]
