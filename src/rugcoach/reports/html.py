"""`export --format html`: the progress summary as one self-contained page (SPEC §7, §14).

Inline CSS (with a print stylesheet, so it prints or saves to PDF cleanly) and inline SVG
charts; no script, no font, no image and no link that reaches the network. Every text of the
person's own (and of the content) goes through `html.escape`.

A Content-Security-Policy meta allows nothing from outside and no inline content but the
page's own stylesheet (by its hash); line breaks in notes are kept; the chart colours have
at least 3:1 contrast on white (WCAG 1.4.11). The charts are in reports/html_charts.py.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape
from typing import TYPE_CHECKING

from rugcoach.coach.timeline import parse_date
from rugcoach.i18n import current, pick, t
from rugcoach.reports import format as fmt
from rugcoach.reports.html_charts import bars_chart, daily_chart
from rugcoach.reports.md import MAX_MONTH_ROWS, MAX_NOTES, MAX_WEEK_ROWS, empty_text, period

if TYPE_CHECKING:
    from rugcoach.reports.progress import Bucket, Progress
    from rugcoach.reports.report import Report

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  color: #1d2430; background: #fff; margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 .5rem; padding-bottom: .2rem;
  border-bottom: 2px solid #d7dde6; }
p, ul { margin: .4rem 0; }
.meta { color: #4a5566; margin: 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr));
  gap: .6rem; margin: 1rem 0; }
.card { border: 1px solid #d7dde6; border-radius: 6px; padding: .5rem .7rem; }
.card b { display: block; font-size: 1.35rem; }
.card span { color: #4a5566; font-size: .85rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { padding: .25rem .5rem; border-bottom: 1px solid #e3e7ee; text-align: left; }
th { background: #f2f4f8; font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: .8rem 0; }
figcaption { font-weight: 600; margin-bottom: .2rem; }
svg { width: 100%; height: auto; display: block; }
svg text { font: 11px system-ui, Arial, sans-serif; fill: #4a5566; }
svg .grid { stroke: #e3e7ee; stroke-width: 1; }
svg .axis { stroke: #6b7587; stroke-width: 1; }
svg .line { fill: none; stroke: #2f6fb3; stroke-width: 1.5; }
svg .dot { fill: #2f6fb3; }
svg .bar { fill: #3f7cc0; }
svg line.phase { stroke: #9a5a00; stroke-width: 1; stroke-dasharray: 4 3; }
svg text.phase { fill: #9a5a00; font-weight: 600; }
ul.warnings { list-style: none; padding: 0; }
ul.warnings li { display: grid; grid-template-columns: 12rem 1fr; gap: .6rem; padding: .15rem 0; }
.level { font-weight: 600; }
table.buckets td:first-child, table.phases td + td { white-space: nowrap; }
.urgent { color: #a3141b; } .consult { color: #9a5a00; } .adjust { color: #2f5f8a; }
.small { color: #4a5566; font-size: .85rem; }
.empty { font-size: 1.1rem; padding: 1rem; border: 1px dashed #b9c2d0; border-radius: 6px; }
.disclaimer { margin-top: 2rem; padding: .7rem .9rem; border-left: 4px solid #8a94a6;
  background: #f5f6f8; font-size: .9rem; }
@media print {
  @page { size: A4; margin: 15mm; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  h2 { break-after: avoid; }
  table, figure, .cards, .disclaimer, li { break-inside: avoid; }
  th { background: none; }
  .disclaimer { background: none; }
}
"""


# Nothing from outside, and nothing inline but the one stylesheet above, named by its hash:
# no script, no image, font, frame, form target or base URL, even if some text slipped
# through unescaped (SPEC §14).
CSP = (
    "default-src 'none'; "
    f"style-src 'sha256-{base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode()}'; "
    "img-src 'none'; base-uri 'none'; form-action 'none'"
)


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _lines(value: str) -> str:
    """A note's text, escaped, with its line breaks kept."""
    return "<br>".join(_e(line) for line in value.splitlines())


