"""How the report's figures read: in the person's language (numbers, dates and the sentences
that the terminal summary and the md and html exports share, so they say the same thing),
and as JSON (`summary --json` and the `summary` object of the json export).

Standard library and i18n only; the renderers escape the results for their own format.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from rugcoach.i18n import catalogue, current, pick, t

if TYPE_CHECKING:
    from rugcoach.reports.progress import Bucket, Cleared, PhaseSpan, Progress
    from rugcoach.reports.seen import SeenWarning

NONE = "–"


def plural(key: str, n: int, /, **params: object) -> str:
    """`key`, or `key.one` when `n` is 1 and the catalogue has that form."""
    if n == 1 and f"{key}.one" in catalogue(current()):
        key = f"{key}.one"
    return t(key, **params)


def number(value: float | None, decimals: int = 1) -> str:
    """4.25 -> '4.3' (en) / '4,3' (nl); 4 -> '4.0' (a column reads alike); None -> '–'."""
    if value is None:
        return NONE
    if decimals == 0:
        return str(round(value))
    text = f"{value:.{decimals}f}"
    return text.replace(".", ",") if current() == "nl" else text


def month(d: date) -> str:
    """'Mar' / 'mrt'."""
    return t("report.months").split()[d.month - 1]


def day_month(d: date) -> str:
    """'2 Mar' / '2 mrt'."""
    return f"{d.day} {month(d)}"


def full_date(d: date) -> str:
    """'2 Mar 2026' / '2 mrt 2026'."""
    return f"{d.day} {month(d)} {d.year}"


def month_year(d: date) -> str:
    return f"{month(d)} {d.year}"


def span(first: date, last: date) -> str:
    """'2 – 8 Mar 2026', '28 Feb – 6 Mar 2026', '29 Dec 2025 – 4 Jan 2026'."""
    if first == last:
        return full_date(first)
    if first.year != last.year:
        return f"{full_date(first)} – {full_date(last)}"
    if first.month != last.month:
        return f"{day_month(first)} – {full_date(last)}"
    return f"{first.day} – {full_date(last)}"


def period_text(progress: Progress) -> str:
    if progress.first is None or progress.last is None:
        return NONE
    days = progress.consistency.days
    return plural("report.period_value", days, span=span(progress.first, progress.last), days=days)


def level(level_id: str) -> str:
    return t(f"report.level.{level_id}")


def phase_title(s: PhaseSpan) -> str:
    return t("report.phase_title", number=s.number, name=pick(s.name))


def phase_dates(s: PhaseSpan) -> str:
    if s.end is None:
        return t("report.phase_since", start=full_date(s.start))
    return span(s.start, s.end)


def phase_length(s: PhaseSpan) -> str:
    if s.end is None or s.current:
        return t("report.phase_day", day=s.days)
    return plural("report.phase_days", s.days, days=s.days)


def phase_how(s: PhaseSpan) -> str:
    return t(f"report.how.{s.how}")


def warning_name(w: SeenWarning) -> str:
    """A symptom's plain description, or the short name of a diary rule."""
    return pick(w.name).rstrip(". ") if w.name else t(f"report.rule.{w.id}")


def warning_detail(w: SeenWarning) -> str:
    key = "report.warning.symptom" if w.source == "symptom" else "report.warning.rule"
    return plural(key, w.days, days=w.days, dates=span(w.first, w.last))


def warnings_scope(progress: Progress) -> str:
    if progress.rules_from is None or progress.last is None:
        return t("report.warnings_scope_symptoms")
    return t(
        "report.warnings_scope", first=full_date(progress.rules_from), last=full_date(progress.last)
    )


def logged_text(progress: Progress) -> str:
    c = progress.consistency
    share = round(100 * c.logged_days / c.days) if c.days else 0
    return t("report.logged", logged=c.logged_days, days=c.days, share=share)


def exercise_text(progress: Progress) -> str:
    c = progress.consistency
    low, high = c.target
    text = plural(
        "report.exercise_text",
        c.exercise_days,
        days=c.exercise_days,
        per_week=number(c.exercise_per_week),
        low=low,
        high=high,
    )
    if c.full_weeks:
        text += " " + t("report.on_target", count=c.weeks_on_target, weeks=c.full_weeks, low=low)
    return text


def walking_text(progress: Progress) -> str:
    days = progress.consistency.days
    if not progress.walk_minutes:
        return t("report.walking_none")
    return plural(
        "report.walking_text",
        progress.walk_days,
        minutes=progress.walk_minutes,
        days=progress.walk_days,
        per_day=number(progress.walk_minutes / days if days else None),
    )


def pain_text(progress: Progress) -> str:
    if progress.pain_mean is None:
        return t("report.pain_none")
    return plural(
        "report.pain_text",
        len(progress.daily),
        mean=number(progress.pain_mean),
        low=number(progress.pain_low),
        high=number(progress.pain_high),
        days=len(progress.daily),
    )


