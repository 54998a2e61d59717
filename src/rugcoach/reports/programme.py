"""How the therapist's programme went: adherence per prescribed exercise, per week (SPEC §12).

Pure: (programme, diary, period) in, figures out; the parts of the `summary` section
(`term/summary.py` draws it), renderers for the `md` and `html` exports, JSON (`summary
--json` and the `json` export) and rows for a spreadsheet writer (`programme_adherence_rows`).

Planned days run from the later of the programme's `from` and the period's start to the
period's end (else the report's date), counting each day on which an exercise is
prescribed. A planned day is done when an entry of that day lists the exercise (or its
easier variant, which a reduced day puts in its place) under `--done`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from rugcoach.coach import prescribed

if TYPE_CHECKING:
    from rugcoach.reports.report import Report
    from rugcoach.schema import Content, Diary


@dataclass(frozen=True)
class Count:
    id: str
    planned_days: int
    done_days: int


@dataclass(frozen=True)
class Week:
    number: int  # programme week (1 from the programme's `from`)
    first: date
    last: date
    counts: tuple[Count, ...]


@dataclass(frozen=True)
class Adherence:
    programme: Mapping[str, Any]
    first: date | None  # None: no programme day in the period
    last: date | None
    totals: tuple[Count, ...]
    weeks: tuple[Week, ...]


def build(
    programme: Mapping[str, Any],
    content: Content,
    diary: Diary | None,
    first: date | None,
    last: date | None,
    today: date,
) -> Adherence:
    start = prescribed.start(programme)
    lo = max(start, first) if first else start
    hi = last or today
    items = list(programme["exercises"])
    if lo > hi:
        nothing = tuple(Count(i["id"], 0, 0) for i in items)
        return Adherence(programme, None, None, nothing, ())
    library = {e["id"]: e for e in content["exercises"]["exercises"]}
    done: dict[str, set[str]] = {}
    lo_text, hi_text = lo.isoformat(), hi.isoformat()
    for entry in diary["entries"] if diary else ():
        if lo_text <= entry["date"] <= hi_text and entry["done"]:
            done.setdefault(entry["date"], set()).update(entry["done"])
    counted = {
        i["id"]: {i["id"], *([library[i["id"]].get("easier")] if i["id"] in library else [])}
        for i in items
    }
    weeks: list[Week] = []
    totals = {i["id"]: [0, 0] for i in items}
    day = lo
    while day <= hi:
        number = prescribed.week_of(programme, day)
        week_end = min(start + timedelta(days=7 * number - 1), hi)
        counts = []
        for item in items:
            planned = prescribed.planned_days(item, day, week_end)
            hits = sum(1 for d in planned if counted[item["id"]] & done.get(d.isoformat(), set()))
            counts.append(Count(item["id"], len(planned), hits))
            totals[item["id"]][0] += len(planned)
            totals[item["id"]][1] += hits
        weeks.append(Week(number, day, week_end, tuple(counts)))
        day = week_end + timedelta(days=1)
    return Adherence(
        programme,
        lo,
        hi,
        tuple(Count(k, v[0], v[1]) for k, v in totals.items()),
        tuple(weeks),
    )


def of_report(report: Report) -> Adherence | None:
    """The adherence over an export's period, or None without a programme."""
    found = getattr(report, "programme", None)
    if found is None:
        return None
    return build(found, report.content, report.diary, report.first, report.last, report.generated)


# ---------------------------------------------------------------------------------- JSON


def _count_json(count: Count) -> dict[str, Any]:
    return {"id": count.id, "planned_days": count.planned_days, "done_days": count.done_days}


def to_json(adherence: Adherence | None) -> dict[str, Any] | None:
    """`"programme"` of `summary --json` and the `json` export: the programme's keys, then
    the adherence over the period, in total and per programme week."""
    if adherence is None:
        return None
    kept = {k: v for k, v in adherence.programme.items() if k not in ("format", "version")}
    return {
        **kept,
        "period": {
            "from": adherence.first.isoformat() if adherence.first else None,
            "to": adherence.last.isoformat() if adherence.last else None,
        },
        "adherence": [_count_json(c) for c in adherence.totals],
        "weeks": [
            {
                "week": w.number,
                "from": w.first.isoformat(),
                "to": w.last.isoformat(),
                "adherence": [_count_json(c) for c in w.counts],
            }
            for w in adherence.weeks
        ],
    }


# -------------------------------------------------------------------------------- tables


def _names(content: Content) -> dict[str, str]:
    from rugcoach.i18n import pick

    return {e["id"]: pick(e["name"]) for e in content["exercises"]["exercises"]}


def _cell(count: Count) -> str:
    return f"{count.done_days}/{count.planned_days}" if count.planned_days else "–"


def header(adherence: Adherence, content: Content) -> list[str]:
    from rugcoach.i18n import t

    names = _names(content)
    return [t("report.programme.week"), *(names.get(c.id, c.id) for c in adherence.totals)]


def rows(adherence: Adherence) -> list[list[str]]:
    """One row per programme week (`done/planned` per exercise), then the totals."""
    from rugcoach.i18n import t
    from rugcoach.reports import format as fmt

    out = [
        [f"{w.number} ({fmt.span(w.first, w.last)})", *(_cell(c) for c in w.counts)]
        for w in adherence.weeks
    ]
    out.append([t("report.programme.total"), *(_cell(c) for c in adherence.totals)])
    return out


def intro(adherence: Adherence) -> list[str]:
    """Who wrote it and from when, the review date, and what the figures mean."""
    from rugcoach.i18n import t

    prog = adherence.programme
    by = prog.get("by")
    lines = [
        t("report.programme.by", by=by, date=prog["from"])
        if by
        else t("report.programme.from", date=prog["from"])
    ]
    if prog.get("review"):
        lines.append(t("report.programme.review", date=prog["review"]))
    lines.append(
        t("report.programme.scope") if adherence.weeks else t("report.programme.none_planned")
    )
    return lines


def programme_adherence_rows(report: Report) -> list[list[Any]]:
    """For a spreadsheet writer (SPEC §14 xlsx): a header, then one row per programme week
    and prescribed exercise — week, first day, last day, exercise id, name, planned, done
    (dates as dates, counts as numbers). Empty without a programme."""
    from rugcoach.i18n import t

    adherence = of_report(report)
    if adherence is None:
        return []
    names = _names(report.content)
    out: list[list[Any]] = [
        [
            t("report.programme.week"),
            t("report.programme.week_from"),
            t("report.programme.week_to"),
            t("col.id"),
            t("report.programme.exercise"),
            t("report.programme.planned"),
            t("report.programme.done"),
        ]
    ]
    for week in adherence.weeks:
        for c in week.counts:
            out.append(
                [
                    week.number,
                    week.first,
                    week.last,
                    c.id,
                    names.get(c.id, c.id),
                    c.planned_days,
                    c.done_days,
                ]
            )
    return out


__all__: Sequence[str] = ["Adherence", "build", "programme_adherence_rows", "to_json"]
