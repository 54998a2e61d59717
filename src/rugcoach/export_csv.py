"""`export --format csv`: one row per entry, data only (SPEC §7).

Header `date,time,pain,exercise_pain,stiffness_minutes,walk_minutes,done,symptoms,note`;
lists joined with `;`; quoting by the csv module; lines end in CRLF (RFC 4180); UTF-8 text
(no byte order mark, so the header is exactly that line). Numbers are written as numbers.
A text cell that a spreadsheet would run as a formula (OWASP "CSV injection": it starts
with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, which spreadsheets
show as text and do not run.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from rugcoach.diary import MEASURES

if TYPE_CHECKING:
    from rugcoach.export import Report
    from rugcoach.schema import Entry

# SPEC §7: date, time, then the measures in the diary's order.
HEADER = ("date", "time", *MEASURES)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse(text: str) -> str:
    """A text cell that cannot start a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _number(value: int | None) -> int | str:
    return "" if value is None else value


def row(entry: Entry) -> list[int | str]:
    return [
        defuse(entry["date"]),
        defuse(entry["time"] or ""),
        _number(entry["pain"]),
        _number(entry["exercise_pain"]),
        _number(entry["stiffness_minutes"]),
        _number(entry["walk_minutes"]),
        defuse(";".join(entry["done"])),
        defuse(";".join(entry["symptoms"])),
        defuse(entry["note"] or ""),
    ]


def render(report: Report) -> str:
    out = io.StringIO()
    # RFC 4180 line ends; they also make the csv module quote a cell holding a lone "\r".
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(row(e) for e in report.entries)
    return out.getvalue()
