"""`export --format md`: the one-page progress summary for a therapist (SPEC §7).

Period, profile, phase history, weekly pain table, exercise days, walking, warnings seen,
dated notes and the disclaimer, in the person's language. User text is neutralised: no
Markdown or HTML of the person's own can take effect (`text`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rugcoach.coach.timeline import parse_date
from rugcoach.i18n import pick, t
from rugcoach.reports import format as fmt

if TYPE_CHECKING:
    from rugcoach.reports.progress import Bucket, Progress
    from rugcoach.reports.report import Report

# A long period shows its last weeks week by week, and its last months in a monthly table
# (the charts of the html export cover the whole period; the csv export has every entry).
MAX_WEEK_ROWS = 26
MAX_MONTH_ROWS = 24
# The newest notes; the csv export holds them all.
MAX_NOTES = 50

_SPECIAL = re.compile(r"([\\`*_\[\]{}|#~])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")


def text(value: str) -> str:
    """Plain text for Markdown: one line; Markdown punctuation escaped; `<`, `>` and anything
    that reads as an HTML entity written as entities, so no tag or link of the person's
    own is ever rendered."""
    one_line = " ".join(value.split())
    escaped = _SPECIAL.sub(r"\\\1", _ENTITY.sub("&amp;", one_line))
    return escaped.replace("<", "&lt;").replace(">", "&gt;")


def note_text(value: str) -> str:
    """A note for a list item: `text` for each of its lines, joined by hard line breaks (a
    backslash at the end of a line) and indented to stay in the item; a line that would
    start a list, a heading or a rule of its own is escaped."""
    lines = [text(line) for line in value.splitlines() if line.strip()]
    lines = [_LINE_START.sub(r"\1\\\2", line) for line in lines]
    return "\\\n  ".join(lines)


# The start of a line that Markdown would read as a list item, a setext heading or a rule.
_LINE_START = re.compile(r"^(\d*)([-+=.)])")


def _table(header: list[str], rows: list[list[str]], numbers_from: int = 1) -> list[str]:
    """A Markdown table; the columns from `numbers_from` on are aligned right."""
    align = ["---" if i < numbers_from else "---:" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _bucket_rows(buckets: tuple[Bucket, ...] | list[Bucket], monthly: bool) -> list[list[str]]:
    return [
        [
            text(fmt.bucket_label(b, monthly)),
            *fmt.bucket_cells(b),
        ]
        for b in buckets
    ]


def _profile(report: Report, progress: Progress) -> list[str]:
    diary = report.diary
    if diary is None:
        return []
    profile = diary["profile"]
    lines = [
        f"## {t('report.profile')}",
        "",
        f"- {t('report.complaint')}: {text(t('profile.' + profile['profile']))}",
        f"- {t('report.start')}: {fmt.full_date(parse_date(profile['start_date']))}",
    ]
    current = [s for s in progress.phases if s.current]
    if current:
        s = current[-1]
        lines.append(
            f"- {t('report.current_phase')}: {text(fmt.phase_title(s))} ({fmt.phase_length(s)})"
        )
    if profile["goals"]:
        lines.append(f"- {t('report.goals')}: " + "; ".join(text(g) for g in profile["goals"]))
    if profile["screening_flags"] and not profile["screening_cleared"]:
        flags = ", ".join(text(f) for f in profile["screening_flags"])
        lines.append(f"- {t('report.screening', flags=flags)}")
    return [*lines, ""]


def _overview(progress: Progress) -> list[str]:
    lines = [f"## {t('report.overview')}", "", f"- {fmt.pain_text(progress)}"]
    trend = fmt.trend_text(progress)
    if trend:
        lines.append(f"- {trend}")
    lines.append(f"- {fmt.logged_text(progress)}")
    return [*lines, ""]


def _phases(progress: Progress) -> list[str]:
    if not progress.phases:
        return []
    rows = [
        [text(fmt.phase_title(s)), fmt.phase_dates(s), fmt.phase_length(s), fmt.phase_how(s)]
        for s in progress.phases
    ]
    header = [
        t("report.col.phase"),
        t("report.col.dates"),
        t("report.col.length"),
        t("report.col.how"),
    ]
    return [f"## {t('report.phases')}", "", *_table(header, rows, numbers_from=len(header)), ""]


def _weeks(progress: Progress) -> list[str]:
    weeks = list(progress.weeks)
    lines = [f"## {t('report.weekly')}", "", t("report.pain_scale"), ""]
    if len(weeks) > MAX_WEEK_ROWS:
        lines += [t("report.weeks_last", count=MAX_WEEK_ROWS), ""]
        weeks = weeks[-MAX_WEEK_ROWS:]
    lines += _table(fmt.bucket_header(False), _bucket_rows(weeks, False))
    lines.append("")
    if len(progress.weeks) > MAX_WEEK_ROWS:
        lines += [f"## {t('report.monthly')}", ""]
        months = progress.months[-MAX_MONTH_ROWS:]
        if len(progress.months) > MAX_MONTH_ROWS:
            lines += [t("report.months_last", count=MAX_MONTH_ROWS), ""]
        lines += _table(fmt.bucket_header(True), _bucket_rows(months, True))
        lines.append("")
    return lines


def _warnings(progress: Progress) -> list[str]:
    lines = [f"## {t('report.warnings')}", ""]
    if not progress.warnings:
        lines.append(t("report.warnings_none"))
    for w in progress.warnings:
        lines.append(
            f"- **{fmt.level(w.level)}**: {text(fmt.warning_name(w))} ({fmt.warning_detail(w)})"
        )
    lines += ["", f"_{fmt.warnings_scope(progress)}_", ""]
    if progress.cleared:
        lines += [f"## {t('report.cleared')}", ""]
        lines += [f"- {text(fmt.cleared_line(c))}" for c in progress.cleared]
        lines.append("")
    return lines


def _notes(progress: Progress) -> list[str]:
    lines = [f"## {t('report.notes')}", ""]
    notes = progress.notes
    if not notes:
        return [*lines, t("report.notes_none"), ""]
    if len(notes) > MAX_NOTES:
        hidden = len(notes) - MAX_NOTES
        lines += [fmt.plural("report.notes_more", hidden, count=hidden), ""]
        notes = notes[-MAX_NOTES:]
    for n in notes:
        when = fmt.full_date(n.date) + (f" {n.time}" if n.time else "")
        lines.append(f"- {when}: {note_text(n.text)}")
    return [*lines, ""]


def _activities(report: Report) -> list[str]:
    """The patient-specific activities (SPEC §9), when the person has any."""
    from rugcoach.reports import activities as acts

    found = acts.of_report(report)
    if not found:
        return []
    rows = [[text(cell) for cell in row] for row in acts.rows(found)]
    table = _table(acts.header(), rows, numbers_from=len(acts.header()))
    return [f"## {t('report.activities')}", "", t("report.activities.scale"), "", *table, ""]


def _programme(report: Report) -> list[str]:
    """The therapist's programme and how it went (SPEC §12), when there is one."""
    from rugcoach.reports import programme as rp

    found = rp.of_report(report)
    if found is None:
        return []
    lines = [f"## {t('report.programme')}", "", *(text(x) + "  " for x in rp.intro(found)), ""]
    if found.weeks:
        body = [[text(cell) for cell in row] for row in rp.rows(found)]
        lines += [*_table([text(h) for h in rp.header(found, report.content)], body), ""]
    return lines


