"""`rugcoach session` from the command line (SPEC §9), driven through standard input the way a
script (or a person piping answers) drives it: one answer a line, an empty line is Enter.

Timers never sleep for real: the tests replace `cli_session.sleep` with a recorder.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from rugcoach.cli import session as cli_session
from rugcoach.cli.shell import app
from rugcoach.coach import plan as coach
from rugcoach.coach import session
from rugcoach.content import load as content

from conftest import TODAY, snapshot

pytestmark = pytest.mark.usefixtures("fast_content")


@pytest.fixture(autouse=True)
def slept(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every wait of a timer, instead of sleeping."""
    calls: list[float] = []
    monkeypatch.setattr(cli_session, "sleep", calls.append)
    return calls


def run(runner: CliRunner, *args: str, input: str | None = None) -> Result:
    return runner.invoke(app, list(args), input=input)


def ok(runner: CliRunner, *args: str, input: str | None = None) -> Result:
    result = run(runner, *args, input=input)
    assert result.exit_code == 0, (args, result.stdout, result.stderr, result.exception)
    assert "Traceback" not in result.stderr
    return result


def routine(day: date = TODAY, diary: Any = None) -> list[coach.RoutineItem]:
    return list(coach.plan(content.load(), diary, day).routine)


def entries(runner: CliRunner) -> list[dict[str, Any]]:
    return json.loads(ok(runner, "history", "--json").stdout)  # type: ignore[no-any-return]


def lines(*answers: str) -> str:
    return "".join(f"{a}\n" for a in answers)


# ------------------------------------------------------------------------- whole session


def test_a_whole_session_without_timers_logs_one_entry(runner: CliRunner, home: Path) -> None:
    items = routine()
    assert 3 <= len(items) <= 8
    result = ok(runner, "session", "--no-timers", input=lines(*[""] * 3 * len(items), "3"))
    out = result.stdout
    for n, item in enumerate(items, 1):
        assert f"{n}/{len(items)} · {item.exercise['name']['en']}" in out
        assert f"✓ {item.exercise['name']['en']}: done." in out
    assert "up to 5 out of 10" in out and "next morning" in out  # the rule of thumb
    assert "Exercise pain 3: within the acceptable range" in out
    [entry] = entries(runner)
    assert entry["date"] == TODAY.isoformat()
    assert entry["done"] == [i.exercise["id"] for i in items]
    assert entry["exercise_pain"] == 3
    assert entry["pain"] is None and entry["walk_minutes"] is None
    assert f"Saved entry {entry['id']}" in result.stderr
    assert f"{len(items)} of {len(items)} exercises done" in result.stderr
    assert "A new diary was started" in result.stderr  # no init yet: like `log`


def test_a_whole_session_with_timers_counts_every_second(
    runner: CliRunner, home: Path, slept: list[float]
) -> None:
    items = routine()
    result = ok(runner, "session", input=lines(*[""] * 2 * len(items), "2"))
    assert sum(slept) == sum(session.item_seconds(i) for i in items)
    assert set(slept) == {1}  # a second at a time, never for real
    assert "Set 1 of" in result.stdout
    assert entries(runner)[0]["done"] == [i.exercise["id"] for i in items]
    assert entries(runner)[0]["exercise_pain"] == 2


def test_no_timers_never_waits(runner: CliRunner, home: Path, slept: list[float]) -> None:
    items = routine()
    result = ok(runner, "session", "--no-timers", input=lines(*[""] * 3 * len(items), ""))
    assert slept == []
    assert "Set 1 of" not in result.stdout
    assert "at your own pace" in result.stdout
    [entry] = entries(runner)
    assert entry["exercise_pain"] is None  # Enter skipped the question; the exercises count


def test_the_session_is_the_plan_of_the_date_asked(runner: CliRunner, home: Path) -> None:
    ok(runner, "log", "--pain", "3", "--date", (TODAY - timedelta(days=10)).isoformat())
    day = TODAY - timedelta(days=3)
    from rugcoach.diary.store import Store

    items = routine(day, Store(home).load())
    ok(runner, "session", "--no-timers", "--date", day.isoformat(), input=lines("", "", "q"))
    last = entries(runner)[-1]
    assert last["date"] == day.isoformat()
    assert last["done"] == [items[0].exercise["id"]]


