"""The diary commands from the command line (SPEC §3, §6): init, log, history, undo, delete.

Every refused command is checked the same way: the exit code, one line on standard error
in the person's language (no traceback), nothing on standard output, and every file under
RUGCOACH_HOME byte-for-byte as it was (none created).
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from rugcoach import i18n
from rugcoach.cli.shell import app, local_offset
from rugcoach.content import load as content

from conftest import TODAY, snapshot

YESTERDAY = TODAY - timedelta(days=1)
TOMORROW = TODAY + timedelta(days=1)
ENTRY_KEYS = [
    "id",
    "date",
    "time",
    "utc_offset",
    "pain",
    "exercise_pain",
    "stiffness_minutes",
    "walk_minutes",
    "done",
    "hard",
    "easy",
    "symptoms",
    "note",
]
SIGN_CHOICE = {i18n.catalogue(lang)["error.sign_choose"] for lang in i18n.LANGS}
RTL_EMOJI_NOTE = "Rug 😬 stijf — שלום עליכם — مرحبا — ünïcödé \u200f test"

# --------------------------------------------------------------------------------- helpers

_real_load = content.load
_loaded: dict[tuple[Any, ...], Any] = {}


@pytest.fixture(autouse=True)
def fast_content(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parse the packaged YAML once per test run, not once per command (it takes ~0.4 s).

    Keyed by the content files in force and their mtimes, so a test with its own content
    file would still get it.
    """

    def load(files: Any = None) -> Any:
        if files is not None:
            return _real_load(files)
        key = tuple((s.kind, str(s.path), s.path.stat().st_mtime_ns) for s in content.sources())
        if key not in _loaded:
            _loaded[key] = _real_load()
        return copy.deepcopy(_loaded[key])

    monkeypatch.setattr(content, "load", load)