def _table(
    header: list[str], rows: list[list[str]], numbers_from: int = 1, kind: str = "plain"
) -> str:
    """`rows` hold HTML already escaped."""

    def cls(i: int) -> str:
        return ' class="n"' if i >= numbers_from else ""

    head = "".join(f"<th{cls(i)}>{_e(h)}</th>" for i, h in enumerate(header))
    body = "".join(
        "<tr>" + "".join(f"<td{cls(i)}>{c}</td>" for i, c in enumerate(row)) + "</tr>"
        for row in rows
    )
    return f'<table class="{kind}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _bucket_table(buckets: tuple[Bucket, ...] | list[Bucket], monthly: bool) -> str:
    header = fmt.bucket_header(monthly)
    rows = [
        [
            _e(fmt.bucket_label(b, monthly)),
            *(_e(cell) for cell in fmt.bucket_cells(b)),
        ]
        for b in buckets
    ]
    return _table(header, rows, kind="buckets")


def _profile(report: Report, progress: Progress) -> str:
    if report.diary is None:
        return ""
    profile = report.diary["profile"]
    items = [
        (t("report.complaint"), t("profile." + profile["profile"])),
        (t("report.start"), fmt.full_date(parse_date(profile["start_date"]))),
    ]
    current_phase = [s for s in progress.phases if s.current]
    if current_phase:
        s = current_phase[-1]
        items.append((t("report.current_phase"), f"{fmt.phase_title(s)} ({fmt.phase_length(s)})"))
    if profile["goals"]:
        items.append((t("report.goals"), "; ".join(profile["goals"])))
    lis = "".join(f"<li><b>{_e(k)}:</b> {_e(v)}</li>" for k, v in items)
    if profile["screening_flags"] and not profile["screening_cleared"]:
        flags = ", ".join(profile["screening_flags"])
        lis += f"<li>{_e(t('report.screening', flags=flags))}</li>"
    return f"<h2>{_e(t('report.profile'))}</h2><ul>{lis}</ul>"


def _phases(progress: Progress) -> str:
    if not progress.phases:
        return ""
    header = [
        t("report.col.phase"),
        t("report.col.dates"),
        t("report.col.length"),
        t("report.col.how"),
    ]
    rows = [
        [
            _e(fmt.phase_title(s)),
            _e(fmt.phase_dates(s)),
            _e(fmt.phase_length(s)),
            _e(fmt.phase_how(s)),
        ]
        for s in progress.phases
    ]
    table = _table(header, rows, numbers_from=len(header), kind="phases")
    return f"<h2>{_e(t('report.phases'))}</h2>" + table


def _cards(progress: Progress) -> str:
    c = progress.consistency
    low, high = c.target
    walk = progress.walk_minutes / c.days if c.days else None
    cards = [
        (fmt.number(progress.pain_mean), t("report.card.pain")),
        (f"{c.logged_days}/{c.days}", t("report.card.logged")),
        (fmt.number(c.exercise_per_week), t("report.card.exercise", low=low, high=high)),
        (fmt.number(walk, 0), t("report.card.walk")),
    ]
    inner = "".join(f'<div class="card"><b>{_e(v)}</b><span>{_e(k)}</span></div>' for v, k in cards)
    return f'<div class="cards">{inner}</div>'


def _warnings(progress: Progress) -> str:
    items = "".join(
        f'<li><span class="level {_e(w.level)}">{_e(fmt.level(w.level))}</span><span>'
        f'{_e(fmt.warning_name(w))} <span class="small">({_e(fmt.warning_detail(w))})</span>'
        "</span></li>"
        for w in progress.warnings
    )
    none = f"<p>{_e(t('report.warnings_none'))}</p>"
    body = f'<ul class="warnings">{items}</ul>' if items else none
    scope = f'<p class="small">{_e(fmt.warnings_scope(progress))}</p>'
    cleared = ""
    if progress.cleared:
        listed = "".join(f"<li>{_e(fmt.cleared_line(c))}</li>" for c in progress.cleared)
        cleared = f"<h2>{_e(t('report.cleared'))}</h2><ul>{listed}</ul>"
    return f"<h2>{_e(t('report.warnings'))}</h2>{body}{scope}{cleared}"


