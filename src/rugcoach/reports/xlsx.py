"""`export --format xlsx`: a workbook for spreadsheets (SPEC §14), written with XlsxWriter.

A CSV opens in one column in a Dutch Excel (it splits on `;`); a workbook has no separator
to guess and no encoding to guess, so it opens the same in every locale. Sheets, with their
headers in the person's language:

- entries: one row per entry; dates are date cells in the reader's own short date format
  (built-in number format 14, which Excel and LibreOffice show as the locale writes dates),
  times are time cells, measures are numbers, and every text is written with
  `write_string`, so a note starting with `=` is text, never a formula;
- weeks: the report's weekly figures (reports/progress.py), means as numbers with two decimals;
- activities: each score of the patient-specific activities (PSK / PSFS, SPEC §9), with the
  change since the first rating in the period;
- programme: planned and done days per exercise and week of the therapist's programme
  (SPEC §12), only when the report has one (`programme_rows`).

The workbook's timestamps are the report's date, so the same diary gives the same file.
XlsxWriter is imported here only: no other command pays for it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from rugcoach.i18n import pick, t

if TYPE_CHECKING:
    from rugcoach.reports.report import Report

# (id, week as YYYY-MM-DD of its first day, days planned, days done)
ProgrammeRow = tuple[str, str, int, int]

ENTRY_COLUMNS = (
    ("xlsx.col.date", 12),
    ("xlsx.col.time", 7),
    ("xlsx.col.pain", 10),
    ("xlsx.col.exercise_pain", 14),
    ("xlsx.col.stiffness", 14),
    ("xlsx.col.walk", 11),
    ("xlsx.col.done", 28),
    ("xlsx.col.symptoms", 22),
    ("xlsx.col.note", 60),
)
WEEK_COLUMNS = (
    ("xlsx.col.week_from", 12),
    ("xlsx.col.week_to", 12),
    ("report.col.mean", 11),
    ("report.col.low", 9),
    ("report.col.high", 9),
    ("report.col.logged", 11),
    ("xlsx.col.pain_days", 12),
    ("report.col.exercise", 12),
    ("report.col.walk", 12),
)
ACTIVITY_COLUMNS = (
    ("xlsx.col.activity", 36),
    ("xlsx.col.date", 12),
    ("xlsx.col.score", 11),
    ("xlsx.col.change", 14),
)
PROGRAMME_COLUMNS = (
    ("xlsx.col.exercise", 28),
    ("xlsx.col.week", 12),
    ("xlsx.col.planned", 12),
    ("xlsx.col.done_days", 12),
)


def programme_rows(report: Report) -> list[ProgrammeRow]:
    """The programme's adherence, when the report carries it (SPEC §12): the seam for the
    programme feature, which gives the report an attribute `programme_adherence` holding
    these rows. Without it the sheet is left out."""
    rows: Iterable[ProgrammeRow] = getattr(report, "programme_adherence", None) or ()
    return list(rows)


class _Sheets:
    """The workbook's cell formats, and writing one typed cell at a time."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.header = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        self.date = book.add_format({"num_format": 14})  # the reader's short date format
        self.time = book.add_format({"num_format": "hh:mm"})
        self.mean = book.add_format({"num_format": "0.00"})
        self.text = book.add_format({"text_wrap": True, "valign": "top"})

    def sheet(self, name_key: str, columns: Sequence[tuple[str, int]]) -> Any:
        sheet = self.book.add_worksheet(t(name_key)[:31])
        for col, (key, width) in enumerate(columns):
            sheet.set_column(col, col, width)
            sheet.write_string(0, col, t(key), self.header)
        sheet.freeze_panes(1, 0)
        return sheet

    def put(self, sheet: Any, row: int, col: int, value: Any, fmt: Any = None) -> None:
        """One cell, typed by the value: never `write()`, which guesses (and runs `=...`)."""
        if value is None or value == "":
            return  # an empty cell, as a spreadsheet expects for "not noted"
        if isinstance(value, bool):
            sheet.write_boolean(row, col, value)
        elif isinstance(value, (int, float)):
            sheet.write_number(row, col, value, fmt)
        elif isinstance(value, (date, time)):
            sheet.write_datetime(row, col, value, fmt)
        else:
            sheet.write_string(row, col, str(value), fmt or self.text)


