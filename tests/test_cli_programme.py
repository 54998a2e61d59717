"""`rugcoach programme` and the programme in `today`, `session`, `validate`, `summary` and the
exports, through the CLI (SPEC §12)."""

from __future__ import annotations

import json
import os
import stat
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rugcoach.cli.shell import app

from conftest import TODAY, snapshot

MONDAY = date(2026, 1, 5)
START = MONDAY - timedelta(days=14)

PROGRAMME = """\
format: rugcoach-programme
version: 1
by: "M. de Vries, fysiotherapeut"
from: 2026-01-05
review: 2026-02-02
walk_minutes: 25
exercises:
  - id: bird-dog
    dose: {sets: 3, reps: 10, per_side: true}
    days: [ma, wo, vr]
    note: {nl: "Langzaam, bekken blijft recht.", en: "Slowly, keep the pelvis level."}
  - id: pelvic-tilt
    days: [mon, tue, wed, thu, fri]
    note: {nl: "Rustig uitademen."}
"""

pytestmark = pytest.mark.usefixtures("fast_content")


def ok(runner: CliRunner, *args: str, input: str | None = None) -> Any:
    result = runner.invoke(app, list(args), input=input)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


def refused(runner: CliRunner, code: int, *args: str) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result


@pytest.fixture
def written(tmp_path: Path) -> Path:
    path = tmp_path / "from-the-therapist.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    return path


@pytest.fixture
def installed(runner: CliRunner, written: Path, home: Path) -> Path:
    ok(runner, "init", "--start-date", START.isoformat(), "--phase", "2")
    ok(runner, "programme", "set", str(written))
    return home / "programme.yaml"


def today_json(runner: CliRunner, day: date) -> dict[str, Any]:
    return json.loads(ok(runner, "today", "--json", "--date", day.isoformat()).stdout)


# ------------------------------------------------------------------ set, show, clear


def test_set_installs_a_private_copy_and_backs_up_the_earlier_one(
    runner: CliRunner, written: Path, home: Path
) -> None:
    old = os.umask(0o022)
    try:
        result = ok(runner, "programme", "set", str(written))
        target = home / "programme.yaml"
        assert target.read_bytes() == written.read_bytes()  # comments and all, as written
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert stat.S_IMODE(home.stat().st_mode) == 0o700
        assert str(target) in result.stderr
        written.write_text(PROGRAMME.replace("walk_minutes: 25", "walk_minutes: 30"))
        result = ok(runner, "programme", "set", str(written))
        [backup] = (home / "backups").glob("programme-*.yaml")
        assert backup.read_text() == PROGRAMME and str(backup) in result.stderr
        assert stat.S_IMODE(backup.stat().st_mode) == 0o600
        assert "walk_minutes: 30" in target.read_text()
    finally:
        os.umask(old)


