"""`rugcoach history` as plain lines that fit 60 and 80 columns (SPEC §15).

One line of figures per entry under a header, and the exercises, warning signs and note
wrapped underneath at word boundaries, never inside an id: a table with a narrow last
column would cut `sciatic-nerve-glide` to `sciatic-ne…`, and two ids could read alike.
"""

from __future__ import annotations

import sys
import textwrap
from typing import TYPE_CHECKING

from rugcoach.i18n import t
from rugcoach.reports.format import plural
from rugcoach.safe_text import clean
from rugcoach.term.canvas import Canvas, color
from rugcoach.term.canvas import width as screen_width
from rugcoach.term.output import say

if TYPE_CHECKING:
    from rugcoach.schema import Entry

GAP = "  "


def history_table(entries: list[Entry]) -> None:
    if not entries:
        say(t("history.empty"))
        return
    sys.stdout.write(history_text(entries))


def history_text(entries: list[Entry], width: int | None = None) -> str:
    canvas = Canvas(width or screen_width(), color())
    canvas.add(canvas.style(plural("history.title", len(entries), count=len(entries)), "bold"))
    heads = [
        t("col.id"),
        t("col.date"),
        t("col.pain"),
        t("col.exercise_pain"),
        t("col.stiffness"),
        t("col.walk"),
    ]
    rows = [_figures(e) for e in entries]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(heads)]
    # Ids longer than usual (imported ones) would push the figures past the edge: then
    # each id gets a line of its own above its figures.
    own_line = sum(widths) + len(GAP) * (len(widths) - 1) > canvas.width
    shown = widths[1:] if own_line else widths

    left = 1 if own_line else 2  # id and date read from the left, figures from the right

    def line(cells: list[str]) -> str:
        parts = [
            c.ljust(w) if i < left else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, shown, strict=True))
        ]
        return GAP.join(parts).rstrip()

    indent = "  " if own_line else " " * (widths[0] + len(GAP))
    if len(indent) > canvas.width // 3:
        indent = "  "
    canvas.add(canvas.style(line(heads[1:] if own_line else heads), "bold"))
    canvas.add(GAP.join("─" * w for w in shown))
    for entry, cells in zip(entries, rows, strict=True):
        if own_line:
            canvas.add(cells[0])
            canvas.add(line(cells[1:]))
        else:
            canvas.add(line(cells))
        for detail in _details(entry):
            canvas.lines.extend(
                textwrap.wrap(
                    clean(detail),
                    canvas.width,
                    initial_indent=indent,
                    subsequent_indent=indent,
                    break_long_words=False,
                    break_on_hyphens=False,
                )
            )
    return canvas.text()


def _figures(entry: Entry) -> list[str]:
    def num(value: int | None) -> str:
        return "" if value is None else str(value)

    return [
        clean(entry["id"]),
        f"{entry['date']} {entry['time'] or ''}".strip(),
        num(entry["pain"]),
        num(entry["exercise_pain"]),
        num(entry["stiffness_minutes"]),
        num(entry["walk_minutes"]),
    ]


def _details(entry: Entry) -> list[str]:
    details = []
    if entry["done"]:
        details.append(t("entry.done", ids=", ".join(entry["done"])))
    # The exercise feedback (SPEC §11), when there is any.
    if entry.get("hard"):
        details.append(t("entry.hard", ids=", ".join(entry["hard"])))
    if entry.get("easy"):
        details.append(t("entry.easy", ids=", ".join(entry["easy"])))
    if entry["symptoms"]:
        details.append(t("entry.symptoms", ids=", ".join(entry["symptoms"])))
    if entry["note"]:
        details.append(f"“{entry['note']}”")
    return details
