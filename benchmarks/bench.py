"""The SPEC §8 budgets, measured as a person meets them: whole `rugcoach` processes.

    python benchmarks/bench.py [--runs N] [--markdown]

It generates diaries of 0, 1 and 10 years (3 entries a day) in temporary RUGCOACH_HOME
folders, warms each command up once, then runs every (command, diary) pair N times,
interleaved, so that a slow moment of the machine hits all of them alike. It prints the
median wall time, its ratio to a bare `python -c pass` measured in the same rounds, and
the peak memory (max RSS) of each command, then checks the budgets:

- `today` on one year: median at most 100 ms;
- `today` and `log` on ten years: at most 1.5 x their time on an empty diary;
- `export --format html` on ten years: under 1 s;
- peak memory under 80 MiB for every command.

Not part of the test run: timings on a shared machine are noise to a test, data to this.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

YEARS = {"empty": 0, "1 year": 1, "10 years": 10}
COMMANDS: dict[str, list[str]] = {
    "today": ["today"],
    "log": ["log", "--pain", "3", "--walk", "20", "--note", "bench"],
    "summary": ["summary"],
    "export html": ["export", "--format", "html", "--output", "{out}"],
}
MIB = 1024 * 1024


def rugcoach_command() -> list[str]:
    """The installed console script next to this Python, else `python -m rugcoach`."""
    script = Path(sys.executable).with_name("rugcoach")
    return [str(script)] if script.exists() else [sys.executable, "-m", "rugcoach"]


def make_diary(home: Path, years: int, today: date) -> None:
    """A diary of `years` years with three entries a day, written through rugcoach itself."""
    from rugcoach import diary, storage

    rng = random.Random(years)
    start = today - timedelta(days=365 * years) if years else today
    new = diary.new_diary(start=start, version=storage.VERSION, profile="general")
    entries = []
    exercises = ["bird-dog", "dead-bug", "glute-bridge", "pelvic-tilt", "cat-camel"]
    day = start
    n = 0
    while years and day < today:
        for hour, kind in ((8, "morning"), (13, "walk"), (20, "evening")):
            n += 1
            entries.append(
                diary.make_entry(
                    f"b{n:07d}",
                    day,
                    time=f"{hour:02d}:00",
                    pain=rng.randint(1, 6) if kind != "walk" else None,
                    stiffness_minutes=rng.randint(0, 40) if kind == "morning" else None,
                    walk_minutes=rng.randint(10, 40) if kind == "walk" else None,
                    done=rng.sample(exercises, 2) if kind == "evening" else [],
                    note="Ging goed — wat stijf" if rng.random() < 0.1 else None,
                )
            )
        day += timedelta(days=1)
    if years:
        phases = [(1, 0), (2, 14), (3, 42), (4, 98)]
        new["phases"] = [
            {"number": num, "start": (start + timedelta(days=d)).isoformat(), "how": "next"}
            for num, d in phases
        ]
        new["phases"][0]["how"] = "init"
    new["entries"] = entries
    storage.Store(home).update(lambda _current: new)


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and max RSS (bytes) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"bench: {' '.join(argv)} failed ({proc.returncode}): {err.strip()}")
    rss = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    return elapsed, rss


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11, help="timed runs per pair (default 11)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()

    base = Path(tempfile.mkdtemp(prefix="rugcoach-bench-"))
    today = date.today()
    try:
        homes = {}
        for label, years in YEARS.items():
            homes[label] = base / label.replace(" ", "-")
            homes[label].mkdir()
            if years:
                # In a child process: this one must stay small, because a child forked from
                # it starts with its memory, and that would count in every peak below.
                code = (
                    "import sys; sys.path.insert(0, sys.argv[1]); import bench; "
                    "from datetime import date; from pathlib import Path; "
                    "bench.make_diary(Path(sys.argv[2]), int(sys.argv[3]), "
                    "date.fromisoformat(sys.argv[4]))"
                )
                here = str(Path(__file__).resolve().parent)
                subprocess.run(
                    [
                        sys.executable,
                        "-c",
                        code,
                        here,
                        str(homes[label]),
                        str(years),
                        today.isoformat(),
                    ],
                    check=True,
                )
        exe = rugcoach_command()
        pairs = [(cmd, label) for cmd in COMMANDS for label in YEARS]

        def argv_env(cmd: str, label: str) -> tuple[list[str], dict[str, str]]:
            out = str(base / "out.html")
            argv = exe + [a.replace("{out}", out) for a in COMMANDS[cmd]]
            env = {**os.environ, "RUGCOACH_HOME": str(homes[label]), "NO_COLOR": "1"}
            env.pop("RUGCOACH_DEBUG", None)
            return argv, env

        bare = [sys.executable, "-c", "pass"]
        for cmd, label in pairs:  # warm-up: content cache, seal, OS file cache
            run_once(*argv_env(cmd, label))
        run_once(bare, dict(os.environ))

        times: dict[tuple[str, str], list[float]] = {p: [] for p in pairs}
        peaks: dict[tuple[str, str], int] = dict.fromkeys(pairs, 0)
        bare_times: list[float] = []
        for _ in range(args.runs):
            order = pairs[:]
            random.shuffle(order)
            bare_times.append(run_once(bare, dict(os.environ))[0])
            for pair in order:
                elapsed, rss = run_once(*argv_env(*pair))
                times[pair].append(elapsed)
                peaks[pair] = max(peaks[pair], rss)

        bare_median = statistics.median(bare_times)
        med = {p: statistics.median(v) for p, v in times.items()}
        rows = [
            (
                cmd,
                label,
                med[(cmd, label)] * 1000,
                med[(cmd, label)] / bare_median,
                peaks[(cmd, label)] / MIB,
            )
            for cmd, label in pairs
        ]
        # SPEC §8 sets 100 ms on its reference machine, where bare Python takes ~11 ms;
        # the same budget on this machine is the same ratio to bare Python.
        ratio_budget = 0.100 / 0.011
        checks = [
            ("today, 1 year: median <= 100 ms (absolute)", med[("today", "1 year")] <= 0.100),
            (
                f"today, 1 year: <= {ratio_budget:.1f} x bare python (100 ms on the spec's "
                "11 ms machine)",
                med[("today", "1 year")] / bare_median <= ratio_budget,
            ),
            (
                "today, 10 years <= 1.5 x empty",
                med[("today", "10 years")] <= 1.5 * med[("today", "empty")],
            ),
            (
                "log, 10 years <= 1.5 x empty",
                med[("log", "10 years")] <= 1.5 * med[("log", "empty")],
            ),
            ("export html, 10 years < 1 s", med[("export html", "10 years")] < 1.0),
            ("peak memory < 80 MiB, every command", max(peaks.values()) < 80 * MIB),
        ]
        print_report(rows, bare_median, checks, args.runs, args.markdown)
        return 0 if all(ok for _, ok in checks) else 1
    finally:
        shutil.rmtree(base, ignore_errors=True)


def print_report(
    rows: list[tuple[str, str, float, float, float]],
    bare: float,
    checks: list[tuple[str, bool]],
    runs: int,
    markdown: bool,
) -> None:
    print(f"Machine: {machine()}")
    print(
        f"Median of {runs} interleaved runs after a warm-up; `python -c pass`: {bare * 1000:.1f} ms"
    )
    print()
    if markdown:
        print("| command | diary | median | x python -c pass | peak memory |")
        print("| --- | --- | ---: | ---: | ---: |")
        for cmd, label, ms, ratio, mib in rows:
            print(f"| `{cmd}` | {label} | {ms:.0f} ms | {ratio:.1f}x | {mib:.0f} MiB |")
    else:
        print(f"{'command':<12} {'diary':<9} {'median':>9} {'x bare':>7} {'peak':>8}")
        for cmd, label, ms, ratio, mib in rows:
            print(f"{cmd:<12} {label:<9} {ms:>6.0f} ms {ratio:>6.1f}x {mib:>5.0f} MiB")
    print()
    for name, ok in checks:
        print(f"{'ok  ' if ok else 'FAIL'}  {name}")


if __name__ == "__main__":
    sys.exit(main())