# ----------------------------------------------------------------------- skip and quit


def test_skip_and_quit(runner: CliRunner, home: Path) -> None:
    items = routine()
    answers = lines("s", "", "", "", "q", "7")  # skip 1, do 2 (fine), stop at 3
    result = ok(runner, "session", "--no-timers", input=answers)
    assert f"↷ {items[0].exercise['name']['en']}: skipped." in result.stdout
    assert f"■ Stopped at {items[2].exercise['name']['en']}." in result.stdout
    assert f"{len(items) - 1}/{len(items)}" not in result.stdout  # nothing after the stop
    assert "Exercise pain 7 is above 5" in result.stdout
    [entry] = entries(runner)
    assert entry["done"] == [items[1].exercise["id"]] and entry["exercise_pain"] == 7
    assert f"1 of {len(items)} exercises done" in result.stderr


def test_skipping_every_exercise_starts_no_timer_and_logs_nothing(
    runner: CliRunner, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """(Keys during a countdown are read on a terminal only; the core's handling of them is
    tested in test_session.py.)"""
    items = routine()
    waits: list[float] = []
    monkeypatch.setattr(cli_session, "sleep", waits.append)
    ok(runner, "session", input=lines(*["s"] * len(items)))
    assert waits == []
    assert not (home / "diary.json").exists()


def test_quitting_before_anything_was_done_writes_nothing(runner: CliRunner, home: Path) -> None:
    ok(runner, "log", "--pain", "2")
    before = snapshot(home)
    result = ok(runner, "session", "--no-timers", input=lines("q"))
    assert "nothing was logged" in result.stderr
    assert "How much pain" not in result.stdout
    assert snapshot(home) == before


def test_empty_input_stops_at_once(runner: CliRunner, home: Path) -> None:
    result = ok(runner, "session", "--no-timers", input="")
    assert "■ Stopped at" in result.stdout
    assert not home.exists()


def test_an_unknown_answer_is_asked_again(runner: CliRunner, home: Path) -> None:
    result = ok(runner, "session", "--no-timers", input=lines("ja", "", "", "q", "1"))
    assert "Press Enter to go on, s to skip" in result.stdout
    assert len(entries(runner)[0]["done"]) == 1


def test_a_bad_pain_answer_is_asked_again(runner: CliRunner, home: Path) -> None:
    result = ok(runner, "session", "--no-timers", input=lines("", "", "", "q", "12", "veel", "4"))
    assert "'12' is not a score" in result.stdout and "'veel' is not a score" in result.stdout
    assert entries(runner)[0]["exercise_pain"] == 4


# ------------------------------------------------------------------------------- Ctrl-C


def _reader(answers: list[str]) -> Iterator[str | None]:
    yield from answers
    raise KeyboardInterrupt


def test_ctrl_c_keeps_what_was_done(
    runner: CliRunner, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = routine()
    # Two exercises done (each: start, done, fine), Ctrl-C at the third's card.
    answers = _reader(["", "", "", "", "", ""])
    monkeypatch.setattr(cli_session, "read_line", lambda: next(answers))
    result = run(runner, "session", "--no-timers")
    assert result.exit_code == 130
    assert "Traceback" not in result.stderr
    [entry] = entries(runner)
    assert entry["done"] == [i.exercise["id"] for i in items[:2]]
    assert entry["exercise_pain"] is None  # no more questions after Ctrl-C
    assert f"2 of {len(items)} exercises done" in result.stderr


def test_ctrl_c_during_a_countdown_keeps_what_was_done(
    runner: CliRunner, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = routine()
    first = session.item_seconds(items[0])
    waited: list[float] = []

    def sleep(seconds: float) -> None:
        waited.append(seconds)
        if len(waited) == first + 3:  # three seconds into the second exercise
            raise KeyboardInterrupt

    monkeypatch.setattr(cli_session, "sleep", sleep)
    result = run(runner, "session", input=lines("", "", ""))
    assert result.exit_code == 130
    assert entries(runner)[0]["done"] == [items[0].exercise["id"]]


def test_ctrl_c_before_anything_was_done_writes_nothing(
    runner: CliRunner, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = _reader([])
    monkeypatch.setattr(cli_session, "read_line", lambda: next(answers))
    result = run(runner, "session", "--no-timers")
    assert result.exit_code == 130
    assert not home.exists()


# ----------------------------------------------------------------- warnings and refusals


def test_an_urgent_warning_stops_the_session_before_it_starts(
    runner: CliRunner, home: Path
) -> None:
    ok(runner, "log", "--symptom", "saddle-numbness")
    before = snapshot(home)
    result = run(runner, "session", "--no-timers", input=lines(*[""] * 20))
    assert result.exit_code == 1
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1
    assert "does not start" in message and "GP" in message and "112" in message
    assert "Nothing was written" in message
    assert result.stdout == ""  # no card, no question
    assert snapshot(home) == before


def test_an_urgent_warning_speaks_dutch(runner: CliRunner, home: Path) -> None:
    ok(runner, "log", "--symptom", "bladder-bowel")
    result = run(runner, "--lang", "nl", "session", input="\n")
    assert result.exit_code == 1
    assert "De sessie begint niet" in result.stderr and "112" in result.stderr


def test_a_consult_warning_is_shown_and_the_session_goes_on(runner: CliRunner, home: Path) -> None:
    ok(runner, "log", "--symptom", "fever")
    result = ok(runner, "session", "--no-timers", input=lines("", "", "q", "1"))
    assert "SEE YOUR GP OR THERAPIST SOON" in result.stdout
    assert len(entries(runner)) == 2


def test_an_adjust_warning_gives_a_lighter_session(runner: CliRunner, home: Path) -> None:
    ok(runner, "log", "--exercise-pain", "8")
    result = ok(runner, "session", "--no-timers", input=lines("q"))
    assert "Lighter today" in result.stdout
    assert "ADJUST YOUR LOAD" in result.stdout


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--date", (TODAY + timedelta(days=1)).isoformat()], "cannot be after today"),
        (["--date", "2026-02-30"], "is not a date"),
        (["--timers"], "no option --timers"),
    ],
)
def test_a_wrong_command_line_is_exit_2_and_writes_nothing(
    runner: CliRunner, home: Path, args: list[str], fragment: str
) -> None:
    ok(runner, "log", "--pain", "2")
    before = snapshot(home)
    result = run(runner, "session", *args, input=lines(*[""] * 20))
    assert result.exit_code == 2
    assert fragment in result.stderr and result.stdout == ""
    assert snapshot(home) == before


def test_a_broken_diary_stops_the_session_before_it_starts(runner: CliRunner, home: Path) -> None:
    ok(runner, "log", "--pain", "2")
    (home / "diary.json").write_bytes(b'{"format": "rugcoach-diary", "trunc')
    before = snapshot(home)
    result = run(runner, "session", "--no-timers", input=lines(*[""] * 20, "3"))
    assert result.exit_code == 1
    assert "diary.json" in result.stderr and result.stdout == ""
    assert snapshot(home) == before


def test_the_session_speaks_dutch(runner: CliRunner, home: Path) -> None:
    result = ok(runner, "--lang", "nl", "session", "--no-timers", input=lines("", "", "q", "2"))
    assert "De sessie van vandaag" in result.stdout
    assert "Enter = beginnen, s = overslaan, q = stoppen" in result.stdout
    assert "Vuistregel" in result.stdout
    assert "is opgeslagen: 1 van de" in result.stderr


def test_help_lists_the_keys(runner: CliRunner) -> None:
    result = ok(runner, "session", "--help")
    assert "--no-timers" in result.stdout and "--date" in result.stdout
