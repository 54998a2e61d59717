"""All of it in the person's language (SPEC §15): help, click's own words, usage errors,
Dutch ids, the decimal mark, and dates titled as what they are."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from rugcoach import i18n
from rugcoach.cli.shell import app
from rugcoach.i18n import en, nl

from conftest import TODAY

# typer's and click's own English, which must not reach a Dutch screen, and the other way.
ENGLISH = (
    "Usage",
    "Options",
    "Commands",
    "Arguments",
    "Show this message",
    "default:",
    "required]",
    "[OPTIONS]",
    "COMMAND [ARGS]",
    " DATE",
    " TEXT",
    " FILE",
    "Try '",
)
DUTCH = (
    "Gebruik",
    "Opties",
    "Opdrachten",
    "Argumenten",
    "Toon deze hulp",
    "standaard:",
    "verplicht]",
    "[OPTIES]",
    "OPDRACHT",
    " DATUM",
    " TEKST",
    " BESTAND",
)


def _paths() -> list[list[str]]:
    """Every command and subcommand, found on the app itself (so new ones are covered)."""
    root = typer.main.get_command(app)
    found: list[list[str]] = [[]]

    def walk(command: object, path: list[str]) -> None:
        for name, sub in (getattr(command, "commands", None) or {}).items():
            found.append([*path, name])
            walk(sub, [*path, name])

    walk(root, [])
    return found


PATHS = _paths()


def _texts(lang: str) -> list[str]:
    """The help texts of one catalogue that differ from the other language's."""
    mine, other = (en.MESSAGES, nl.MESSAGES) if lang == "en" else (nl.MESSAGES, en.MESSAGES)
    return [
        mine[k][:30]
        for k in mine
        if k.startswith("help.") and mine[k] != other[k] and "{" not in mine[k][:30]
    ]


def run(runner: CliRunner, *args: str, env: dict[str, str] | None = None) -> Result:
    return runner.invoke(app, list(args), env=env, prog_name="rugcoach")


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "rugcoach")
def test_dutch_help_has_no_english(runner: CliRunner, path: list[str]) -> None:
    result = run(runner, "--lang", "nl", *path, "--help")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Gebruik: ")
    for word in ENGLISH:
        assert word not in out, (word, out)
    for text in _texts("en"):
        assert text not in out, (text, out)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "rugcoach")
def test_english_help_has_no_dutch(runner: CliRunner, path: list[str]) -> None:
    # Dutch first in the same process: the texts must come back, not stay Dutch.
    assert run(runner, "--lang", "nl", *path, "--help").exit_code == 0
    result = run(runner, "--lang", "en", *path, "--help")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Usage: ")
    for word in DUTCH:
        assert word not in out, (word, out)
    for text in _texts("nl"):
        assert text not in out, (text, out)


def test_help_follows_rugcoach_lang(runner: CliRunner) -> None:
    out = run(runner, "log", "--help", env={"RUGCOACH_LANG": "nl"}).stdout
    assert out.startswith("Gebruik: rugcoach log [OPTIES]")
    assert "--date DATUM" in out


def test_help_follows_the_profiles_language(runner: CliRunner) -> None:
    assert run(runner, "init", "--lang", "nl").exit_code == 0
    i18n.set_language("en")
    out = run(runner, "history", "--help").stdout
    assert out.startswith("Gebruik: rugcoach history")
    # ... but --lang and RUGCOACH_LANG still come first.
    assert run(runner, "--lang", "en", "history", "--help").stdout.startswith("Usage:")
    env = {"RUGCOACH_LANG": "en"}
    assert run(runner, "history", "--help", env=env).stdout.startswith("Usage:")


def test_no_command_shows_the_help_in_the_persons_language(runner: CliRunner) -> None:
    for args in ([], ["--lang", "nl"]):
        result = run(runner, *args, env={"RUGCOACH_LANG": "nl"})
        assert result.exit_code == 2
        assert result.stderr.startswith("Gebruik: rugcoach [OPTIES] OPDRACHT")
        assert "Try" not in result.stderr and "Missing" not in result.stderr


