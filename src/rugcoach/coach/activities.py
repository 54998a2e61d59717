"""Patient-specific activities (PSK / PSFS), as pure functions over the diary.

The Dutch physiotherapy guideline (KNGF, low back pain) recommends measuring function, not only
pain: the person names up to five activities that are hard because of the back, and rates each
from 0 (cannot do it) to 10 (as before the complaints) every week or so. A change of 2 points
or more is taken as a meaningful change.

Standard library only: `rugcoach today` calls `rating_due` on its hot path.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rugcoach.schema import Activity, ActivityScore, Diary

MAX_ACTIVITIES = 5
MAX_NAME = 200
MEANINGFUL_CHANGE = 2  # points on the 0-10 scale
RATE_EVERY_DAYS = 7


def activities_of(diary: Diary | None) -> list[Activity]:
    return list(diary.get("activities", [])) if diary is not None else []


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def find(diary: Diary | None, activity_id: str) -> Activity | None:
    wanted = activity_id.strip()
    return next((a for a in activities_of(diary) if a["id"] == wanted), None)


def find_by_name(diary: Diary | None, name: str) -> Activity | None:
    return next((a for a in activities_of(diary) if _key(a["name"]) == _key(name)), None)


def next_id(diary: Diary | None) -> str:
    """ "1", "2", …: short to type (`--score 1=6`), never reused."""
    numbers = [int(a["id"]) for a in activities_of(diary) if a["id"].isdigit()]
    return str(max(numbers, default=0) + 1)


def add(diary: Diary, name: str, day: date) -> Diary:
    """`diary` with one more activity (the caller checked the name and the limit)."""
    activity: Activity = {
        "id": next_id(diary),
        "name": name,
        "added": day.isoformat(),
        "scores": [],
    }
    return {**diary, "activities": [*activities_of(diary), activity]}


def with_score(scores: Iterable[ActivityScore], day: date, score: int) -> list[ActivityScore]:
    """The scores with `score` on `day` (replacing that day's), in date order."""
    when = day.isoformat()
    kept = [s for s in scores if s["date"] != when]
    return sorted([*kept, {"date": when, "score": score}], key=lambda s: s["date"])


def rate(diary: Diary, scores: Mapping[str, int], day: date) -> Diary:
    """`diary` with the given scores (activity id -> 0-10) noted on `day`.

    Pure: the activities rated are new objects, the others are kept as they were.
    """
    changed = [
        {**a, "scores": with_score(a["scores"], day, scores[a["id"]])} if a["id"] in scores else a
        for a in activities_of(diary)
    ]
    return {**diary, "activities": changed}  # type: ignore[typeddict-item]


def last_rated(diary: Diary | None, day: date) -> date | None:
    """The latest date on or before `day` on which any activity was rated."""
    when = day.isoformat()
    dates = [s["date"] for a in activities_of(diary) for s in a["scores"] if s["date"] <= when]
    return date.fromisoformat(max(dates)) if dates else None


def rating_due(diary: Diary | None, day: date) -> bool:
    """Time to rate again: there are activities (added on or before `day`), and none was
    rated in the last RATE_EVERY_DAYS days (D-6 … D)."""
    when = day.isoformat()
    if not any(a["added"] <= when for a in activities_of(diary)):
        return False
    last = last_rated(diary, day)
    return last is None or last <= day - timedelta(days=RATE_EVERY_DAYS)


class Progress:
    """One activity's scores over a period and the change since its first rating.

    (A plain class, not a dataclass: `today` imports this module, and building dataclasses
    at import costs a millisecond each.)
    """

    __slots__ = ("added", "first", "id", "latest", "name", "scores")

    def __init__(self, id: str, name: str, added: str, scores: tuple[ActivityScore, ...]) -> None:
        self.id = id
        self.name = name
        self.added = added
        self.scores = scores  # in date order
        self.first: ActivityScore | None = scores[0] if scores else None
        self.latest: ActivityScore | None = scores[-1] if scores else None

    @property
    def change(self) -> int | None:
        """Latest minus first score; None until there are two ratings."""
        if self.first is None or self.latest is None or len(self.scores) < 2:
            return None
        return self.latest["score"] - self.first["score"]

    @property
    def meaningful(self) -> bool | None:
        change = self.change
        return None if change is None else abs(change) >= MEANINGFUL_CHANGE

    @property
    def direction(self) -> str | None:
        """ "better", "worse" or "same" (a change smaller than MEANINGFUL_CHANGE), or None."""
        change = self.change
        if change is None:
            return None
        if abs(change) < MEANINGFUL_CHANGE:
            return "same"
        return "better" if change > 0 else "worse"


def progress(
    diary: Diary | None, first: date | None = None, last: date | None = None
) -> list[Progress]:
    """Each activity's scores in [first, last] (both optional) and its change over them."""
    lo = first.isoformat() if first else ""
    hi = last.isoformat() if last else "9999-12-31"
    out = []
    for activity in activities_of(diary):
        chosen = tuple(
            sorted(
                (s for s in activity["scores"] if lo <= s["date"] <= hi),
                key=lambda s: s["date"],
            )
        )
        out.append(Progress(activity["id"], activity["name"], activity["added"], chosen))
    return out


def progress_json(item: Progress) -> dict[str, Any]:
    """The `activities --json` object (SPEC §9), also used by the exports."""
    return {
        "id": item.id,
        "name": item.name,
        "added": item.added,
        "scores": [{"date": s["date"], "score": s["score"]} for s in item.scores],
        "first": dict(item.first) if item.first else None,
        "latest": dict(item.latest) if item.latest else None,
        "change": item.change,
        "meaningful_change": item.meaningful,
        "direction": item.direction,
    }


class Merge:
    __slots__ = ("added", "diary", "scores")

    def __init__(self, diary: Diary, added: int, scores: int) -> None:
        self.diary = diary
        self.added = added  # activities new to the diary
        self.scores = scores  # scores new to the diary


def merge(diary: Diary, incoming: Iterable[Activity]) -> Merge:
    """Activities from an import: one with the same name (any case or spacing) gets the scores
    of dates it has none for; a new one is added with a fresh id while there is room."""
    current: list[Activity] = [dict(a) for a in activities_of(diary)]  # type: ignore[misc]
    added = new_scores = 0
    for activity in incoming:
        same = next((a for a in current if _key(a["name"]) == _key(activity["name"])), None)
        if same is None:
            if len(current) >= MAX_ACTIVITIES:
                continue
            fresh: Activity = {**activity, "id": next_id({**diary, "activities": current})}
            current.append(fresh)
            added += 1
            new_scores += len(activity["scores"])
            continue
        known = {s["date"] for s in same["scores"]}
        extra = [s for s in activity["scores"] if s["date"] not in known]
        if extra:
            same["scores"] = sorted([*same["scores"], *extra], key=lambda s: s["date"])
            new_scores += len(extra)
    if not added and not new_scores:
        return Merge(diary, 0, 0)
    return Merge({**diary, "activities": current}, added, new_scores)
