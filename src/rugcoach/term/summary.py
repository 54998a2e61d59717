"""`rugcoach summary` in the terminal: weekly table, daily pain chart, phases, warnings seen
and consistency; then the sections of the activities, the therapist's programme and how
the exercises felt (their figures and words come from `reports`). Readable at 80 columns,
without colour and when piped (the chart is drawn with block characters whose height
carries the value; nothing depends on colour).

Imported only by the `summary` command (Rich is loaded here, never on the hot path).
"""

from __future__ import annotations

import math
import sys
import textwrap
from datetime import date, timedelta
from typing import TYPE_CHECKING

from rich.markup import escape
from rich.table import Table

from rugcoach.i18n import t
from rugcoach.reports import activities as report_activities
from rugcoach.reports import feedback as report_feedback
from rugcoach.reports import format as fmt
from rugcoach.reports import programme as report_programme
from rugcoach.term import columns
from rugcoach.term.canvas import width as screen_width
from rugcoach.term.output import console

if TYPE_CHECKING:
    from rich.console import Console

    from rugcoach.coach.activities import Progress as ActivityProgress
    from rugcoach.reports.feedback import Felt
    from rugcoach.reports.programme import Adherence
    from rugcoach.reports.progress import Progress
    from rugcoach.schema import Content

CHART_COLUMNS = 70  # days (or groups of days) the chart shows side by side
CHART_ROWS = 5  # each row is 2 points of the 0-10 scale; a half block is 1 point
FULL, HALF, ZERO, GAP = "█", "▄", "▁", "·"


def _columns(
    progress: Progress, most: int = CHART_COLUMNS
) -> tuple[int, list[tuple[date, float | None]]]:
    """Days per column, and each column's first day and mean day score (None: no score)."""
    assert progress.first is not None and progress.last is not None
    n_days = (progress.last - progress.first).days + 1
    per = max(1, math.ceil(n_days / most))
    scores = dict(progress.daily)
    out: list[tuple[date, float | None]] = []
    for start in range(0, n_days, per):
        first = progress.first + timedelta(days=start)
        found = [
            scores[first + timedelta(days=i)]
            for i in range(min(per, n_days - start))
            if first + timedelta(days=i) in scores
        ]
        out.append((first, sum(found) / len(found) if found else None))
    return per, out


def chart_lines(progress: Progress, screen: int = 80) -> list[str]:
    """The daily pain chart as plain lines: a legend, five rows of bars, an axis, dates;
    at most `screen` columns wide (the axis and the date labels take 11)."""
    most = max(10, min(CHART_COLUMNS, screen - 11))
    per, columns = _columns(progress, most)
    width = 2 if per == 1 and len(columns) <= most // 2 else 1
    legend = t("summary.chart_daily") if per == 1 else t("summary.chart_grouped", days=per)
    lines = [legend]
    for row in range(CHART_ROWS, 0, -1):
        top = 2 * row
        cells = []
        for _, value in columns:
            cell = " "
            if value is not None:
                score = math.floor(value + 0.5)
                if score >= top:
                    cell = FULL
                elif score == top - 1:
                    cell = HALF
                elif row == 1 and score == 0:
                    cell = ZERO
            cells.append(cell.ljust(width))
        lines.append(f"{top:>3} │{''.join(cells)}".rstrip())
    axis = "".join(("─" if value is not None else GAP).ljust(width, "─") for _, value in columns)
    lines.append(f"  0 └{axis}")
    # Dates under the axis: week starts (or group starts), wherever a label fits.
    labels = [" "] * (len(columns) * width + 12)
    free = 0
    for i, (day, _) in enumerate(columns):
        at = i * width
        if per == 1 and (day - columns[0][0]).days % 7:
            continue
        text = fmt.month_year(day) if per >= 28 else fmt.day_month(day)
        if at >= free and at + len(text) <= len(columns) * width + 6:
            labels[at : at + len(text)] = list(text)
            free = at + len(text) + 2
    lines.append(("     " + "".join(labels)).rstrip())
    return lines


def _weeks_lines(progress: Progress, width: int) -> list[str]:
    """The weekly table as plain lines: headings wrap at their spaces before a figure or a
    heading is cut (SPEC §15, 60 columns)."""
    from rugcoach.term.columns import table

    multi_year = progress.first is not None and progress.first.year != (
        progress.last.year if progress.last else None
    )
    keys = ("week", "mean", "low", "high", "logged", "exercise", "walk")
    heads = [t(f"summary.col.{key}") for key in keys]
    rows = [
        [fmt.full_date(w.first) if multi_year else fmt.day_month(w.first), *fmt.bucket_cells(w)]
        for w in progress.weeks
    ]
    return table(heads, rows, width, right=frozenset(range(1, len(keys))), indent="")


def _phases_table(progress: Progress) -> Table:
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1))
    table.add_column(ratio=3)
    table.add_column(ratio=2)
    table.add_column(no_wrap=True)
    for s in progress.phases:
        mark = " ◀" if s.current else ""
        table.add_row(
            escape(fmt.phase_title(s)), escape(fmt.phase_dates(s)), fmt.phase_length(s) + mark
        )
    return table


