"""Diary writers for the crash and concurrency tests; run as a subprocess with PYTHONPATH=src.

    python storage_writer.py zygote HOME
        Imports rugcoach and warms it up once, then obeys commands on standard input:
        "fork" starts a writer process (a fork, so it needs no start-up time) that appends
        entries to the diary in HOME for ever, and answers "pid PID"; "reap PID" waits for that
        writer to end (the test kills it with SIGKILL) and answers "reaped PID STATUS".

    python storage_writer.py append HOME N
        Prints "ready" once imported, waits for a line "go" on standard input, then appends N
        entries and exits.

Every writer prints "ack ID" for an entry only after `Store.update` returned, i.e. once the
entry is acknowledged; a test then requires every acknowledged id to be in the diary. Lines
are written with one os.write each, so a writer killed mid-way never leaves half a line.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from rugcoach.diary.store import FORMAT, VERSION, Store, _check, new_entry_id


def out(line: str) -> None:
    os.write(1, (line + "\n").encode("utf-8"))


def new_diary() -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "profile": {
            "profile": "general",
            "language": None,
            "start_date": "2026-01-05",
            "goals": [],
            "screening_flags": [],
            "screening_cleared": False,
        },
        "phases": [{"number": 1, "start": "2026-01-05", "how": "init"}],
        "entries": [],
        "activities": [],
        "clearances": [],
    }


def append_one(store: Store, writer: int, n: int) -> str:
    made: dict[str, str] = {}

    def change(current: Any) -> Any:
        diary = current if current is not None else new_diary()
        entry_id = new_entry_id({e["id"] for e in diary["entries"]})
        made["id"] = entry_id  # update may call change twice; the last call is what is saved
        diary["entries"].append(
            {
                "id": entry_id,
                "date": "2026-02-01",
                "time": f"{n % 24:02d}:{n % 60:02d}",
                "utc_offset": "+01:00",
                "pain": n % 11,
                "exercise_pain": None,
                "stiffness_minutes": None,
                "walk_minutes": n % 1441,
                "done": ["walk"],
                "hard": [],
                "easy": [],
                "symptoms": [],
                "note": f"writer {writer} entry {n} — é 😀",
            }
        )
        return diary

    store.update(change)
    return made["id"]


def writer_loop(home: Path) -> None:
    store = Store(home)
    n = 0
    while True:
        n += 1
        out(f"ack {append_one(store, os.getpid(), n)}")


def zygote(home: Path) -> None:
    _check(new_diary())  # build the diary checker before forking
    for line in sys.stdin:
        command = line.split()
        if not command:
            continue
        if command[0] == "fork":
            pid = os.fork()
            if pid == 0:
                code = 0
                try:
                    writer_loop(home)
                except BaseException as exc:
                    out(f"error {type(exc).__name__}: {exc}".replace("\n", " "))
                    code = 2
                finally:
                    os._exit(code)
            out(f"pid {pid}")
        elif command[0] == "reap":
            pid = int(command[1])
            _, status = os.waitpid(pid, 0)
            out(f"reaped {pid} {status}")


def append(home: Path, count: int) -> None:
    store = Store(home)
    _check(new_diary())
    out("ready")
    if sys.stdin.readline().strip() != "go":
        sys.exit(3)
    for n in range(count):
        out(f"ack {append_one(store, os.getpid(), n)}")


if __name__ == "__main__":
    mode, home_arg = sys.argv[1], Path(sys.argv[2])
    if mode == "zygote":
        zygote(home_arg)
    elif mode == "append":
        append(home_arg, int(sys.argv[3]))
    else:
        sys.exit(f"unknown mode {mode}")