@pytest.mark.parametrize(
    "text",
    [
        PROGRAMME.replace("bird-dog", "bird-dgo"),
        PROGRAMME.replace("[ma, wo, vr]", "[ma, woe, vr]"),
        "format: !!python/object/apply:os.system ['true']\n",
        "a: &a [1]\nb: *a\n",
        "",
    ],
)
def test_set_of_a_broken_file_changes_nothing(
    runner: CliRunner, installed: Path, home: Path, tmp_path: Path, text: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    before = snapshot(home)
    result = refused(runner, 1, "programme", "set", str(bad))
    assert f"{bad}:" in result.stderr
    assert snapshot(home) == before


def test_set_of_a_missing_or_huge_file_is_refused(
    runner: CliRunner, home: Path, tmp_path: Path
) -> None:
    assert "no file" in refused(runner, 1, "programme", "set", str(tmp_path / "nope.yaml")).stderr
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(PROGRAMME.encode() + b"#" * 300_000)
    assert "too large" in refused(runner, 1, "programme", "set", str(huge)).stderr
    assert not home.exists()


def test_show_and_json(runner: CliRunner, installed: Path) -> None:
    text = ok(runner, "programme").stdout
    assert "M. de Vries, fysiotherapeut" in text and "2026-02-02" in text
    assert "3 x 10 per side" in text and "Mon, Wed, Fri" in text
    assert "Slowly, keep the pelvis level." in text
    assert "Rustig uitademen." in text  # one language only: as written
    nl = ok(runner, "--lang", "nl", "programme").stdout
    assert "ma, wo, vr" in nl and "Langzaam, bekken blijft recht." in nl
    data = json.loads(ok(runner, "programme", "--json").stdout)
    assert set(data) == {
        "format",
        "version",
        "by",
        "from",
        "review",
        "phase",
        "walk_minutes",
        "progress",
        "exercises",
    }
    assert data["exercises"][0]["days"] == ["mon", "wed", "fri"]


def test_without_a_programme(runner: CliRunner, home: Path) -> None:
    assert json.loads(ok(runner, "programme", "--json").stdout) is None
    assert "programme template" in ok(runner, "programme").stderr
    before = snapshot(home)
    assert "no programme" in refused(runner, 1, "programme", "clear").stderr
    assert snapshot(home) == before


def test_clear_keeps_a_backup(runner: CliRunner, installed: Path, home: Path) -> None:
    ok(runner, "programme", "clear")
    assert not installed.exists()
    [backup] = (home / "backups").glob("programme-*.yaml")
    assert backup.read_text() == PROGRAMME
    assert today_json(runner, MONDAY)["programme"] is None


def test_a_broken_programme_in_the_home_stops_the_commands_that_need_it(
    runner: CliRunner, installed: Path, home: Path
) -> None:
    installed.write_text(PROGRAMME.replace("walk_minutes: 25", "walk_minutes: lots"))
    before = snapshot(home)
    for args in (
        ["today"],
        ["today", "--json"],
        ["programme"],
        ["summary"],
        ["export", "--format", "md"],
    ):
        result = refused(runner, 1, *args)
        assert f"{installed}:6: walk_minutes:" in result.stderr, args
    assert snapshot(home) == before
    # Replacing or clearing it still works.
    ok(runner, "programme", "clear")


# ------------------------------------------------------------------------------ today


def test_today_follows_the_programme_on_its_days(runner: CliRunner, installed: Path) -> None:
    monday = today_json(runner, MONDAY)
    assert monday["programme"]["by"] == "M. de Vries, fysiotherapeut"
    assert (monday["programme"]["from"], monday["programme"]["review"]) == (
        "2026-01-05",
        "2026-02-02",
    )
    assert monday["programme"]["review_due"] is False
    assert {i["id"] for i in monday["routine"]} == {"bird-dog", "pelvic-tilt"}
    assert all(i["source"] == "programme" for i in monday["routine"])
    bird = next(i for i in monday["routine"] if i["id"] == "bird-dog")
    assert bird["dose"] == "3 x 10 per side" and bird["note"] == "Slowly, keep the pelvis level."
    assert monday["walk_minutes_goal"] == 25
    tuesday = today_json(runner, MONDAY + timedelta(days=1))
    assert [i["id"] for i in tuesday["routine"]] == ["pelvic-tilt"]
    sunday = today_json(runner, MONDAY + timedelta(days=6))
    assert sunday["routine"] == [] and sunday["walk_minutes_goal"] == 25
    assert all(sunday["daily_routines"].values())
    before = today_json(runner, MONDAY - timedelta(days=1))
    assert before["programme"] is None and before["routine"]
    assert all(i["source"] == "coach" for i in before["routine"])


@pytest.mark.parametrize("width", ["80", "60"])
def test_today_text_names_the_therapist_and_the_notes(
    runner: CliRunner, installed: Path, monkeypatch: pytest.MonkeyPatch, width: str
) -> None:
    monkeypatch.setenv("COLUMNS", width)
    text = ok(runner, "today", "--date", MONDAY.isoformat()).stdout
    flat = " ".join(text.split())
    assert "Your therapist's programme, by M. de Vries, fysiotherapeut" in flat
    assert "Slowly, keep the pelvis level." in flat and "Rustig uitademen." in flat
    assert max(len(line) for line in text.splitlines()) <= int(width)
    nl = " ".join(ok(runner, "--lang", "nl", "today", "--date", MONDAY.isoformat()).stdout.split())
    assert "Je programma van je therapeut, M. de Vries" in nl
    assert "Langzaam, bekken blijft recht." in nl
    rest = ok(runner, "today", "--date", (MONDAY + timedelta(days=5)).isoformat()).stdout
    assert "No exercises in your programme today" in " ".join(rest.split())
    early = runner.invoke(app, ["today", "--date", (MONDAY - timedelta(days=2)).isoformat()])
    assert "starts on 2026-01-05" in early.stderr


def test_the_review_date_brings_a_reminder(runner: CliRunner, installed: Path) -> None:
    review = date(2026, 2, 2)
    assert today_json(runner, review - timedelta(days=1))["programme"]["review_due"] is False
    assert today_json(runner, review)["programme"]["review_due"] is True
    text = " ".join(ok(runner, "today", "--date", review.isoformat()).stdout.split())
    assert "make an appointment with your therapist" in text
    nl = " ".join(ok(runner, "--lang", "nl", "today", "--date", review.isoformat()).stdout.split())
    assert "maak een afspraak met je therapeut" in nl


def test_an_urgent_sign_pauses_the_programme(runner: CliRunner, installed: Path) -> None:
    ok(runner, "log", "--date", MONDAY.isoformat(), "--symptom", "both-legs")
    data = today_json(runner, MONDAY)
    assert data["load"] == "paused" and data["routine"] == []
    assert refused(runner, 1, "session", "--date", MONDAY.isoformat(), "--no-timers")


def test_an_adjust_warning_makes_it_lighter(runner: CliRunner, installed: Path) -> None:
    normal = today_json(runner, MONDAY)
    ok(runner, "log", "--date", MONDAY.isoformat(), "--exercise-pain", "8")
    data = today_json(runner, MONDAY)
    assert data["load"] == "reduced"
    assert all(i["reduced"] and i["source"] == "programme" for i in data["routine"])
    assert data["routine_minutes"] < normal["routine_minutes"]


def test_session_follows_the_programme_and_shows_the_notes(
    runner: CliRunner, installed: Path
) -> None:
    tuesday = MONDAY + timedelta(days=1)
    answers = "\n" * 10 + "2\n"
    result = ok(runner, "session", "--date", tuesday.isoformat(), "--no-timers", input=answers)
    assert "Your therapist's programme" in result.stdout
    assert "Pelvic tilt" in result.stdout and "Bird dog" not in result.stdout
    assert "Rustig uitademen." in result.stdout
    history = json.loads(ok(runner, "history", "--json").stdout)
    assert history[-1]["done"] == ["pelvic-tilt"]


# ------------------------------------------------------------------ template, validate


def test_the_template_passes_set_unchanged(runner: CliRunner, home: Path, tmp_path: Path) -> None:
    ok(runner, "init", "--start-date", START.isoformat(), "--phase", "2")
    for lang in ("en", "nl"):
        text = ok(runner, "--lang", lang, "programme", "template").stdout
        assert f"from: {TODAY.isoformat()}" in text
        path = tmp_path / f"template-{lang}.yaml"
        path.write_text(text, encoding="utf-8")
        ok(runner, "programme", "set", str(path))
        assert (home / "programme.yaml").read_text(encoding="utf-8") == text
    plan = json.loads(ok(runner, "today", "--json").stdout)
    automatic = json.loads(
        ok(runner, "today", "--json", "--date", (TODAY - timedelta(days=1)).isoformat()).stdout
    )
    assert plan["programme"] is not None and automatic["programme"] is None
    assert all(i["source"] == "programme" for i in plan["routine"])


def test_a_dated_template_starts_that_day(runner: CliRunner, tmp_path: Path) -> None:
    text = ok(runner, "programme", "template", "--date", MONDAY.isoformat()).stdout
    assert "from: 2026-01-05" in text
    path = tmp_path / "t.yaml"
    path.write_text(text)
    ok(runner, "validate", str(path))


def test_validate_recognises_a_programme_file(
    runner: CliRunner, written: Path, tmp_path: Path
) -> None:
    result = ok(runner, "validate", str(written))
    assert "programme, 2 exercises" in result.stdout
    renamed = tmp_path / "anything.yml"
    renamed.write_text(PROGRAMME.replace("id: bird-dog", "id: bird-dgo"))
    result = refused(runner, 1, "validate", str(renamed))
    assert f"{renamed}:8: exercises[0].id:" in result.stdout and "bird-dog" in result.stdout


def test_validate_checks_the_installed_programme(runner: CliRunner, installed: Path) -> None:
    assert "programme, 2 exercises" in ok(runner, "validate").stdout
    installed.write_text(PROGRAMME.replace("[ma, wo, vr]", "[ma, wo, fry]"))
    assert f"{installed}:10: exercises[0].days[2]:" in refused(runner, 1, "validate").stdout


# -------------------------------------------------------------------------- reporting


def _log_week(runner: CliRunner) -> None:
    for n, done in ((0, ["bird-dog", "pelvic-tilt"]), (1, ["pelvic-tilt"]), (2, ["bird-dog"])):
        args = ["log", "--date", (MONDAY + timedelta(days=n)).isoformat(), "--pain", "3"]
        for ex_id in done:
            args += ["--done", ex_id]
        ok(runner, *args)


def test_the_json_export_holds_the_adherence(runner: CliRunner, installed: Path) -> None:
    _log_week(runner)
    period = ["--from", "2026-01-01", "--to", (MONDAY + timedelta(days=6)).isoformat()]
    data = json.loads(ok(runner, "export", "--format", "json", *period).stdout)
    prog = data["programme"]
    assert prog["by"] == "M. de Vries, fysiotherapeut" and prog["from"] == "2026-01-05"
    assert prog["adherence"] == [
        {"id": "bird-dog", "planned_days": 3, "done_days": 2},
        {"id": "pelvic-tilt", "planned_days": 5, "done_days": 2},
    ]
    assert prog["weeks"][0]["from"] == "2026-01-05"
    # An import of the export ignores the programme: it is not part of the diary.
    ok(runner, "programme", "clear")
    data = json.loads(ok(runner, "export", "--format", "json", *period).stdout)
    assert data["programme"] is None


def test_md_and_html_show_the_programme_per_week(runner: CliRunner, installed: Path) -> None:
    _log_week(runner)
    period = ["--from", "2026-01-05", "--to", "2026-01-11"]
    md = ok(runner, "export", "--format", "md", *period).stdout
    assert "## Therapist's programme" in md and "| Bird dog | Pelvic tilt |" in md
    assert "| Total | 2/3 | 2/5 |" in md
    html = ok(runner, "export", "--format", "html", *period).stdout
    assert "Therapist&#x27;s programme" in html or "Therapist's programme" in html
    assert "2/3" in html and "M. de Vries" in html
    nl = ok(runner, "--lang", "nl", "export", "--format", "md", *period).stdout
    assert "## Programma van de therapeut" in nl and "| Totaal | 2/3 | 2/5 |" in nl


def test_summary_shows_the_adherence(runner: CliRunner, home: Path, tmp_path: Path) -> None:
    now = TODAY
    start = now - timedelta(days=now.weekday() + 7)  # last week's Monday
    ok(runner, "init", "--start-date", (start - timedelta(days=7)).isoformat())
    path = tmp_path / "p.yaml"
    path.write_text(
        PROGRAMME.replace("from: 2026-01-05", f"from: {start}").replace(
            "review: 2026-02-02", f"review: {start + timedelta(days=60)}"
        )
    )
    ok(runner, "programme", "set", str(path))
    ok(runner, "log", "--date", start.isoformat(), "--done", "bird-dog", "--pain", "2")
    data = json.loads(ok(runner, "summary", "--json").stdout)
    bird = next(a for a in data["programme"]["adherence"] if a["id"] == "bird-dog")
    assert bird["done_days"] == 1 and bird["planned_days"] >= 3
    text = ok(runner, "summary").stdout
    assert "Therapist's programme" in text and "1/3" in text


# ------------------------------------------------------------------------- hot path


PROBE = """
import sys
sys.argv = ["rugcoach", *sys.argv[1:]]
from rugcoach.cli.shell import app, register
register(sys.argv[1:])  # as the console script does: only the command's own module
try:
    app()
except SystemExit as exc:
    print("EXIT", exc.code, file=sys.stderr)
print("MODULES", " ".join(sorted(sys.modules)), file=sys.stderr)
"""


def _run(home: Path, *args: str) -> tuple[int, set[str]]:
    import subprocess
    import sys

    env = {**os.environ, "RUGCOACH_HOME": str(home), "NO_COLOR": "1"}
    env.pop("RUGCOACH_DEBUG", None)
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True, check=False
    )
    code = next(x for x in result.stderr.splitlines() if x.startswith("EXIT "))
    line = next(x for x in result.stderr.splitlines() if x.startswith("MODULES "))
    return int(code.split()[1]), set(line.split()[1:])


