"""`exercises`, `exercises show`, `validate` and custom content, through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rugcoach import paths
from rugcoach.cli.shell import app

from conftest import snapshot

PACKAGED = paths.packaged_data()


def run(runner: CliRunner, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def test_exercises_json_lists_the_library(runner: CliRunner) -> None:
    result = run(runner, "exercises", "--json")
    assert result.exit_code == 0, result.stderr
    items = json.loads(result.stdout)
    assert len(items) >= 30
    for item in items:
        assert {"id", "name", "category", "phases"} <= set(item)
        assert item["phases"] and all(isinstance(n, int) for n in item["phases"])
    assert {n for item in items for n in item["phases"]} == {1, 2, 3, 4}


def test_exercise_names_follow_the_language(runner: CliRunner) -> None:
    en = {i["id"]: i["name"] for i in json.loads(run(runner, "exercises", "--json").stdout)}
    nl_run = run(runner, "--lang", "nl", "exercises", "--json")
    nl = {i["id"]: i["name"] for i in json.loads(nl_run.stdout)}
    assert en.keys() == nl.keys()
    assert en["pelvic-tilt"] != nl["pelvic-tilt"]


@pytest.mark.parametrize(("option", "value"), [("--phase", "1"), ("--phase", "4")])
def test_filter_by_phase(runner: CliRunner, option: str, value: str) -> None:
    items = json.loads(run(runner, "exercises", option, value, "--json").stdout)
    assert items and all(int(value) in i["phases"] for i in items)


def test_filter_by_category(runner: CliRunner) -> None:
    items = json.loads(run(runner, "exercises", "--category", "strength", "--json").stdout)
    assert items and {i["category"] for i in items} == {"strength"}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["exercises", "--category", "strenght"], "strength"),
        (["exercises", "--phase", "7"], "1"),
        (["exercises", "show", "bird-dgo"], "bird-dog"),
    ],
)
def test_bad_filters_are_usage_errors_with_a_hint(
    runner: CliRunner, args: list[str], expected: str
) -> None:
    result = run(runner, *args)
    assert result.exit_code == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_show_card_reads_well(runner: CliRunner, lang: str) -> None:
    result = run(runner, "--lang", lang, "exercises", "show", "bird-dog")
    assert result.exit_code == 0
    out = result.stdout
    heading = {"en": ("How", "Dose", "Stop when"), "nl": ("Zo doe je het", "Dosering", "Stop als")}
    for word in heading[lang]:
        assert word in out
    assert " 1. " in out and " 2. " in out  # numbered steps
    assert max(len(line) for line in out.splitlines()) <= 80


def test_show_json_has_dose_per_phase_and_variants(runner: CliRunner) -> None:
    detail = json.loads(run(runner, "exercises", "show", "plank", "--json").stdout)
    assert [d["phase"] for d in detail["dose"]] == detail["phases"]
    assert detail["easier"] is not None and detail["easier"]["id"]
    assert detail["steps"] and detail["stop_when"]


def test_validate_passes_on_the_shipped_content(runner: CliRunner) -> None:
    result = run(runner, "validate")
    assert result.exit_code == 0, result.stdout
    assert "exercises" in result.stdout


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def _problems(stdout: str, name: str) -> list[str]:
    return [line for line in stdout.splitlines() if line.startswith(name)]


def test_validate_reports_file_and_line_of_a_syntax_error(
    runner: CliRunner, tmp_path: Path
) -> None:
    bad = tmp_path / "exercises.yaml"
    bad.write_text("exercises:\n  - id: a\n    name: [unclosed\n  - id: b\n")
    result = run(runner, "validate", str(bad))
    assert result.exit_code == 1
    assert _problems(result.stdout, f"{bad}:")
    assert "Traceback" not in result.stdout + result.stderr


def test_validate_points_at_the_line_of_an_unknown_field(runner: CliRunner, tmp_path: Path) -> None:
    text = (PACKAGED / "exercises.yaml").read_text()
    text = text.replace("    summary:", "    sumary:", 1)
    bad = tmp_path / "exercises.yaml"
    bad.write_text(text)
    result = run(runner, "validate", str(bad))
    assert result.exit_code == 1
    line = _line_of(text, "    sumary:")
    assert f"{bad}:{line}: exercises[0].sumary: " in result.stdout


def test_validate_cross_checks_references(runner: CliRunner, tmp_path: Path) -> None:
    text = (PACKAGED / "exercises.yaml").read_text()
    first_easier = next(line for line in text.splitlines() if line.strip().startswith("easier:"))
    text = text.replace(first_easier, first_easier.split(":")[0] + ": no-such-exercise", 1)
    bad = tmp_path / "exercises.yaml"
    bad.write_text(text)
    result = run(runner, "validate", str(bad))
    assert result.exit_code == 1
    line = _line_of(text, "no-such-exercise")
    assert f"{bad}:{line}:" in result.stdout and "no-such-exercise" in result.stdout


def test_malicious_yaml_is_rejected_and_never_executed(runner: CliRunner, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    bad = tmp_path / "phases.yaml"
    bad.write_text(f'phases: !!python/object/apply:os.system ["touch {marker}"]\n')
    result = run(runner, "validate", str(bad))
    assert result.exit_code == 1
    assert f"{bad}:1:" in result.stdout
    assert not marker.exists()


def test_yaml_aliases_are_refused(runner: CliRunner, tmp_path: Path) -> None:
    bomb = tmp_path / "coaching.yaml"
    bomb.write_text('a: &a ["x", "x"]\nb: &b [*a, *a]\nc: [*b, *b]\n')
    result = run(runner, "validate", str(bomb))
    assert result.exit_code == 1
    assert "alias" in result.stdout


def test_duplicate_keys_are_reported(runner: CliRunner, tmp_path: Path) -> None:
    text = (PACKAGED / "phases.yaml").read_text() + "walking:\n  start_minutes: 5\n"
    bad = tmp_path / "phases.yaml"
    bad.write_text(text)
    result = run(runner, "validate", str(bad))
    assert result.exit_code == 1
    assert f"{bad}:{len(text.splitlines()) - 1}: walking:" in result.stdout


def test_a_custom_file_in_home_replaces_the_packaged_one(runner: CliRunner, home: Path) -> None:
    home.mkdir(parents=True)
    text = (PACKAGED / "exercises.yaml").read_text()
    text = text.replace("en: Bird dog", "en: Bird dog (my therapist's way)", 1)
    (home / "exercises.yaml").write_text(text)
    items = json.loads(run(runner, "exercises", "--json").stdout)
    assert {i["id"]: i["name"] for i in items}["bird-dog"] == "Bird dog (my therapist's way)"


def test_a_broken_custom_file_stops_every_command_no_fallback(
    runner: CliRunner, home: Path
) -> None:
    home.mkdir(parents=True)
    (home / "phases.yaml").write_text("phases: []\nrules: {}\n")
    before = snapshot(home)
    for args in (["today"], ["exercises"], ["log", "--pain", "3"]):
        result = run(runner, *args)
        assert result.exit_code == 1, args
        assert f"{home / 'phases.yaml'}:" in result.stderr
        assert "Traceback" not in result.stderr
    assert snapshot(home) == before
