"""`export --format csv`: one row per entry, data only (SPEC §7, §14).

Header `date,time,pain,exercise_pain,stiffness_minutes,walk_minutes,done,symptoms,note`;
lists joined with `;`; quoting by the csv module; lines end in CRLF (RFC 4180); UTF-8 text
after a byte order mark. The mark is there because without it Excel reads the file as the
Windows code page and LibreOffice's import dialog offers the system's one, and both show
`Café` as `CafÃ©`; with it both read UTF-8. It is invisible to `csv`'s `utf-8-sig`, pandas
and every spreadsheet, `rugcoach import` reads json and not csv, and the header after it is
exactly the line of SPEC §7. Numbers are written as numbers.

A text cell that a spreadsheet would run as a formula (OWASP "CSV injection": it starts
with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, which spreadsheets
show as text and do not run. A reader that splits on `;` (Dutch Excel, LibreOffice set to
`;`) starts a cell after every `;` of the line, and one that does not see the quotes of a
cell that began mid-field starts a row after every line break: so a formula character right
after a `;` or a line break inside a text is defused the same way.
"""

from __future__ import annotations

import csv
import io
import re
from typing import TYPE_CHECKING

from rugcoach.diary.edits import MEASURES

if TYPE_CHECKING:
    from rugcoach.reports.report import Report
    from rugcoach.schema import Entry

# SPEC §7: date, time, then the measures in the diary's order.
HEADER = ("date", "time", *MEASURES)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


BOM = "\ufeff"
# A formula start at the start of the text, or after a `;` or a line break, with any spaces
# and double quotes before it (a `;` reader drops those, or takes them as its own quoting).
_FORMULA = re.compile(r'(^|[;\n\r])([ "]*)(?=[=+\-@\t\r])')


def defuse(text: str) -> str:
    """A text cell no part of which can start a formula, for `,` and `;` readers alike."""
    return _FORMULA.sub(lambda m: m.group(1) + "'" + m.group(2), text)


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
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(row(e) for e in report.entries)
    return out.getvalue()