@pytest.mark.parametrize(
    ("args", "dutch", "english"),
    [
        (["phase", "set", "twee"], "N moet een heel getal zijn, niet 'twee'.", "N must be"),
        (["log", "--bogus"], "De optie --bogus bestaat niet.", "There is no option"),
        (["export", "--format"], "--format heeft een waarde nodig.", "needs a value"),
        (["history", "--json=3"], "--json neemt geen waarde.", "takes no value"),
        (["today", "extra"], "Onverwacht extra argument: extra.", "Unexpected extra"),
        (["tody"], "De opdracht 'tody' bestaat niet.", "There is no command"),
        (["delete"], "REGEL_ID heeft een waarde nodig.", "ENTRY_ID needs a value"),
        (["phase", "set"], "N heeft een waarde nodig.", "N needs a value"),
    ],
)
def test_usage_errors_in_both_languages(
    runner: CliRunner, args: list[str], dutch: str, english: str
) -> None:
    nl_result = run(runner, "--lang", "nl", *args)
    assert nl_result.exit_code == 2
    assert nl_result.stderr.startswith(dutch), nl_result.stderr
    assert "Typ 'rugcoach" in nl_result.stderr
    assert not re.search(r"Invalid|Missing|No such|Got unexpected|requires", nl_result.stderr)
    en_result = run(runner, "--lang", "en", *args)
    assert en_result.exit_code == 2
    assert english in en_result.stderr, en_result.stderr
    assert "Run 'rugcoach" in en_result.stderr


def test_an_option_error_names_its_command(runner: CliRunner) -> None:
    result = run(runner, "--lang", "nl", "export", "--format")
    assert "Typ 'rugcoach export --help'" in result.stderr


def test_a_dutch_profile_gets_dutch_usage_errors_without_lang(runner: CliRunner) -> None:
    assert run(runner, "init", "--lang", "nl").exit_code == 0
    i18n.set_language("en")
    assert run(runner, "phase", "set", "twee").stderr.startswith("N moet een heel getal")
    i18n.set_language("en")
    # An unknown command is found before the global options run: still Dutch.
    assert run(runner, "tody").stderr.startswith("De opdracht 'tody' bestaat niet.")
    i18n.set_language("en")
    result = run(runner, "--lang", "xx", "today")
    assert result.exit_code == 2
    assert result.stderr.startswith("Onbekende taal 'xx'")


def test_an_unknown_language_is_one_clear_sentence(runner: CliRunner, home: Path) -> None:
    result = run(runner, "--lang", "xx", "today")
    assert result.exit_code == 2
    assert result.stderr == "Unknown language 'xx'; use --lang nl or --lang en.\n"
    assert result.stdout == ""
    assert not home.exists()


# ----------------------------------------------------------------------------- Dutch ids


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("zenuwpijn", "nerve"),
        ("Chronisch", "chronic"),
        ("acuut", "acute"),
        ("acute rugpijn", "acute"),
        ("slijtage", "degenerative"),
        ("terugkerend", "recurrent"),
        ("algemeen", "general"),
        ("nerve", "nerve"),
    ],
)
def test_dutch_profile_ids_are_welcome(
    runner: CliRunner, home: Path, typed: str, stored: str
) -> None:
    assert run(runner, "init", "--profile", typed).exit_code == 0
    diary = json.loads((home / "diary.json").read_text(encoding="utf-8"))
    assert diary["profile"]["profile"] == stored


def test_an_unknown_profile_lists_the_dutch_names_to_a_dutch_reader(
    runner: CliRunner, home: Path
) -> None:
    result = run(runner, "--lang", "nl", "init", "--profile", "blah")
    assert result.exit_code == 2
    assert "zenuwpijn" in result.stderr and "chronisch" in result.stderr
    assert "nerve" not in result.stderr
    close = run(runner, "--lang", "nl", "init", "--profile", "zenuwpjn")
    assert "Bedoel je 'zenuwpijn'?" in close.stderr
    assert not home.exists()


@pytest.mark.parametrize(
    ("typed", "category"),
    [
        ("kracht", "strength"),
        ("mobiliteit", "mobility"),
        ("Ademhaling", "breathing"),
        ("wandelen", "walking"),
        ("zenuwglijden", "nerve-glide"),
        ("motorische controle", "motor-control"),
        ("strength", "strength"),
    ],
)
def test_dutch_category_ids_are_welcome(runner: CliRunner, typed: str, category: str) -> None:
    result = run(runner, "exercises", "--category", typed, "--json")
    assert result.exit_code == 0, result.stderr
    listed = json.loads(result.stdout)
    assert listed and {e["category"] for e in listed} == {category}


