"""`rugcoach summary [--weeks N] [--json]` (SPEC §3): readable at 80 columns without colour
in both languages, the chart, the JSON keys, and `--weeks` checked (1..520, else exit 2).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rugcoach.content import load as content
from rugcoach.diary import store as storage
from rugcoach.diary.edits import add_entry, make_entry, new_diary
from rugcoach.reports import progress as report
from rugcoach.schema import Diary
from rugcoach.term import summary as render_summary
from test_cli_diary import (
    fast_content,  # noqa: F401 - an autouse fixture, active by import
    ok,
    refused,
)
from test_report import save, ten_year_diary

from conftest import TODAY


def recent_diary(days: int = 70, language: str | None = None) -> Diary:
    """`days` days up to today: pain 2..8 in a cycle, exercise on 5 days of 7, walking."""
    start = TODAY - timedelta(days=days - 1)
    diary = new_diary(start=start, version=storage.VERSION, language=language)  # type: ignore[arg-type]
    diary["phases"].append(
        {"number": 2, "start": (start + timedelta(days=14)).isoformat(), "how": "next"}
    )
    for i in range(days):
        day = start + timedelta(days=i)
        if i % 7 == 3:
            continue  # a day without an entry
        diary = add_entry(
            diary,
            make_entry(
                f"r{i:03d}",
                day,
                pain=2 + i % 7,
                walk_minutes=20,
                done=["bird-dog"] if i % 7 < 5 else [],
                stiffness_minutes=45 if i > days - 4 else None,
                symptoms=["night-pain"] if i == days - 2 else [],
            ),
        )
    return diary


def lines_of(runner: CliRunner, *args: str) -> list[str]:
    result = ok(runner, *args)
    assert "\x1b[" not in result.stdout  # no colour or style codes when not a terminal
    return result.stdout.splitlines()


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_fits_80_columns(runner: CliRunner, home: Path, lang: str) -> None:
    save(home, recent_diary())
    lines = lines_of(runner, "--lang", lang, "summary")
    assert lines
    too_long = [line for line in lines if len(line) > 80]
    assert not too_long, too_long
    assert all(line == line.rstrip() for line in lines)
    text = "\n".join(lines)
    expected = {
        # The chart's legend: one bar per day, or per few days on a long diary.
        "en": ("Progress", "Pain per week", "one bar per", "Phase history", "Warnings seen"),
        "nl": ("Voortgang", "Pijn per week", "een staaf per", "Verloop van de fasen", "Regelmaat"),
    }[lang]
    for heading in expected:
        assert heading in text, heading


def test_content_of_the_summary(runner: CliRunner, home: Path) -> None:
    save(home, recent_diary())
    text = "\n".join(lines_of(runner, "summary", "--weeks", "8"))
    assert text.startswith("Progress over the last 8 weeks: ")
    # 8 weeks of 7 days: entries on 6 days a week, exercise on 4 of them.
    assert "Days with an entry: 48 of 56 (86%)." in text
    assert "4.0 days a week on average (the aim is 4-5 days a week)" in text
    assert "8 of 8 full weeks reached 4 or more." in text
    assert "Phase 2: Stability and motor control" in text
    flat = " ".join(text.split())  # long warning lines wrap
    assert "worst at night: logged on " in flat  # the warning sign of the day before yesterday
    assert "6/7" in text  # days logged in a week
    assert "█" in text and "·" in text  # the chart: bars, and days without a score


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_ten_years_fit_80_columns(runner: CliRunner, home: Path, lang: str) -> None:
    save(home, ten_year_diary(TODAY))
    lines = lines_of(runner, "--lang", lang, "summary", "--weeks", "520")
    assert not [line for line in lines if len(line) > 80]
    assert len([line for line in lines if "/7" in line]) >= 519  # a row per week


@pytest.mark.parametrize("value", ["0", "521", "-1", "abc", "2.5", ""])
def test_bad_weeks(runner: CliRunner, home: Path, value: str) -> None:
    message = refused(runner, home, ["summary", "--weeks", value], 2, "--weeks")
    assert "520" in message


@pytest.mark.parametrize("value", ["1", "520"])
def test_weeks_bounds(runner: CliRunner, home: Path, value: str) -> None:
    save(home, recent_diary())
    data = json.loads(ok(runner, "summary", "--weeks", value, "--json").stdout)
    assert data["weeks_asked"] == int(value)


def test_json(runner: CliRunner, home: Path) -> None:
    save(home, recent_diary())
    data: dict[str, Any] = json.loads(ok(runner, "summary", "--json", "--weeks", "4").stdout)
    for key in (
        "generated",
        "language",
        "weeks_asked",
        "period",
        "entries",
        "pain",
        "weeks",
        "daily",
        "phases",
        "warnings_seen",
        "rules_checked_from",
        "consistency",
        "walking",
    ):
        assert key in data, key
    assert data["period"] == {
        "from": (TODAY - timedelta(days=27)).isoformat(),
        "to": TODAY.isoformat(),
        "days": 28,
    }
    assert len(data["weeks"]) == 4
    assert all(w["days"] == 7 for w in data["weeks"])
    assert data["consistency"]["target_per_week"] == [4, 5]
    assert {w["id"] for w in data["warnings_seen"]} >= {"night-pain"}
    assert data["phases"][-1]["current"] is True
    assert data["walking"]["minutes"] == 20 * data["consistency"]["logged_days"]


def test_a_young_diary_is_summarised_from_its_start(runner: CliRunner, home: Path) -> None:
    save(home, recent_diary(days=10))
    data = json.loads(ok(runner, "summary", "--json").stdout)
    assert data["period"]["days"] == 10
    assert [w["days"] for w in data["weeks"]] == [7, 3]
    assert "younger than 8 weeks" in ok(runner, "summary", "--weeks", "8").stdout
    whole = ok(runner, "summary").stdout
    assert whole.startswith("Progress over your whole diary: ") and "(10 days)" in whole
    assert "younger" not in whole


def test_no_diary(runner: CliRunner, home: Path) -> None:
    result = ok(runner, "summary")
    assert "nothing to summarise" in result.stdout
    assert "rugcoach init" in result.stderr
    data = json.loads(ok(runner, "summary", "--json").stdout)
    assert data["entries"] == 0 and data["weeks"] == []
    assert not home.exists()  # reading creates nothing


def test_no_entries_in_the_period(runner: CliRunner, home: Path) -> None:
    diary = new_diary(start=TODAY - timedelta(days=100), version=storage.VERSION)
    save(home, add_entry(diary, make_entry("old", TODAY - timedelta(days=90), pain=3)))
    text = ok(runner, "summary", "--weeks", "8").stdout
    assert "No entries in this period" in text
    assert all(len(line) <= 80 for line in text.splitlines())


# ------------------------------------------------------------------------------ the chart


def test_chart_rows() -> None:
    start = date(2025, 3, 3)
    diary = new_diary(start=start, version=storage.VERSION)
    for i, pain in enumerate([0, 1, 2, None, 10, 7]):
        if pain is not None:
            diary = add_entry(diary, make_entry(f"c{i}", start + timedelta(days=i), pain=pain))
    progress = report.build(content.load(), diary, start, start + timedelta(days=5), start)
    lines = render_summary.chart_lines(progress)
    # Two columns a day (a short period); rows from 10 down to 2, then the axis at 0.
    assert lines[1:7] == [
        " 10 │        █",
        "  8 │        █ ▄",
        "  6 │        █ █",
        "  4 │        █ █",
        "  2 │▁ ▄ █   █ █",
        "  0 └──────·─────",
    ]
    assert lines[7].startswith("     3 Mar")


def test_long_periods_are_grouped() -> None:
    today = date(2026, 1, 1)
    progress = report.build(content.load(), ten_year_diary(today), None, None, today)
    lines = render_summary.chart_lines(progress)
    assert "one bar per 53 days" in lines[0]
    assert all(len(line) <= 80 for line in lines[1:])  # the legend is wrapped when printed
