"""The intake on a real terminal (a pty): Dutch answers `j` and `nee`, a wrong answer asked
again, and a "yes" to an urgent sign that ends the intake with the urgent message and still
saves the diary (SPEC §10, §15). Only a real process on a pty shows this end to end."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

TIMEOUT = 60.0


class Terminal:
    """A process on a pseudo-terminal: read what it shows, type answers."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen(
            args, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True
        )
        os.close(slave)
        self.seen = ""

    def expect(self, text: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while text not in self.seen:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{text!r} never shown; the screen so far:\n{self.seen}")
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.master, 4096)
                except OSError:  # the process ended and closed the terminal
                    chunk = b""
                if not chunk:
                    raise AssertionError(f"{text!r} never shown; it ended with:\n{self.seen}")
                self.seen += chunk.decode("utf-8", "replace").replace("\r\n", "\n")

    def type(self, line: str) -> None:
        os.write(self.master, (line + "\n").encode())

    def finish(self) -> int:
        deadline = time.monotonic() + TIMEOUT
        while self.proc.poll() is None and time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(self.master, 4096)
                except OSError:
                    break
                self.seen += chunk.decode("utf-8", "replace").replace("\r\n", "\n")
        code = self.proc.wait(timeout=TIMEOUT)
        os.close(self.master)
        return code


@pytest.fixture
def env(home: Path) -> dict[str, str]:
    out = {
        k: v
        for k, v in os.environ.items()
        if k not in ("RUGCOACH_LANG", "RUGCOACH_DEBUG", "LC_ALL", "LC_MESSAGES", "LANGUAGE")
    }
    out.update(RUGCOACH_HOME=str(home), LANG="C.UTF-8", NO_COLOR="1", COLUMNS="80", TERM="xterm")
    return out


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pty")
def test_the_intake_on_a_terminal_takes_dutch_answers_and_stops_at_an_urgent_yes(
    env: dict[str, str], home: Path
) -> None:
    term = Terminal([sys.executable, "-m", "rugcoach", "--lang", "nl", "init"], env)
    term.expect("Wanneer begon je revalidatie")
    assert "[vandaag]" in term.seen.splitlines()[-1]
    term.type("gisteren")
    term.expect("Soort klacht")
    term.type("ischias")  # not a choice: asked again, with the choices listed
    term.expect("Kies een van")
    term.type("3")
    term.expect("[j/N]")
    term.type("nee")
    term.expect("Heb je dit nu?")
    term.type("misschien")  # neither yes nor no: asked again
    term.expect("Antwoord met j (ja) of n (nee)")
    term.type("N")
    term.type("nee")
    term.type("nee")
    term.expect("ongeluk")  # the fifth urgent question: an accident or fall
    term.type("j")
    code = term.finish()
    assert code == 0, term.seen
    shown = term.seen
    stop = shown.index("de andere vragen wachten")
    assert "DRINGEND" in shown[stop:] and "112" in shown[stop:]
    assert "Een doel" not in shown[stop:]  # no more questions after the urgent yes
    assert "Traceback" not in shown
    diary = json.loads((home / "diary.json").read_text("utf-8"))
    assert diary["profile"]["profile"] == "nerve"
    assert [e["symptoms"] for e in diary["entries"]] == [["trauma"]]