def run(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(app, list(args))


def ok(runner: CliRunner, *args: str) -> Result:
    result = run(runner, *args)
    assert result.exit_code == 0, (args, result.stdout, result.stderr, result.exception)
    assert "Traceback" not in result.stderr
    return result


def refused(runner: CliRunner, home: Path, args: Sequence[str], code: int, *fragments: str) -> str:
    """Run a command that must be refused; return its one-line message."""
    before = snapshot(home)
    result = run(runner, *args)
    assert result.exit_code == code, (args, result.stdout, result.stderr)
    message = result.stderr.strip()
    assert message, args
    _first, *rest = message.split("\n")
    # One line; an unknown warning sign adds the list of every sign to choose from (§10).
    assert not rest or rest[0] in SIGN_CHOICE, message
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    assert snapshot(home) == before, f"{args} changed files under RUGCOACH_HOME"
    return message


def diary_file(home: Path) -> dict[str, Any]:
    return json.loads((home / "diary.json").read_text(encoding="utf-8"))


def entries(home: Path) -> list[dict[str, Any]]:
    return diary_file(home)["entries"]


def log(runner: CliRunner, *args: str) -> str:
    """Log one entry; return its id (read back from the diary, not from the message)."""
    home = Path(os.environ["RUGCOACH_HOME"])
    before = {e["id"] for e in entries(home)} if (home / "diary.json").exists() else set()
    result = ok(runner, "log", *args)
    (entry_id,) = [e["id"] for e in entries(home) if e["id"] not in before]
    assert entry_id in result.stderr  # the message names the new entry
    return entry_id


def history_json(runner: CliRunner, *args: str) -> list[dict[str, Any]]:
    return json.loads(ok(runner, "history", "--json", *args).stdout)


def backups(home: Path) -> list[Path]:
    folder = home / "backups"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def newest_backup(home: Path) -> dict[str, Any]:
    newest = max(backups(home), key=lambda p: p.stat().st_mtime_ns)
    return json.loads(newest.read_text(encoding="utf-8"))


@pytest.fixture
def one_entry(runner: CliRunner, home: Path) -> str:
    """A diary with one entry (so refusals are checked against real data, not an empty home)."""
    return log(runner, "--pain", "3", "--date", "yesterday")


# ------------------------------------------------------------------------------------ init


def test_init_without_terminal_or_options_takes_the_defaults(runner: CliRunner, home: Path) -> None:
    result = ok(runner, "init")
    diary = diary_file(home)
    assert diary["format"] == "rugcoach-diary"
    assert diary["profile"]["profile"] == "general"
    assert diary["profile"]["start_date"] == TODAY.isoformat()
    assert diary["phases"] == [{"number": 1, "start": TODAY.isoformat(), "how": "init"}]
    assert diary["entries"] == []
    assert "not make a diagnosis" in result.stderr  # the disclaimer, once, at init
    assert result.stdout == ""
    # SPEC §6: the file is 0600, its folder 0700.
    assert (home / "diary.json").stat().st_mode & 0o777 == 0o600
    assert home.stat().st_mode & 0o777 == 0o700


def test_init_with_every_option(runner: CliRunner, home: Path) -> None:
    start = TODAY - timedelta(days=10)
    ok(
        runner,
        "init",
        "--start-date",
        start.isoformat(),
        "--profile",
        "Nerve",
        "--phase",
        "2",
        "--lang",
        "nl",
        "--goal",
        "Weer fietsen 🚲",
        "--goal",
        "tillen",
        "--screening",
        "cancer",
    )
    diary = diary_file(home)
    assert diary["profile"] == {
        "profile": "nerve",
        "language": "nl",
        "start_date": start.isoformat(),
        "goals": ["Weer fietsen 🚲", "tillen"],
        "screening_flags": ["cancer"],
        "screening_cleared": False,
    }
    assert diary["phases"] == [{"number": 2, "start": start.isoformat(), "how": "init"}]
    # The profile's language is used from then on.
    assert "opgeslagen" in ok(runner, "log", "--pain", "2").stderr


def test_init_refuses_to_replace_a_diary_without_force(
    runner: CliRunner, home: Path, one_entry: str
) -> None:
    message = refused(runner, home, ["init"], 1, "--force", str(home / "diary.json"))
    assert "already exists" in message
    refused(runner, home, ["init", "--profile", "acute"], 1)
    dutch = refused(runner, home, ["--lang", "nl", "init"], 1)
    assert "bestaat" in dutch or "Er staat al" in dutch


def test_init_force_keeps_the_old_entries_in_a_backup(
    runner: CliRunner, home: Path, one_entry: str
) -> None:
    second = log(runner, "--walk", "15", "--note", "tweede")
    ok(runner, "init", "--force", "--profile", "chronic")
    assert entries(home) == []
    assert diary_file(home)["profile"]["profile"] == "chronic"
    kept = {e["id"] for e in newest_backup(home)["entries"]}
    assert kept == {one_entry, second}


def test_init_screening_cleared_keeps_the_entries(
    runner: CliRunner, home: Path, one_entry: str
) -> None:
    ok(runner, "init", "--force", "--screening", "cancer")
    new = log(runner, "--pain", "2")
    ok(runner, "init", "--screening-cleared")
    diary = diary_file(home)
    assert diary["profile"]["screening_cleared"] is True
    assert diary["profile"]["screening_flags"] == ["cancer"]
    assert [e["id"] for e in diary["entries"]] == [new]


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--profile", "nerv"], ["nerv", "Did you mean 'nerve'"]),
        (["--profile", "xyz"], ["xyz", "general"]),
        (["--phase", "0"], ["phase 0"]),
        (["--phase", "5"], ["phase 5", "1 to 4"]),
        (["--phase", "abc"], ["abc"]),
        (["--lang", "fr"], ["'fr'"]),
        (["--start-date", TOMORROW.isoformat()], ["--start-date", "after today"]),
        (["--start-date", "2026-02-30"], ["--start-date", "2026-02-30"]),
        (["--start-date", "tomorrow"], ["tomorrow"]),
        (["--screening", "cancr"], ["cancr", "Did you mean 'cancer'"]),
        (["--goal", "g" * 501], ["501", "500"]),
        # Bytes that are not UTF-8 in argv reach Python as lone surrogates.
        (["--goal", "fiets \udcff"], ["--goal", "UTF-8"]),
    ],
)
def test_init_refuses_bad_options(
    runner: CliRunner, home: Path, args: list[str], fragments: list[str]
) -> None:
    refused(runner, home, ["init", *args], 2, *fragments)
    assert not home.exists()


