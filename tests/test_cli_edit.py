"""The diary commands of SPEC §15: edit, history -n / --search, undo's way back, and the
clock time that log records.

Refusals are checked as everywhere: the exit code, one sentence on standard error, nothing
on standard output, and every file under RUGCOACH_HOME byte-for-byte as it was.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from helpers.storage_tools import snapshot
from rugcoach.cli import shell as cli
from rugcoach.cli.shell import app

pytestmark = pytest.mark.usefixtures("fast_content")

# A fixed "now" for every command here: 2026-03-10 09:41 in Amsterdam (winter time).
NOW = datetime(2026, 3, 10, 9, 41, tzinfo=timezone(timedelta(hours=1)))
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def amsterdam(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The system zone and the clock, both fixed."""
    monkeypatch.setenv("TZ", "Europe/Amsterdam")
    time.tzset()
    monkeypatch.setattr(cli, "clock", lambda: NOW)
    yield
    monkeypatch.undo()
    time.tzset()


def run(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(app, list(args))


def ok(runner: CliRunner, *args: str) -> Result:
    result = run(runner, *args)
    assert result.exit_code == 0, (args, result.stdout, result.stderr, result.exception)
    return result


def refused(runner: CliRunner, home: Path, args: Sequence[str], code: int, *fragments: str) -> str:
    before = snapshot(home)
    result = run(runner, *args)
    assert result.exit_code == code, (args, result.stdout, result.stderr)
    message = result.stderr.strip()
    first, *rest = message.split("\n")
    # One line; an unknown warning sign adds the list of every sign to choose from (§10).
    assert first and (not rest or rest[0].startswith("Choose the sign")), message
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    assert snapshot(home) == before, f"{args} changed files under RUGCOACH_HOME"
    return message


def entries(home: Path) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((home / "diary.json").read_text("utf-8"))["entries"]
    return data


def log(runner: CliRunner, home: Path, *args: str) -> str:
    before = {e["id"] for e in entries(home)} if (home / "diary.json").exists() else set()
    ok(runner, "log", *args)
    (new,) = [e["id"] for e in entries(home) if e["id"] not in before]
    return new


def entry(home: Path, entry_id: str) -> dict[str, Any]:
    return next(e for e in entries(home) if e["id"] == entry_id)


# --------------------------------------------------------------------------- log's clock


def test_log_for_today_records_the_clock_time_and_offset(runner: CliRunner, home: Path) -> None:
    found = entry(home, log(runner, home, "--pain", "3"))
    assert (found["time"], found["utc_offset"]) == ("09:41", "+01:00")


def test_log_for_another_day_records_no_time(runner: CliRunner, home: Path) -> None:
    found = entry(home, log(runner, home, "--pain", "3", "--date", "yesterday"))
    assert (found["time"], found["utc_offset"]) == (None, None)


def test_a_typed_time_gets_the_offset_of_that_moment(runner: CliRunner, home: Path) -> None:
    # Summer time had not begun on 2026-03-10 (+01:00) but had in July (+02:00).
    ok(runner, "init", "--start-date", "2025-06-01")
    summer = entry(home, log(runner, home, "--pain", "3", "--date", "2025-07-01", "--time", "8:00"))
    assert (summer["time"], summer["utc_offset"]) == ("08:00", "+02:00")
    winter = entry(home, log(runner, home, "--pain", "3", "--time", "07:15"))
    assert (winter["time"], winter["utc_offset"]) == ("07:15", "+01:00")


def test_the_interactive_log_gets_the_time_too(
    runner: CliRunner, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rugcoach.cli import diary as cli_diary

    monkeypatch.setattr(cli_diary, "_interactive", lambda: True)
    result = runner.invoke(app, ["log"], input="4\n\n\n\n\n\n\n")
    assert result.exit_code == 0, result.stderr
    (found,) = entries(home)
    assert (found["pain"], found["time"], found["utc_offset"]) == (4, "09:41", "+01:00")


def test_a_session_logs_the_time_it_ended(
    runner: CliRunner, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rugcoach.cli import session as cli_session

    monkeypatch.setattr(cli_session, "sleep", lambda seconds: None)
    result = runner.invoke(app, ["session", "--no-timers"], input="\n" * 20 + "2\n")
    assert result.exit_code == 0, result.stderr
    (found,) = entries(home)
    assert found["done"] and (found["time"], found["utc_offset"]) == ("09:41", "+01:00")


def test_the_offset_helpers() -> None:
    assert cli.utc_offset(datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=-5)))) == "-05:00"
    assert cli.utc_offset(datetime(2026, 1, 1, tzinfo=timezone(timedelta(minutes=345)))) == "+05:45"
    assert cli.utc_offset(datetime(2026, 1, 1)) is None
    assert cli.local_offset(date(2026, 7, 1), "12:00") == "+02:00"
    # Amsterdam's local mean time (+00:19:32) is no whole number of minutes: not recorded.
    assert cli.local_offset(date(1900, 1, 1), "12:00") is None


