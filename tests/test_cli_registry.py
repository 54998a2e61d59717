"""The console script loads only the module of the command it runs (SPEC §8): the map from
command to module must stay true, and every command must be reachable that way."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rugcoach.cli.shell import COMMANDS, _command_name

PROBE = """
import json, sys
from importlib import import_module
from rugcoach.cli import shell as cli

def names():
    return {c.name for c in cli.app.registered_commands} | {
        g.name for g in cli.app.registered_groups
    }

found = {}
for module in dict.fromkeys(cli.COMMANDS.values()):
    before = names()
    import_module("rugcoach." + module)
    found[module] = sorted(names() - before)
print(json.dumps(found))
"""


def test_each_module_registers_exactly_the_commands_mapped_to_it() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    ).stdout
    found = json.loads(out)
    expected: dict[str, list[str]] = {}
    for command, module in COMMANDS.items():
        expected.setdefault(module, []).append(command)
    assert found == {module: sorted(commands) for module, commands in expected.items()}


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["today"], "today"),
        (["--lang", "nl", "log", "--pain", "3"], "log"),
        (["--lang=en", "phase", "next"], "phase"),
        (["--help"], None),
        (["--version"], None),
        (["--bogus", "today"], None),
        ([], None),
        (["tody"], "tody"),
    ],
)
def test_the_command_word_is_found_after_the_global_options(
    argv: list[str], expected: str | None
) -> None:
    assert _command_name(argv) == expected


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_runs_its_help_from_the_console_script(command: str, home: Path) -> None:
    env = {**os.environ, "RUGCOACH_HOME": str(home)}
    result = subprocess.run(
        [sys.executable, "-m", "rugcoach", command, "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f"rugcoach {command}" in result.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--lang", "nl", "today", "extra"], "Onverwacht extra argument: extra."),
        (["--lang", "nl", "tody"], "De opdracht 'tody' bestaat niet."),
        (["--lang", "nl", "log", "--bogus"], "De optie --bogus bestaat niet."),
        (["--lang", "nl", "log", "--pain"], "--pain heeft een waarde nodig."),
    ],
)
def test_typer_usage_errors_speak_the_persons_language(
    args: list[str], expected: str, home: Path
) -> None:
    env = {**os.environ, "RUGCOACH_HOME": str(home)}
    result = subprocess.run(
        [sys.executable, "-m", "rugcoach", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith(expected), result.stderr
