"""`rugcoach export --format ics` (SPEC §9): an RFC 5545 calendar of the coming weeks' plan,
checked by parsing it back with the icalendar package, and byte by byte for CRLF line ends
and folding."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from typer.testing import CliRunner, Result

from rugcoach.cli.shell import app
from rugcoach.coach import plan as coach
from rugcoach.content import load as content
from rugcoach.i18n import pick
from rugcoach.reports import export
from rugcoach.reports import ics as export_ics
from rugcoach.reports.report import build_report

from conftest import TODAY, snapshot

pytestmark = pytest.mark.usefixtures("fast_content")


def run(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(app, list(args))


def ok(runner: CliRunner, *args: str) -> Result:
    result = run(runner, *args)
    assert result.exit_code == 0, (args, result.stdout, result.stderr, result.exception)
    return result


def ics(runner: CliRunner, *args: str) -> str:
    # The bytes as written: Result.stdout would turn CRLF into LF.
    return ok(runner, "export", "--format", "ics", *args).stdout_bytes.decode("utf-8")


def events(text: str) -> list[Any]:
    return list(Calendar.from_ical(text).walk("VEVENT"))


def test_the_calendar_parses_back_with_one_event_a_day_for_four_weeks(
    runner: CliRunner, home: Path
) -> None:
    text = ics(runner)
    cal = Calendar.from_ical(text)
    assert cal.name == "VCALENDAR"
    assert str(cal["VERSION"]) == "2.0" and "rugcoach" in str(cal["PRODID"])
    found = events(text)
    assert len(found) == 28
    starts = [e.decoded("DTSTART") for e in found]
    assert starts == [datetime.combine(TODAY + timedelta(days=n), time(8, 0)) for n in range(28)]
    assert all(s.tzinfo is None for s in starts)  # floating: 08:00 wherever the phone is
    for event in found:
        assert event.decoded("DTEND") > event.decoded("DTSTART")
        stamp = event.decoded("DTSTAMP")
        assert stamp.tzinfo is not None and stamp.utcoffset() == timedelta(0)
        assert abs(datetime.now(timezone.utc) - stamp) < timedelta(minutes=5)
        [alarm] = event.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert alarm.decoded("TRIGGER") == timedelta(0)
    assert len({str(e["UID"]) for e in found}) == 28


def test_each_event_holds_that_days_plan_and_walking_goal(runner: CliRunner, home: Path) -> None:
    ok(runner, "log", "--pain", "3", "--date", (TODAY - timedelta(days=20)).isoformat())
    found = events(ics(runner, "--weeks", "2"))
    assert len(found) == 14
    from rugcoach.diary.store import Store

    diary = Store(home).load()
    data = content.load()
    for event in found:
        day = event.decoded("DTSTART").date()
        plan = coach.plan(data, diary, day)
        text = str(event["DESCRIPTION"])
        for item in plan.routine:
            assert pick(item.exercise["name"]) in text
        minutes = sum(i.minutes for i in plan.routine)
        assert str(event["SUMMARY"]) == (
            f"Back exercises ({minutes} min) and a {plan.walk_minutes_goal}-minute walk"
        )
        assert f"Walking: {plan.walk_minutes_goal} minutes" in text
        assert "rugcoach session" in text
        assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=minutes)
    # The plan varies from day to day.
    assert len({str(e["DESCRIPTION"]) for e in found}) > 1


def test_uids_and_plans_are_stable_from_one_export_to_the_next(
    runner: CliRunner, home: Path
) -> None:
    def content_of(text: str) -> list[tuple[str, ...]]:
        return [
            (str(e["UID"]), str(e["SUMMARY"]), str(e["DESCRIPTION"]), e["DTSTART"].to_ical())
            for e in events(text)
        ]

    first, again = ics(runner, "--weeks", "3"), ics(runner, "--weeks", "3")
    assert content_of(first) == content_of(again)
    uids = [str(e["UID"]) for e in events(first)]
    assert uids[0] == f"{TODAY.isoformat()}-daily@rugcoach.invalid"
    # A longer calendar keeps the same UIDs for the same days.
    assert [str(e["UID"]) for e in events(ics(runner, "--weeks", "4"))][:21] == uids


def test_crlf_line_ends_and_folding_at_75_octets(runner: CliRunner, home: Path) -> None:
    text = ics(runner, "--weeks", "1")
    data = text.encode("utf-8")
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")  # no bare line feed anywhere
    lines = data.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)  # long descriptions are folded
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-1] == b"END:VCALENDAR"


def test_folding_never_splits_a_utf8_character(runner: CliRunner, home: Path) -> None:
    text = ok(
        runner, "--lang", "nl", "export", "--format", "ics", "--weeks", "1"
    ).stdout_bytes.decode()
    for line in text.encode("utf-8").split(b"\r\n"):
        line.decode("utf-8")  # each physical line is valid UTF-8 on its own
    found = events(text)
    assert "één" in str(found[0]["DESCRIPTION"])  # "in één keer"
    assert str(found[0]["SUMMARY"]).startswith("Rugoefeningen (")


@pytest.mark.parametrize(("weeks", "count"), [("1", 7), ("26", 182), (" 2 ", 14)])
def test_weeks(runner: CliRunner, home: Path, weeks: str, count: int) -> None:
    assert len(events(ics(runner, "--weeks", weeks))) == count


def test_time(runner: CliRunner, home: Path) -> None:
    found = events(ics(runner, "--time", "7:30", "--weeks", "1"))
    assert {e.decoded("DTSTART").time() for e in found} == {time(7, 30)}


def test_to_a_file_and_back(runner: CliRunner, home: Path, tmp_path: Path) -> None:
    out = tmp_path / "rugcoach.ics"
    result = ok(runner, "export", "--format", "ics", "--output", str(out), "--weeks", "1")
    assert result.stdout == "" and str(out) in result.stderr
    assert len(events(out.read_bytes().decode("utf-8"))) == 7
    assert b"\r\n" in out.read_bytes()


def test_from_and_to_set_the_first_and_last_day(runner: CliRunner, home: Path) -> None:
    start = TODAY + timedelta(days=3)
    found = events(ics(runner, "--from", start.isoformat(), "--weeks", "1"))
    assert [e.decoded("DTSTART").date() for e in found] == [
        start + timedelta(days=n) for n in range(7)
    ]
    end = TODAY + timedelta(days=4)
    found = events(ics(runner, "--to", end.isoformat()))
    assert len(found) == 5


def test_an_urgent_warning_makes_each_day_say_whom_to_call(runner: CliRunner, home: Path) -> None:
    ok(runner, "log", "--symptom", "saddle-numbness")
    found = events(ics(runner, "--weeks", "2"))
    # An urgent sign stays until a doctor has seen it (SPEC §10): every day says to call,
    # none to exercise; from the 8th day on it asks whether the GP was contacted.
    for event in found:
        assert "contact your GP" in str(event["SUMMARY"])
        assert "112" in str(event["DESCRIPTION"]) and "- " not in str(event["DESCRIPTION"])
    assert "Have you contacted your GP" not in str(found[0]["DESCRIPTION"])
    assert "Have you contacted your GP" in str(found[-1]["DESCRIPTION"])


def test_the_renderer_registered_for_ics_uses_the_defaults(home: Path) -> None:
    report = build_report(content.load(), None, None, None, date(2026, 3, 2))
    text = export.RENDERERS["ics"](report)
    found = events(text)
    assert len(found) == 28 and found[0].decoded("DTSTART") == datetime(2026, 3, 2, 8, 0)
    assert found[0].decoded("DTSTAMP") == datetime(2026, 3, 2, tzinfo=timezone.utc)
    assert text == export.RENDERERS["ics"](report)  # the same report gives the same file


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--format", "json", "--weeks", "2"], "--weeks only works with --format ics"),
        (["--format", "md", "--time", "07:00"], "--time only works with --format ics"),
        (["--weeks", "2"], "--weeks only works"),  # the default format is json
        (["--format", "ics", "--weeks", "0"], "from 1 to 26"),
        (["--format", "ics", "--weeks", "27"], "from 1 to 26"),
        (["--format", "ics", "--weeks", "vier"], "vier"),
        (["--format", "ics", "--weeks", ""], "''"),
        (["--format", "ics", "--time", "25:00"], "not a time"),
        (["--format", "ics", "--time", "8"], "not a time"),
        (["--format", "icss"], "Did you mean 'ics'"),
    ],
)
def test_wrong_options_are_exit_2_and_write_nothing(
    runner: CliRunner, home: Path, tmp_path: Path, args: list[str], fragment: str
) -> None:
    ok(runner, "log", "--pain", "2")
    before = snapshot(home)
    out = tmp_path / "out.ics"
    result = run(runner, "export", *args, "--output", str(out))
    assert result.exit_code == 2
    assert fragment in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert snapshot(home) == before and not out.exists()


def test_icalendar_is_imported_only_by_the_ics_export(home: Path) -> None:
    code = (
        "import sys, json; from rugcoach.cli import shell as cli; from rugcoach.reports import "
        "export, ics as export_ics; "
        "print(json.dumps('icalendar' in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert json.loads(result.stdout) is False
    assert export_ics.MAX_WEEKS == 26
