"""`export --format xlsx` (SPEC §14), read back with openpyxl (a parser independent of the
writer): typed cells (dates, times, numbers, text, never a formula), the sheets in the
person's language, the activities and programme sheets, and the refusal to write a binary
workbook to a terminal.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from rugcoach.cli import export as cli_export
from rugcoach.diary.edits import add_entry, make_entry
from rugcoach.reports import xlsx as export_xlsx
from test_cli_diary import (
    fast_content,  # noqa: F401 - an autouse fixture, active by import
    ok,
    refused,
)
from test_export_formats import PERIOD
from test_report import SCRIPT, save, small_diary

INJECTIONS = ["=1+1", "+31 6 12345678", "-2", "@SUM(A1)", '=HYPERLINK("http://x.invalid")']


def workbook(runner: CliRunner, *args: str) -> Any:
    import openpyxl

    raw = ok(runner, "export", "--format", "xlsx", *args).stdout_bytes
    assert raw.startswith(b"PK")  # a zip, piped out as bytes
    return openpyxl.load_workbook(io.BytesIO(raw))


def raw_xlsx(runner: CliRunner, *args: str) -> bytes:
    return ok(runner, "export", "--format", "xlsx", *args).stdout_bytes


@pytest.fixture
def small(home: Path) -> None:
    diary = small_diary()
    for i, payload in enumerate(INJECTIONS):
        diary = add_entry(diary, make_entry(f"x{i}", date(2025, 3, 16), pain=i, note=payload))
    save(home, diary)


def test_entries_are_typed_cells(runner: CliRunner, small: None) -> None:
    book = workbook(runner, *PERIOD)
    assert book.sheetnames == ["Entries", "Weeks"]
    sheet = book["Entries"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Date",
        "Time",
        "Pain (0-10)",
        "Pain while exercising (0-10)",
        "Morning stiffness (min)",
        "Walking (min)",
        "Exercises done",
        "Symptoms",
        "Note",
    )
    assert len(rows) == 1 + 8 + len(INJECTIONS)
    first = sheet[2]
    assert first[0].is_date and first[0].value == datetime(2025, 3, 3)
    assert first[0].number_format in ("mm-dd-yy", "m/d/yyyy", "14")  # built-in: locale's date
    assert first[1].value == time(8, 0) and first[1].number_format == "hh:mm"
    assert first[2].value == 6 and first[2].data_type == "n"
    assert first[3].value is None  # not noted: an empty cell
    assert first[4].value == 40
    assert first[8].value == "first day" and first[8].data_type == "s"
    assert rows[2][6] == "bird-dog" and rows[7][6] == "bird-dog, cat-camel"
    assert rows[6][7] == "radiating-leg-pain"
    assert rows[3][8] == SCRIPT
    notes = [r[8] for r in rows[-len(INJECTIONS) :]]
    assert notes == INJECTIONS  # as written: text, not defused and not run
    for row in sheet.iter_rows(min_row=2):
        assert row[8].value is None or row[8].data_type == "s"


def test_no_formula_anywhere(runner: CliRunner, small: None) -> None:
    with zipfile.ZipFile(io.BytesIO(raw_xlsx(runner))) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name).decode()
                assert "<f>" not in xml and "<f " not in xml, name
                assert 't="str"' not in xml  # a formula's cached string result


def test_weeks_sheet(runner: CliRunner, home: Path) -> None:
    save(home, small_diary())
    rows = list(workbook(runner, *PERIOD)["Weeks"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Week from", "to", "Mean pain")
    assert rows[1][:7] == (datetime(2025, 3, 3), datetime(2025, 3, 9), 4.33, 3, 5, 4, 3)
    assert rows[2][0] == datetime(2025, 3, 10) and rows[2][2] == 3


def test_in_dutch(runner: CliRunner, small: None) -> None:
    import openpyxl

    raw = ok(runner, "--lang", "nl", "export", "--format", "xlsx").stdout_bytes
    book = openpyxl.load_workbook(io.BytesIO(raw))
    assert book.sheetnames == ["Metingen", "Weken"]
    assert book["Metingen"]["A1"].value == "Datum"
    assert book["Metingen"]["I1"].value == "Notitie"
    assert book["Weken"]["C1"].value == "Gem. pijn"


def test_activities_sheet(runner: CliRunner, home: Path) -> None:
    diary = small_diary()
    diary["activities"] = [
        {
            "id": "a1",
            "name": "=fietsen naar mijn werk",
            "added": "2025-03-03",
            "scores": [{"date": "2025-03-03", "score": 3}, {"date": "2025-03-10", "score": 6}],
        }
    ]
    save(home, diary)
    book = workbook(runner, *PERIOD)
    assert book.sheetnames == ["Entries", "Weeks", "Activities"]
    rows = list(book["Activities"].iter_rows(values_only=True))
    assert rows == [
        ("Activity", "Date", "Score (0-10)", "Change since the first rating"),
        ("=fietsen naar mijn werk", datetime(2025, 3, 3), 3, None),
        ("=fietsen naar mijn werk", datetime(2025, 3, 10), 6, 3),
    ]


def test_programme_sheet_from_adherence_rows(
    runner: CliRunner, small: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "Programme" not in workbook(runner).sheetnames  # no programme: no sheet
    rows = [("bird-dog", "2025-03-03", 5, 3), ("cat-camel", "2025-03-03", 7, 7)]
    monkeypatch.setattr(export_xlsx, "programme_rows", lambda report: rows)
    sheet = workbook(runner)["Programme"]
    assert list(sheet.iter_rows(values_only=True)) == [
        ("Exercise", "Week", "Days planned", "Days done"),
        ("bird-dog", datetime(2025, 3, 3), 5, 3),
        ("cat-camel", datetime(2025, 3, 3), 7, 7),
    ]


def test_reproducible(runner: CliRunner, small: None) -> None:
    assert raw_xlsx(runner) == raw_xlsx(runner)


def test_no_diary(runner: CliRunner) -> None:
    book = workbook(runner)
    assert [len(list(s.iter_rows())) for s in book] == [1, 0] or book.sheetnames[0] == "Entries"
    assert book["Entries"].max_row == 1


def test_output_file(runner: CliRunner, small: None, tmp_path: Path) -> None:
    target = tmp_path / "diary.xlsx"
    ok(runner, "export", "--format", "xlsx", "--output", str(target))
    assert target.read_bytes() == raw_xlsx(runner)


def test_a_terminal_gets_no_binary(
    runner: CliRunner, home: Path, small: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_export, "_terminal", lambda: True)
    message = refused(runner, home, ("export", "--format", "xlsx"), 2, "--output")
    assert "xlsx" in message
    ok(runner, "export", "--format", "csv")  # text formats still go to the terminal


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(note=st.text(min_size=1, max_size=80))
def test_any_note_reads_back_as_written(runner: CliRunner, home: Path, note: str) -> None:
    import openpyxl

    from rugcoach.reports.report import build_report

    diary = add_entry(small_diary(), make_entry("n", date(2025, 3, 16), note=note))
    from rugcoach.content import load as contents

    content = contents.load()
    report = build_report(content, diary, date(2025, 3, 16), date(2025, 3, 16), date(2025, 3, 16))
    book = openpyxl.load_workbook(io.BytesIO(export_xlsx.render(report)))
    cell = book["Entries"]["I2"]
    assert cell.data_type == "s"
    # Control characters (and "_x" itself) are OOXML escapes "_xHHHH_", which Excel turns back
    # into the characters; openpyxl leaves them as they are, so decode them here as Excel does.
    assert re.sub(r"_x([0-9A-F]{4})_", lambda m: chr(int(m[1], 16)), cell.value) == note


def test_xlsxwriter_is_imported_only_for_xlsx(home: Path) -> None:
    code = (
        "import os, sys\n"
        "def leave(code):\n    raise SystemExit(code)\n"
        "os._exit = leave\n"  # main() ends with os._exit, which would skip the print
        "from rugcoach.cli import shell as cli\n"
        "sys.argv = ['rugcoach', 'export', '--format', 'csv']\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "print('xlsxwriter' in sys.modules, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.stderr.strip().splitlines()[-1] == "False", result.stderr


def test_from_to_limit_the_workbook(runner: CliRunner, small: None) -> None:
    book = workbook(runner, "--from", "2025-03-10", "--to", "2025-03-12")
    dates = [r[0] for r in book["Entries"].iter_rows(min_row=2, values_only=True)]
    assert dates == [datetime(2025, 3, 10), datetime(2025, 3, 12)]
    weeks = [r[0] for r in book["Weeks"].iter_rows(min_row=2, values_only=True)]
    assert weeks == [datetime(2025, 3, 10)]
