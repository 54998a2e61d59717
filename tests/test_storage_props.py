"""Property test (SPEC §6): any entry — any Unicode text, any value in range — round-trips
through Store.update and Store.load unchanged, and the file it makes is a fixed point."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.storage_tools import GOLDEN_V1
from rugcoach.diary import store as storage
from rugcoach.diary.store import DIARY_NAME, Store
from rugcoach.safe_text import has_unsafe
from rugcoach.schema import Diary

# Text people paste: emoji (with joiners and skin tones), right-to-left scripts, combining
# marks, control characters, line and paragraph separators, JSON's own syntax.
AWKWARD = [
    "",
    " ",
    "😀👨‍👩‍👧‍👦👍🏽🏳️‍🌈",
    "مرحبا بالعالم שלום",
    "\u202eRTL override\u202c",
    "e\u0301 n\u0303 Å",
    "\x00\x01\x07\x1b[31m\x7f",
    "line\nnext\r\nthird\ttab",
    "\u2028\u2029\ufeff\ufffe\uffff",
    '"quoted" \\back\\slash\\ {"json": [1, 2]}',
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \U0010fffd",
]
texts = st.one_of(st.sampled_from(AWKWARD), st.text(st.characters(codec="utf-8")))
# Ids are any text without the control characters that rugcoach refuses in an id (SPEC §13).
ids = st.one_of(
    st.sampled_from(["a", "3f9a1c07", "walk", "😀", "x" * 60]),
    st.text(
        st.characters(codec="utf-8", exclude_categories=("Cc", "Cf", "Zl", "Zp")),
        min_size=1,
        max_size=60,
    ).filter(lambda s: not has_unsafe(s)),
)
scores = st.none() | st.integers(0, 10)
minutes = st.none() | st.integers(0, 24 * 60)
times = st.none() | st.builds("{:02d}:{:02d}".format, st.integers(0, 23), st.integers(0, 59))
offsets = st.builds(
    "{}{:02d}:{:02d}".format, st.sampled_from("+-"), st.integers(0, 14), st.integers(0, 59)
)
entries = st.fixed_dictionaries(
    {
        "id": ids,
        "date": st.dates(date(1, 1, 1), date(9999, 12, 31)).map(date.isoformat),
        "time": times,
        "utc_offset": st.none() | offsets,
        "pain": scores,
        "exercise_pain": scores,
        "stiffness_minutes": minutes,
        "walk_minutes": minutes,
        "done": st.lists(ids, max_size=5),
        "hard": st.lists(ids, max_size=3),
        "easy": st.lists(ids, max_size=3),
        "symptoms": st.lists(ids, max_size=5),
        "note": st.none() | texts.filter(lambda s: len(s) <= 2000),
    }
)


def _golden() -> Diary:
    return storage._parse(GOLDEN_V1.read_bytes(), "golden")[0]


def _round_trip(new_entries: list[dict[str, Any]], goal: str | None = None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "home")

        def change(current: Diary | None) -> Diary:
            assert current is None
            diary = _golden()
            if goal is not None:
                diary["profile"]["goals"].append(goal)
            diary["entries"].extend(new_entries)  # type: ignore[arg-type]
            return diary

        written = store.update(change)
        loaded = store.load()
        assert loaded == written
        assert loaded["entries"][len(_golden()["entries"]) :] == new_entries
        if goal is not None:
            assert loaded["profile"]["goals"][-1] == goal
        data = (Path(folder) / "home" / DIARY_NAME).read_bytes()
        assert storage._dump(loaded) == data  # saving again would write the same bytes


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entry=entries)
def test_any_entry_round_trips_unchanged(entry: dict[str, Any]) -> None:
    existing = {e["id"] for e in _golden()["entries"]}
    if entry["id"] in existing:
        entry = {**entry, "id": entry["id"] + "-new"}
    _round_trip([entry])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    many=st.lists(entries, max_size=8, unique_by=lambda e: e["id"]),
    goal=texts.filter(lambda s: len(s) <= 500),
)
def test_many_entries_and_any_goal_round_trip_unchanged(
    many: list[dict[str, Any]], goal: str
) -> None:
    existing = {e["id"] for e in _golden()["entries"]}
    many = [e for e in many if e["id"] not in existing]
    _round_trip(many, goal)


activities = st.lists(
    st.fixed_dictionaries(
        {
            "name": texts.filter(lambda s: 1 <= len(s) <= 200),
            "added": st.dates(date(2000, 1, 1), date(2100, 12, 31)).map(date.isoformat),
            "scores": st.lists(
                st.fixed_dictionaries(
                    {
                        "date": st.dates(date(2000, 1, 1), date(2100, 12, 31)).map(date.isoformat),
                        "score": st.integers(0, 10),
                    }
                ),
                max_size=6,
                unique_by=lambda s: s["date"],
            ),
        }
    ),
    max_size=5,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(made=activities)
def test_any_activities_round_trip_unchanged(made: list[dict[str, Any]]) -> None:
    """Activity names in any Unicode and any scores survive save and load; the file is a
    fixed point (SPEC §6; the activities of schema version 2)."""
    chosen = [{"id": str(n), **a} for n, a in enumerate(made, 1)]
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "home")
        store.update(lambda current: {**_golden(), "activities": chosen})  # type: ignore[typeddict-item]
        loaded = Store(Path(folder) / "home").load()
        assert loaded["activities"] == chosen
        assert loaded["entries"] == _golden()["entries"]
        data = (Path(folder) / "home" / DIARY_NAME).read_bytes()
        assert storage._dump(loaded) == data
