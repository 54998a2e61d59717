"""The inline SVG charts of the html export (SPEC §7, §14): daily pain and mean pain per
week (or month), on a 0-10 axis; colours and sizes are in export_html's stylesheet.

Charts stay small whatever the period (SPEC §8: ten years under a second):
- daily pain: one point per day for the last `DAILY_DAYS` days of the period at most;
- mean pain: one bar per week for up to `WEEKLY_BARS` weeks, else one bar per month.

Every label stays inside the chart: tick labels near an edge are anchored to that edge and
a phase label near the right end goes left of its line (`text_width` is a generous estimate
of a label's width, checked in a real browser).
"""

from __future__ import annotations

from datetime import date, timedelta
from html import escape
from typing import TYPE_CHECKING

from rugcoach.i18n import t
from rugcoach.reports import format as fmt

if TYPE_CHECKING:
    from rugcoach.reports.progress import Progress

DAILY_DAYS = 365
WEEKLY_BARS = 104  # two years of weeks; longer periods get monthly bars

# The plot area of both charts, in SVG user units (the SVG scales to the page width).
W, H = 720, 230
LEFT, RIGHT, TOP, BOTTOM = 34, 712, 12, 200


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def text_width(label: str) -> float:
    """A generous estimate of a chart label's width at 11 px (digits and letters of common
    sans-serif fonts are 5.5-6.5 px wide), to keep it inside the chart."""
    return len(label) * 6.6


def _anchored(x: float, label: str) -> tuple[float, str]:
    """Where and how to anchor a label centred on `x` so that it stays inside the SVG."""
    half = text_width(label) / 2
    if x + half > W - 2:
        return min(x + half, W - 2), "end"
    if x - half < 2:
        return max(x - half, 2), "start"
    return x, "middle"


def _x(offset: float, total: float) -> float:
    return LEFT + (RIGHT - LEFT) * (offset / total if total else 0.5)


def _y(score: float) -> float:
    return BOTTOM - (BOTTOM - TOP) * score / 10


def _frame(label: str) -> list[str]:
    """The SVG's start: a title, the 0-10 axis with gridlines and labels."""
    parts = [
        f'<svg viewBox="0 0 {W} {H}" role="img" aria-label="{_e(label)}">',
        f"<title>{_e(label)}</title>",
    ]
    for score in range(0, 11, 2):
        y = _y(score)
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{RIGHT}" y1="{y:.0f}" y2="{y:.0f}"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.0f}" text-anchor="end">{score}</text>')
    parts.append(f'<line class="axis" x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{BOTTOM}"/>')
    parts.append(f'<line class="axis" x1="{LEFT}" x2="{RIGHT}" y1="{BOTTOM}" y2="{BOTTOM}"/>')
    return parts


def _tick(x: float, label: str) -> str:
    at, anchor = _anchored(x, label)
    return (
        f'<line class="axis" x1="{x:.1f}" x2="{x:.1f}" y1="{BOTTOM}" y2="{BOTTOM + 4}"/>'
        f'<text x="{at:.1f}" y="{BOTTOM + 17}" text-anchor="{anchor}">{_e(label)}</text>'
    )


def _date_ticks(first: date, last: date) -> list[str]:
    """Week starts for up to about two months, else month starts (every few months if long)."""
    total = (last - first).days or 1
    out = []
    if total <= 62:
        day = first
        while day <= last:
            out.append(_tick(_x((day - first).days, total), fmt.day_month(day)))
            day += timedelta(days=7)
        return out
    months = []
    day = date(first.year, first.month, 1)
    while day <= last:
        if day >= first:
            months.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    step = max(1, -(-len(months) // 12))
    for day in months[::step]:
        label = fmt.month_year(day) if day.month == 1 or day == months[0] else fmt.month(day)
        out.append(_tick(_x((day - first).days, total), label))
    return out


def daily_chart(progress: Progress) -> str:
    assert progress.first is not None and progress.last is not None
    last = progress.last
    first = max(progress.first, last - timedelta(days=DAILY_DAYS - 1))
    points = [(d, p) for d, p in progress.daily if d >= first]
    caption = t("report.chart.daily")
    if first > progress.first:
        caption = t("report.chart.daily_last", days=DAILY_DAYS)
    parts = _frame(caption)
    total = (last - first).days or 1
    path: list[str] = []
    previous: date | None = None
    radius = 2.6 if len(points) <= 120 else 1.6
    dots = []
    for day, score in points:
        x, y = _x((day - first).days, total), _y(score)
        # A gap of more than a week breaks the line: no trend is drawn across it.
        move = previous is None or (day - previous).days > 7
        path.append(f"{'M' if move else 'L'}{x:.1f} {y:.1f}")
        previous = day
        dots.append(
            f'<circle class="dot" cx="{x:.1f}" cy="{y:.1f}" r="{radius}">'
            f"<title>{_e(fmt.full_date(day))}: {_e(fmt.number(score))}</title></circle>"
        )
    for s in progress.phases:  # where a new phase starts: a dashed line and its number
        if first < s.start <= last:
            x = _x((s.start - first).days, total)
            label = t("report.chart.phase", number=s.number)
            # Right of its line, or left of it where the chart ends.
            right = x + 3 + text_width(label) <= W - 2
            at, anchor = (x + 3, "start") if right else (x - 3, "end")
            parts.append(
                f'<line class="phase" x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{BOTTOM}"/>'
                f'<text class="phase" x="{at:.1f}" y="{TOP + 10}" text-anchor="{anchor}">'
                f"{_e(label)}</text>"
            )
    if path:
        parts.append(f'<path class="line" d="{" ".join(path)}"/>')
    parts += dots
    parts += _date_ticks(first, last)
    parts.append("</svg>")
    return f"<figure><figcaption>{_e(caption)}</figcaption>{''.join(parts)}</figure>"


def bars_chart(progress: Progress) -> str:
    monthly = len(progress.weeks) > WEEKLY_BARS
    buckets = progress.months if monthly else progress.weeks
    caption = t("report.chart.monthly" if monthly else "report.chart.weekly")
    parts = _frame(caption)
    n = len(buckets)
    slot = (RIGHT - LEFT) / n
    width = max(slot * 0.7, 1.0)
    years = {b.first.year for b in buckets}
    every = max(1, -(-(len(years) if monthly else n) // 12))
    for i, b in enumerate(buckets):
        x = LEFT + slot * i + (slot - width) / 2
        label = fmt.bucket_label(b, monthly)
        if b.pain_mean is not None:
            y = _y(b.pain_mean)
            parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" '
                f'height="{BOTTOM - y:.1f}"><title>{_e(label)}: '
                f"{_e(fmt.number(b.pain_mean))}</title></rect>"
            )
        if monthly and n > 24:  # years under the bars of their January
            if b.first.month == 1 and b.first.year % every == 0:
                parts.append(_tick(x + width / 2, str(b.first.year)))
        elif i % every == 0:
            short = fmt.month_year(b.first) if monthly else fmt.day_month(b.first)
            parts.append(_tick(x + width / 2, short))
    parts.append("</svg>")
    return f"<figure><figcaption>{_e(caption)}</figcaption>{''.join(parts)}</figure>"