def _feedback(report: Report) -> list[str]:
    """How the exercises felt (SPEC §11), when the person said so."""
    from rugcoach.reports import feedback as report_feedback

    found = report_feedback.felt(report.entries, report.content)
    return report_feedback.md_lines(found, _table, text)


def period(report: Report) -> str:
    """The report's period; with no diary, the period asked for (if any)."""
    progress = report.progress
    if progress.first is None and report.first and report.last:
        return fmt.span(report.first, report.last)
    return fmt.period_text(progress)


def empty_text(report: Report) -> str:
    """What an export without entries says (and how to start a diary, if there is none)."""
    hint = "" if report.diary is not None else " " + t("diary.none_yet")
    return t("report.empty") + hint


def render(report: Report) -> str:
    progress = report.progress
    disclaimer = pick(report.content["coaching"]["disclaimer"])
    shown = period(report)
    lines = [f"# {t('report.title')}", ""]
    if shown != fmt.NONE:
        lines.append(f"**{t('report.period')}:** {shown}  ")
    lines += [t("report.generated", date=fmt.full_date(report.generated)), ""]
    if progress.empty:
        lines += [empty_text(report), ""]
        lines += _profile(report, progress) + _phases(progress) + _activities(report)
        lines += _programme(report)
        return "\n".join([*lines, "---", "", f"_{text(disclaimer)}_", ""])
    lines += _profile(report, progress)
    lines += _overview(progress)
    lines += _phases(progress)
    lines += _weeks(progress)
    lines += [f"## {t('report.exercise')}", "", fmt.exercise_text(progress), ""]
    lines += [f"## {t('report.walking')}", "", fmt.walking_text(progress), ""]
    lines += _programme(report)
    lines += _activities(report)
    lines += _feedback(report)
    lines += _warnings(progress)
    lines += _notes(progress)
    lines += ["---", "", f"_{text(disclaimer)}_", ""]
    return "\n".join(lines)
