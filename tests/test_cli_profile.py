"""`rugcoach profile` / `profile set` (SPEC §15): the profile changes, the entries do not,
and a new risk factor brings the screening reminder back (SPEC §10)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from helpers.storage_tools import snapshot
from rugcoach.cli.shell import app

pytestmark = pytest.mark.usefixtures("fast_content")

DAY = "2026-03-10"


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
    assert message and "\n" not in message, message
    assert result.stdout == ""
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    assert snapshot(home) == before
    return message


def shown(runner: CliRunner) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(runner, "profile", "--json").stdout)
    return data


def diary(home: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((home / "diary.json").read_text("utf-8"))
    return data


def warning_ids(runner: CliRunner) -> list[str]:
    data = json.loads(ok(runner, "today", "--json", "--date", DAY).stdout)
    return [w["id"] for w in data["warnings"]]


@pytest.fixture
def started(runner: CliRunner, home: Path) -> None:
    ok(runner, "init", "--start-date", "2026-03-01", "--goal", "cycle to work")
    for day in ("2026-03-02", "2026-03-03"):
        ok(runner, "log", "--date", day, "--pain", "4", "--note", "x")


def test_profile_json_has_the_fields(runner: CliRunner, started: None) -> None:
    assert shown(runner) == {
        "profile": "general",
        "language": None,
        "start_date": "2026-03-01",
        "goals": ["cycle to work"],
        "risks": [],
        "screening_cleared": False,
    }


def test_profile_text(runner: CliRunner, started: None) -> None:
    out = ok(runner, "profile").stdout
    assert "cycle to work" in out and "2026-03-01" in out
    ok(runner, "--lang", "nl", "profile", "set", "--profile", "nerve")
    out = ok(runner, "--lang", "nl", "profile").stdout
    assert "zenuwpijn" in out and "doelen" in out


def test_profile_set_changes_the_profile_and_not_the_entries(
    runner: CliRunner, home: Path, started: None
) -> None:
    before = diary(home)
    backups = set((home / "backups").iterdir())
    ok(
        runner,
        "profile",
        "set",
        "--profile",
        "Chronic",
        "--lang",
        "nl",
        "--goal",
        "a",
        "--goal",
        "b",
    )
    after = diary(home)
    assert after["entries"] == before["entries"] and after["phases"] == before["phases"]
    assert shown(runner) | {"risks": None} == {
        "profile": "chronic",
        "language": "nl",
        "start_date": "2026-03-01",
        "goals": ["a", "b"],  # replaced, not added
        "risks": None,
        "screening_cleared": False,
    }
    # The old profile is in a new backup.
    (new,) = set((home / "backups").iterdir()) - backups
    assert json.loads(new.read_text("utf-8"))["profile"] == before["profile"]
    ok(runner, "profile", "set", "--clear-goals")
    assert shown(runner)["goals"] == []


def test_a_new_risk_factor_brings_the_reminder_back(runner: CliRunner, started: None) -> None:
    assert "screening" not in warning_ids(runner)
    result = ok(runner, "profile", "set", "--risk", "cancer")
    assert "cancer" in result.stderr
    assert shown(runner)["risks"] == ["cancer"]
    assert "screening" in warning_ids(runner)
    ok(runner, "profile", "set", "--screening-cleared")
    assert shown(runner)["screening_cleared"] is True
    assert "screening" not in warning_ids(runner)
    # The same factor again is not news: it stays discussed.
    ok(runner, "profile", "set", "--risk", "CANCER")
    assert shown(runner)["screening_cleared"] is True
    # A factor not recorded before is.
    ok(runner, "profile", "set", "--risk", "first-episode-over-50")
    assert shown(runner)["risks"] == ["cancer", "first-episode-over-50"]
    assert shown(runner)["screening_cleared"] is False
    assert "screening" in warning_ids(runner)
    ok(runner, "profile", "set", "--clear-risks")
    assert shown(runner)["risks"] == [] and "screening" not in warning_ids(runner)


def test_an_unchanged_profile_writes_nothing(runner: CliRunner, home: Path, started: None) -> None:
    before = snapshot(home)
    assert "nothing was changed" in ok(runner, "profile", "set", "--profile", "general").stderr
    assert snapshot(home) == before


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--profile", "nerv"], ("nerv", "'nerve'")),
        (["--profile", "xyz"], ("xyz",)),
        (["--risk", "diabetes"], ("diabetes", "cancer", "first-episode-over-50")),
        (["--lang", "de"], ("de",)),
        (["--goal", "x" * 501], ("500",)),
        (["--goal", "a", "--clear-goals"], ("--clear-goals",)),
        (["--risk", "cancer", "--clear-risks"], ("--clear-risks",)),
        ([], ("profile set",)),
    ],
)
def test_profile_set_refuses_bad_input(
    runner: CliRunner, home: Path, started: None, args: list[str], fragments: tuple[str, ...]
) -> None:
    refused(runner, home, ["profile", "set", *args], 2, *fragments)


def test_profile_without_a_diary(runner: CliRunner, home: Path) -> None:
    refused(runner, home, ["profile"], 1, "rugcoach init")
    refused(runner, home, ["profile", "set", "--profile", "acute"], 1, "rugcoach init")
    assert not home.exists()