# ---------------------------------------------------------------------------------- edit


@pytest.fixture
def one(runner: CliRunner, home: Path) -> str:
    return log(
        runner, home, "--pain", "4", "--walk", "20", "--done", "bird-dog", "--note", "after work"
    )


def test_edit_changes_only_the_fields_named(runner: CliRunner, home: Path, one: str) -> None:
    before = entry(home, one)
    result = ok(
        runner, "edit", one, "--pain", "6", "--done", "cat-camel,bird-dog", "--stiffness", "15"
    )
    after = entry(home, one)
    assert after == {
        **before,
        "pain": 6,
        "done": ["cat-camel", "bird-dog"],
        "stiffness_minutes": 15,
    }
    assert one in result.stderr and "pain 4" in result.stderr and "pain 6" in result.stderr


def test_edit_clears_fields(runner: CliRunner, home: Path, one: str) -> None:
    ok(runner, "edit", one, "--clear-note", "--clear-done", "--clear-walk", "--clear-time")
    after = entry(home, one)
    assert (after["note"], after["done"], after["walk_minutes"]) == (None, [], None)
    assert (after["time"], after["utc_offset"]) == (None, None)
    assert after["pain"] == 4


def test_edit_a_symptom_list_is_replaced_and_aliases_resolved(
    runner: CliRunner, home: Path, one: str
) -> None:
    ok(runner, "edit", one, "--symptom", "koorts", "--symptom", "night-pain")
    assert entry(home, one)["symptoms"] == ["fever", "night-pain"]
    ok(runner, "edit", one, "--symptom", "night-pain")
    assert entry(home, one)["symptoms"] == ["night-pain"]
    ok(runner, "edit", one, "--clear-symptoms")
    assert entry(home, one)["symptoms"] == []


def test_edit_date_and_time_move_the_offset_along(runner: CliRunner, home: Path, one: str) -> None:
    ok(runner, "init", "--force", "--start-date", "2025-01-01")
    one = log(runner, home, "--pain", "4")
    ok(runner, "edit", one, "--date", "2025-08-01")
    moved = entry(home, one)
    assert (moved["date"], moved["time"], moved["utc_offset"]) == ("2025-08-01", "09:41", "+02:00")
    ok(runner, "edit", one, "--time", "21:05", "--date", "2025-12-01")
    moved = entry(home, one)
    assert (moved["time"], moved["utc_offset"]) == ("21:05", "+01:00")


def test_an_entry_that_keeps_its_moment_keeps_its_offset(
    runner: CliRunner, home: Path, one: str
) -> None:
    # Logged while travelling: another offset than this system's.
    diary = json.loads((home / "diary.json").read_text("utf-8"))
    diary["entries"][0]["utc_offset"] = "+05:30"
    (home / "diary.json").write_text(json.dumps(diary), "utf-8")
    ok(runner, "edit", one, "--pain", "2", "--date", "today", "--time", "09:41")
    assert entry(home, one)["utc_offset"] == "+05:30"


def test_edit_keeps_the_order_and_the_other_entries(runner: CliRunner, home: Path) -> None:
    ids = [log(runner, home, "--pain", str(n)) for n in range(3)]
    others = [entry(home, i) for i in (ids[0], ids[2])]
    ok(runner, "edit", ids[1], "--pain", "9")
    assert [e["id"] for e in entries(home)] == ids
    assert [entry(home, i) for i in (ids[0], ids[2])] == others


def test_the_old_version_can_be_brought_back(runner: CliRunner, home: Path, one: str) -> None:
    before = entry(home, one)
    result = ok(runner, "edit", one, "--pain", "8", "--clear-note")
    line = next(x for x in result.stderr.splitlines() if "rugcoach delete" in x)
    backup = line.split("rugcoach import ", 1)[1].strip()
    assert Path(backup).parent == home / "backups"
    # The command the message gives, step by step.
    ok(runner, "delete", one)
    ok(runner, "import", backup)
    assert entry(home, one) == before


def test_edit_without_changes_writes_nothing(runner: CliRunner, home: Path, one: str) -> None:
    before = snapshot(home)
    result = ok(runner, "edit", one, "--pain", "4")
    assert "nothing was changed" in result.stderr
    assert snapshot(home) == before


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--pain", "11"], "--pain"),
        (["--exercise-pain", "-1"], "--exercise-pain"),
        (["--walk", "abc"], "--walk"),
        (["--stiffness", "99999"], "--stiffness"),
        (["--date", "tomorrow"], "--date"),
        (["--time", "25:00"], "--time"),
        (["--symptom", "hoofdpijn-xyz"], "hoofdpijn-xyz"),
        (["--done", "bird-dgo"], "bird-dog"),  # a did-you-mean
        (["--pain", "3", "--clear-pain"], "--clear-pain"),
        (["--note", "x", "--clear-note"], "--clear-note"),
        ([], "rugcoach edit"),
        (["--clear-pain", "--clear-walk", "--clear-done", "--clear-note"], "delete"),
    ],
)
def test_edit_refuses_bad_input(
    runner: CliRunner, home: Path, one: str, args: list[str], fragment: str
) -> None:
    refused(runner, home, ["edit", one, *args], 2, fragment)