def test_init_refusal_in_dutch(runner: CliRunner, home: Path) -> None:
    message = refused(runner, home, ["--lang", "nl", "init", "--phase", "9"], 2)
    assert message.startswith("Fase 9 bestaat niet")


# ------------------------------------------------------------------------------------- log


def test_log_with_every_option_round_trips(runner: CliRunner, home: Path) -> None:
    entry_id = log(
        runner,
        "--date",
        "yesterday",
        "--time",
        "8:05",
        "--pain",
        "4",
        "--exercise-pain",
        "3",
        "--stiffness",
        "20",
        "--walk",
        "30",
        "--done",
        "bird-dog,cat-camel",
        "--done",
        "Bird-Dog",
        "--symptom",
        "koorts",
        "--symptom",
        "night-pain",
        "--note",
        RTL_EMOJI_NOTE,
    )
    expected = {
        "id": entry_id,
        "date": YESTERDAY.isoformat(),
        "time": "08:05",
        # --time given: the offset the system's zone had at that moment.
        "utc_offset": local_offset(YESTERDAY, "08:05"),
        "pain": 4,
        "exercise_pain": 3,
        "stiffness_minutes": 20,
        "walk_minutes": 30,
        "done": ["bird-dog", "cat-camel"],  # repeats dropped, any letter case
        "hard": [],
        "easy": [],
        "symptoms": ["fever", "night-pain"],  # the Dutch alias is stored as its id
        "note": RTL_EMOJI_NOTE,
    }
    assert entries(home) == [expected]
    shown = history_json(runner)
    assert shown == [expected]
    assert list(shown[0]) == ENTRY_KEYS


def test_log_without_a_diary_creates_one_starting_on_the_entry_date(
    runner: CliRunner, home: Path
) -> None:
    day = TODAY - timedelta(days=5)
    result = ok(runner, "log", "--date", day.isoformat(), "--walk", "10")
    assert "rugcoach init" in result.stderr  # a hint that the profile has defaults
    diary = diary_file(home)
    assert diary["profile"]["start_date"] == day.isoformat()
    assert diary["profile"]["profile"] == "general"
    assert diary["phases"] == [{"number": 1, "start": day.isoformat(), "how": "init"}]
    assert [e["walk_minutes"] for e in diary["entries"]] == [10]


def test_log_keeps_every_entry_and_ids_are_unique(runner: CliRunner, home: Path) -> None:
    ids = [log(runner, "--pain", str(n)) for n in range(6)]
    assert len(set(ids)) == 6
    assert [e["pain"] for e in entries(home)] == list(range(6))
    assert [e["id"] for e in entries(home)] == ids


@pytest.mark.parametrize(
    "args",
    [
        ["--pain", "0"],
        ["--pain", "10"],
        ["--exercise-pain", "0"],
        ["--exercise-pain", "10"],
        ["--walk", "0"],
        ["--walk", "600"],
        ["--stiffness", "1440"],
        ["--note", "x" * 2000],
        ["--date", "today", "--pain", "1"],
        ["--date", "Yesterday", "--pain", "1"],
        ["--date", "gisteren", "--pain", "1"],
        ["--time", "23:59", "--pain", "1"],
        ["--time", "00:00", "--pain", "1"],
        ["--symptom", "Fever"],
        ["--symptom", "uitstraling,nachtpijn"],
    ],
)
def test_log_accepts_the_edges(runner: CliRunner, home: Path, args: list[str]) -> None:
    log(runner, *args)
    assert len(entries(home)) == 1


