"""How the exercises felt (SPEC §11) in `summary` and the md and html exports: per exercise,
on how many days the person found it too hard or too easy in the period.

Shared so that the terminal and the exports say the same thing (the json export carries
`hard` and `easy` on every entry already); `term/summary.py` draws the terminal's section.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rugcoach.i18n import pick, t

if TYPE_CHECKING:
    from rugcoach.schema import Content, Entry


@dataclass(frozen=True)
class Felt:
    id: str
    name: str
    hard_days: int
    easy_days: int


def felt(entries: Iterable[Entry], content: Content) -> list[Felt]:
    """Each exercise with feedback in `entries`, most "too hard" days first."""
    days: dict[str, dict[str, set[str]]] = {}
    for entry in entries:
        for kind in ("hard", "easy"):
            for ex_id in entry.get(kind) or ():  # type: ignore[attr-defined]
                days.setdefault(ex_id, {"hard": set(), "easy": set()})[kind].add(entry["date"])
    names = {ex["id"]: pick(ex["name"]) for ex in content["exercises"]["exercises"]}
    out = [
        Felt(ex_id, names.get(ex_id, ex_id), len(d["hard"]), len(d["easy"]))
        for ex_id, d in days.items()
    ]
    return sorted(out, key=lambda f: (-f.hard_days, -f.easy_days, f.id))


def header() -> list[str]:
    return [t("col.name"), t("col.id"), t("report.feedback.hard"), t("report.feedback.easy")]


def rows(found: list[Felt]) -> list[list[str]]:
    """Plain text cells (the caller escapes them for its format)."""

    def days(count: int) -> str:
        from rugcoach.reports.format import plural

        return plural("report.feedback.days", count, count=count) if count else "–"

    return [[f.name, f.id, days(f.hard_days), days(f.easy_days)] for f in found]


def as_json(found: list[Felt]) -> list[dict[str, Any]]:
    return [
        {"id": f.id, "name": f.name, "hard_days": f.hard_days, "easy_days": f.easy_days}
        for f in found
    ]


def md_lines(
    found: list[Felt], table: Callable[..., list[str]], text: Callable[[str], str]
) -> list[str]:
    """The md section (nothing without feedback); `table` and `text` are the exporter's."""
    if not found:
        return []
    cells = [[text(cell) for cell in row] for row in rows(found)]
    return [f"## {t('report.feedback.title')}", "", *table(header(), cells, numbers_from=2), ""]


def html_section(
    found: list[Felt], table: Callable[..., str], escape: Callable[[object], str]
) -> str:
    """The html section (nothing without feedback); `table` and `escape` are the exporter's."""
    if not found:
        return ""
    cells = [[escape(cell) for cell in row] for row in rows(found)]
    head = f"<h2>{escape(t('report.feedback.title'))}</h2>"
    return head + table(header(), cells, numbers_from=2)
