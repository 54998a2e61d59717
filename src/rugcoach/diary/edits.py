"""What can be done to a diary, as pure functions: new diary, add / remove entries, phases,
merging an import. Storage (files, locks, backups) is `diary/store.py`'s business.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from rugcoach.schema import Clearance, Diary, Entry, Lang, PhaseStart

FORMAT: Literal["rugcoach-diary"] = "rugcoach-diary"
MAX_NOTE = 2000
MAX_GOAL = 500  # characters; the schema's limit on a goal
MAX_WALK = 600  # minutes; a day's walking beyond ten hours is a typo
MAX_STIFFNESS = 24 * 60
MEASURES = (
    "pain",
    "exercise_pain",
    "stiffness_minutes",
    "walk_minutes",
    "done",
    "symptoms",
    "note",
)


def new_diary(
    *,
    start: date,
    version: int,
    profile: str = "general",
    phase: int = 1,
    language: Lang | None = None,
    goals: Iterable[str] = (),
    screening_flags: Iterable[str] = (),
) -> Diary:
    return {
        "format": FORMAT,
        "version": version,
        "profile": {
            "profile": profile,  # type: ignore[typeddict-item]
            "language": language,
            "start_date": start.isoformat(),
            "goals": list(goals),
            "screening_flags": list(screening_flags),
            "screening_cleared": False,
        },
        "phases": [{"number": phase, "start": start.isoformat(), "how": "init"}],  # type: ignore[typeddict-item]
        "entries": [],
        "activities": [],
        "clearances": [],
    }


def make_entry(
    entry_id: str,
    day: date,
    *,
    time: str | None = None,
    utc_offset: str | None = None,
    pain: int | None = None,
    exercise_pain: int | None = None,
    stiffness_minutes: int | None = None,
    walk_minutes: int | None = None,
    done: Iterable[str] = (),
    hard: Iterable[str] = (),
    easy: Iterable[str] = (),
    symptoms: Iterable[str] = (),
    note: str | None = None,
) -> Entry:
    return {
        "id": entry_id,
        "date": day.isoformat(),
        "time": time,
        "utc_offset": utc_offset,
        "pain": pain,
        "exercise_pain": exercise_pain,
        "stiffness_minutes": stiffness_minutes,
        "walk_minutes": walk_minutes,
        # Order kept, repeats dropped: `--done bird-dog --done bird-dog` is one exercise.
        "done": list(dict.fromkeys(done)),
        "hard": list(dict.fromkeys(hard)),
        "easy": list(dict.fromkeys(easy)),
        "symptoms": list(dict.fromkeys(symptoms)),
        "note": note,
    }


def add_entry(diary: Diary, entry: Entry) -> Diary:
    return {**diary, "entries": [*diary["entries"], entry]}


def remove_entry(diary: Diary, entry_id: str) -> Diary:
    return {**diary, "entries": [e for e in diary["entries"] if e["id"] != entry_id]}


def replace_entry(diary: Diary, entry: Entry) -> Diary:
    """The diary with the entry of the same id replaced by `entry`, in its place."""
    entries = [entry if e["id"] == entry["id"] else e for e in diary["entries"]]
    return {**diary, "entries": entries}


def find_entry(diary: Diary, entry_id: str) -> Entry | None:
    return next((e for e in diary["entries"] if e["id"] == entry_id), None)


def entries_between(diary: Diary, first: date | None, last: date | None) -> list[Entry]:
    """Entries in [first, last], in date and time order (entries without a time first)."""
    lo = first.isoformat() if first else ""
    hi = last.isoformat() if last else "9999-12-31"
    chosen = [e for e in diary["entries"] if lo <= e["date"] <= hi]
    return sorted(chosen, key=lambda e: (e["date"], e["time"] or ""))


def start_phase(diary: Diary, number: int, start: date, how: str) -> Diary:
    """A new phase from `start` on; a phase started later than that is superseded."""
    kept = [p for p in diary["phases"] if p["start"] < start.isoformat()]
    record: PhaseStart = {"number": number, "start": start.isoformat(), "how": how}  # type: ignore[typeddict-item]
    return {**diary, "phases": [*kept, record]}


def clear_screening(diary: Diary) -> Diary:
    return {**diary, "profile": {**diary["profile"], "screening_cleared": True}}


def add_clearance(
    diary: Diary, warning_id: str, day: date, time: str | None, note: str | None
) -> Diary:
    """Record that a warning was seen to on `day` (at `time`, if it is recorded that day:
    SPEC §10); clearing `screening` also marks the risk factors as discussed."""
    record: Clearance = {"id": warning_id, "date": day.isoformat(), "time": time, "note": note}
    out: Diary = {**diary, "clearances": [*diary["clearances"], record]}
    return clear_screening(out) if warning_id == "screening" else out


@dataclass(frozen=True)
class Merge:
    diary: Diary
    added: int
    skipped: int


def merge_entries(diary: Diary, incoming: Iterable[Entry]) -> Merge:
    """Entries whose id is not in the diary yet are added; the others are skipped (idempotent)."""
    known = {e["id"] for e in diary["entries"]}
    added: list[Entry] = []
    skipped = 0
    for entry in incoming:
        if entry["id"] in known:
            skipped += 1
            continue
        known.add(entry["id"])
        added.append(entry)
    return Merge({**diary, "entries": [*diary["entries"], *added]}, len(added), skipped)


def entry_json(entry: Entry) -> dict[str, Any]:
    """The export shape of an entry (SPEC §7): every key present, absent values null / []."""
    return {
        "id": entry["id"],
        "date": entry["date"],
        "time": entry["time"],
        "utc_offset": entry["utc_offset"],
        "pain": entry["pain"],
        "exercise_pain": entry["exercise_pain"],
        "stiffness_minutes": entry["stiffness_minutes"],
        "walk_minutes": entry["walk_minutes"],
        "done": list(entry["done"]),
        "hard": list(entry["hard"]),
        "easy": list(entry["easy"]),
        "symptoms": list(entry["symptoms"]),
        "note": entry["note"],
    }