ONE_MEASURE = ["--pain", "3"]


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--pain", "-1"], ["--pain", "-1", "0 to 10"]),
        (["--pain", "11"], ["--pain", "11"]),
        (["--pain", "abc"], ["--pain", "abc", "0 to 10"]),
        (["--pain", "4.5"], ["--pain", "4.5"]),
        (["--pain", ""], ["--pain", "not ''."]),
        (["--exercise-pain", "11"], ["--exercise-pain", "11"]),
        (["--exercise-pain", "x", *ONE_MEASURE], ["--exercise-pain", "not x."]),
        (["--date", "2026-13-01", *ONE_MEASURE], ["--date", "2026-13-01", "YYYY-MM-DD"]),
        (["--date", "tomorrow", *ONE_MEASURE], ["tomorrow"]),
        (["--date", "21-11-2026", *ONE_MEASURE], ["21-11-2026"]),
        (["--date", "2026-2-3", *ONE_MEASURE], ["2026-2-3"]),
        (["--date", TOMORROW.isoformat(), *ONE_MEASURE], ["--date", "after today"]),
        (["--time", "25:00", *ONE_MEASURE], ["--time", "25:00", "HH:MM"]),
        (["--time", "8h", *ONE_MEASURE], ["8h"]),
        (["--time", "12:60", *ONE_MEASURE], ["12:60"]),
        (["--symptom", "foo"], ["'foo'", "saddle-numbness", "night-pain"]),
        (["--symptom", "fevxr"], ["'fevxr'", "Did you mean 'fever'"]),
        (["--symptom", "fever,bogus"], ["'bogus'"]),
        (["--done", "bird-dg"], ["'bird-dg'", "Did you mean 'bird-dog'"]),
        (["--done", "bird-dog,nope-nope-nope", *ONE_MEASURE], ["nope-nope-nope"]),
        (["--walk", "601"], ["--walk", "601", "600"]),
        (["--walk", "-5"], ["--walk", "-5"]),
        (["--walk", "20m"], ["--walk", "20m"]),
        (["--stiffness", "1441"], ["--stiffness", "1441", "1440"]),
        (["--stiffness", "-1"], ["--stiffness"]),
        (["--note", "x" * 2001], ["2001", "2000"]),
        (["--note", "stijf \udcff", *ONE_MEASURE], ["--note", "UTF-8"]),
        (["--note", ""], ["at least one measure"]),
        (["--done", ","], ["at least one measure"]),
        (["--date", "yesterday"], ["at least one measure"]),
        (["--bogus", *ONE_MEASURE], ["--bogus"]),
        (["--pain"], ["--pain"]),
        (["extra-argument", *ONE_MEASURE], ["extra-argument"]),
    ],
)
@pytest.mark.parametrize("with_diary", [False, True], ids=["empty-home", "diary"])
def test_log_refuses_bad_input(
    runner: CliRunner,
    home: Path,
    args: list[str],
    fragments: list[str],
    with_diary: bool,
) -> None:
    if with_diary:
        log(runner, "--pain", "2")
    refused(runner, home, ["log", *args], 2, *fragments)
    if not with_diary:
        assert not home.exists()


def test_log_without_options_and_without_a_terminal_is_a_usage_error(
    runner: CliRunner, home: Path
) -> None:
    refused(runner, home, ["log"], 2, "rugcoach log --pain")
    assert not home.exists()


