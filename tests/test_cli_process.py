"""rugcoach as a real process (`python -m rugcoach`): exit codes, standard error without a
traceback, a closed pipe, and concurrent writers (SPEC §3, §6).

Few and slow-ish (each run starts Python and reads the content), so only what CliRunner
cannot show is checked here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rugcoach import __version__

TIMEOUT = 60


@pytest.fixture
def env(home: Path) -> dict[str, str]:
    """The environment of a real run: RUGCOACH_HOME in tmp, plain locale, no debug."""
    out = {
        k: v
        for k, v in os.environ.items()
        if k not in ("RUGCOACH_LANG", "RUGCOACH_DEBUG", "LC_ALL", "LC_MESSAGES", "LANGUAGE")
    }
    out.update(RUGCOACH_HOME=str(home), LANG="C.UTF-8", NO_COLOR="1", COLUMNS="80")
    return out


def rugcoach(
    env: dict[str, str], *args: str, stdin: int | None = subprocess.DEVNULL
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rugcoach", *args],
        env=env,
        stdin=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
    )


def test_version(env: dict[str, str], home: Path) -> None:
    result = rugcoach(env, "--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"rugcoach {__version__}"
    assert not home.exists()


def test_exit_codes_of_a_real_process(env: dict[str, str], home: Path) -> None:
    good = rugcoach(env, "log", "--pain", "3", "--note", "eerste 😀")
    assert good.returncode == 0, good.stderr
    assert len(json.loads((home / "diary.json").read_bytes())["entries"]) == 1

    for args in (
        ["log", "--pain", "11"],
        ["log", "--bogus"],
        ["--lang", "nl", "log", "--pain", "x"],
    ):
        bad = rugcoach(env, *args)
        assert bad.returncode == 2, (args, bad.stderr)
        assert "Traceback" not in bad.stderr
        assert len(bad.stderr.strip().splitlines()) == 1, bad.stderr

    (home / "diary.json").write_bytes(b"{")
    broken = rugcoach(env, "history")
    assert broken.returncode == 1
    assert str(home / "diary.json") in broken.stderr
    assert "Traceback" not in broken.stderr
    assert (home / "diary.json").read_bytes() == b"{"


def test_log_without_options_and_stdin_not_a_terminal_is_exit_2(
    env: dict[str, str], home: Path
) -> None:
    result = rugcoach(env, "log", stdin=subprocess.PIPE)
    assert result.returncode == 2
    assert "--pain" in result.stderr
    assert "Traceback" not in result.stderr
    assert not home.exists()


INTERNAL_ERROR = """
import sys
import rugcoach.diary.edits

def boom(*args, **kwargs):
    raise ValueError("secret pain note")

rugcoach.diary.edits.entries_between = boom
from rugcoach.cli.shell import main
sys.argv = ["rugcoach", "history"]
main()
"""


def test_an_internal_error_is_one_line_without_a_traceback(env: dict[str, str], home: Path) -> None:
    assert rugcoach(env, "log", "--pain", "4").returncode == 0
    run = [sys.executable, "-c", INTERNAL_ERROR]
    result = subprocess.run(run, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    assert result.returncode == 1
    assert "ValueError" in result.stderr
    assert "Traceback" not in result.stderr
    assert "secret pain note" not in result.stderr  # no data from inside leaks out
    assert len(result.stderr.strip().splitlines()) == 1

    debug = subprocess.run(
        run, env={**env, "RUGCOACH_DEBUG": "1"}, capture_output=True, text=True, timeout=TIMEOUT
    )
    assert debug.returncode != 0
    assert "Traceback" in debug.stderr


def test_history_into_a_closed_pipe_is_not_an_error(
    env: dict[str, str], home: Path, tmp_path: Path
) -> None:
    many = {
        "format": "rugcoach-export",
        "version": 1,
        "entries": [
            {"id": f"e{n:05d}", "date": "2026-01-01", "pain": n % 11, "note": "x" * 200}
            for n in range(1000)
        ],
    }
    path = tmp_path / "many.json"
    path.write_text(json.dumps(many), encoding="utf-8")
    assert rugcoach(env, "import", str(path)).returncode == 0
    # `rugcoach history --json | head -c 10`: the output is far larger than a pipe buffer.
    proc = subprocess.Popen(
        [sys.executable, "-m", "rugcoach", "history", "--json"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(10)
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=TIMEOUT) == 0, stderr
    assert "Traceback" not in stderr


def test_concurrent_logs_all_land(env: dict[str, str], home: Path) -> None:
    assert rugcoach(env, "init").returncode == 0
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "rugcoach", "log", "--pain", str(n), "--note", f"writer {n}"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for n in range(6)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=TIMEOUT)
        assert proc.returncode == 0, err
    entries = json.loads((home / "diary.json").read_bytes())["entries"]
    assert sorted(e["note"] for e in entries) == [f"writer {n}" for n in range(6)]
    assert len({e["id"] for e in entries}) == 6
