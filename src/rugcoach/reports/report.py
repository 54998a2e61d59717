"""The export report: everything an export shows, for one period (SPEC §3, §7).

Built once from (content, diary, period); the renderers of `reports/` only format it. Its
figures (`progress`) are worked out on first use, by `reports/progress.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any

from rugcoach.diary.edits import entries_between

if TYPE_CHECKING:
    from rugcoach.reports.progress import Progress
    from rugcoach.schema import Content, Diary, Entry


@dataclass(frozen=True)
class Report:
    """Everything an export shows, for one period. Built once; renderers only format it."""

    content: Content
    diary: Diary | None
    first: date | None
    last: date | None
    generated: date
    entries: list[Entry]
    # The therapist's programme in use (SPEC §12), as coach/prescribed.py reads it, or None.
    programme: Mapping[str, Any] | None = None

    @cached_property
    def progress(self) -> Progress:
        """The report's figures (weeks, daily scores, phases, warnings seen, consistency),
        worked out once, on first use (reports/progress.py)."""
        from rugcoach.reports.progress import build

        return build(self.content, self.diary, self.first, self.last, self.generated, self.entries)


def build_report(
    content: Content,
    diary: Diary | None,
    first: date | None,
    last: date | None,
    generated: date,
    programme: Mapping[str, Any] | None = None,
) -> Report:
    entries = entries_between(diary, first, last) if diary else []
    return Report(content, diary, first, last, generated, entries, programme)