@pytest.mark.parametrize(
    ("args", "dutch"),
    [
        (["--pain", "11"], "moet een heel getal van 0 tot en met 10 zijn"),
        (["--pain", "abc"], "moet een heel getal van 0 tot en met 10 zijn"),
        (["--date", "2026-13-01", "--pain", "1"], "is geen datum"),
        (["--date", TOMORROW.isoformat(), "--pain", "1"], "kan niet na vandaag liggen"),
        (["--time", "25:00", "--pain", "1"], "is geen tijd"),
        (["--symptom", "koorst"], "Bedoel je 'koorts'"),
        (["--symptom", "xyzzy"], "Kies het signaal dat past"),
        (["--done", "bird-dg"], "Bedoel je 'bird-dog'?"),
        (["--walk", "601"], "aantal minuten van 0 tot en met 600"),
        (["--note", "x" * 2001], "De notitie is 2001 tekens lang"),
        ([], "Geef minstens een meting"),
    ],
)
def test_log_refusals_speak_dutch(
    runner: CliRunner, home: Path, one_entry: str, args: list[str], dutch: str
) -> None:
    message = refused(runner, home, ["--lang", "nl", "log", *args], 2, dutch)
    assert "must" not in message and "Did you mean" not in message


def test_log_refusal_follows_the_profile_language(runner: CliRunner, home: Path) -> None:
    ok(runner, "init", "--lang", "nl")
    refused(runner, home, ["log", "--pain", "12"], 2, "moet een heel getal")


# --------------------------------------------------------------------------------- history


def test_history_json_lists_entries_by_date_with_ids(runner: CliRunner, home: Path) -> None:
    late = log(runner, "--pain", "5", "--time", "20:00")
    early = log(runner, "--pain", "2", "--time", "07:30")
    before = log(runner, "--walk", "25", "--date", "yesterday")
    shown = history_json(runner)
    assert [e["id"] for e in shown] == [before, early, late]
    assert all(list(e) == ENTRY_KEYS for e in shown)
    assert shown[0]["pain"] is None and shown[0]["done"] == [] and shown[0]["note"] is None


def test_history_from_and_to_limit_the_period(runner: CliRunner, home: Path) -> None:
    ids = {
        n: log(runner, "--pain", str(n), "--date", (TODAY - timedelta(days=n)).isoformat())
        for n in range(5)
    }
    first = (TODAY - timedelta(days=3)).isoformat()
    last = (TODAY - timedelta(days=1)).isoformat()
    shown = history_json(runner, "--from", first, "--to", last)
    assert [e["id"] for e in shown] == [ids[3], ids[2], ids[1]]
    assert [e["id"] for e in history_json(runner, "--from", "today")] == [ids[0]]
    assert [e["id"] for e in history_json(runner, "--to", "yesterday")][-1] == ids[1]


def test_history_table_shows_ids_and_the_note(runner: CliRunner, home: Path) -> None:
    entry_id = log(runner, "--pain", "4", "--note", "na het fietsen 🚲", "--done", "bird-dog")
    result = ok(runner, "history")
    assert entry_id in result.stdout
    assert "fietsen 🚲" in result.stdout  # the table may wrap the note, never drop it
    assert "bird-dog" in result.stdout


def test_history_table_shows_markup_in_a_note_as_text(runner: CliRunner, home: Path) -> None:
    log(runner, "--pain", "4", "--note", "[bold]niet vet[/bold] [/]")
    result = ok(runner, "history")
    assert "[bold]niet" in result.stdout


def test_history_table_with_an_imported_id_that_looks_like_markup(
    runner: CliRunner, home: Path, tmp_path: Path
) -> None:
    path = tmp_path / "odd-ids.json"
    odd = {
        "format": "rugcoach-export",
        "version": 1,
        "entries": [{"id": "[/x]", "date": YESTERDAY.isoformat(), "pain": 1}],
    }
    path.write_text(json.dumps(odd), encoding="utf-8")
    ok(runner, "import", str(path))
    assert "[/x]" in ok(runner, "history").stdout


def test_history_before_any_diary_creates_nothing(runner: CliRunner, home: Path) -> None:
    result = ok(runner, "history")
    assert "rugcoach init" in result.stderr
    assert json.loads(ok(runner, "history", "--json").stdout) == []
    assert not home.exists()


