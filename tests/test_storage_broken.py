"""The broken-diary corpus (SPEC §6): every diary that cannot be used is refused with exit 1,
a message naming the file, what is wrong and the newest backup that parses, and nothing under
the home changes — not by load(), not by update(), not even the lock file.

The corpus is generated from the golden v1 diary, one damage at a time, and (for what only a
version 2 diary holds: the activities) from the golden v2 diary.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from helpers.storage_tools import GOLDEN_V1, GOLDEN_V2, snapshot
from rugcoach.diary import reader
from rugcoach.diary import store as storage
from rugcoach.diary.store import VERSION, BrokenDiary, Store
from rugcoach.schema import Diary

from factories import D0, diary, entry

VALID = GOLDEN_V1.read_bytes()
TEXT = VALID.decode("utf-8")


def edited(change: Callable[[dict[str, Any]], object], text: str = TEXT) -> bytes:
    raw = json.loads(text)
    change(raw)
    return json.dumps(raw, ensure_ascii=False, indent=1).encode("utf-8")


def setter(*path: Any, value: Any) -> Callable[[dict[str, Any]], object]:
    def change(raw: dict[str, Any]) -> None:
        target: Any = raw
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return change


def deleter(*path: Any) -> Callable[[dict[str, Any]], object]:
    def change(raw: dict[str, Any]) -> None:
        target: Any = raw
        for part in path[:-1]:
            target = target[part]
        del target[path[-1]]

    return change


def _swap_phases(raw: dict[str, Any]) -> None:
    raw["phases"][0]["start"], raw["phases"][1]["start"] = (
        raw["phases"][1]["start"],
        raw["phases"][0]["start"],
    )


# name: (the file's bytes, a fragment the message must contain, saying what is wrong)
CORPUS: dict[str, tuple[bytes, str]] = {
    "empty": (b"", "empty"),
    "whitespace-only": (b" \n\t\r\n   \n", "blank space"),
    "truncated-half": (VALID[: len(VALID) // 2], "cut off"),
    "truncated-last-brace": (VALID.rstrip()[:-1], "cut off"),
    "truncated-in-a-string": (VALID[: VALID.index(b"Eerste dag") + 6], "cut off"),
    "nul-bytes-inside": (VALID[:200] + b"\x00" * 64 + VALID[200:], "NUL"),
    "all-nul-bytes": (b"\x00" * len(VALID), "NUL"),
    "utf8-bom": (b"\xef\xbb\xbf" + VALID, "BOM"),
    "utf16": (TEXT.encode("utf-16"), "UTF-16"),
    "invalid-utf8": (VALID.replace("café".encode(), b"caf\xe9"), "UTF-8"),
    "bad-json-trailing-comma": (b'{"format": "rugcoach-diary", "version": 1,}', "not valid JSON"),
    "bad-json-single-quotes": (b"{'format': 'rugcoach-diary'}", "not valid JSON"),
    "two-documents": (VALID + VALID, "not valid JSON"),
    "nan": (TEXT.replace('"pain": 6', '"pain": NaN').encode(), "NaN"),
    "infinity": (TEXT.replace('"pain": 6', '"pain": -Infinity').encode(), "Infinity"),
    "duplicate-key": (TEXT.replace('"pain": 6', '"pain": 6, "pain": 7').encode(), "twice"),
    "lone-surrogate": (TEXT.replace("Eerste dag", "Eerste \\udcff dag").encode(), "Unicode"),
    "deeply-nested": (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    "array": (b"[]\n", "not a JSON object"),
    "null": (b"null\n", "not a JSON object"),
    "string": (b'"diary"\n', "not a JSON object"),
    "number": (b"42\n", "not a JSON object"),
    "an-export-file": (edited(setter("format", value="rugcoach-export")), "not a rugcoach diary"),
    "no-format": (edited(deleter("format")), "not a rugcoach diary"),
    "no-version": (edited(deleter("version")), "version"),
    "version-string": (edited(setter("version", value="1")), "version"),
    "version-float": (edited(setter("version", value=1.0)), "version"),
    "version-true": (edited(setter("version", value=True)), "version"),
    "version-zero": (edited(setter("version", value=0)), "version"),
    "newer-version": (edited(setter("version", value=VERSION + 1)), "newer rugcoach"),
    "no-entries": (edited(deleter("entries")), "entries"),
    "entries-not-a-list": (edited(setter("entries", value={})), "entries"),
    "no-phases": (edited(setter("phases", value=[])), "phases"),
    "pain-11": (edited(setter("entries", 0, "pain", value=11)), "entries[0].pain"),
    "pain-fraction": (edited(setter("entries", 0, "pain", value=4.5)), "entries[0].pain"),
    "walk-negative": (edited(setter("entries", 1, "walk_minutes", value=-5)), "walk_minutes"),
    "unknown-entry-key": (edited(setter("entries", 0, "mood", value="ok")), "mood"),
    "missing-entry-key": (edited(deleter("entries", 0, "note")), "note"),
    "note-too-long": (edited(setter("entries", 0, "note", value="x" * 2001)), "note"),
    "unknown-profile": (edited(setter("profile", "profile", value="sporty")), "profile"),
    "duplicate-ids": (edited(setter("entries", 1, "id", value="3f9a1c07")), "used twice"),
    "no-such-date": (edited(setter("entries", 2, "date", value="2026-02-30")), "real date"),
    "date-not-padded": (edited(setter("entries", 2, "date", value="2026-1-6")), "real date"),
    "date-with-time": (edited(setter("entries", 2, "date", value="2026-01-06T10:00")), "real date"),
    "time-24": (edited(setter("entries", 0, "time", value="24:00")), "00:00 to 23:59"),
    "time-with-seconds": (edited(setter("entries", 0, "time", value="07:45:00")), "HH:MM"),
    "phases-out-of-order": (edited(_swap_phases), "earlier than"),
    "phase-start-not-a-date": (edited(setter("phases", 1, "start", value="soon")), "real date"),
    "start-date-month-13": (edited(setter("profile", "start_date", value="2026-13-01")), "date"),
    "v1-with-activities": (edited(setter("activities", value=[])), "version 1"),
    # Strict, never coerced (SPEC §13): each of these was once read as a number.
    "pain-true": (edited(setter("entries", 0, "pain", value=True)), "entries[0].pain"),
    "pain-whole-float": (edited(setter("entries", 0, "pain", value=4.0)), "entries[0].pain"),
    "pain-exponent": (TEXT.replace('"pain": 6', '"pain": 6e0').encode(), "entries[0].pain"),
    "walk-string": (edited(setter("entries", 1, "walk_minutes", value="15")), "walk_minutes"),
    "cleared-one": (edited(setter("profile", "screening_cleared", value=1)), "screening_cleared"),
    "phase-number-true": (edited(setter("phases", 0, "number", value=True)), "phases[0].number"),
    "huge-number": (TEXT.replace('"pain": 6', '"pain": ' + "9" * 5000).encode(), "too long"),
    "id-with-escape": (edited(setter("entries", 0, "id", value="\x1b]0;owned\x07")), "control"),
    "done-id-with-c1": (edited(setter("entries", 0, "done", value=["a\x9bb"])), "control"),
}
V2 = GOLDEN_V2.read_text("utf-8")


def v2(change: Callable[[dict[str, Any]], object]) -> bytes:
    return edited(change, V2)


CORPUS.update(
    {
        "v2-no-activities": (v2(deleter("activities")), "activities"),
        "v2-activities-not-a-list": (v2(setter("activities", value={})), "activities"),
        "v2-activity-score-11": (
            v2(setter("activities", 0, "scores", 0, "score", value=11)),
            "activities[0].scores[0].score",
        ),
        "v2-activity-score-fraction": (
            v2(setter("activities", 0, "scores", 1, "score", value=4.5)),
            "activities[0].scores[1].score",
        ),
        "v2-activity-no-name": (v2(setter("activities", 1, "name", value="")), "name"),
        "v2-activity-unknown-key": (v2(setter("activities", 0, "note", value="x")), "note"),
        "v2-activity-missing-scores": (v2(deleter("activities", 2, "scores")), "scores"),
        "v2-activity-duplicate-id": (v2(setter("activities", 1, "id", value="1")), "twice"),
        "v2-activity-bad-added": (
            v2(setter("activities", 2, "added", value="2026-02-30")),
            "activities[2].added",
        ),
        "v2-activity-score-date": (
            v2(setter("activities", 0, "scores", 1, "date", value="2026-1-12")),
            "real date",
        ),
        "v2-activity-rated-twice": (
            v2(setter("activities", 0, "scores", 1, "date", value="2026-01-05")),
            "rated twice",
        ),
    }
)


def add(current: Diary | None) -> Diary:
    new = current if current is not None else diary()
    new["entries"].append(entry(D0, pain=2))
    return new


def test_the_corpus_is_built_from_valid_diaries() -> None:
    storage._parse(VALID, "golden")
    storage._parse(GOLDEN_V2.read_bytes(), "golden v2")
    assert len({data for data, _ in CORPUS.values()}) == len(CORPUS)


@pytest.mark.parametrize("with_backups", [True, False], ids=["with-backups", "bare"])
@pytest.mark.parametrize("name", sorted(CORPUS))
def test_a_broken_diary_is_refused_and_nothing_is_written(
    home: Path, name: str, with_backups: bool
) -> None:
    data, fragment = CORPUS[name]
    store = Store(home)
    if with_backups:  # a diary used for a while: lock file and backups exist
        for _ in range(3):
            store.update(add)
        good = store.newest_valid_backup()
        assert good is not None
    else:  # a diary copied in by hand: no lock file, no backups
        home.mkdir()
    store.path.write_bytes(data)
    before = snapshot(home)

    for attempt in (store.load, lambda: store.update(add)):
        with pytest.raises(BrokenDiary) as caught:
            attempt()
        error = caught.value
        assert error.code == 1
        assert str(store.path) in error.message
        assert fragment in error.message, error.message
        assert "\n" not in error.message
        if name == "newer-version":
            assert "update rugcoach" in error.message
        if with_backups:
            assert error.backup == good
            assert f"The newest good backup is {good}" in error.message
        elif name != "newer-version":
            assert error.backup is None and "no good backup" in error.message
        assert snapshot(home) == before
    assert store.exists()


def test_the_message_names_the_newest_backup_that_parses(home: Path) -> None:
    store = Store(home)
    for _ in range(4):
        store.update(add)
    backups = sorted(store.backup_dir.iterdir())
    older, newest = backups[-2], backups[-1]
    newest.write_bytes(newest.read_bytes()[:50])  # the newest backup is damaged too
    store.path.write_bytes(b"")
    with pytest.raises(BrokenDiary) as caught:
        store.load()
    assert caught.value.backup == older
    assert str(older) in caught.value.message and str(newest) not in caught.value.message


def test_restoring_the_named_backup_gives_a_working_diary(home: Path) -> None:
    store = Store(home)
    for _ in range(3):
        store.update(add)
    entries = len(store.load()["entries"])
    store.path.write_bytes(store.path.read_bytes()[:-40])
    with pytest.raises(BrokenDiary) as caught:
        store.update(add)
    assert caught.value.backup is not None
    store.path.write_bytes(caught.value.backup.read_bytes())  # what the message tells to do
    assert len(store.load()["entries"]) == entries - 1
    store.update(add)


@pytest.mark.parametrize("kind", ["folder", "unreadable"])
def test_a_diary_that_cannot_be_opened_names_the_newest_good_backup(
    home: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(home)
    for _ in range(3):
        store.update(add)
    good = store.newest_valid_backup()
    if kind == "folder":
        store.path.unlink()
        store.path.mkdir()
    else:
        real_open = open

        def denied(path: Any, *args: Any, **kwargs: Any) -> Any:
            if Path(path) == store.path:
                raise PermissionError(13, "Permission denied")
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr(reader, "open", denied, raising=False)
    before = snapshot(home)
    for attempt in (store.load, lambda: store.update(add)):
        with pytest.raises(BrokenDiary) as caught:
            attempt()
        assert caught.value.backup == good
        assert f"The newest good backup is {good}" in caught.value.message
        assert "\n" not in caught.value.message
    assert snapshot(home) == before
