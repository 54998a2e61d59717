"""Which entries the day's plan can look at: the spans of dates a view may read alone.

The rules behind the day's plan look back from the day over windows set in phases.yaml
(a few weeks), and the "no improvement" rule compares with the first weeks after the
start. So the plan of a day depends only on the entries up to `reach` days before it and
after the start of the diary and of each phase, where `reach` is the sum of every number
of days in phases.yaml (any one window is far shorter), at least READS_DAYS; and on every
entry that notes a warning sign, which the store always keeps (an urgent sign stays until
it is cleared, SPEC §10). tests/test_cli_today.py pins that the plan is the same as from
the whole diary.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rugcoach.schema import Content, Diary

READS_DAYS = 60


def reach(phases: Any) -> int:
    """The sum of every `*_days` value in the phases content (its rule windows)."""
    if isinstance(phases, dict):
        return sum(
            (v if k.endswith("_days") and type(v) is int else 0) + reach(v)
            for k, v in phases.items()
        )
    if isinstance(phases, list):
        return sum(reach(item) for item in phases)
    return 0


def days_read(diary: Diary, day: date, days: int) -> list[tuple[str, str]]:
    """The spans of dates (inclusive, ISO) whose entries the day's plan can look at, for
    rules whose windows add up to `days`."""
    span = timedelta(days=max(days, READS_DAYS))
    start = date.fromisoformat(diary["profile"]["start_date"])
    # The first days of the diary and of each phase: rules compare with them (no clear
    # improvement, phase-overdue, the programme weeks).
    firsts = [start, *(date.fromisoformat(p["start"]) for p in diary.get("phases", ()))]
    return [((day - span).isoformat(), day.isoformat())] + [
        (first.isoformat(), (first + span).isoformat()) for first in dict.fromkeys(firsts)
    ]


def for_day(
    content: Content, day: date, since: date | None = None
) -> Callable[[Diary], list[tuple[str, str]]]:
    """The window of `day`'s plan, as Store.load_window and Store.append take it. `since`:
    the first day of a therapist's programme in force; its dose steps look at the warnings
    of every day since, so the entries from `reach` days before it are read too."""
    days = reach(content["phases"])
    extra = []
    if since is not None and since <= day:
        extra = [((since - timedelta(days=max(days, READS_DAYS))).isoformat(), day.isoformat())]
    return lambda head: days_read(head, day, days) + extra