def test_edit_refuses_a_future_date(runner: CliRunner, home: Path, one: str) -> None:
    later = (TODAY + timedelta(days=1)).isoformat()
    refused(runner, home, ["edit", one, "--date", later], 2, "--date")


def test_edit_an_unknown_id_suggests_a_close_one(runner: CliRunner, home: Path, one: str) -> None:
    typo = one[:-1] + ("0" if one[-1] != "0" else "1")
    message = refused(runner, home, ["edit", typo, "--pain", "3"], 2, typo)
    assert f"'{one}'" in message


def test_edit_without_a_diary_creates_nothing(runner: CliRunner, home: Path) -> None:
    refused(runner, home, ["edit", "abc", "--pain", "3"], 2, "abc")
    assert not home.exists()


def test_edit_refusal_in_dutch(runner: CliRunner, home: Path, one: str) -> None:
    message = refused(runner, home, ["--lang", "nl", "edit", one, "--pain", "2", "--clear-pain"], 2)
    assert "spreken elkaar tegen" in message


# ------------------------------------------------------------------------------- history


def history(runner: CliRunner, *args: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(ok(runner, "history", "--json", *args).stdout)
    return data


def test_history_n_shows_the_last_entries(runner: CliRunner, home: Path) -> None:
    ok(runner, "init", "--start-date", "2026-03-01")
    ids = [log(runner, home, "--pain", "2", "--date", f"2026-03-0{d}") for d in (5, 3, 4)]
    assert [e["id"] for e in history(runner, "-n", "2")] == [ids[2], ids[0]]
    assert [e["id"] for e in history(runner, "--count", "9")] == [ids[1], ids[2], ids[0]]
    assert [e["id"] for e in history(runner, "-n", "1", "--to", "2026-03-04")] == [ids[2]]


@pytest.mark.parametrize("value", ["0", "-3", "two", ""])
def test_history_refuses_a_bad_count(runner: CliRunner, home: Path, one: str, value: str) -> None:
    refused(runner, home, ["history", "-n", value], 2, "-n")


def test_history_search_folds_case_and_accents(runner: CliRunner, home: Path) -> None:
    cafe = log(runner, home, "--pain", "2", "--note", "Na het Café  fietsen")
    bird = log(runner, home, "--pain", "3", "--done", "bird-dog")
    fever = log(runner, home, "--pain", "3", "--symptom", "fever")
    log(runner, home, "--walk", "10")
    assert [e["id"] for e in history(runner, "--search", "cafe fietsen")] == [cafe]
    assert [e["id"] for e in history(runner, "--search", "BIRD")] == [bird]
    # An exercise's Dutch name, a sign's Dutch alias.
    assert [e["id"] for e in history(runner, "--search", "been strekken")] == [bird]
    assert [e["id"] for e in history(runner, "--search", "koorts")] == [fever]
    assert history(runner, "--search", "zwemmen") == []
    # -n keeps the last of the entries found.
    found = history(runner, "--search", "e")
    assert len(found) >= 2
    assert history(runner, "--search", "e", "-n", "1") == found[-1:]


def test_history_search_needs_text(runner: CliRunner, home: Path, one: str) -> None:
    refused(runner, home, ["history", "--search", "  "], 2, "--search")


def test_history_shows_the_feedback_when_there_is_any(
    runner: CliRunner, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # one line per entry, to read it back
    one = log(runner, home, "--pain", "2", "--done", "bird-dog")
    diary = json.loads((home / "diary.json").read_text("utf-8"))
    diary["entries"][0]["hard"] = ["bird-dog"]
    diary["entries"][0]["easy"] = ["cat-camel"]
    (home / "diary.json").write_text(json.dumps(diary), "utf-8")
    out = ok(runner, "history").stdout
    assert "too hard: bird-dog" in out and "too easy: cat-camel" in out
    assert [e["id"] for e in history(runner, "--search", "cat-camel")] == [one]
    log(runner, home, "--pain", "1")  # no feedback: nothing said about it
    assert "too hard" not in ok(runner, "history", "-n", "1").stdout


# ---------------------------------------------------------------------------------- undo


def test_undo_says_how_to_bring_the_entry_back_and_that_works(
    runner: CliRunner, home: Path
) -> None:
    log(runner, home, "--pain", "2")
    last = log(runner, home, "--pain", "5", "--note", "oops")
    before = entry(home, last)
    result = ok(runner, "undo")
    line = next(x for x in result.stderr.splitlines() if "rugcoach import" in x)
    backup = line.split("rugcoach import ", 1)[1].strip()
    assert last not in {e["id"] for e in entries(home)}
    ok(runner, "import", backup)
    assert entry(home, last) == before
    assert len(entries(home)) == 2