def _warnings_table(progress: Progress) -> Table:
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column()
    for w in progress.warnings:
        table.add_row(
            f"[bold]{escape(fmt.level(w.level))}[/bold]",
            escape(f"{fmt.warning_name(w)}: {fmt.warning_detail(w)}"),
        )
    return table


def show(progress: Progress, weeks_asked: int | None) -> None:
    """Print the summary; piped, without the blanks that Rich pads its lines with."""
    out = console()
    if out.is_terminal:
        _draw(out, progress, weeks_asked)
        return
    with out.capture() as captured:
        _draw(out, progress, weeks_asked)
    sys.stdout.write("".join(line.rstrip() + "\n" for line in captured.get().splitlines()))


def _draw(out: Console, progress: Progress, weeks_asked: int | None) -> None:
    if progress.first is None or progress.last is None:
        out.print(escape(t("summary.nothing")))
        return
    # The header names the period: the whole diary, or the weeks asked for.
    period = fmt.period_text(progress)
    if weeks_asked is None:
        title = t("summary.title_all", period=period)
    else:
        title = fmt.plural("summary.title_weeks", weeks_asked, weeks=weeks_asked, period=period)
    out.print(f"[bold]{escape(title)}[/bold]")
    if weeks_asked is not None and progress.first > progress.last - timedelta(
        days=7 * weeks_asked - 1
    ):
        out.print(escape(t("summary.shorter", weeks=weeks_asked)))
    if progress.empty:
        out.print()
        out.print(escape(t("summary.empty")))
    else:
        out.print()
        out.print(f"[bold]{escape(t('summary.weekly'))}[/bold]")
        for line in _weeks_lines(progress, out.width):
            out.print(line, markup=False, highlight=False)
        out.print()
        for line in chart_lines(progress, out.width):
            out.print(line, markup=False, highlight=False)
    if progress.phases:
        out.print()
        out.print(f"[bold]{escape(t('report.phases'))}[/bold]")
        out.print(_phases_table(progress))
    if progress.empty:
        return
    out.print()
    out.print(f"[bold]{escape(t('report.warnings'))}[/bold]")
    if progress.warnings:
        out.print(_warnings_table(progress))
    else:
        out.print(escape(t("report.warnings_none")))
    out.print(escape(fmt.warnings_scope(progress)))
    if progress.cleared:
        out.print()
        out.print(f"[bold]{escape(t('report.cleared'))}[/bold]")
        for item in progress.cleared:
            out.print(f" • {escape(fmt.cleared_line(item))}")
    out.print()
    out.print(f"[bold]{escape(t('summary.consistency'))}[/bold]")
    bullets = Table.grid(padding=(0, 1))
    bullets.add_column(no_wrap=True)
    bullets.add_column()
    for text in (
        fmt.logged_text(progress),
        fmt.exercise_text(progress),
        fmt.walking_text(progress),
        fmt.pain_text(progress),
        fmt.trend_text(progress),
    ):
        if text:
            bullets.add_row("•", escape(text))
    out.print(bullets)


# ------------------------------------------------------------ the sections after the figures


def activities_section(found: list[ActivityProgress]) -> None:
    """The activities and their scores (nothing when there are no activities)."""
    if not found:
        return
    width = screen_width()
    header, rows = report_activities.header(), report_activities.rows(found)
    lines = ["", t("report.activities")]
    lines += columns.table(header, rows, width, wrap=frozenset({0, 2}), indent="")
    lines += textwrap.wrap(t("report.activities.scale"), width, break_on_hyphens=False)
    sys.stdout.write("".join(line.rstrip() + "\n" for line in lines))


def programme_section(adherence: Adherence | None, content: Content) -> None:
    """How the therapist's programme went (Rich), when a programme exists."""
    if adherence is None:
        return
    out = console()
    table = Table(show_edge=False, pad_edge=False)
    for i, name in enumerate(report_programme.header(adherence, content)):
        table.add_column(escape(name), justify="left" if i == 0 else "right", overflow="fold")
    for row in report_programme.rows(adherence) if adherence.weeks else []:
        table.add_row(*(escape(cell) for cell in row))

    def draw() -> None:
        out.print()
        out.print(f"[bold]{escape(t('report.programme'))}[/bold]")
        for line in report_programme.intro(adherence):
            out.print(escape(line))
        if adherence.weeks:
            out.print(table)

    if out.is_terminal:
        draw()
        return
    with out.capture() as captured:
        draw()
    sys.stdout.write("".join(line.rstrip() + "\n" for line in captured.get().splitlines()))


def feedback_section(found: list[Felt]) -> None:
    """How the exercises felt (nothing without feedback)."""
    if not found:
        return
    table = Table(title=t("report.feedback.title"), title_justify="left")
    for title in report_feedback.header():
        table.add_column(title, overflow="fold")
    for row in report_feedback.rows(found):
        table.add_row(*(escape(cell) for cell in row))
    out = console()
    out.print()
    out.print(table)
