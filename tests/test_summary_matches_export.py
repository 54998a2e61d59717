"""`summary` and the exports show the same figures for the same period (SPEC §15): weekly
means, pain, exercise days, walking, phases, warnings seen, and the activities' change
since their first rating."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rugcoach.cli.shell import app
from rugcoach.diary import store as storage
from rugcoach.diary.edits import add_entry, make_entry, new_diary
from rugcoach.schema import Diary
from test_report import save

from conftest import TODAY

pytestmark = pytest.mark.usefixtures("fast_content")

SHARED = (
    "period",
    "entries",
    "pain",
    "weeks",
    "phases",
    "warnings_seen",
    "rules_checked_from",
    "consistency",
    "walking",
)


def diary(days: int = 100) -> Diary:
    """Two pain values on some days (a day's score is their mean), exercise and walking on
    some, two rated activities."""
    start = TODAY - timedelta(days=days - 1)
    out = new_diary(start=start, version=storage.VERSION)
    out["phases"].append(
        {"number": 2, "start": (start + timedelta(days=20)).isoformat(), "how": "next"}
    )
    for i in range(days):
        day = start + timedelta(days=i)
        if i % 5 == 4:
            continue
        out = add_entry(out, make_entry(f"a{i:03d}", day, time="08:00", pain=2 + i % 6))
        if i % 3 == 0:
            out = add_entry(
                out,
                make_entry(
                    f"b{i:03d}",
                    day,
                    time="20:00",
                    pain=9 - i % 4,
                    done=["bird-dog"],
                    walk_minutes=15 + i % 10,
                ),
            )
    rated = [(start + timedelta(days=d)).isoformat() for d in (3, 40, 80, 95)]
    out["activities"] = [
        {
            "id": "1",
            "name": "fietsen",
            "added": rated[0],
            "scores": [{"date": d, "score": s} for d, s in zip(rated, (2, 4, 5, 7), strict=True)],
        },
        {
            "id": "2",
            "name": "tillen",
            "added": rated[1],
            "scores": [{"date": rated[1], "score": 3}],
        },
    ]
    return out


def both(runner: CliRunner, summary_args: list[str], export_args: list[str]) -> tuple[Any, Any]:
    shown = runner.invoke(app, ["summary", "--json", *summary_args])
    exported = runner.invoke(app, ["export", "--format", "json", *export_args])
    assert shown.exit_code == 0 and exported.exit_code == 0, (shown.stderr, exported.stderr)
    return json.loads(shown.stdout), json.loads(exported.stdout)


@pytest.mark.parametrize("weeks", [None, 1, 4, 30])
def test_summary_json_equals_the_exports_summary(
    runner: CliRunner, home: Path, weeks: int | None
) -> None:
    save(home, diary())
    if weeks is None:
        summary, export = both(runner, [], [])
    else:
        first = (TODAY - timedelta(days=7 * weeks - 1)).isoformat()
        summary, export = both(
            runner, ["--weeks", str(weeks)], ["--from", first, "--to", TODAY.isoformat()]
        )
    figures = export["summary"]
    for key in SHARED:
        assert summary[key] == figures[key], key
    assert summary["activities"] == export["activities"]
    # The export's own flat figures say the same.
    assert figures["pain_mean"] == round(summary["pain"]["mean"], 2)
    assert figures["exercise_days"] == summary["consistency"]["exercise_days"]
    assert figures["walk_minutes"] == summary["walking"]["minutes"]
    assert figures["days_with_entries"] == summary["consistency"]["logged_days"]


def test_the_whole_diary_is_the_default(runner: CliRunner, home: Path) -> None:
    save(home, diary(days=100))
    summary, _ = both(runner, [], [])
    assert summary["period"]["from"] == (TODAY - timedelta(days=99)).isoformat()
    assert summary["period"]["days"] == 100
    assert summary["weeks_asked"] is None
    assert [a["change"] for a in summary["activities"]] == [5, None]