def test_today_with_a_programme_imports_nothing_heavy(runner: CliRunner, installed: Path) -> None:
    from test_performance_guards import heavy_in

    home = installed.parent
    assert _run(home, "today")[0] == 0  # the first run checks the programme and caches it
    cached = home / "cache" / "programme.json"
    assert cached.is_file() and stat.S_IMODE(cached.stat().st_mode) == 0o600
    for args in (("today",), ("today", "--json")):
        code, modules = _run(home, *args)
        assert code == 0
        assert not heavy_in(modules), heavy_in(modules)
        assert "rugcoach.programme.file" not in modules


def test_an_edited_programme_is_checked_again(runner: CliRunner, installed: Path) -> None:
    assert today_json(runner, MONDAY)["walk_minutes_goal"] == 25
    installed.write_text(PROGRAMME.replace("walk_minutes: 25", "walk_minutes: 35"))
    assert today_json(runner, MONDAY)["walk_minutes_goal"] == 35
    installed.write_text(PROGRAMME.replace("walk_minutes: 25", "walk_minutes: -1"))
    assert f"{installed}:6:" in refused(runner, 1, "today").stderr


def test_a_file_named_programme_is_checked_as_one(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME.replace("format: rugcoach-programme\n", ""))
    assert f"{path}:1: format:" in refused(runner, 1, "validate", str(path)).stdout


