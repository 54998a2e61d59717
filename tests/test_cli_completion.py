"""`rugcoach completion bash|zsh|fish` (SPEC §15): a script that calls rugcoach back to
complete commands and options, and nothing of it on the start-up path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers.storage_tools import snapshot
from rugcoach.cli.shell import COMPLETE_VAR, app
from test_performance_guards import imported


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish", "BASH"])
def test_the_script_calls_rugcoach_back(runner: CliRunner, home: Path, shell: str) -> None:
    result = runner.invoke(app, ["completion", shell])
    assert result.exit_code == 0, result.stderr
    assert COMPLETE_VAR in result.stdout and "rugcoach" in result.stdout
    assert f"complete_{shell.lower()}" in result.stdout
    assert not home.exists()


def complete(runner: CliRunner, words: str) -> list[str]:
    """What the bash script gets back for the command line `words` (the last word, or an
    empty one after a trailing space, is the one being completed)."""
    typed = words.split()
    current = len(typed) if words.endswith(" ") else len(typed) - 1  # a new, empty word
    env = {COMPLETE_VAR: "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(current)}
    result = runner.invoke(app, [], env=env, prog_name="rugcoach")
    assert result.exit_code == 0, result.output
    return result.stdout.split()


def test_commands_and_options_complete(runner: CliRunner) -> None:
    assert complete(runner, "rugcoach hi") == ["history"]
    assert "profile" in complete(runner, "rugcoach pro")
    assert "--clear-pain" in complete(runner, "rugcoach edit abc --clear")
    assert "set" in complete(runner, "rugcoach profile s")


def test_values_complete_and_nothing_is_written(runner: CliRunner, home: Path) -> None:
    for pain in ("3", "4"):
        assert runner.invoke(app, ["log", "--pain", pain]).exit_code == 0
    data = json.loads((home / "diary.json").read_text("utf-8"))
    ids = [e["id"] for e in data["entries"]]
    before = snapshot(home)
    assert complete(runner, "rugcoach edit ") == ids[::-1]  # the newest first
    assert complete(runner, f"rugcoach edit {ids[0][:6]}") == [ids[0]]
    assert complete(runner, "rugcoach edit x --done bird") == ["bird-dog"]
    assert "fever" in complete(runner, "rugcoach edit x --symptom f")
    assert complete(runner, "rugcoach profile set --risk can") == ["cancer"]
    assert complete(runner, "rugcoach profile set --profile ne") == ["nerve"]
    assert snapshot(home) == before


def test_entry_ids_of_a_broken_diary_complete_to_nothing(runner: CliRunner, home: Path) -> None:
    home.mkdir()
    (home / "diary.json").write_text("{not json", "utf-8")
    before = snapshot(home)
    assert complete(runner, "rugcoach edit ") == []
    assert snapshot(home) == before


@pytest.mark.parametrize(("shell", "hint"), [("tcsh", ""), ("zhs", "'zsh'")])
def test_an_unknown_shell_is_a_usage_error(
    runner: CliRunner, home: Path, shell: str, hint: str
) -> None:
    before = snapshot(home)
    result = runner.invoke(app, ["completion", shell])
    assert result.exit_code == 2
    assert shell in result.stderr and hint in result.stderr and "fish" in result.stderr
    assert result.stdout == "" and snapshot(home) == before


def test_completion_costs_nothing_at_start_up(home: Path) -> None:
    modules = imported(home, "today")
    assert "rugcoach.cli.completion" not in modules
    assert "rugcoach.cli.edit" not in modules and "rugcoach.cli.profile" not in modules
