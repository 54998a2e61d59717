"""Narrow terminals (SPEC §15): at 60 and 80 columns no id is cut, no column is dropped,
the session countdown fits, and long texts wrap at word boundaries."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import typer
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from rugcoach.cli import prompts
from rugcoach.cli.shell import app
from rugcoach.coach import session
from rugcoach.term.columns import fit, table
from rugcoach.term.session import MIN_BAR, clock, countdown_layout, step_label

from conftest import TODAY

WIDTHS = (60, 80)
LANGS = ("nl", "en")
ACTIVITY = "Een uur achter elkaar in de auto zitten zonder pauze"
LONG_IDS = ["sciatic-nerve-glide", "sciatic-nerve-glide-lying", "long-exhale-breathing"]


def run(runner: CliRunner, *args: str) -> Result:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result


def whole(word: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) is not None


def fits(text: str, width: int) -> None:
    for line in text.splitlines():
        assert len(line) <= width, (width, line)
    assert "…" not in text


@pytest.fixture
def diary(runner: CliRunner) -> list[str]:
    """Two weeks of entries with long exercise ids and a long note; returns the entry ids."""
    start = TODAY - timedelta(days=14)
    run(runner, "init", "--start-date", start.isoformat(), "--profile", "nerve")
    for n in range(14):
        run(
            runner,
            "log",
            "--date",
            (start + timedelta(days=n)).isoformat(),
            "--pain",
            str(n % 6 + 1),
            "--exercise-pain",
            "2",
            "--walk",
            "25",
            "--done",
            ",".join(LONG_IDS),
            "--note",
            "wat stijf na een lange dag op kantoor, daarna een rustige wandeling gemaakt",
        )
    return [e["id"] for e in json.loads(run(runner, "history", "--json").stdout)]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGS)
def test_history_keeps_every_id_whole(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, diary: list[str], width: int, lang: str
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    out = run(runner, "--lang", lang, "history").stdout
    fits(out, width)
    for entry_id in diary:
        assert whole(entry_id, out)
    for ex_id in LONG_IDS:
        assert len(re.findall(rf"(?<![\w-]){ex_id}(?![\w-])", out)) == len(diary), ex_id
    assert out.count("kantoor") == len(diary)  # the note wraps, never disappears


def test_history_with_a_very_long_imported_id(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    long_id = "imported-from-another-machine-0123456789abcdef"
    path = tmp_path / "export.json"
    entries = [{"id": long_id, "date": (TODAY - timedelta(days=1)).isoformat(), "pain": 3}]
    path.write_text(json.dumps({"format": "rugcoach-export", "version": 1, "entries": entries}))
    run(runner, "import", str(path))
    monkeypatch.setenv("COLUMNS", "60")
    out = run(runner, "history").stdout
    assert whole(long_id, out)
    assert all(len(line) <= 60 for line in out.splitlines())


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGS)
def test_exercises_drop_no_column_and_cut_no_id(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, width: int, lang: str
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    listed = json.loads(run(runner, "--lang", lang, "exercises", "--json").stdout)
    out = run(runner, "--lang", lang, "exercises").stdout
    fits(out, width)
    heads = {
        "nl": ["id", "oefening", "categorie", "fasen", "min"],
        "en": ["id", "exercise", "category", "phases", "min"],
    }[lang]
    for head in heads:
        assert whole(head, out), head
    for ex in listed:
        assert whole(ex["id"], out), ex["id"]
        # the name may wrap over lines, but every word of it is there
        assert all(word in out for word in ex["name"].split())


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGS)
def test_exercise_card_wraps_at_words(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, width: int, lang: str
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    out = run(runner, "--lang", lang, "exercises", "show", "sciatic-nerve-glide").stdout
    fits(out, width)
    shown = json.loads(
        run(runner, "--lang", lang, "exercises", "show", "sciatic-nerve-glide", "--json").stdout
    )
    flat = " ".join(out.split())
    for step in shown["steps"]:
        assert " ".join(step.split()) in flat


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGS)
def test_summary_phase_and_activities_fit(
    runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
    diary: list[str],
    width: int,
    lang: str,
) -> None:
    run(runner, "activities", "add", ACTIVITY)
    run(runner, "activities", "rate", "--score", "1=4", "--date", "yesterday")
    run(runner, "activities", "rate", "--score", "1=7")
    monkeypatch.setenv("COLUMNS", str(width))
    summary = run(runner, "--lang", lang, "summary").stdout
    fits(summary, width)
    heads = {
        "nl": ["gem.", "laagst", "hoogst", "genoteerd", "oefenen", "wandel"],
        "en": ["mean", "low", "high", "logged", "exercise", "walk"],
    }[lang]
    for head in heads:
        assert whole(head, summary), head
    for word in ACTIVITY.split():  # the name may wrap in its column, never lose a word
        assert whole(word, summary), word
    fits(run(runner, "--lang", lang, "phase").stdout, width)
    activities = run(runner, "--lang", lang, "activities").stdout
    fits(activities, width)
    for word in ACTIVITY.split():
        assert whole(word, activities), word


# ------------------------------------------------------------------------ the countdown


def _labels() -> list[tuple[str, str]]:
    from rugcoach import i18n
    from rugcoach.content import load as content

    found = []
    for lang in LANGS:
        i18n.set_language(lang)  # type: ignore[arg-type]
        for ex in content.load()["exercises"]["exercises"]:
            for dose in ex["dose"]:
                for step in session.steps(dose):
                    counter = (
                        i18n.t("session.step.rep", rep=step.reps, reps=step.reps)
                        if step.reps
                        else ""
                    )
                    found.append((step_label(step), counter))
    i18n.set_language("en")
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_every_countdown_line_fits(width: int) -> None:
    for label, counter in _labels():
        own, bar = countdown_layout(label, counter, clock(600), width)
        live = (counter if own else " · ".join(x for x in (label, counter) if x)) or ""
        assert len(live) + 1 + bar + 1 + len(clock(600)) <= width, (label, counter)
        assert bar >= MIN_BAR
        if own:
            assert len(label) + 2 <= width or " " in label  # printed above, wraps at words


# --------------------------------------------------------------------- tables and texts

WORD = st.text(alphabet="abcdefghij-", min_size=1, max_size=12)
TEXT = st.lists(WORD, min_size=0, max_size=8).map(" ".join)


@given(
    rows=st.lists(st.tuples(WORD, TEXT, st.integers(0, 999).map(str)), min_size=1, max_size=6),
    width=st.sampled_from([40, 60, 80]),
)
def test_a_table_never_cuts_a_word_and_drops_no_cell(
    rows: list[tuple[str, str, str]], width: int
) -> None:
    lines = table(["id", "name", "n"], rows, width, wrap=frozenset({1}), right=frozenset({2}))
    text = "\n".join(lines)
    for ex_id, name, number in rows:
        assert whole(ex_id, text)
        assert whole(number, text)
        for word in name.split():
            assert whole(word, text)
    for line in lines:
        assert len(line) <= width


def test_fit_wraps_at_words_under_the_second_column() -> None:
    line = "  degenerative  Slijtage of artrose - Rugklachten bij slijtage van wervels"
    wrapped = fit(line, 40).split("\n")
    assert wrapped[0].startswith("  degenerative  Slijtage")
    assert all(x.startswith(" " * 16) for x in wrapped[1:])
    assert " ".join(" ".join(wrapped).split()) == " ".join(line.split())
    assert fit("short", 40) == "short"
    assert "sciatic-nerve-glide-lying" in fit("x " * 30 + "sciatic-nerve-glide-lying", 20)


# ---------------------------------------------------------------------------- prompts


def test_activity_scores_are_checked_at_once(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from rugcoach.cli import activities as cli_activities

    answers = iter(["elf", "11", "7", ""])
    monkeypatch.setattr(typer, "prompt", lambda *a, **k: next(answers))
    known: list[dict[str, Any]] = [{"id": "1", "name": "Tillen"}, {"id": "2", "name": "Zitten"}]
    assert cli_activities._ask_scores(known) == {"1": 7}
    err = capsys.readouterr().err
    # each wrong answer is refused at once, saying why, and the question comes back
    assert err.count("must be a whole number from 0 to 10") == 2
    assert "not elf" in err and "not 11" in err


def test_yes_no_accepts_both_languages(monkeypatch: pytest.MonkeyPatch) -> None:
    for typed, expected in (("j", True), ("JA", True), ("yes", True), ("nee", False), ("N", False)):
        monkeypatch.setattr(typer, "prompt", lambda *a, _t=typed, **k: _t)
        assert prompts.ask_yes_no("?") is expected
