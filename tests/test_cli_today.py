"""`today` and `phase` through the CLI: the JSON contract of SPEC §5 and the phase commands."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rugcoach.cli.shell import app
from rugcoach.coach import window as reads_window

from conftest import TODAY, snapshot


def ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


def ok(runner: CliRunner, *args: str) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    return result


def plan(runner: CliRunner, *args: str) -> dict[str, Any]:
    return json.loads(ok(runner, "today", "--json", *args).stdout)


def good_days(runner: CliRunner, days: range, pain: int = 2) -> None:
    for n in days:
        ok(runner, "log", "--date", ago(n), "--pain", str(pain), "--done", "pelvic-tilt")


def test_today_before_init_is_phase_one_day_one_and_writes_nothing(
    runner: CliRunner, home: Path
) -> None:
    data = plan(runner)
    assert data["phase"]["number"] == 1 and data["phase"]["day"] == 1
    assert data["date"] == TODAY.isoformat()
    result = ok(runner, "today")
    assert "rugcoach init" in result.stderr
    # No diary, so nothing at all: not even a folder for a cache (SPEC §13).
    assert not home.exists()


def test_today_json_has_the_spec_shape(runner: CliRunner) -> None:
    ok(runner, "init", "--start-date", ago(9), "--phase", "2")
    data = plan(runner)
    assert {
        "date",
        "language",
        "profile",
        "phase",
        "load",
        "routine",
        "walk_minutes_goal",
        "daily_routines",
        "tip",
        "warnings",
    } <= set(data)
    assert {"number", "name", "day", "ready_to_advance", "reasons"} <= set(data["phase"])
    assert data["phase"]["number"] == 2 and data["phase"]["day"] == 10
    assert data["load"] == "normal" and data["warnings"] == []
    assert data["walk_minutes_goal"] == 15  # second week since the start
    for item in data["routine"]:
        assert {"id", "name", "category", "dose", "minutes"} <= set(item)
        assert isinstance(item["minutes"], int)
    assert 15 <= sum(i["minutes"] for i in data["routine"]) <= 25
    assert set(data["daily_routines"]) == {"morning", "afternoon", "evening"}
    assert "pelvic-tilt" in data["daily_routines"]["morning"]
    assert isinstance(data["tip"], str) and data["tip"]
    assert all(isinstance(r, str) for r in data["phase"]["reasons"])


def test_the_plan_is_the_same_within_a_programme_week_and_changes_between(
    runner: CliRunner,
) -> None:
    ok(runner, "init", "--start-date", ago(20), "--phase", "3")
    first = plan(runner, "--date", ago(1))
    assert plan(runner, "--date", ago(1)) == first
    assert first["phase"]["week"] == 3  # days 15-21 of the phase
    # The same exercises at the same dose every day of week 3 (SPEC §11) ...
    routines = {
        tuple((i["id"], i["dose"]) for i in plan(runner, "--date", ago(n))["routine"])
        for n in range(7)
    }
    assert len(routines) == 1
    # ... and another routine in week 2.
    week2 = plan(runner, "--date", ago(7))
    assert week2["phase"]["week"] == 2
    assert {i["id"] for i in week2["routine"]} != {i["id"] for i in first["routine"]}
    tips = {plan(runner, "--date", ago(n))["tip"] for n in range(3)}
    assert len(tips) == 3


def test_an_urgent_sign_withholds_the_routine_and_comes_first(runner: CliRunner) -> None:
    ok(runner, "init", "--start-date", ago(5))
    ok(runner, "log", "--symptom", "both-legs", "--pain", "6")
    data = plan(runner)
    assert data["routine"] == [] and data["load"] == "paused"
    assert data["warnings"][0]["id"] == "both-legs" and data["warnings"][0]["level"] == "urgent"
    text = ok(runner, "today").stdout
    assert text.splitlines()[1].startswith("╭")
    assert "URGENT" in text.splitlines()[1] and "112" in text
    nl = ok(runner, "--lang", "nl", "today").stdout
    assert "DRINGEND" in nl.splitlines()[1] and "huisartsenpost" in nl


def test_an_urgent_sign_stays_until_cleared_and_asks_again_from_day_eight(
    runner: CliRunner,
) -> None:
    """SPEC §10: an urgent sign ends by what happened (a doctor saw it), not by a timer."""
    ok(runner, "init", "--start-date", ago(20))
    ok(runner, "log", "--date", ago(7), "--symptom", "saddle-numbness")
    early = plan(runner, "--date", ago(1))
    assert early["load"] == "paused"
    assert "Have you contacted your GP" not in early["warnings"][0]["message"]
    late = plan(runner)
    assert late["load"] == "paused"  # the 8th day: still there
    assert late["warnings"][0]["since"] == ago(7)
    assert "Have you contacted your GP" in late["warnings"][0]["message"]
    assert late["warnings"][0]["clear"] == "rugcoach cleared saddle-numbness"
    ok(runner, "cleared", "saddle-numbness", "--note", "GP: no cauda equina")
    assert plan(runner)["load"] == "normal"
    assert plan(runner, "--date", ago(1))["load"] == "paused"  # the past stays as it was


def test_an_adjust_warning_reduces_the_load(runner: CliRunner) -> None:
    ok(runner, "init", "--start-date", ago(10), "--profile", "nerve")
    ok(runner, "log", "--symptom", "radiating-leg-pain", "--pain", "4")
    data = plan(runner)
    assert data["load"] == "reduced"
    assert [w["level"] for w in data["warnings"]] == ["adjust"]
    assert any(i.get("reduced") for i in data["routine"])


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_terminal_output_fits_80_columns(runner: CliRunner, lang: str) -> None:
    ok(runner, "init", "--start-date", ago(12))
    ok(runner, "log", "--symptom", "fever", "--pain", "5")
    text = ok(runner, "--lang", lang, "today").stdout
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "\x1b[" not in text  # NO_COLOR and not a terminal: plain text


def test_phase_next_is_refused_when_not_ready_and_nothing_changes(
    runner: CliRunner, home: Path
) -> None:
    ok(runner, "init", "--start-date", ago(3))
    before = snapshot(home)
    result = runner.invoke(app, ["phase", "next"])
    assert result.exit_code == 1
    assert "phase 2" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert snapshot(home) == before


def test_phase_next_when_ready_then_history_kept(runner: CliRunner, home: Path) -> None:
    ok(runner, "init", "--start-date", ago(9))
    good_days(runner, range(6, -1, -1))
    status = json.loads(ok(runner, "phase", "--json").stdout)
    assert status["ready_to_advance"], status["reasons"]
    ok(runner, "phase", "next")
    diary = json.loads((home / "diary.json").read_text())
    assert [(p["number"], p["how"]) for p in diary["phases"]] == [(1, "init"), (2, "next")]
    data = plan(runner)
    assert data["phase"]["number"] == 2 and data["phase"]["day"] == 1


def test_phase_next_force_and_phase_set(runner: CliRunner, home: Path) -> None:
    ok(runner, "init", "--start-date", ago(3))
    ok(runner, "phase", "next", "--force")
    assert plan(runner)["phase"]["number"] == 2
    phases = json.loads((home / "diary.json").read_text())["phases"]
    assert [(p["number"], p["how"]) for p in phases] == [(1, "init"), (2, "forced")]
    # A back-dated `phase set` would replace the later record: refused without --force.
    before = snapshot(home)
    refused = runner.invoke(app, ["phase", "set", "4", "--date", ago(1)])
    assert refused.exit_code == 1 and "phase 2 from" in refused.stderr
    assert snapshot(home) == before
    ok(runner, "phase", "set", "4", "--date", ago(1), "--force")
    data = plan(runner)
    assert data["phase"]["number"] == 4 and data["phase"]["day"] == 2
    assert runner.invoke(app, ["phase", "next"]).exit_code == 1  # final phase
    # A back-dated `phase set` replaces the phase records from that day on.
    phases = json.loads((home / "diary.json").read_text())["phases"]
    assert [(p["number"], p["how"]) for p in phases] == [(1, "init"), (4, "set")]


@pytest.mark.parametrize(
    "args", [["phase", "set", "9"], ["phase", "set", "0"], ["today", "--date", "soon"]]
)
def test_phase_and_date_usage_errors(runner: CliRunner, home: Path, args: list[str]) -> None:
    ok(runner, "init", "--start-date", ago(3))
    before = snapshot(home)
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert snapshot(home) == before


# ------------------------------------------------- `today` reads only the entries it needs


def test_today_reads_as_far_back_as_all_the_windows_of_the_rules_together() -> None:

    from factories import real_content

    phases = real_content()["phases"]
    days = reads_window.reach(phases)
    assert days > max(p["readiness"]["max_days"] for p in phases["phases"] if p["readiness"])
    longer = {**phases, "rules": {**phases["rules"], "symptom_window_days": 500}}
    assert reads_window.reach(longer) == days - phases["rules"]["symptom_window_days"] + 500
    head = {
        "profile": {"start_date": "2020-01-01"},
        "phases": [{"number": 1, "start": "2020-01-01"}, {"number": 2, "start": "2023-03-01"}],
    }
    spans = reads_window.days_read(head, date(2025, 6, 1), days)  # type: ignore[arg-type]
    assert spans[0] == ((date(2025, 6, 1) - timedelta(days=days)).isoformat(), "2025-06-01")
    # The first days of the diary and of each phase are read too (phase-overdue compares
    # with them), each once.
    after = (date(2023, 3, 1) + timedelta(days=days)).isoformat()
    assert spans[1:] == [
        ("2020-01-01", (date(2020, 1, 1) + timedelta(days=days)).isoformat()),
        ("2023-03-01", after),
    ]


@pytest.mark.parametrize("seed", range(6))
def test_the_plan_from_what_today_reads_is_the_plan_from_the_whole_diary(
    home: Path, seed: int
) -> None:
    """A diary of three years (random pains, exercises, warning signs): for days across it,
    the plan from the entries `today` reads equals the plan from the whole diary."""
    import random

    from rugcoach.coach import activities
    from rugcoach.coach import plan as coach
    from rugcoach.diary.store import Store
    from rugcoach.term import plan as render_plan

    from factories import diary, entry, real_content

    rng = random.Random(seed)
    start = date(2023, 1, 2)
    entries = [
        entry(
            start + timedelta(days=n),
            pain=rng.choice([None, rng.randint(0, 10)]),
            exercise_pain=rng.choice([None, None, rng.randint(0, 10)]),
            stiffness=rng.choice([None, rng.randint(0, 90)]),
            done=rng.sample(["bird-dog", "pelvic-tilt", "cat-camel"], rng.randint(0, 2)),
            symptoms=["numbness"] if rng.random() < 0.02 else [],
        )
        for n in range(3 * 365)
        if rng.random() < 0.8
    ]
    rng.shuffle(entries)  # a diary need not be in date order (imports append)
    phases = [(1, start), (2, start + timedelta(days=20)), (3, start + timedelta(days=60))]
    store = Store(home)
    store.update(lambda _: diary(entries, start=start, phases=phases))
    content = real_content()
    whole = store.load()
    reads = reads_window.reach(content["phases"])
    for offset in (5, 30, 200, 390, 401, 500, 800, 1094):
        day = start + timedelta(days=offset)
        part = store.load_window(lambda head, d=day: reads_window.days_read(head, d, reads))
        assert len(part["entries"]) < len(whole["entries"]) or offset < 2 * reads
        expected = coach.plan(content, whole, day)
        got = coach.plan(content, part, day)
        assert render_plan.plan_json(got, content, activities_due=[]) == render_plan.plan_json(
            expected, content, activities_due=[]
        ), day
        assert activities.rating_due(part, day) == activities.rating_due(whole, day)


def test_today_reads_the_same_from_an_unsealed_diary(home: Path) -> None:
    from rugcoach.diary.store import Store

    from factories import diary, entry

    start = date(2020, 1, 1)
    entries = [entry(start + timedelta(days=n), pain=n % 10) for n in range(0, 2000, 3)]
    store = Store(home)
    store.update(lambda _: diary(entries, start=start))
    day = date(2025, 1, 1)
    sealed = store.load_window(lambda head: reads_window.days_read(head, day, 200))
    store.seal_path.unlink()  # as if edited by hand: parsed and checked in full
    unsealed = store.load_window(lambda head: reads_window.days_read(head, day, 200))
    assert sealed == unsealed
    assert 0 < len(sealed["entries"]) < len(entries)


@pytest.mark.parametrize("seed", range(3))
def test_with_a_programme_the_plan_from_what_today_reads_is_the_plan_from_the_whole_diary(
    home: Path, tmp_path: Path, seed: int
) -> None:
    """A therapist's programme with dose steps looks back at the warnings of every week
    since it started: the window `today` reads then reaches back before that start, even
    when the start is further back than the rules' own windows."""
    import random

    from rugcoach.coach import plan as coach
    from rugcoach.coach import prescribed
    from rugcoach.diary.store import Store
    from rugcoach.programme import prescription as programmes
    from rugcoach.term import plan as render_plan

    from factories import diary, entry, real_content

    content = real_content()
    span = max(reads_window.reach(content["phases"]), reads_window.READS_DAYS)
    rng = random.Random(seed)
    start = date(2023, 1, 2)
    first = 1000  # the programme's first day, counted from the diary's start
    # Painful weeks (adjust warnings: they do not count for a dose step) from just before
    # the programme until past the rules' own windows, then good weeks.
    sore = range(first - 10, first + span + 20)
    entries = [
        entry(
            start + timedelta(days=n),
            pain=rng.randint(6, 8) if n in sore else rng.choice([None, rng.randint(0, 3)]),
            exercise_pain=rng.randint(6, 8) if n in sore else None,
            done=rng.sample(["bird-dog", "pelvic-tilt"], rng.randint(0, 2)),
        )
        for n in range(first + span + 120)
        if rng.random() < 0.9
    ]
    store = Store(home)
    store.update(
        lambda _: diary(entries, start=start, phases=[(1, start), (2, start + timedelta(days=30))])
    )
    path = tmp_path / "programme.yaml"
    path.write_text(
        "format: rugcoach-programme\nversion: 1\nby: Test\n"
        f"from: {(start + timedelta(days=first)).isoformat()}\nphase: 2\nprogress: true\n"
        "exercises:\n  - id: bird-dog\n    dose: {sets: 2, reps: 8, per_side: true}\n"
        "  - id: pelvic-tilt\n",
        encoding="utf-8",
    )
    programme = programmes.load_file(path, content, use_cache=False)
    since = prescribed.start(programme)
    whole = store.load()
    later = first + span + 34  # two good weeks after the sore ones
    for offset in (first - 5, first + 1, first + 30, later, later + 50):
        day = start + timedelta(days=offset)
        part = store.load_window(reads_window.for_day(content, day, since))
        assert len(part["entries"]) < len(whole["entries"])
        expected = coach.plan(content, whole, day, programme)
        got = coach.plan(content, part, day, programme)
        assert render_plan.plan_json(got, content, activities_due=[]) == render_plan.plan_json(
            expected, content, activities_due=[]
        ), day
    # Without the look-back to the programme's start, its first sore weeks would be
    # missing, would count as good ones, and the doses would step up too soon.
    day = start + timedelta(days=later)
    short = store.load_window(reads_window.for_day(content, day))
    assert prescribed.step_of(programme, day, content, short) > prescribed.step_of(
        programme, day, content, whole
    )
