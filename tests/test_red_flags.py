"""Red flags that always reach the person (SPEC §10), as patients meet them: through the
command line, in Dutch and English, on an 80-column screen.

Each test is a short vignette. The clock is fixed: every command sees TODAY as today.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from helpers.storage_tools import snapshot
from rugcoach import i18n
from rugcoach.cli import coach as cli_coach
from rugcoach.cli import diary as cli_diary
from rugcoach.cli import entries as cli_entries
from rugcoach.cli import init as cli_init
from rugcoach.cli import warnings as cli_warnings
from rugcoach.cli.shell import app

TODAY = date(2026, 11, 30)  # a Monday
NOON = "12:00"


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch, fast_content: None) -> None:
    for module in (cli_coach, cli_diary, cli_entries, cli_init, cli_warnings):
        monkeypatch.setattr(module, "today", lambda: TODAY)
    monkeypatch.setattr(cli_warnings, "clock_time", lambda: NOON)


def ago(n: int) -> str:
    return (TODAY - timedelta(days=n)).isoformat()


def run(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(app, list(args))


def ok(runner: CliRunner, *args: str) -> Result:
    result = run(runner, *args)
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result


def refused(runner: CliRunner, home: Path, code: int, *args: str) -> str:
    before = snapshot(home) if home.exists() else None
    result = run(runner, *args)
    assert result.exit_code == code, (args, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert (snapshot(home) if home.exists() else None) == before
    return result.stderr


def plan(runner: CliRunner, *args: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(runner, "today", "--json", *args).stdout)
    return data


def warning(data: dict[str, Any], warning_id: str) -> dict[str, Any]:
    return next(w for w in data["warnings"] if w["id"] == warning_id)


# ---------------------------------------------------------------- saying it in own words


@pytest.mark.parametrize(
    ("lang", "word", "sign", "said"),
    [
        ("nl", "urineverlies", "bladder-bowel", "112"),
        ("nl", "Zadelanesthesie", "saddle-numbness", "huisartsenpost"),
        ("nl", "doof gevoel in mijn kruis", "saddle-numbness", "112"),
        ("nl", "beide-benen", "both-legs", "112"),
        ("nl", "aanrijding", "trauma", "112"),
        ("en", "can't pee", "bladder-bowel", "112"),
        ("en", "foot drop", "progressive-weakness", "112"),
    ],
)
def test_an_urgent_sign_in_own_words_is_saved_and_answered_at_once(
    runner: CliRunner, home: Path, lang: str, word: str, sign: str, said: str
) -> None:
    result = ok(runner, "--lang", lang, "log", "--pain", "6", "--symptom", word)
    (entry,) = json.loads((home / "diary.json").read_text("utf-8"))["entries"]
    assert entry["symptoms"] == [sign] and entry["pain"] == 6
    err = result.stderr
    saved = err.index(entry["id"])
    urgent = err.index(i18n.catalogue(lang)["level.urgent"])  # type: ignore[arg-type]
    assert saved < urgent  # right after "saved"
    assert said in err[urgent:] and f"rugcoach cleared {sign}" in err[urgent:]


def test_a_consult_word_without_an_urgent_qualifier_says_when_to_call_at_once(
    runner: CliRunner, home: Path
) -> None:
    result = ok(runner, "--lang", "nl", "log", "--symptom", "krachtverlies")
    entry = json.loads((home / "diary.json").read_text("utf-8"))["entries"][0]
    assert entry["symptoms"] == ["leg-weakness"]
    said = " ".join(result.stderr.split())
    assert "binnen een paar dagen" in said
    for escalation in ("beide benen", "erger", "anus", "plassen"):
        assert escalation in said


def test_an_unknown_word_is_refused_with_every_sign_urgent_first(
    runner: CliRunner, home: Path
) -> None:
    ok(runner, "log", "--pain", "3")
    err = refused(runner, home, 2, "--lang", "nl", "log", "--pain", "7", "--symptom", "raar")
    lines = err.strip().splitlines()
    assert "'raar'" in lines[0] and "niets opgeslagen" in lines[0]
    assert "Bedoel je" not in err  # no guess across meanings
    listed = [line.split(":")[0].strip() for line in lines if line.startswith("  ")]
    assert listed[:5] == [
        "saddle-numbness",
        "bladder-bowel",
        "both-legs",
        "progressive-weakness",
        "trauma",
    ]
    assert len(listed) == 11
    assert "Doof gevoel in het zadelgebied" in err  # names in the person's language


def test_a_typo_of_an_urgent_word_suggests_it_and_saves_nothing(
    runner: CliRunner, home: Path
) -> None:
    err = refused(runner, home, 2, "--lang", "nl", "log", "--symptom", "incontinetie")
    assert "Bedoel je 'incontinentie'" in err.splitlines()[0]


def test_symptoms_lists_every_sign_with_its_words(runner: CliRunner) -> None:
    data = json.loads(ok(runner, "--lang", "nl", "symptoms", "--json").stdout)
    assert [s["level"] for s in data[:5]] == ["urgent"] * 5
    assert {s["id"] for s in data} >= {"saddle-numbness", "night-pain", "fever"}
    bladder = next(s for s in data if s["id"] == "bladder-bowel")
    assert bladder["name"].startswith("Problemen met plassen")
    assert {"incontinentie", "incontinence"} <= set(bladder["aliases"])
    text = ok(runner, "--lang", "en", "symptoms").stdout
    assert text.index("Urgent") < text.index("See your GP or therapist soon")
    assert "saddle-numbness" in text and "112" in text


# -------------------------------------------------------------------------- urgent day


def test_an_urgent_day_shows_only_what_to_do_on_one_screen(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(runner, "init", "--start-date", ago(30), "--screening", "cancer")
    ok(runner, "log", "--date", ago(2), "--symptom", "ischias", "--pain", "5")
    ok(runner, "log", "--symptom", "urineverlies", "--symptom", "beide benen", "--pain", "7")
    data = plan(runner)
    assert data["load"] == "paused" and data["routine"] == []
    assert data["walk_minutes_goal"] is None and data["tip"] is None
    assert data["daily_routines"] == {"morning": [], "afternoon": [], "evening": []}
    assert [w["level"] for w in data["warnings"][:2]] == ["urgent", "urgent"]
    for lang in ("en", "nl"):
        monkeypatch.setenv("COLUMNS", "80")
        text = ok(runner, "--lang", lang, "today").stdout
        lines = text.splitlines()
        assert len(lines) <= 20, text
        assert max(len(line) for line in lines) <= 80
        assert "112" in text and "rugcoach cleared" in text
        for absent in ("(about", "(ongeveer", "log --pain", "Tip:", "Walking:", "Wandelen:",
                       "Morning:", "Ochtend:"):  # fmt: skip
            assert absent not in text, (absent, text)
        assert "radiating-leg-pain" in text or "Uitstralende" in text or "radiating" in text


def test_session_and_calendar_still_refuse_on_an_urgent_day(runner: CliRunner, home: Path) -> None:
    ok(runner, "log", "--symptom", "saddle-numbness")
    err = refused(runner, home, 1, "session", "--no-timers")
    assert "112" in err


# --------------------------------------------------------------------------- life cycle


def test_an_urgent_sign_stays_and_asks_from_day_eight_until_a_doctor_has_seen_it(
    runner: CliRunner, home: Path
) -> None:
    ok(runner, "init", "--start-date", ago(20))
    ok(runner, "log", "--date", ago(10), "--symptom", "klapvoet")
    data = plan(runner)
    sign = warning(data, "progressive-weakness")
    assert data["load"] == "paused"
    assert sign["since"] == ago(10) and sign["when"] == "now"
    assert sign["clear"] == "rugcoach cleared progressive-weakness"
    assert "Have you contacted your GP" in sign["message"]
    assert (
        "Have you contacted your GP"
        not in warning(plan(runner, "--date", ago(5)), "progressive-weakness")["message"]
    )
    # A clearance before the sign was noted, or for a sign not active, changes nothing.
    err = refused(runner, home, 1, "cleared", "progressive-weakness", "--date", ago(11))
    assert "not an active warning" in err
    refused(runner, home, 1, "cleared", "fever")
    refused(runner, home, 2, "cleared", "gibberish")
    refused(runner, home, 2, "cleared", "klapvoet", "--date", "2099-01-01")
    said = ok(runner, "--lang", "nl", "cleared", "klapvoet", "--note", "Neuroloog: stabiel")
    assert "Vastgelegd" in said.stderr
    diary = json.loads((home / "diary.json").read_text("utf-8"))
    assert diary["clearances"] == [
        {"id": "progressive-weakness", "date": ago(0), "time": NOON, "note": "Neuroloog: stabiel"}
    ]
    assert plan(runner)["load"] == "normal"
    # Noted that morning, before the visit: covered. Noted again after it: back at once.
    ok(runner, "log", "--symptom", "dropvoet", "--time", "08:00")
    assert plan(runner)["load"] == "normal"
    ok(runner, "log", "--symptom", "dropvoet", "--time", "18:30")
    assert plan(runner)["load"] == "paused"
    # The clearance shows in history, summary and the exports.
    for args in (
        ["history"],
        ["summary"],
        ["export", "--format", "md"],
        ["export", "--format", "html"],
    ):
        shown = " ".join(ok(runner, *args).stdout.split())
        assert "Neuroloog: stabiel" in shown and "progressive-weakness" in shown, args


def test_a_cleared_consult_sign_stays_quiet_for_quiet_days(runner: CliRunner, home: Path) -> None:
    ok(runner, "init", "--start-date", ago(60))
    ok(runner, "log", "--date", ago(40), "--symptom", "ischias")
    ok(runner, "cleared", "ischias", "--date", ago(40))
    ok(runner, "log", "--date", ago(35), "--symptom", "ischias")
    quiet = plan(runner, "--date", ago(35))["warnings"]
    assert "radiating-leg-pain" not in [w["id"] for w in quiet]
    # After 28 quiet days it may return.
    ok(runner, "log", "--date", ago(5), "--symptom", "ischias")
    assert warning(plan(runner, "--date", ago(5)), "radiating-leg-pain")["when"] == "days"


def test_log_tells_a_sign_even_when_it_was_cleared_recently(runner: CliRunner, home: Path) -> None:
    ok(runner, "log", "--date", ago(3), "--symptom", "nachtpijn")
    ok(runner, "cleared", "night-pain", "--date", ago(2))
    result = ok(runner, "log", "--symptom", "nachtpijn")
    assert "This entry raises a warning" in result.stderr


def test_a_rule_warning_can_be_cleared_but_an_adjust_signal_cannot(
    runner: CliRunner, home: Path
) -> None:
    ok(runner, "init", "--start-date", ago(40))
    for n in (40, 39, 38, 37, 6, 5, 4, 3):
        ok(runner, "log", "--date", ago(n), "--pain", "6", "--done", "bird-dog")
    ok(runner, "log", "--exercise-pain", "8", "--pain", "6")
    ids = [w["id"] for w in plan(runner)["warnings"]]
    assert "no-improvement" in ids and "exercise-pain-high" in ids
    err = refused(runner, home, 1, "cleared", "exercise-pain-high")
    assert "adjust" in err
    ok(runner, "cleared", "no-improvement", "--note", "Fysio: rustig doorgaan")
    assert "no-improvement" not in [w["id"] for w in plan(runner)["warnings"]]


# --------------------------------------------------------------------------- escalations


def test_fever_with_reduced_immunity_is_urgent(runner: CliRunner) -> None:
    ok(runner, "init", "--start-date", ago(10), "--screening", "immunity-infection")
    result = ok(runner, "log", "--symptom", "koorts", "--pain", "5")
    assert "URGENT" in result.stderr and "infection in the spine" in result.stderr
    data = plan(runner)
    assert data["load"] == "paused"
    fever = warning(data, "fever")
    assert fever["level"] == "urgent" and fever["when"] == "now"


def test_fever_without_risk_factors_is_a_consult_within_days(runner: CliRunner) -> None:
    ok(runner, "init", "--start-date", ago(10))
    ok(runner, "log", "--symptom", "fever")
    fever = warning(plan(runner), "fever")
    assert (fever["level"], fever["when"]) == ("consult", "days")


@pytest.mark.parametrize("sign", ["weight-loss", "night-pain"])
def test_weight_loss_or_night_pain_with_cancer_is_a_consult_within_days(
    runner: CliRunner, sign: str
) -> None:
    ok(runner, "init", "--start-date", ago(10))
    ok(runner, "log", "--symptom", sign)
    assert warning(plan(runner), sign)["when"] == "weeks"
    ok(runner, "init", "--force", "--start-date", ago(10), "--screening", "cancer")
    ok(runner, "log", "--symptom", sign)
    found = warning(plan(runner), sign)
    assert (found["level"], found["when"]) == ("consult", "days")
    assert "cancer" in found["message"]


def test_three_days_of_pain_at_eight_or_more_asks_for_the_gp_within_days(
    runner: CliRunner,
) -> None:
    ok(runner, "init", "--start-date", ago(10))
    for n, pain in ((3, 9), (2, 8), (1, 10)):
        ok(runner, "log", "--date", ago(n), "--pain", str(pain))
    assert "pain-uncontrolled" not in [w["id"] for w in plan(runner)["warnings"]]
    result = ok(runner, "log", "--pain", "8")
    assert "pain relief" in result.stderr  # said right after the third day's score
    found = warning(plan(runner), "pain-uncontrolled")
    assert (found["level"], found["when"], found["since"]) == ("consult", "days", ago(1))
    assert plan(runner)["load"] != "paused"  # high pain alone is never urgent


def test_an_improving_person_who_needs_longer_is_not_warned(runner: CliRunner) -> None:
    ok(runner, "init", "--start-date", ago(20))
    for n, pain in zip(range(20, 16, -1), (7, 7, 7, 7), strict=True):
        ok(runner, "log", "--date", ago(n), "--pain", str(pain))
    for n in range(6, 2, -1):
        done = ["--done", "bird-dog"] if n % 2 else []
        ok(runner, "log", "--date", ago(n), "--pain", "5", *done)
    data = plan(runner)
    assert data["phase"]["day"] == 21 and not data["phase"]["ready_to_advance"]
    assert "phase-overdue" not in [w["id"] for w in data["warnings"]]
    assert data["phase"]["improving_longer"] is True
    assert "taking longer is fine" in ok(runner, "phase").stdout


def test_an_urgent_sign_from_long_ago_still_stops_today_on_a_long_diary(
    runner: CliRunner, home: Path
) -> None:
    """`today` reads only the entries its rules can reach on a long diary; an uncleared
    urgent sign is among them whatever its date (SPEC §10: it stays until cleared)."""
    ok(runner, "init", "--start-date", ago(900))  # the sign is far from the start too
    ok(runner, "log", "--date", ago(400), "--symptom", "zadelanesthesie")
    for n in range(300, 0, -3):
        ok(runner, "log", "--date", ago(n), "--pain", "3")
    data = plan(runner)
    assert data["load"] == "paused"
    assert warning(data, "saddle-numbness")["since"] == ago(400)
    ok(runner, "cleared", "saddle-numbness")
    assert plan(runner)["load"] != "paused"