def _day(text: str) -> date:
    return date.fromisoformat(text)


def _entries(out: _Sheets, report: Report) -> None:
    sheet = out.sheet("xlsx.sheet.entries", ENTRY_COLUMNS)
    for row, e in enumerate(report.entries, start=1):
        moment = time.fromisoformat(e["time"]) if e["time"] else None
        cells = [
            (_day(e["date"]), out.date),
            (moment, out.time),
            (e["pain"], None),
            (e["exercise_pain"], None),
            (e["stiffness_minutes"], None),
            (e["walk_minutes"], None),
            (", ".join(e["done"]), None),
            (", ".join(e["symptoms"]), None),
            (e["note"], None),
        ]
        for col, (value, fmt) in enumerate(cells):
            out.put(sheet, row, col, value, fmt)
    if report.entries:
        sheet.autofilter(0, 0, len(report.entries), len(ENTRY_COLUMNS) - 1)


def _weeks(out: _Sheets, report: Report) -> None:
    sheet = out.sheet("xlsx.sheet.weeks", WEEK_COLUMNS)
    for row, b in enumerate(report.progress.weeks, start=1):
        cells = [
            (b.first, out.date),
            (b.last, out.date),
            (None if b.pain_mean is None else round(b.pain_mean, 2), out.mean),
            (b.pain_low, out.mean),
            (b.pain_high, out.mean),
            (b.logged_days, None),
            (b.pain_days, None),
            (b.exercise_days, None),
            (b.walk_minutes, None),
        ]
        for col, (value, fmt) in enumerate(cells):
            out.put(sheet, row, col, value, fmt)


def _activities(out: _Sheets, report: Report) -> None:
    from rugcoach.reports.activities import of_report

    found = of_report(report)
    if not found:
        return
    sheet = out.sheet("xlsx.sheet.activities", ACTIVITY_COLUMNS)
    row = 1
    for item in found:
        for n, score in enumerate(item.scores):
            first = item.scores[0]["score"]
            change = score["score"] - first if n else None  # blank on the first rating
            out.put(sheet, row, 0, item.name)
            out.put(sheet, row, 1, _day(score["date"]), out.date)
            out.put(sheet, row, 2, score["score"])
            out.put(sheet, row, 3, change)
            row += 1


def write_programme(out: _Sheets, rows: Sequence[ProgrammeRow]) -> None:
    """The programme adherence sheet, from (id, week, planned days, done days) rows."""
    if not rows:
        return
    sheet = out.sheet("xlsx.sheet.programme", PROGRAMME_COLUMNS)
    for n, (exercise, week, planned, done) in enumerate(rows, start=1):
        out.put(sheet, n, 0, exercise)
        out.put(sheet, n, 1, _day(week), out.date)
        out.put(sheet, n, 2, planned)
        out.put(sheet, n, 3, done)


def render(report: Report) -> bytes:
    import xlsxwriter  # type: ignore[import-untyped]

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            # Belt and braces: `put` never calls write(), but if anything did, no text would
            # turn into a formula, a link or a number.
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    stamp = datetime.combine(report.generated, time(12, 0))
    book.set_properties(
        {
            "title": t("export.fhir.composition"),
            "comments": pick(report.content["coaching"]["disclaimer"]),
            "created": stamp,
        }
    )
    out = _Sheets(book)
    _entries(out, report)
    _weeks(out, report)
    _activities(out, report)
    write_programme(out, programme_rows(report))
    book.close()
    return buffer.getvalue()
