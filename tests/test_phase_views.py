"""`phase` is honest about warnings (SPEC §15): the readiness line about warnings never
ticks "no warning" while a warning is shown below it."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rugcoach.cli.shell import app
from rugcoach.i18n import set_language, t

pytestmark = pytest.mark.usefixtures("fast_content")

DAY = date(2026, 3, 20)


def ok(runner: CliRunner, *args: str) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (args, result.stderr)
    return result


def day(n: int) -> str:
    return (DAY - timedelta(days=n)).isoformat()


def start(runner: CliRunner, days_ago: int) -> None:
    ok(runner, "init", "--start-date", day(days_ago))


def shown(runner: CliRunner) -> tuple[str, list[str], dict[str, Any]]:
    text = ok(runner, "phase", "--date", DAY.isoformat()).stdout
    data = json.loads(ok(runner, "phase", "--json", "--date", DAY.isoformat()).stdout)
    return text, [w["id"] for w in data["warnings"]], data


def no_warning_tick() -> str:
    set_language("en")
    return "✓ " + t("coach.reason.warnings.met")


def test_no_warnings_gets_the_tick(runner: CliRunner, home: Path) -> None:
    start(runner, 3)
    ok(runner, "log", "--date", day(1), "--pain", "3")
    text, ids, _ = shown(runner)
    assert ids == [] and no_warning_tick() in text


def test_an_adjust_warning_is_pointed_to_not_ticked(runner: CliRunner, home: Path) -> None:
    start(runner, 3)
    ok(runner, "log", "--date", day(0), "--pain", "3", "--exercise-pain", "8")
    text, ids, data = shown(runner)
    assert ids and no_warning_tick() not in text
    assert "• No warning holds back the next phase" in text
    assert any(i in text for i in ids)
    assert "mind the warnings" in " ".join(data["reasons"])


def test_a_consult_warning_is_a_cross(runner: CliRunner, home: Path) -> None:
    start(runner, 3)
    ok(runner, "log", "--date", day(0), "--pain", "3", "--symptom", "numbness")
    text, ids, _ = shown(runner)
    assert "numbness" in ids and no_warning_tick() not in text
    assert "✗ " + t("coach.reason.warnings.short") in text


def test_phase_overdue_is_not_met_by_a_tick(runner: CliRunner, home: Path) -> None:
    # Past the longest usual stay in phase 1, not ready (no exercise), no improvement.
    start(runner, 19)
    for n in range(19):
        ok(runner, "log", "--date", day(n), "--pain", "5")
    text, ids, data = shown(runner)
    assert "phase-overdue" in ids, ids
    assert no_warning_tick() not in text
    assert "phase-overdue" in " ".join(data["reasons"])
    assert data["ready_to_advance"] is False and data["overdue"] is True
