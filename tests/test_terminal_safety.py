"""No terminal injection (SPEC §13): control characters in user text are shown escaped in
every output meant for people, in a matrix over every command that prints user text.

The payload holds what an attacker would plant through an imported export or a sync
conflict copy: a window title (OSC), the answer-back request `ESC[6n`, a C1 CSI, a bidi
override, DEL, a carriage return that would overwrite the line, a bell.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner, Result

from rugcoach import paths
from rugcoach.cli.shell import app
from rugcoach.content import load as content
from rugcoach.safe_text import clean

PAYLOAD = "A\x1b]0;owned\x07B\x1b[6nC\x9b2JD\u202eE\x7fF\rG\u2066H"
SHOWN = clean(PAYLOAD)
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
DAY = "2026-11-20"


def run(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(app, ["--lang", "en", *args])


def assert_safe(result: Result, *, shows: bool = True) -> None:
    text = result.stdout + result.stderr
    assert not RAW.search(text), repr(RAW.findall(text))
    if shows:
        assert "\\x1b" in text, text


def test_clean_escapes_every_control_and_keeps_text() -> None:
    assert clean("plain, ünïcödé, 😀, שלום\n\ttab") == "plain, ünïcödé, 😀, שלום\n\ttab"
    assert clean("\x1b[2J") == "\\x1b[2J"
    assert clean("\x00\x7f\x9b\u202e\u2069\u200f") == "\\x00\\x7f\\x9b\\u202e\\u2069\\u200f"
    assert clean("\r") == "\\x0d"


@pytest.fixture
def planted(runner: CliRunner, home: Path, fast_content: None) -> Path:
    """A diary with the payload in a note and an activity name."""
    result = run(runner, "log", "--date", DAY, "--pain", "4", "--note", PAYLOAD)
    assert result.exit_code == 0, result.stderr
    result = run(runner, "activities", "add", f"Tuin{PAYLOAD}")
    assert result.exit_code == 0, result.stderr
    result = run(runner, "profile", "set", "--goal", f"Walk{PAYLOAD}")
    assert result.exit_code == 0, result.stderr
    return home


@pytest.mark.parametrize(
    "args",
    [
        ["history"],
        ["history", "--from", "2026-11-01"],
        ["summary"],
        ["activities"],
        ["profile"],
        ["history", "--search", "owned"],
        ["export", "--format", "md", "--from", "2026-11-01"],
    ],
    ids=" ".join,
)
def test_diary_text_is_escaped_in_every_view(
    runner: CliRunner, planted: Path, args: list[str]
) -> None:
    result = run(runner, *args)
    assert result.exit_code == 0, result.stderr
    assert_safe(result, shows=args[0] != "summary")  # the summary shows no notes


def test_an_md_export_written_to_a_file_is_escaped(
    runner: CliRunner, planted: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report.md"
    result = run(runner, "export", "--format", "md", "--output", str(out))
    assert result.exit_code == 0, result.stderr
    text = out.read_text("utf-8")
    assert not RAW.search(text) and "\\x1b" in text


def test_json_keeps_the_exact_text(runner: CliRunner, planted: Path) -> None:
    result = run(runner, "history", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["note"] == PAYLOAD
    assert "\x1b" not in result.stdout  # JSON escapes it: \u001b


def test_html_escapes_it_as_html(runner: CliRunner, planted: Path) -> None:
    result = run(runner, "export", "--format", "html")
    assert result.exit_code == 0
    assert not RAW.search(result.stdout)
    assert "&#x1b;]0;owned&#x7;B" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["log", "--pain", PAYLOAD],
        ["log", "--date", PAYLOAD, "--pain", "3"],
        ["log", "--symptom", PAYLOAD, "--pain", "3"],
        ["log", "--done", PAYLOAD, "--pain", "3"],
        ["history", "--from", PAYLOAD],
        ["exercises", "show", PAYLOAD],
        ["export", "--format", PAYLOAD],
        ["phase", "set", PAYLOAD],
        ["import", f"/nowhere/{PAYLOAD}.json"],
        ["delete", PAYLOAD],
        [f"--{PAYLOAD}"],
        [PAYLOAD],
    ],
    ids=lambda a: " ".join(a[:2]).split("\x1b")[0],
)
def test_error_messages_echo_option_values_escaped(
    runner: CliRunner, home: Path, fast_content: None, args: list[str]
) -> None:
    result = run(runner, *args)
    assert result.exit_code in (1, 2), (result.exit_code, result.stdout, result.stderr)
    assert_safe(result)


def test_import_messages_name_a_planted_file_escaped(
    runner: CliRunner, home: Path, tmp_path: Path, fast_content: None
) -> None:
    folder = tmp_path / f"in{PAYLOAD}"
    folder.mkdir()
    bad = folder / "export.json"
    bad.write_text('{"format": "rugcoach-export", "version": 1}', encoding="utf-8")
    assert_safe(run(runner, "import", str(bad)))
    good = folder / "good.json"
    entry = {"id": "e1", "date": DAY, "pain": 3, "note": PAYLOAD}
    good.write_text(
        json.dumps({"format": "rugcoach-export", "version": 1, "entries": [entry]}), "utf-8"
    )
    result = run(runner, "import", str(good))
    assert result.exit_code == 0, result.stderr
    assert not RAW.search(result.stdout + result.stderr)
    assert_safe(run(runner, "history"))


@pytest.fixture
def custom_content(home: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A person's own exercises.yaml and phases.yaml with the payload in names and goals."""
    home.mkdir(mode=0o700, exist_ok=True)
    data = paths.packaged_data()
    exercises = yaml.safe_load((data / "exercises.yaml").read_text("utf-8"))
    first = exercises["exercises"][0]
    for lang in ("nl", "en"):
        first["name"][lang] += PAYLOAD
        first["steps"][0][lang] += PAYLOAD
    (home / "exercises.yaml").write_text(yaml.safe_dump(exercises, allow_unicode=False), "utf-8")
    phases = yaml.safe_load((data / "phases.yaml").read_text("utf-8"))
    for lang in ("nl", "en"):
        phases["phases"][0]["goals"][0][lang] += PAYLOAD
        phases["phases"][0]["name"][lang] += PAYLOAD
    (home / "phases.yaml").write_text(yaml.safe_dump(phases, allow_unicode=False), "utf-8")
    real = content.load
    monkeypatch.setattr(content, "load", lambda *a, **k: copy.deepcopy(real(*a, **k)))
    return str(first["id"])


@pytest.mark.parametrize(
    "args", [["today", "--date", DAY], ["phase", "--date", DAY], ["exercises"]], ids=" ".join
)
def test_custom_content_text_is_escaped(
    runner: CliRunner, custom_content: str, args: list[str]
) -> None:
    result = run(runner, *args)
    assert result.exit_code == 0, result.stderr
    assert_safe(result, shows=args[0] != "today")


def test_exercises_show_of_a_custom_file_is_escaped(runner: CliRunner, custom_content: str) -> None:
    result = run(runner, "exercises", "show", custom_content)
    assert result.exit_code == 0, result.stderr
    assert_safe(result)


def test_a_custom_file_problem_is_escaped(runner: CliRunner, home: Path) -> None:
    home.mkdir(mode=0o700)
    (home / "phases.yaml").write_text(f'phases: "{PAYLOAD.encode("unicode_escape").decode()}"\n')
    assert_safe(run(runner, "validate", str(home / "phases.yaml")), shows=False)
    assert_safe(run(runner, "today"), shows=False)