@pytest.mark.parametrize("option", ["--from", "--to"])
def test_history_refuses_a_bad_date(
    runner: CliRunner, home: Path, one_entry: str, option: str
) -> None:
    refused(runner, home, ["history", option, "2026-02-30"], 2, option, "2026-02-30")


# ---------------------------------------------------------------------------- undo, delete


def test_undo_removes_the_last_written_entry_and_keeps_it_in_a_backup(
    runner: CliRunner, home: Path
) -> None:
    first = log(runner, "--pain", "3")
    # Written last, but dated earlier: undo is about what was written last, not the date.
    last = log(runner, "--pain", "7", "--date", "yesterday", "--note", "oeps ✋")
    result = ok(runner, "undo")
    assert last in result.stderr
    assert [e["id"] for e in entries(home)] == [first]
    kept = newest_backup(home)
    assert last in {e["id"] for e in kept["entries"]}
    assert next(e for e in kept["entries"] if e["id"] == last)["note"] == "oeps ✋"
    # The backup named in the message is the one that holds the entry.
    named = Path(result.stderr.splitlines()[0].split("backup ")[-1].strip().rstrip("."))
    assert last in named.read_text(encoding="utf-8")
    ok(runner, "undo")
    assert entries(home) == []
    refused(runner, home, ["undo"], 1, "no entry to undo")


def test_undo_on_an_empty_home_writes_nothing(runner: CliRunner, home: Path) -> None:
    refused(runner, home, ["undo"], 1, "no entry to undo")
    assert not home.exists()
    refused(runner, home, ["--lang", "nl", "undo"], 1, "Er is geen regel")


def test_undo_on_a_diary_without_entries_writes_nothing(runner: CliRunner, home: Path) -> None:
    ok(runner, "init")
    refused(runner, home, ["undo"], 1)


def test_delete_removes_the_given_entry_and_keeps_it_in_a_backup(
    runner: CliRunner, home: Path
) -> None:
    keep_a = log(runner, "--pain", "1")
    gone = log(runner, "--pain", "2", "--note", "weg")
    keep_b = log(runner, "--pain", "3")
    result = ok(runner, "delete", gone)
    assert gone in result.stderr
    assert [e["id"] for e in entries(home)] == [keep_a, keep_b]
    assert gone in {e["id"] for e in newest_backup(home)["entries"]}
    refused(runner, home, ["delete", gone], 2, gone)


def test_delete_unknown_id_changes_nothing(runner: CliRunner, home: Path, one_entry: str) -> None:
    message = refused(runner, home, ["delete", "nosuchid"], 2, "'nosuchid'", "rugcoach history")
    assert message.endswith(".")  # no dangling "did you mean" space
    near = one_entry[:-1] + ("0" if one_entry[-1] != "0" else "1")
    refused(runner, home, ["delete", near], 2, f"Did you mean '{one_entry}'")
    refused(runner, home, ["--lang", "nl", "delete", "nosuchid"], 2, "Er is geen regel")
    refused(runner, home, ["delete"], 2, "ENTRY_ID")


def test_delete_without_a_diary_creates_nothing(runner: CliRunner, home: Path) -> None:
    refused(runner, home, ["delete", "abc"], 2, "'abc'")
    assert not home.exists()


# ------------------------------------------------------------------------- a broken diary


BROKEN = [
    b"{",
    b"",
    b"\x00\x00\x00",
    b'{"format": "rugcoach-diary", "version": 99, "profile": {}, "phases": [], "entries": []}',
    b"[]",
]


