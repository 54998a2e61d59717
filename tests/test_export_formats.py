"""`export --format csv|md|html|fhir` (SPEC §7) from the command line: values against the
small diary of test_report.py (worked out by hand there), escaping, CSV injection, the
period options, an empty diary, a ten-year diary, and the FHIR bundle validated by
fhir.resources.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from helpers import export_schema
from rugcoach.diary.edits import add_entry, make_entry
from rugcoach.reports import csv as export_csv
from test_cli_diary import (
    fast_content,  # noqa: F401 - an autouse fixture, active by import
    ok,
    run,
)
from test_report import END, SCRIPT, START, save, small_diary, ten_year_diary

from conftest import TODAY

FORMATS = ("json", "csv", "md", "html", "fhir")
PERIOD = ("--from", START.isoformat(), "--to", END.isoformat())
DISCLAIMER_EN = "does not make a diagnosis"
DISCLAIMER_NL = "stelt geen diagnose"


def export(runner: CliRunner, fmt: str, *args: str) -> str:
    """The export on standard output, byte for byte (Click's `stdout` turns CRLF into LF); a
    json export is checked against the shipped JSON Schema."""
    text = ok(runner, "export", "--format", fmt, *args).stdout_bytes.decode("utf-8")
    if fmt == "json":
        export_schema.check(json.loads(text))
    return text


@pytest.fixture
def small(home: Path) -> None:
    save(home, small_diary())


# ----------------------------------------------------------------------------------- csv


def parse_csv(text: str) -> list[list[str]]:
    assert text.startswith(export_csv.BOM)  # for Excel and LibreOffice to read it as UTF-8
    return list(csv.reader(io.StringIO(text.removeprefix(export_csv.BOM), newline="")))


def semicolon_cells(text: str) -> list[str]:
    """The cells a reader that splits on `;` sees, and that ignores quotes it finds mid-field:
    it starts a cell after every `;` and a row after every line break."""
    return [cell for line in re.split(r"\r\n|\n|\r", text) for cell in line.split(";")]


def test_csv_rows(runner: CliRunner, small: None) -> None:
    text = export(runner, "csv", *PERIOD)
    assert text.split("\r\n")[0] == export_csv.BOM + (
        "date,time,pain,exercise_pain,stiffness_minutes,walk_minutes,done,symptoms,note"
    )
    rows = parse_csv(text)
    assert len(rows) == 1 + 8
    assert rows[1] == ["2025-03-03", "08:00", "6", "", "40", "", "", "", "first day"]
    assert rows[2] == ["2025-03-03", "20:00", "4", "", "", "10", "bird-dog", "", ""]
    assert rows[7] == ["2025-03-12", "", "2", "", "", "30", "bird-dog;cat-camel", "", ""]
    assert rows[6][7] == "radiating-leg-pain"
    assert rows[3][8] == SCRIPT  # data only: CSV has no markup to escape
    assert DISCLAIMER_EN not in text
    # Numbers are bare numbers, never quoted or prefixed.
    assert "\r\n2025-03-15,18:30,3,6,,,,,\r\n" in text


INJECTIONS = [
    '=HYPERLINK("http://evil.example","click")',
    "+1",
    "-1+1",
    "@SUM(1)",
    "\t=1",
    "\r=1",
    "=1+1;cmd",
]


def test_csv_injection_is_defused(runner: CliRunner, home: Path) -> None:
    diary = small_diary()
    for i, payload in enumerate(INJECTIONS):
        diary = add_entry(diary, make_entry(f"x{i}", date(2025, 3, 16), pain=i, note=payload))
    save(home, diary)
    rows = parse_csv(export(runner, "csv", "--from", "2025-03-16", "--to", "2025-03-16"))
    notes = [row[8] for row in rows[1:]]
    assert notes == ["'" + p for p in INJECTIONS[:5]] + ["'\r'=1", "'=1+1;cmd"]
    assert [row[2] for row in rows[1:]] == [str(i) for i in range(len(INJECTIONS))]
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(export_csv.FORMULA_STARTS), row


SEMICOLON_INJECTIONS = [
    "x;=1+1",
    'x;"=1+1"',
    "x; =1+1",
    "ok;+31 6 1234;-2;@me",
    "line one\n=1+1",
    "line one\r\n-1",
    "a;;=1",
]


def test_csv_defusing_holds_for_semicolon_readers(runner: CliRunner, home: Path) -> None:
    diary = small_diary()
    for i, payload in enumerate(SEMICOLON_INJECTIONS):
        diary = add_entry(
            diary, make_entry(f"s{i}", date(2025, 3, 16), note=payload, done=["=evil", "-x"])
        )
    save(home, diary)
    text = export(runner, "csv", "--from", "2025-03-16", "--to", "2025-03-16")
    for cell in semicolon_cells(text.removeprefix(export_csv.BOM)):
        assert not cell.lstrip(' "').startswith(export_csv.FORMULA_STARTS), cell
    rows = parse_csv(text)
    assert rows[1][8] == "x;'=1+1"
    assert rows[2][8] == 'x;\'"=1+1"'
    assert rows[5][8] == "line one\n'=1+1"
    assert rows[1][6] == "'=evil;'-x"
    # The text is otherwise unchanged: remove each inserted quote and it is the note again.
    assert rows[6][8].replace("'", "") == SEMICOLON_INJECTIONS[5].replace("'", "")


def test_csv_is_utf8_with_a_byte_order_mark(runner: CliRunner, home: Path) -> None:
    diary = add_entry(small_diary(), make_entry("c", date(2025, 3, 16), pain=1, note="Café ü"))
    save(home, diary)
    raw = ok(runner, "export", "--format", "csv", "--from", "2025-03-16").stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbfdate,time,pain,")
    assert "Café ü".encode() in raw
    assert next(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))[0] == "date"


def _formula_free(text: str) -> bool:
    return not any(
        cell.lstrip(' "').startswith(export_csv.FORMULA_STARTS) for cell in semicolon_cells(text)
    ) and not text.startswith(export_csv.FORMULA_STARTS)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from('ab ;"=+-@\t\r\n'), max_size=12) | st.text())
def test_no_text_cell_can_start_a_formula(text: str) -> None:
    entry = make_entry("p", START, note=text or None, done=[text] if text else [])
    for cell in export_csv.row(entry):
        assert not str(cell).startswith(export_csv.FORMULA_STARTS)
        assert _formula_free(str(cell)), cell
    # Defusing only adds quotes: take them out and the text is back.
    assert export_csv.defuse(text).replace("'", "") == text.replace("'", "")


# ------------------------------------------------------------------------------------ md


def test_md_summary(runner: CliRunner, small: None) -> None:
    text = export(runner, "md", *PERIOD)
    assert text.startswith("# Back rehabilitation: progress report\n")
    assert "**Period:** 3 – 16 Mar 2025 (14 days)" in text
    assert "## Phase history" in text
    assert "| Phase 1: Pain relief and restoring movement | 3 – 12 Mar 2025 | 10 days |" in text
    # The weekly table, as worked out by hand in test_report.small_diary.
    assert "| 3 – 9 Mar 2025 | 4.3 | 3.0 | 5.0 | 4/7 | 3 | 45 |" in text
    assert "| 10 – 16 Mar 2025 | 3.0 | 2.0 | 4.0 | 3/7 | 2 | 30 |" in text
    assert "2.5 days a week on average (the aim is 4-5 days a week)" in text
    assert "Walked 75 minutes in total, on 4 days" in text
    assert "Pain spreading into one leg, below the knee (logged on 10 Mar 2025)" in text
    assert "- 3 Mar 2025 08:00: first day" in text
    assert DISCLAIMER_EN in text


def test_md_neutralises_markup(runner: CliRunner, small: None) -> None:
    text = export(runner, "md", *PERIOD)
    assert "<script" not in text and "<img" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text


def test_md_in_dutch(runner: CliRunner, home: Path) -> None:
    save(home, small_diary(language="nl"))
    text = export(runner, "md", *PERIOD)
    assert text.startswith("# Rugrevalidatie: voortgangsverslag\n")
    assert "| 3 – 9 mrt 2025 | 4,3 | 3,0 | 5,0 | 4/7 | 3 | 45 |" in text
    assert DISCLAIMER_NL in text


# ---------------------------------------------------------------------------------- html


def test_html_report(runner: CliRunner, small: None) -> None:
    text = export(runner, "html", *PERIOD)
    assert text.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in text
    assert "@media print" in text
    assert text.count("<svg") == 2
    assert "<circle" in text and '<rect class="bar"' in text
    assert "<td>3 – 9 Mar 2025</td>" in text
    assert '<td class="n">4.3</td><td class="n">3.0</td><td class="n">5.0</td>' in text
    assert DISCLAIMER_EN in text
    # 0-10 axis labels
    for score in range(0, 11, 2):
        assert f'text-anchor="end">{score}</text>' in text


def test_html_escapes_user_text(runner: CliRunner, home: Path) -> None:
    diary = small_diary()
    diary["profile"]["goals"] = ['walk <b onmouseover="x">far</b>']
    save(home, diary)
    text = export(runner, "html", *PERIOD)
    assert "<script" not in text
    assert "<img" not in text
    assert "<b onmouseover" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text


def test_html_is_self_contained(runner: CliRunner, small: None) -> None:
    text = export(runner, "html", *PERIOD)
    assert not re.search(r"https?:", text)
    assert "<link" not in text and "@import" not in text and "url(" not in text
    assert "<script" not in text and "src=" not in text.replace("src=x", "")


def test_html_in_dutch(runner: CliRunner, home: Path) -> None:
    save(home, small_diary())
    result = ok(runner, "--lang", "nl", "export", "--format", "html", *PERIOD)
    text = result.stdout
    assert '<html lang="nl">' in text
    assert "Pijn per week" in text and DISCLAIMER_NL in text


# ---------------------------------------------------------------------------------- fhir


def validate_bundle(text: str) -> Any:
    # fhir.resources 8 keeps R5 at the top level; R4B (FHIR 4.3) is the R4-compatible model
    # there for Bundle and Observation.
    from fhir.resources.R4B.bundle import Bundle

    return Bundle.model_validate_json(text)


def test_fhir_is_reproducible(runner: CliRunner, small: None) -> None:
    assert export(runner, "fhir") == export(runner, "fhir")


# ------------------------------------------------------------------------ every format


@pytest.mark.parametrize("fmt", FORMATS)
def test_from_to_limits_every_format(runner: CliRunner, small: None, fmt: str) -> None:
    text = export(runner, fmt, "--from", "2025-03-10", "--to", "2025-03-12")
    assert "2025-03-04" not in text and "2025-03-15" not in text
    if fmt == "csv":
        assert [r[0] for r in parse_csv(text)[1:]] == ["2025-03-10", "2025-03-12"]
    elif fmt == "fhir":
        validate_bundle(text)
        found = [e["resource"] for e in json.loads(text)["entry"]]
        dates = {r["effectiveDateTime"][:10] for r in found if r["resourceType"] == "Observation"}
        assert dates == {"2025-03-10", "2025-03-12"}
    elif fmt == "json":
        assert [e["id"] for e in json.loads(text)["entries"]] == ["e06", "e07"]
    else:
        assert "10 – 12 Mar 2025" in text
        assert "first day" not in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_diary_gives_a_meaningful_report(runner: CliRunner, fmt: str) -> None:
    text = export(runner, fmt)
    if fmt == "csv":
        assert parse_csv(text) == [list(export_csv.HEADER)]
    elif fmt == "fhir":
        bundle = validate_bundle(text)
        assert bundle.type == "collection" and not bundle.entry
    elif fmt == "json":
        assert json.loads(text)["entries"] == []
    else:
        assert "No entries in this period" in text
        assert DISCLAIMER_EN in text
    if fmt == "html":
        assert text.rstrip().endswith("</html>") and '<html lang="en">' in text


@pytest.mark.parametrize("fmt", ("md", "html"))
def test_a_period_without_entries(runner: CliRunner, small: None, fmt: str) -> None:
    text = export(runner, fmt, "--from", "2025-04-01", "--to", "2025-04-14")
    assert "No entries in this period" in text
    assert "1 – 14 Apr 2025 (14 days)" in text
    assert "Phase history" in text


def test_json_summary_is_enriched(runner: CliRunner, small: None) -> None:
    data = json.loads(export(runner, "json", *PERIOD))
    summary = data["summary"]
    for key in ("period", "entries", "days_with_entries", "pain_mean", "exercise_days"):
        assert key in summary
    assert summary["weeks"][0]["pain_mean"] == 4.33
    assert summary["consistency"]["exercise_days_per_week"] == 2.5
    assert [w["id"] for w in summary["warnings_seen"]][:1] == ["radiating-leg-pain"]
    assert "daily" not in summary


def test_output_into_a_missing_folder(runner: CliRunner, small: None, tmp_path: Path) -> None:
    result = run(runner, "export", "--format", "html", "-o", str(tmp_path / "no" / "r.html"))
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr and result.stderr.strip()
    assert not (tmp_path / "no").exists()


def test_output_file(runner: CliRunner, small: None, tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    ok(runner, "export", "--format", "html", "-o", str(target), *PERIOD)
    assert target.read_text(encoding="utf-8") == export(runner, "html", *PERIOD)


# -------------------------------------------------------------------------- ten years


@pytest.fixture
def ten_years(home: Path) -> None:
    save(home, ten_year_diary(TODAY))


def test_ten_year_html(runner: CliRunner, ten_years: None) -> None:
    text = export(runner, "html")
    assert len(text.encode()) < 400_000  # the charts are downsampled; tables are bounded
    assert text.count("<circle") <= 365  # daily points: the last year only
    assert "last 365 days" in text
    assert "Mean pain per month" in text  # more than two years: monthly bars
    assert text.count("<tr>") < 26 + 24 + 10 + 3  # weeks, months, phases, headers


def test_ten_year_other_formats(runner: CliRunner, ten_years: None) -> None:
    assert len(parse_csv(export(runner, "csv"))) == 1 + 3651 * 3
    md = export(runner, "md")
    assert "## Pain per month" in md and len(md) < 30_000
    assert "older notes are not shown" in md