def test_a_near_miss_category_is_suggested_in_dutch(runner: CliRunner) -> None:
    result = run(runner, "--lang", "nl", "exercises", "--category", "krach")
    assert result.exit_code == 2
    assert "Bedoel je 'kracht'?" in result.stderr


# ------------------------------------------------------------------------- decimal mark


def test_a_float_in_a_dutch_message_has_a_decimal_comma() -> None:
    i18n.set_language("nl")
    text = i18n.t("coach.reason.mean_pain.met", mean=4.5, max=5.0)
    assert "4,5" in text and "4.5" not in text
    i18n.set_language("en")
    assert "4.5" in i18n.t("coach.reason.mean_pain.met", mean=4.5, max=5.0)


def _pains(runner: CliRunner, pains: list[int]) -> None:
    start = TODAY - timedelta(days=len(pains))
    assert run(runner, "init", "--start-date", start.isoformat()).exit_code == 0
    for n, pain in enumerate(pains):
        day = (start + timedelta(days=n)).isoformat()
        result = run(runner, "log", "--date", day, "--pain", str(pain), "--done", "bird-dog")
        assert result.exit_code == 0, result.stderr


def test_dutch_screens_write_decimal_commas_and_json_keeps_points(runner: CliRunner) -> None:
    _pains(runner, [1, 2, 1, 2, 6, 7, 6])
    phase = run(runner, "--lang", "nl", "phase").stdout
    summary = run(runner, "--lang", "nl", "summary").stdout
    for out in (phase, summary):
        assert re.search(r"\d,\d", out), out
        assert not re.search(r"\b\d+\.\d\b", out), out
    data = run(runner, "--lang", "nl", "summary", "--json").stdout
    assert re.search(r"\d\.\d", data) and not re.search(r"\d,\d", data)
    assert not re.search(r"\d,\d", run(runner, "--lang", "nl", "export", "--format", "csv").stdout)


def test_dutch_markdown_export_writes_decimal_commas(runner: CliRunner) -> None:
    _pains(runner, [1, 2, 1, 2, 6, 7, 6])
    md = run(runner, "--lang", "nl", "export", "--format", "md").stdout
    assert re.search(r"\d,\d", md)
    en_md = run(runner, "--lang", "en", "export", "--format", "md").stdout
    assert not re.search(r"\b\d,\d\b", en_md)


# -------------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("lang", "asked", "title"),
    [
        ("nl", "gisteren", "Gisteren, "),
        ("en", "yesterday", "Yesterday, "),
        ("nl", "vandaag", "Vandaag, "),
        ("en", (TODAY - timedelta(days=5)).isoformat(), "Plan for "),
        ("nl", (TODAY - timedelta(days=5)).isoformat(), "Plan voor "),
    ],
)
def test_a_day_is_titled_as_what_it_is(
    runner: CliRunner, lang: str, asked: str, title: str
) -> None:
    out = run(runner, "--lang", lang, "today", "--date", asked).stdout
    assert out.startswith(title), out[:80]
    if asked not in ("vandaag", "today"):
        assert "Today" not in out and "Vandaag" not in out.split("\n")[0]
        assert "voor vandaag" not in out and "Today's exercises" not in out


def test_the_console_script_translates_help_too(home: Path) -> None:
    env = {**os.environ, "RUGCOACH_HOME": str(home), "RUGCOACH_LANG": "nl"}
    result = subprocess.run(
        [sys.executable, "-m", "rugcoach", "summary", "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("Gebruik: ")
    assert "rugcoach summary [OPTIES]" in result.stdout.splitlines()[0]
    assert "Toon deze hulp en stop." in result.stdout


PROBE = """
import sys
sys.argv = ["rugcoach", *sys.argv[1:]]
from rugcoach.cli.shell import app, register
register(sys.argv[1:])  # as the console script does
try:
    app()
except SystemExit:
    pass
print("MODULES", " ".join(sorted(sys.modules)), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["today"], ["--lang", "nl", "today"], ["--version"]])
def test_the_translation_machinery_costs_today_nothing(home: Path, args: list[str]) -> None:
    env = {**os.environ, "RUGCOACH_HOME": str(home), "RUGCOACH_LANG": "nl"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True, check=False
    )
    line = next(x for x in result.stderr.splitlines() if x.startswith("MODULES "))
    modules = set(line.split()[1:])
    assert "Traceback" not in result.stderr and "bestaat niet" not in result.stderr
    assert not modules & {"rugcoach.cli.help", "rugcoach.cli.ids", "rugcoach.term.columns"}