def test_an_export_never_overwrites_the_programme(runner: CliRunner, installed: Path) -> None:
    before = installed.read_bytes()
    refused(runner, 1, "export", "--format", "md", "--output", str(installed))
    assert installed.read_bytes() == before


def test_log_feedback_names_the_exercises_of_the_programme(
    runner: CliRunner, installed: Path
) -> None:
    """--hard/--easy take the exercises of the day as `today` shows them: with a
    programme in force, the therapist's, not the coach's own (SPEC §11, §12)."""
    tuesday = MONDAY + timedelta(days=1)
    assert [i["id"] for i in today_json(runner, tuesday)["routine"]] == ["pelvic-tilt"]
    ok(runner, "log", "--date", tuesday.isoformat(), "--hard", "Pelvic-Tilt")
    shown = ok(runner, "history", "--json").stdout
    assert [e["hard"] for e in json.loads(shown)] == [["pelvic-tilt"]]
    wrong = refused(runner, 2, "log", "--date", tuesday.isoformat(), "--easy", "bird-dog")
    assert "pelvic-tilt" in wrong.stderr and "bird-dog" in wrong.stderr
    # Before the programme starts, the coach's own routine is the day's.
    sunday = MONDAY - timedelta(days=1)
    coach_ids = [i["id"] for i in today_json(runner, sunday)["routine"]]
    ok(runner, "log", "--date", sunday.isoformat(), "--easy", coach_ids[0])