def _notes(progress: Progress) -> str:
    head = f"<h2>{_e(t('report.notes'))}</h2>"
    notes = progress.notes
    if not notes:
        return head + f"<p>{_e(t('report.notes_none'))}</p>"
    more = ""
    if len(notes) > MAX_NOTES:
        hidden = len(notes) - MAX_NOTES
        more = f'<p class="small">{_e(fmt.plural("report.notes_more", hidden, count=hidden))}</p>'
        notes = notes[-MAX_NOTES:]
    items = "".join(
        f"<li><b>{_e(fmt.full_date(n.date))}{' ' + _e(n.time) if n.time else ''}:</b> "
        f"{_lines(n.text)}</li>"
        for n in notes
    )
    return f"{head}{more}<ul>{items}</ul>"


def _weeks(progress: Progress) -> str:
    weeks = list(progress.weeks)
    out = f'<h2>{_e(t("report.weekly"))}</h2><p class="small">{_e(t("report.pain_scale"))}</p>'
    if len(weeks) > MAX_WEEK_ROWS:
        out += f'<p class="small">{_e(t("report.weeks_last", count=MAX_WEEK_ROWS))}</p>'
        weeks = weeks[-MAX_WEEK_ROWS:]
    out += _bucket_table(weeks, False)
    if len(progress.weeks) > MAX_WEEK_ROWS:
        out += f"<h2>{_e(t('report.monthly'))}</h2>"
        if len(progress.months) > MAX_MONTH_ROWS:
            last = t("report.months_last", count=MAX_MONTH_ROWS)
            out += f'<p class="small">{_e(last)}</p>'
        out += _bucket_table(progress.months[-MAX_MONTH_ROWS:], True)
    return out


def _activities(report: Report) -> str:
    """The patient-specific activities (SPEC §9), when the person has any."""
    from rugcoach.reports import activities as acts

    found = acts.of_report(report)
    if not found:
        return ""
    rows = [[_e(cell) for cell in row] for row in acts.rows(found)]
    table = _table(acts.header(), rows, numbers_from=len(acts.header()))
    scale = f'<p class="small">{_e(t("report.activities.scale"))}</p>'
    return f"<h2>{_e(t('report.activities'))}</h2>{scale}{table}"


def _programme(report: Report) -> str:
    """The therapist's programme and how it went (SPEC §12), when there is one."""
    from rugcoach.reports import programme as rp

    found = rp.of_report(report)
    if found is None:
        return ""
    out = f"<h2>{_e(t('report.programme'))}</h2>"
    out += "".join(f"<p>{_e(line)}</p>" for line in rp.intro(found))
    if found.weeks:
        body = [[_e(cell) for cell in row] for row in rp.rows(found)]
        out += _table(rp.header(found, report.content), body)
    return out


def _feedback(report: Report) -> str:
    """How the exercises felt (SPEC §11), when the person said so."""
    from rugcoach.reports import feedback as report_feedback

    found = report_feedback.felt(report.entries, report.content)
    return report_feedback.html_section(found, _table, _e)


def render(report: Report) -> str:
    progress = report.progress
    title = t("report.title")
    shown = period(report)
    head = f"<h1>{_e(title)}</h1>"
    if shown != fmt.NONE:
        head += f'<p class="meta"><b>{_e(t("report.period"))}:</b> {_e(shown)}</p>'
    head += f'<p class="meta">{_e(t("report.generated", date=fmt.full_date(report.generated)))}</p>'
    if progress.empty:
        body = f'<p class="empty">{_e(empty_text(report))}</p>'
        body += _profile(report, progress) + _phases(progress) + _activities(report)
        body += _programme(report)
    else:
        body = "".join(
            [
                _cards(progress),
                f"<p>{_e(fmt.pain_text(progress))} {_e(fmt.trend_text(progress) or '')}</p>",
                daily_chart(progress),
                bars_chart(progress),
                _profile(report, progress),
                _phases(progress),
                _weeks(progress),
                f"<h2>{_e(t('report.exercise'))}</h2><p>{_e(fmt.exercise_text(progress))}</p>",
                f"<h2>{_e(t('report.walking'))}</h2><p>{_e(fmt.walking_text(progress))}</p>",
                _programme(report),
                _activities(report),
                _feedback(report),
                _warnings(progress),
                _notes(progress),
            ]
        )
    disclaimer = pick(report.content["coaching"]["disclaimer"])
    return (
        f'<!DOCTYPE html>\n<html lang="{current()}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"<header>{head}</header>\n<main>{body}</main>\n"
        f'<footer class="disclaimer">{_e(disclaimer)}</footer>\n</body>\n</html>\n'
    )