@pytest.mark.parametrize("data", BROKEN, ids=["truncated", "empty", "nul", "newer", "list"])
@pytest.mark.parametrize(
    "args",
    [
        ["log", "--pain", "3"],
        ["history"],
        ["history", "--json"],
        ["undo"],
        ["delete", "abcd1234"],
        ["export", "--format", "json"],
        ["init", "--force"],
        ["--lang", "nl", "log", "--pain", "3"],
    ],
)
def test_a_broken_diary_stops_every_command(
    runner: CliRunner, home: Path, data: bytes, args: list[str]
) -> None:
    home.mkdir(mode=0o700)
    (home / "diary.json").write_bytes(data)
    before = snapshot(home)
    result = run(runner, *args)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert str(home / "diary.json") in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    after = snapshot(home)
    # Nothing changed; a quarantine copy (name containing "corrupt") is the one allowed file.
    assert {k: v for k, v in after.items() if "corrupt" not in k} == before
    assert (home / "diary.json").read_bytes() == data


# ------------------------------------------------------------- on a terminal: the questions


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Act as if standard input and output were a terminal (answers come from `input=`)."""
    from rugcoach.cli import diary as cli_diary
    from rugcoach.cli import init as cli_init

    monkeypatch.setattr(cli_diary, "_interactive", lambda: True)
    monkeypatch.setattr(cli_init, "interactive", lambda: True)


def answer(runner: CliRunner, args: list[str], lines: list[str]) -> Result:
    return runner.invoke(app, args, input="".join(f"{line}\n" for line in lines))


def test_log_on_a_terminal_without_options_asks(
    runner: CliRunner, home: Path, terminal: None
) -> None:
    # pain, exercise pain, stiffness, walk, done, symptoms, note; Enter skips a question.
    result = answer(runner, ["log"], ["4", "", "20", "30", "bird-dog", "koorts", "héél stijf"])
    assert result.exit_code == 0, result.stderr
    (entry,) = entries(home)
    assert entry["pain"] == 4 and entry["exercise_pain"] is None
    assert (entry["stiffness_minutes"], entry["walk_minutes"]) == (20, 30)
    assert entry["done"] == ["bird-dog"] and entry["symptoms"] == ["fever"]
    assert entry["note"] == "héél stijf"


@pytest.mark.parametrize(
    ("lines", "fragment", "field", "value"),
    [
        (["abc", "4", "", "", "", "", "", ""], "not abc", "pain", 4),
        (["11", "3", "", "", "", "", "", ""], "--pain", "pain", 3),
        (["", "", "", "700", "25", "", "", ""], "--walk", "walk_minutes", 25),
        (["", "", "", "", "bird-dg", "bird-dog", "", ""], "Did you mean 'bird-dog'", "done",
         ["bird-dog"]),
        (["", "", "", "", "", "fevxr", "koorts", ""], "Did you mean 'fever'", "symptoms",
         ["fever"]),
        (["5", "", "", "", "", "zwaar", "", "ok"], "Choose the sign", "note", "ok"),
    ],
)  # fmt: skip
def test_log_on_a_terminal_asks_again_until_the_answer_is_usable(
    runner: CliRunner,
    home: Path,
    terminal: None,
    lines: list[str],
    fragment: str,
    field: str,
    value: object,
) -> None:
    """SPEC §15: each answer is checked as it is given and asked again, so nothing typed
    before it is lost."""
    result = answer(runner, ["log"], lines)
    assert result.exit_code == 0, result.stderr
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr
    (entry,) = entries(home)
    assert entry[field] == value


def test_log_on_a_terminal_with_every_question_skipped_writes_nothing(
    runner: CliRunner, home: Path, terminal: None, one_entry: str
) -> None:
    before = snapshot(home)
    result = answer(runner, ["log"], [""] * 7)
    assert result.exit_code == 2
    assert "at least one measure" in result.stderr
    assert snapshot(home) == before


def test_log_on_a_terminal_stopped_halfway_writes_nothing(
    runner: CliRunner, home: Path, terminal: None, one_entry: str
) -> None:
    before = snapshot(home)
    result = answer(runner, ["log"], ["4"])  # then end of input (Ctrl-D)
    assert result.exit_code == 130
    assert "internal error" not in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(home) == before


URGENT = 5  # saddle-numbness, bladder-bowel, both-legs, progressive-weakness, trauma
SCREENING = 4  # cancer, steroids-osteoporosis, immunity-infection, first-episode-over-50


MORE_SIGNS = 3  # fever, weight-loss, night-pain


def test_init_on_a_terminal_runs_the_intake(runner: CliRunner, home: Path, terminal: None) -> None:
    lines = ["yesterday", "nerve", *["n"] * URGENT, *["n"] * MORE_SIGNS, "y"]
    lines += ["n"] * (SCREENING - 1)
    result = answer(runner, ["init"], [*lines, "fietsen", "tuinieren", ""])
    assert result.exit_code == 0, result.stderr
    profile = diary_file(home)["profile"]
    assert profile["start_date"] == YESTERDAY.isoformat()
    assert profile["profile"] == "nerve"
    assert profile["screening_flags"] == ["cancer"]
    assert profile["goals"] == ["fietsen", "tuinieren"]
    assert "not make a diagnosis" in result.stderr
    assert diary_file(home)["entries"] == []


def test_the_intake_asks_again_and_takes_dutch_answers(
    runner: CliRunner, home: Path, terminal: None
) -> None:
    """A wrong answer is asked again with the choices listed; j/ja/nee/N count in either
    language; nothing typed before is lost (SPEC §15)."""
    lines = ["morgen", "tomorrow", "gisteren", "ischias", "zenuw", "3"]
    lines += ["nee", "N", "misschien", "no", "n", "NEE"]  # five urgent signs, one asked twice
    lines += ["Ja", "n", "n"]  # fever yes
    lines += ["j", "n", "n", "n", "fietsen", ""]
    result = answer(runner, ["--lang", "nl", "init"], lines)
    assert result.exit_code == 0, result.stderr
    assert "Antwoord met j (ja) of n (nee)" in result.stderr
    assert "Kies een van" in result.stderr and "3 (nerve)" in result.stderr
    diary = diary_file(home)
    assert diary["profile"]["profile"] == "nerve"
    assert diary["profile"]["start_date"] == YESTERDAY.isoformat()
    assert diary["profile"]["screening_flags"] == ["cancer"]
    assert [e["symptoms"] for e in diary["entries"]] == [["fever"]]
    assert "[j/N]" in result.stdout or "[j/N]" in result.stderr


def test_an_urgent_sign_at_the_intake_is_kept_and_said_last(
    runner: CliRunner, home: Path, terminal: None
) -> None:
    lines = ["today", "general", "y"]  # the first urgent question: yes ends the intake
    result = answer(runner, ["init"], lines)
    assert result.exit_code == 0, result.stderr
    entries = diary_file(home)["entries"]
    assert len(entries) == 1 and entries[0]["symptoms"] == ["saddle-numbness"]
    said = result.stderr.strip()
    assert "the other questions can wait" in said
    urgent = said[said.rindex("URGENT") :]
    assert "112" in urgent and "rugcoach cleared saddle-numbness" in urgent
    assert "Do you have this now?" not in said[said.index("the other questions can wait") :]
    plan = json.loads(runner.invoke(app, ["today", "--json"]).stdout)
    assert plan["load"] == "paused" and plan["routine"] == []
    assert plan["warnings"][0]["id"] == "saddle-numbness"


@pytest.mark.parametrize(
    ("lines", "code"),
    [
        (["tomorrow"], 130),  # asked again; then the input ends
        (["today", "sciatica"], 130),
        (["today"], 130),  # input ends halfway
    ],
)
def test_init_on_a_terminal_that_stops_writes_nothing(
    runner: CliRunner, home: Path, terminal: None, lines: list[str], code: int
) -> None:
    result = answer(runner, ["init"], lines)
    assert result.exit_code == code, result.stderr
    assert "Traceback" not in result.stderr
    assert not home.exists()