def trend_text(progress: Progress) -> str | None:
    """The first and the last week with pain scores, compared; None with fewer than two."""
    scored = [w for w in progress.weeks if w.pain_mean is not None]
    if len(scored) < 2:
        return None
    first, last = scored[0], scored[-1]
    assert first.pain_mean is not None and last.pain_mean is not None
    return t(
        "report.trend",
        first=number(first.pain_mean),
        first_week=full_date(first.first),
        last=number(last.pain_mean),
        last_week=full_date(last.first),
    )


def bucket_cells(b: Bucket) -> list[str]:
    """A week's (or month's) figures after its label: mean, lowest and highest pain, days
    logged, exercise days, walking minutes. The terminal, md and html tables share them."""
    return [
        number(b.pain_mean),
        number(b.pain_low),
        number(b.pain_high),
        f"{b.logged_days}/{b.length}",
        str(b.exercise_days),
        str(b.walk_minutes),
    ]


def bucket_label(b: Bucket, monthly: bool = False) -> str:
    return month_year(b.first) if monthly else span(b.first, b.last)


# --------------------------------------------------------------------------------- JSON


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def bucket_json(bucket: Bucket) -> dict[str, Any]:
    return {
        "from": bucket.first.isoformat(),
        "to": bucket.last.isoformat(),
        "days": bucket.length,
        "pain_mean": _round(bucket.pain_mean),
        "pain_low": _round(bucket.pain_low),
        "pain_high": _round(bucket.pain_high),
        "pain_days": bucket.pain_days,
        "logged_days": bucket.logged_days,
        "exercise_days": bucket.exercise_days,
        "walk_minutes": bucket.walk_minutes,
    }


def progress_json(progress: Progress, lang: str) -> dict[str, Any]:
    """The report as JSON (`summary --json`, and the `summary` object of the json export)."""
    c = progress.consistency
    return {
        "period": {
            "from": progress.first.isoformat() if progress.first else None,
            "to": progress.last.isoformat() if progress.last else None,
            "days": c.days,
        },
        "entries": progress.entries,
        "pain": {
            "mean": _round(progress.pain_mean),
            "low": _round(progress.pain_low),
            "high": _round(progress.pain_high),
            "days": len(progress.daily),
        },
        "weeks": [bucket_json(b) for b in progress.weeks],
        "daily": [{"date": d.isoformat(), "pain": _round(p)} for d, p in progress.daily],
        "phases": [
            {
                "number": s.number,
                "name": s.name[lang],  # type: ignore[literal-required]
                "start": s.start.isoformat(),
                "end": s.end.isoformat() if s.end else None,
                "how": s.how,
                "days": s.days,
                "current": s.current,
            }
            for s in progress.phases
        ],
        "warnings_seen": [
            {
                "id": w.id,
                "level": w.level,
                "source": w.source,
                "name": w.name[lang] if w.name else None,  # type: ignore[literal-required]
                "message": w.message[lang],  # type: ignore[literal-required]
                "days": w.days,
                "first": w.first.isoformat(),
                "last": w.last.isoformat(),
            }
            for w in progress.warnings
        ],
        "rules_checked_from": progress.rules_from.isoformat() if progress.rules_from else None,
        "consistency": {
            "days": c.days,
            "logged_days": c.logged_days,
            "logged_share": round(c.logged_days / c.days, 3) if c.days else None,
            "exercise_days": c.exercise_days,
            "exercise_days_per_week": _round(c.exercise_per_week),
            "target_per_week": list(c.target),
            "full_weeks": c.full_weeks,
            "weeks_on_target": c.weeks_on_target,
        },
        "walking": {
            "minutes": progress.walk_minutes,
            "days": progress.walk_days,
            "per_day": round(progress.walk_minutes / c.days, 1) if c.days else None,
        },
    }


__all__ = [
    "NONE",
    "bucket_cells",
    "bucket_json",
    "bucket_label",
    "day_month",
    "exercise_text",
    "full_date",
    "level",
    "logged_text",
    "month",
    "month_year",
    "number",
    "pain_text",
    "period_text",
    "phase_dates",
    "phase_how",
    "phase_length",
    "phase_title",
    "plural",
    "progress_json",
    "span",
    "trend_text",
    "walking_text",
    "warning_detail",
    "warning_name",
    "warnings_scope",
]


def bucket_header(monthly: bool) -> list[str]:
    """The columns of the weekly (or monthly) table, shared by the md and html reports."""
    return [
        t("report.col.month" if monthly else "report.col.week"),
        t("report.col.mean"),
        t("report.col.low"),
        t("report.col.high"),
        t("report.col.logged"),
        t("report.col.exercise"),
        t("report.col.walk"),
    ]


def cleared_line(item: Cleared) -> str:
    """`2026-12-01 Numb saddle area (saddle-numbness): "note"` for a recorded clearance."""
    name = f"{pick(item.name)} ({item.id})" if item.name else item.id
    note = f": “{item.note}”" if item.note else ""
    return f"{full_date(item.date)} {name}{note}"
