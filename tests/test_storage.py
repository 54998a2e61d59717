"""The diary store (SPEC §6): atomic saves, modes, backups, failures, the loss guard, the lock,
sync conflict copies, migrations (v1 -> v2, and the machinery with fake steps) and the golden
v1 and v2 diaries.

The broken-diary corpus is in test_storage_broken.py, the property test in
test_storage_props.py, and the kill -9 and concurrency harnesses in test_storage_crash.py.
"""

from __future__ import annotations

import copy
import errno
import json
import os
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

from helpers.storage_tools import GOLDEN_V1, GOLDEN_V2, GOLDEN_V3, snapshot, temp_files
from rugcoach import i18n, schema
from rugcoach.diary import codec, reader
from rugcoach.diary import store as storage
from rugcoach.diary.store import (
    DIARY_NAME,
    FORMAT,
    KEEP_BACKUPS,
    VERSION,
    BrokenDiary,
    NoDiary,
    Store,
    new_entry_id,
)
from rugcoach.errors import RugcoachError
from rugcoach.schema import Diary

from factories import D0, diary, entry

# The golden v1 diary, as a literal: tests/data/diary-v1.json must load as exactly this,
# forever. Never edit either to make a test pass: add a migration instead.
GOLDEN: dict[str, Any] = {
    "format": "rugcoach-diary",
    "version": 1,
    "profile": {
        "profile": "nerve",
        "language": "nl",
        "start_date": "2026-01-05",
        "goals": ["Weer 30 minuten fietsen 🚲", "Zonder pijn de tuin in — ook bukken"],
        "screening_flags": ["night-pain"],
        "screening_cleared": False,
    },
    "phases": [
        {"number": 1, "start": "2026-01-05", "how": "init"},
        {"number": 2, "start": "2026-01-19", "how": "next"},
    ],
    "entries": [
        {
            "id": "3f9a1c07",
            "date": "2026-01-05",
            "time": "07:45",
            "pain": 6,
            "exercise_pain": None,
            "stiffness_minutes": 40,
            "walk_minutes": None,
            "done": [],
            "symptoms": ["radiating-leg-pain"],
            "note": "Eerste dag. Uitstraling naar het linkerbeen, vooral 's ochtends.",
        },
        {
            "id": "a01b2c3d",
            "date": "2026-01-06",
            "time": None,
            "pain": 5,
            "exercise_pain": 3,
            "stiffness_minutes": None,
            "walk_minutes": 15,
            "done": ["breath", "pelvic-tilt", "walk"],
            "symptoms": [],
            "note": None,
        },
        {
            "id": "00000000",
            "date": "2026-01-06",
            "time": "21:30",
            "pain": None,
            "exercise_pain": None,
            "stiffness_minutes": None,
            "walk_minutes": 10,
            "done": ["walk"],
            "symptoms": [],
            "note": 'Avondwandeling na het eten 😀\n"Rustig" aan gedaan\tmet pauzes;'
            " café → thuis. ✓ مرحبا",
        },
        {
            "id": "ffffffff",
            "date": "2026-01-20",
            "time": "00:00",
            "pain": 3,
            "exercise_pain": 2,
            "stiffness_minutes": 0,
            "walk_minutes": 1440,
            "done": ["bird-dog"],
            "symptoms": [],
            "note": "Fase 2 begonnen. Back\\slash en een bel \u0007 uit een geplakte tekst.",
        },
        {
            "id": "e9",
            "date": "2026-01-21",
            "time": "23:59",
            "pain": 0,
            "exercise_pain": 10,
            "stiffness_minutes": None,
            "walk_minutes": 0,
            "done": [],
            "symptoms": [],
            "note": "",
        },
    ],
}


def add(**fields: Any) -> Callable[[Diary | None], Diary]:
    """A change that appends one entry (creating a default diary if there is none)."""

    def change(current: Diary | None) -> Diary:
        new = current if current is not None else diary()
        new["entries"].append(entry(D0, pain=3, **fields))
        return new

    return change


def ids(d: Diary) -> list[str]:
    return [e["id"] for e in d["entries"]]


def rotating(store: Store) -> list[Path]:
    if not store.backup_dir.exists():
        return []
    return sorted(p for p in store.backup_dir.iterdir() if storage._ROTATING.fullmatch(p.name))


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


# ------------------------------------------------------------------- round trip and format


def test_update_creates_the_diary_and_load_reads_it_back(home: Path) -> None:
    store = Store(home)
    assert not store.exists()
    written = store.update(add(note="eerste"))
    assert store.exists()
    assert store.path == home / DIARY_NAME
    assert store.lock_path == home / "diary.json.lock"
    assert store.backup_dir == home / "backups"
    loaded = store.load()
    assert loaded == written
    assert loaded["format"] == FORMAT and loaded["version"] == VERSION
    assert [e["note"] for e in loaded["entries"]] == ["eerste"]


def test_update_returns_exactly_what_load_returns(home: Path) -> None:
    store = Store(home)
    for n in range(3):
        written = store.update(add(note=f"n{n}"))
        assert store.load() == written


def test_file_is_utf8_json_with_a_stable_key_order(home: Path) -> None:
    store = Store(home)
    # Keys given in a scrambled order come out in schema order.
    scrambled = {k: v for k, v in reversed(list(diary().items()))}
    scrambled["entries"] = [dict(reversed(list(entry(D0, pain=2, note="é 😀 מה").items())))]
    store.update(lambda _: scrambled)  # type: ignore[arg-type,return-value]
    data = store.path.read_bytes()
    text = data.decode("utf-8")
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert "é 😀 מה" in text  # ensure_ascii=False: readable in any editor
    assert text.startswith(f'{{\n "format": "rugcoach-diary",\n "version": {VERSION},\n "profile"')
    entry_keys = list(json.loads(text)["entries"][0])
    assert entry_keys == list(schema.Entry.__annotations__)
    # Saving what was loaded gives the same bytes: the format is a fixed point.
    assert storage._dump(store.load()) == data


def test_load_without_a_diary_raises_nodiary(home: Path) -> None:
    store = Store(home)
    with pytest.raises(NoDiary) as caught:
        store.load()
    assert isinstance(caught.value, RugcoachError)
    assert caught.value.code == 1
    assert str(store.path) in caught.value.message
    assert not home.exists()  # reading created nothing


def test_save_goes_through_a_temp_file_in_the_same_folder(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(home)
    store.update(add())
    events: list[tuple[str, str]] = []
    names: dict[int, str] = {}
    real_open, real_write, real_fsync, real_replace = os.open, os.write, os.fsync, os.replace

    def logged_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        fd = real_open(path, flags, *args, **kwargs)
        names[fd] = str(path)
        return fd

    def logged_write(fd: int, data: Any) -> int:
        events.append(("write", names.get(fd, "?")))
        return real_write(fd, data)

    def logged_fsync(fd: int) -> None:
        events.append(("fsync", names.get(fd, "?")))
        real_fsync(fd)

    def logged_replace(src: Any, dst: Any, **kwargs: Any) -> None:
        events.append(("replace", f"{src} -> {dst}"))
        real_replace(src, dst, **kwargs)

    real_link = os.link

    def logged_link(src: Any, dst: Any, **kwargs: Any) -> None:
        events.append(("link", f"{src} -> {dst}"))
        real_link(src, dst, **kwargs)

    old_bytes = store.path.read_bytes()
    monkeypatch.setattr(os, "open", logged_open)
    monkeypatch.setattr(os, "write", logged_write)
    monkeypatch.setattr(os, "fsync", logged_fsync)
    monkeypatch.setattr(os, "replace", logged_replace)
    monkeypatch.setattr(os, "link", logged_link)
    store.update(add())
    monkeypatch.undo()

    replaces = [e for kind, e in events if kind == "replace" and e.endswith(f"-> {store.path}")]
    assert len(replaces) == 1
    temp = Path(replaces[0].split(" -> ")[0])
    assert temp.parent == store.path.parent
    assert temp.name.startswith(".diary.json.") and temp.name.endswith(".tmp")
    # write, fsync the file, replace, then fsync the folder, in that order.
    start = events.index(("write", str(temp)))
    rest = events[start:]
    assert [k for k, _ in rest[:3]] == ["write", "fsync", "replace"]
    assert rest[1] == ("fsync", str(temp))
    assert rest[3] == ("fsync", str(home))
    # The backup was in backups/ before the diary was replaced: a hard link to the old
    # file where the file system allows it (no copy), else a copy the same atomic way.
    backup = [(k, e) for k, e in events if k in ("link", "replace") and "backups" in e]
    assert backup and events.index(backup[0]) < start
    kept = Path(backup[0][1].split(" -> ")[1])
    assert kept.read_bytes() == old_bytes
    assert temp_files(home) == []


@pytest.mark.parametrize("umask", [0o000, 0o077, 0o277], ids=["umask000", "umask077", "umask277"])
def test_modes_whatever_the_umask(home: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        store = Store(home)
        store.update(add())
        store.update(add())
        store.update(add())
    finally:
        os.umask(old)
    assert mode(home) == 0o700
    assert mode(store.path) == 0o600
    assert mode(store.backup_dir) == 0o700
    backups = list(store.backup_dir.iterdir())
    assert len(backups) == 2
    assert all(mode(b) == 0o600 for b in backups)
    assert mode(store.lock_path) & 0o077 == 0  # nobody else may touch the lock either


def test_an_existing_open_home_is_made_private(home: Path) -> None:
    home.mkdir()
    os.chmod(home, 0o755)
    store = Store(home)
    store.update(add())
    assert mode(home) == 0o700
    assert mode(store.path) == 0o600


# --------------------------------------------------------------------------------- backups


def test_twelve_saves_leave_at_least_five_backups_that_all_parse(home: Path) -> None:
    store = Store(home)
    versions = []
    for n in range(12):
        store.update(add(note=f"save {n}"))
        versions.append(store.path.read_bytes())
    backups = rotating(store)
    assert 5 <= len(backups) <= KEEP_BACKUPS
    for backup in backups:
        parsed, version = storage._parse(backup.read_bytes(), str(backup))
        assert parsed["format"] == FORMAT and version == VERSION
    # They are the versions before the last saves, oldest first.
    assert [b.read_bytes() for b in backups] == versions[-len(backups) - 1 : -1]
    assert store.newest_valid_backup() == backups[-1]


def test_rotation_keeps_at_most_ten_and_never_touches_other_files(home: Path) -> None:
    store = Store(home)
    store.update(add())
    kept = {
        "diary-v0-20200101T000000.000000Z.json": b"migration backup",
        "diary-20200101T000000.000000Z-1-removed.json": b"before a delete",
        "diary-corrupt-20200101T000000.000000Z.json": b"quarantine",
        "my notes.txt": b"mine",
    }
    store.backup_dir.mkdir(exist_ok=True)
    for name, data in kept.items():
        (store.backup_dir / name).write_bytes(data)
    for _ in range(15):
        store.update(add())
    assert len(rotating(store)) == KEEP_BACKUPS
    for name, data in kept.items():
        assert (store.backup_dir / name).read_bytes() == data


def test_a_save_that_changes_nothing_writes_nothing(home: Path) -> None:
    store = Store(home)
    store.update(add())
    store.update(add())
    before = snapshot(home)
    assert store.update(lambda d: d) == store.load()  # type: ignore[arg-type,return-value]
    assert snapshot(home) == before


def test_newest_valid_backup_skips_backups_that_do_not_parse(home: Path) -> None:
    store = Store(home)
    for _ in range(3):
        store.update(add())
    good = rotating(store)[-1]
    (store.backup_dir / "diary-29990101T000000.000000Z-1.json").write_bytes(b'{"trunc')
    (store.backup_dir / "diary-29990101T000000.000001Z-1.json").write_bytes(b"")
    assert store.newest_valid_backup() == good
    assert Store(home / "elsewhere").newest_valid_backup() is None


def test_stale_temp_files_are_cleaned_by_the_next_save(home: Path) -> None:
    store = Store(home)
    store.update(add())
    store.update(add())
    stale = [home / ".diary.json.deadbeef.tmp", store.backup_dir / ".diary-x.json.0badc0de.tmp"]
    for path in stale:
        path.write_bytes(b"half a diary")
    others = [home / "notes.tmp", home / ".other.json.deadbeef.tmp"]
    for path in others:
        path.write_bytes(b"not ours")
    store.load()  # reading leaves them alone
    assert all(p.exists() for p in stale)
    store.update(add())
    assert not any(p.exists() for p in stale)
    assert all(p.read_bytes() == b"not ours" for p in others)


# ----------------------------------------------------------------------- fault injection

STEPS = {
    "open": errno.ENOSPC,
    "write": errno.ENOSPC,
    "fsync": errno.EIO,
    "replace": errno.EIO,
    "mkdir": errno.ENOSPC,
}


def _start(home: Path, saves: int) -> Store:
    store = Store(home)
    for _ in range(saves):
        store.update(add())
    return store


def _count_calls(name: str, action: Callable[[], object], monkeypatch: pytest.MonkeyPatch) -> int:
    real = getattr(os, name)
    calls = 0

    def counting(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        return real(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(os, name, counting)
        action()
    return calls


def _failing_on_call(name: str, k: int, code: int) -> Callable[..., Any]:
    real = getattr(os, name)
    calls = 0

    def failing(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == k:
            raise OSError(code, os.strerror(code))
        return real(*args, **kwargs)

    return failing


@pytest.mark.parametrize("saves", [1, KEEP_BACKUPS + 1], ids=["first-backup", "rotating"])
@pytest.mark.parametrize("step", sorted(STEPS))
def test_each_disk_step_failing_in_turn_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str, saves: int
) -> None:
    """Every call of os.<step> during a save is made to fail in turn: each time the save
    stops with a clear RugcoachError and every file is exactly as it was."""
    reference = _start(tmp_path / "reference", saves)
    count = _count_calls(step, lambda: reference.update(add()), monkeypatch)
    # Once backups/ and cache/ exist, a save makes no folder (the lock takes none either).
    assert count >= (0 if step == "mkdir" and saves > 1 else 1)
    code = STEPS[step]
    for k in range(1, count + 1):
        home = tmp_path / f"{step}-{k}"
        store = _start(home, saves)
        before = snapshot(home)
        with monkeypatch.context() as patch:
            patch.setattr(os, step, _failing_on_call(step, k, code))
            try:
                store.update(add(note="saved"))
            except RugcoachError as exc:
                caught = exc
            else:
                # One call may fail harmlessly: the best-effort write of the seal (derived
                # data). Then the save must be
                # complete, and a seal that did not get written must not be trusted.
                assert [e["note"] for e in store.load()["entries"]][-1] == "saved"
                if step != "mkdir":
                    assert not store._sealed(store.path.read_bytes()), (step, k)
                continue
        assert not isinstance(caught, OSError)
        assert caught.code == 1
        assert os.strerror(code) in caught.message, (step, k)
        assert snapshot(home) == before, (step, k)
        assert temp_files(home) == [], (step, k)
        # The store still works once the disk does.
        store.update(add())
        assert len(store.load()["entries"]) == saves + 1


def test_a_failing_folder_fsync_puts_the_old_diary_back(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _start(home, 2)
    before = snapshot(home)
    real = storage._fsync_dir

    def failing(folder: Path) -> None:
        if folder == home:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real(folder)

    monkeypatch.setattr(storage, "_fsync_dir", failing)
    with pytest.raises(RugcoachError) as caught:
        store.update(add())
    assert str(store.path) in caught.value.message
    assert os.strerror(errno.EIO) in caught.value.message
    assert snapshot(home) == before


def test_a_failing_folder_fsync_on_the_first_save_leaves_no_diary(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(folder: Path) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(storage, "_fsync_dir", failing)
    store = Store(home)
    with pytest.raises(RugcoachError):
        store.update(add())
    assert not store.exists()
    assert temp_files(home) == []


def test_a_save_that_cannot_be_undone_says_the_diary_may_hold_it(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _start(home, 1)

    real_fsync_dir = storage._fsync_dir

    def failing_fsync(folder: Path) -> None:
        if folder == home:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real_fsync_dir(folder)

    real_replace = storage._replace_atomically
    calls = 0

    def second_replace_fails(target: Path, data: bytes) -> None:
        nonlocal calls
        if target == store.path:
            calls += 1
            if calls == 2:  # the save went through; putting the old diary back fails
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_replace(target, data)

    monkeypatch.setattr(storage, "_fsync_dir", failing_fsync)
    monkeypatch.setattr(storage, "_replace_atomically", second_replace_fails)
    with pytest.raises(RugcoachError) as caught:
        store.update(add(note="maybe"))
    assert "may already hold" in caught.value.message
    monkeypatch.undo()
    assert [e["note"] for e in store.load()["entries"]][-1] == "maybe"
    backup = store.newest_valid_backup()  # the version before it is kept
    assert backup is not None and "maybe" not in backup.read_text("utf-8")
    assert temp_files(home) == []


@pytest.mark.parametrize("code", [errno.EINVAL, errno.ENOTSUP])
def test_a_file_system_that_cannot_fsync_folders_is_fine(
    home: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    real = os.fsync

    def no_folder_fsync(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(code, os.strerror(code))
        real(fd)

    monkeypatch.setattr(os, "fsync", no_folder_fsync)
    store = _start(home, 3)
    assert len(store.load()["entries"]) == 3


# ------------------------------------------------------------- refusals write nothing


def test_dropping_an_entry_not_named_in_removing_is_refused(home: Path) -> None:
    store = _start(home, 3)
    victim = ids(store.load())[1]
    before = snapshot(home)

    def drop(d: Diary | None) -> Diary:
        assert d is not None
        d["entries"] = [e for e in d["entries"] if e["id"] != victim]
        return d

    with pytest.raises(RugcoachError) as caught:
        store.update(drop)
    assert caught.value.code == 1
    assert victim in caught.value.message
    assert snapshot(home) == before
    with pytest.raises(RugcoachError):
        store.update(drop, removing=["some-other-id"])
    assert snapshot(home) == before


def test_removing_named_entries_works_and_keeps_them_in_the_newest_backup(home: Path) -> None:
    store = _start(home, 3)
    victim = ids(store.load())[1]

    def drop(d: Diary | None) -> Diary:
        assert d is not None
        d["entries"] = [e for e in d["entries"] if e["id"] != victim]
        return d

    result = store.update(drop, removing=[victim])
    assert victim not in ids(result) and len(result["entries"]) == 2
    backup = store.newest_valid_backup()
    assert backup is not None and backup.name.endswith("-removed.json")
    assert victim in ids(storage._parse(backup.read_bytes(), str(backup))[0])
    # A backup made before a delete is never rotated away.
    for _ in range(KEEP_BACKUPS + 2):
        store.update(add())
    assert backup.exists()


def test_a_change_that_raises_writes_nothing(home: Path) -> None:
    store = _start(home, 2)
    before = snapshot(home)

    def boom(d: Diary | None) -> Diary:
        assert d is not None
        d["entries"].clear()  # even after mangling its argument
        raise RugcoachError("no such entry", 2)

    with pytest.raises(RugcoachError) as caught:
        store.update(boom)
    assert caught.value.message == "no such entry" and caught.value.code == 2
    assert snapshot(home) == before
    store.update(add(), removing=())  # and the lock was released


def _with_entry(**fields: Any) -> Callable[[Diary | None], Diary]:
    def change(d: Diary | None) -> Diary:
        assert d is not None
        e = entry(D0, pain=1)
        e.update(fields)  # type: ignore[typeddict-item]
        d["entries"].append(e)
        return d

    return change


def _set(path: tuple[Any, ...], value: Any) -> Callable[[Diary | None], Diary]:
    def change(d: Diary | None) -> Diary:
        assert d is not None
        target: Any = d
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value
        return d

    return change


def _activity(
    name: str = "fietsen", added: str = "2026-03-02", scores: list[tuple[str, Any]] = ()
) -> dict[str, Any]:
    return {
        "id": "1",
        "name": name,
        "added": added,
        "scores": [{"date": d, "score": n} for d, n in scores],
    }


INVALID_CHANGES = {
    "pain-11": _with_entry(pain=11),
    "negative-walk": _with_entry(walk_minutes=-1),
    "no-such-date": _with_entry(date="2026-02-30"),
    "short-date": _with_entry(date="2026-2-3"),
    "unicode-digits": _with_entry(date="２０２６-01-01"),
    "time-24": _with_entry(time="24:00"),
    "time-short": _with_entry(time="7:05"),
    "long-note": _with_entry(note="x" * 2001),
    "unknown-key": _with_entry(mood="ok"),
    "lone-surrogate": _with_entry(note="bad \udcff byte"),
    "duplicate-id": lambda d: {**d, "entries": d["entries"] + d["entries"][:1]},  # type: ignore[dict-item,index,operator]
    "wrong-version": _set(("version",), VERSION + 1),
    "wrong-format": _set(("format",), "rugcoach-export"),
    "bad-start": _set(("profile", "start_date"), "gisteren"),
    "phases-out-of-order": _set(
        ("phases",),
        [
            {"number": 1, "start": "2026-03-02", "how": "init"},
            {"number": 2, "start": "2026-03-01", "how": "next"},
        ],
    ),
    "not-a-dict": lambda d: ["not", "a", "diary"],  # type: ignore[return-value]
    # Activities are validated in full on every save (they are few), also on the fast path
    # that checks only new entries.
    "activity-score-11": _set(("activities",), [_activity(scores=[("2026-03-02", 11)])]),
    "activity-score-negative": _set(("activities",), [_activity(scores=[("2026-03-02", -1)])]),
    "activity-no-name": _set(("activities",), [_activity(name="")]),
    "activity-long-name": _set(("activities",), [_activity(name="x" * 201)]),
    "activity-bad-added": _set(("activities",), [_activity(added="2026-02-30")]),
    "activity-bad-score-date": _set(("activities",), [_activity(scores=[("soon", 3)])]),
    "activity-rated-twice-a-day": _set(
        ("activities",), [_activity(scores=[("2026-03-02", 3), ("2026-03-02", 4)])]
    ),
    "activity-duplicate-id": _set(("activities",), [_activity(), _activity(name="other")]),
    "activity-unknown-key": _set(("activities",), [{**_activity(), "why": "x"}]),
    "activities-missing": lambda d: {k: v for k, v in d.items() if k != "activities"},  # type: ignore[union-attr,return-value]
    "activities-not-a-list": _set(("activities",), {}),
}


@pytest.mark.parametrize("name", sorted(INVALID_CHANGES))
def test_an_invalid_diary_is_never_written(home: Path, name: str) -> None:
    store = _start(home, 2)
    before = snapshot(home)
    with pytest.raises(RugcoachError) as caught:
        store.update(INVALID_CHANGES[name])
    assert caught.value.code == 1
    assert "not valid" in caught.value.message
    assert snapshot(home) == before


def test_a_valid_change_of_activities_is_saved_and_reloaded(home: Path) -> None:
    store = _start(home, 2)
    activity = _activity(name="Sokken aantrekken 🧦", scores=[("2026-03-02", 0), ("2026-03-09", 4)])
    written = store.update(_set(("activities",), [activity]))
    assert written["activities"] == [activity]
    assert Store(home).load()["activities"] == [activity]
    assert list(json.loads(store.path.read_bytes())) == [*schema.Diary.__annotations__]


def test_a_refused_first_save_creates_nothing_not_even_the_folder(home: Path) -> None:
    store = Store(home)

    def refuse(d: Diary | None) -> Diary:
        assert d is None
        raise RugcoachError("refused")

    with pytest.raises(RugcoachError):
        store.update(refuse)
    with pytest.raises(RugcoachError):
        store.update(lambda d: _with_entry(pain=99)(diary()))
    assert not os.path.lexists(home)


def test_a_refused_save_does_not_create_the_lock_file(home: Path) -> None:
    """A diary copied in by hand (no lock file yet): a refused command must not add one."""
    home.mkdir()
    (home / DIARY_NAME).write_bytes(GOLDEN_V1.read_bytes())
    before = snapshot(home)
    store = Store(home)
    with pytest.raises(RugcoachError):
        store.update(lambda d: {**d, "entries": []})  # type: ignore[dict-item]
    assert snapshot(home) == before
    store.update(add())
    assert store.lock_path.exists()


# ------------------------------------------------------------------------------- the lock


def test_a_held_lock_gives_a_clear_error_and_changes_nothing(home: Path) -> None:
    store = _start(home, 2)
    before = snapshot(home)
    slow = Store(home, lock_timeout=0.2)
    with FileLock(str(store.lock_path)):
        started = time.monotonic()
        with pytest.raises(RugcoachError) as caught:
            slow.update(add())
        waited = time.monotonic() - started
    assert 0.15 <= waited < 3
    assert caught.value.code == 1
    assert "busy" in caught.value.message and "try again" in caught.value.message
    assert str(store.path) in caught.value.message
    assert snapshot(home) == before
    slow.update(add())  # free again


def test_the_lock_is_released_after_every_kind_of_refusal(home: Path) -> None:
    store = Store(home, lock_timeout=0)
    store.update(add())
    for change in (INVALID_CHANGES["pain-11"], _set(("entries",), [])):
        with pytest.raises(RugcoachError):
            store.update(change)
    store.path.write_bytes(b"")
    with pytest.raises(BrokenDiary):
        store.update(add())
    with FileLock(str(store.lock_path), timeout=0):
        pass


# -------------------------------------------------------------------------- sync conflicts

CONFLICT_COPIES = [
    "diary (conflicted copy 2026-01-02).json",
    "diary (Jan's conflicted copy 2026-01-02).json",
    "diary (conflicted copy 2026-01-02 101010).json",
    "diary.sync-conflict-20260102-101010-ABCDEFG.json",
    "diary (1).json",
    "diary-LAPTOP-JAN.json",
    "diary_conflict-20260102-101010.json",
    "Diary 2.json",
]


def test_conflict_copies_are_reported_and_never_touched(home: Path) -> None:
    store = _start(home, 1)
    for name in CONFLICT_COPIES:
        (home / name).write_bytes(GOLDEN_V1.read_bytes())
    (home / "notes.json").write_text("{}")
    (home / "diary.json.bak").write_text("{}")
    before = {name: (home / name).read_bytes() for name in CONFLICT_COPIES}
    expected = sorted(home / name for name in CONFLICT_COPIES)
    assert store.conflict_copies() == expected
    for _ in range(KEEP_BACKUPS + 2):
        store.update(add())
    assert store.conflict_copies() == expected
    assert {name: (home / name).read_bytes() for name in CONFLICT_COPIES} == before
    assert Store(home / "none").conflict_copies() == []


# ---------------------------------------------------------- golden v1 and v2, migration


def _install(home: Path, golden: Path) -> Store:
    home.mkdir()
    (home / DIARY_NAME).write_bytes(golden.read_bytes())
    return Store(home)


def _as_v3_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """An entry of version 1 or 2 as version 3 holds it: no offset, no feedback."""
    out: dict[str, Any] = {}
    for key, value in entry.items():
        out[key] = value
        if key == "time":
            out["utc_offset"] = None
        if key == "done":
            out["hard"], out["easy"] = [], []
    return out


def test_the_golden_v1_diary_loads_unchanged_apart_from_the_migration(home: Path) -> None:
    loaded = _install(home, GOLDEN_V1).load()
    assert json.loads(GOLDEN_V1.read_text("utf-8")) == GOLDEN
    # Version 2 only adds the (empty) list of activities, version 3 the (empty) clearances
    # and, per entry, an unknown UTC offset and no feedback; nothing else changes.
    assert loaded == {
        **GOLDEN,
        "version": VERSION,
        "entries": [_as_v3_entry(e) for e in GOLDEN["entries"]],
        "activities": [],
        "clearances": [],
    }


def test_a_v1_diary_is_migrated_on_save_with_a_kept_backup(home: Path) -> None:
    store = _install(home, GOLDEN_V1)
    store.update(lambda d: d)  # type: ignore[arg-type,return-value]
    written = json.loads(store.path.read_bytes())
    assert written["version"] == VERSION == 3
    assert written["activities"] == [] and written["clearances"] == []
    v3_entries = [_as_v3_entry(e) for e in GOLDEN["entries"]]
    assert written["entries"] == v3_entries
    assert written["profile"] == GOLDEN["profile"] and written["phases"] == GOLDEN["phases"]
    assert list(written) == [*GOLDEN, "activities", "clearances"]  # new keys come last
    migration = sorted(store.backup_dir.glob("diary-v1-*.json"))
    assert len(migration) == 1
    assert migration[0].read_bytes() == GOLDEN_V1.read_bytes()
    assert rotating(store) == []  # the migration backup is the only one, and never rotated
    for _ in range(KEEP_BACKUPS + 3):
        store.update(add())
    assert migration[0].read_bytes() == GOLDEN_V1.read_bytes()
    assert store.load()["entries"][: len(GOLDEN["entries"])] == v3_entries
    assert len(sorted(store.backup_dir.glob("diary-v1-*.json"))) == 1  # migrated once only


def test_a_v2_diary_is_migrated_to_v3_on_save_with_a_kept_backup(home: Path) -> None:
    v2 = json.loads(GOLDEN_V2.read_text("utf-8"))
    store = _install(home, GOLDEN_V2)
    assert store.load() == {
        **v2,
        "version": 3,
        "entries": [_as_v3_entry(e) for e in v2["entries"]],
        "clearances": [],
    }
    store.update(lambda d: d)  # type: ignore[arg-type,return-value]
    [kept] = store.backup_dir.glob("diary-v2-*.json")
    assert kept.read_bytes() == GOLDEN_V2.read_bytes()
    written = json.loads(store.path.read_bytes())
    assert written["version"] == 3 and written["clearances"] == []
    assert list(written["entries"][0]) == [
        "id", "date", "time", "utc_offset", "pain", "exercise_pain", "stiffness_minutes",
        "walk_minutes", "done", "hard", "easy", "symptoms", "note",
    ]  # fmt: skip


def test_the_golden_v3_diary_round_trips_byte_for_byte(home: Path) -> None:
    """rugcoach writes a v3 diary exactly like the golden file: saving it is a no-op, and
    saving what was loaded gives the same bytes."""
    store = _install(home, GOLDEN_V3)
    loaded = store.load()
    assert loaded["version"] == VERSION
    assert loaded == json.loads(GOLDEN_V3.read_text("utf-8"))
    assert [a["id"] for a in loaded["activities"]] == ["1", "2", "3"]
    assert [c["id"] for c in loaded["clearances"]] == ["radiating-leg-pain"]
    assert storage._dump(loaded) == GOLDEN_V3.read_bytes()
    store.update(lambda d: d)  # type: ignore[arg-type,return-value]
    assert store.path.read_bytes() == GOLDEN_V3.read_bytes()
    assert not store.backup_dir.exists()


def test_the_golden_v2_diary_is_the_v1_one_plus_activities() -> None:
    v1 = json.loads(GOLDEN_V1.read_text("utf-8"))
    v2 = json.loads(GOLDEN_V2.read_text("utf-8"))
    assert {k: v for k, v in v2.items() if k not in ("version", "activities")} == {
        k: v for k, v in v1.items() if k != "version"
    }


def test_the_golden_v3_diary_is_the_v2_one_migrated_plus_new_values() -> None:
    v2 = storage.migrate(json.loads(GOLDEN_V2.read_text("utf-8")))
    v3 = json.loads(GOLDEN_V3.read_text("utf-8"))
    assert [e["id"] for e in v3["entries"]] == [e["id"] for e in v2["entries"]]
    for old, new in zip(v2["entries"], v3["entries"], strict=True):
        same = ("utc_offset", "hard", "easy")
        assert {k: v for k, v in old.items() if k not in same} == {
            k: v for k, v in new.items() if k not in same
        }
    assert v3["clearances"] and v2["clearances"] == []


def test_the_v2_step_does_not_modify_its_argument_and_refuses_v3_keys() -> None:
    raw = json.loads(GOLDEN_V2.read_text("utf-8"))
    before = copy.deepcopy(raw)
    migrated = storage.MIGRATIONS[2](raw)
    assert raw == before
    assert migrated["clearances"] == []
    assert all(
        e["utc_offset"] is None and e["hard"] == e["easy"] == [] for e in migrated["entries"]
    )
    with_hard = {**raw, "entries": [{**raw["entries"][0], "hard": []}]}
    for tampered in ({**raw, "clearances": []}, with_hard):
        with pytest.raises(ValueError):
            storage.MIGRATIONS[2](tampered)


def test_the_v1_step_does_not_modify_its_argument() -> None:
    raw = json.loads(GOLDEN_V1.read_text("utf-8"))
    before = copy.deepcopy(raw)
    migrated = storage.MIGRATIONS[1](raw)
    assert raw == before
    assert migrated == {**before, "activities": []}


def test_a_v1_diary_that_already_has_activities_is_a_broken_diary(home: Path) -> None:
    raw = json.loads(GOLDEN_V1.read_text("utf-8"))
    raw["activities"] = []
    home.mkdir()
    (home / DIARY_NAME).write_text(json.dumps(raw), encoding="utf-8")
    before = snapshot(home)
    store = Store(home)
    for action in (store.load, lambda: store.update(add())):
        with pytest.raises(BrokenDiary) as caught:
            action()
        assert "version 1" in caught.value.message
    assert snapshot(home) == before


def _next_step(raw: dict[str, Any]) -> dict[str, Any]:
    """A fake migration from the current version to the next (what a future one looks like)."""
    return {**raw, "profile": {**raw["profile"], "goals": [*raw["profile"]["goals"], "next"]}}


def test_migration_on_load_happens_in_memory_only(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(codec, "VERSION", VERSION + 1)
    monkeypatch.setitem(storage.MIGRATIONS, VERSION, _next_step)
    store = _install(home, GOLDEN_V3)
    before = snapshot(home)
    loaded = store.load()
    assert loaded["version"] == VERSION + 1
    assert loaded["profile"]["goals"][-1] == "next"
    golden = json.loads(GOLDEN_V3.read_text("utf-8"))
    assert loaded["entries"] == golden["entries"]
    assert loaded["activities"] == golden["activities"]
    assert snapshot(home) == before


def test_a_v1_diary_goes_through_every_step_in_turn(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """v1 -> v2 -> v3 (the real steps) -> v4 (a fake one): step by step, in memory."""
    monkeypatch.setattr(codec, "VERSION", VERSION + 1)
    monkeypatch.setitem(storage.MIGRATIONS, VERSION, _next_step)
    loaded = _install(home, GOLDEN_V1).load()
    assert loaded["version"] == VERSION + 1
    assert loaded["activities"] == [] and loaded["profile"]["goals"][-1] == "next"
    assert loaded["entries"] == [_as_v3_entry(e) for e in GOLDEN["entries"]]


def test_migration_on_save_keeps_a_backup_that_is_never_rotated(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(codec, "VERSION", VERSION + 1)
    monkeypatch.setitem(storage.MIGRATIONS, VERSION, _next_step)
    store = _install(home, GOLDEN_V3)

    def add_next(current: Diary | None) -> Diary:
        assert current is not None
        return {**current, "version": VERSION + 1, "entries": [*current["entries"], entry(D0)]}

    store.update(add_next)
    assert json.loads(store.path.read_bytes())["version"] == VERSION + 1
    migration = sorted(store.backup_dir.glob(f"diary-v{VERSION}-*.json"))
    assert len(migration) == 1
    assert migration[0].read_bytes() == GOLDEN_V3.read_bytes()
    for _ in range(KEEP_BACKUPS + 3):
        store.update(add_next)
    assert migration[0].read_bytes() == GOLDEN_V3.read_bytes()
    assert store.load()["profile"]["goals"].count("next") == 1


def test_migrations_run_step_by_step_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []

    def step(n: int) -> Callable[[dict[str, Any]], dict[str, Any]]:
        def run(raw: dict[str, Any]) -> dict[str, Any]:
            assert raw["version"] == n
            seen.append(n)
            return {**raw, "steps": [*raw.get("steps", []), n]}

        return run

    monkeypatch.setattr(codec, "VERSION", 4)
    for n in (1, 2, 3):
        monkeypatch.setitem(storage.MIGRATIONS, n, step(n))
    raw = storage.migrate({"format": FORMAT, "version": 1})
    assert seen == [1, 2, 3]
    assert raw == {"format": FORMAT, "version": 4, "steps": [1, 2, 3]}
    assert storage.migrate({"format": FORMAT, "version": 4}) == {"format": FORMAT, "version": 4}


def test_every_older_version_has_a_migration_and_the_current_one_none() -> None:
    assert sorted(storage.MIGRATIONS) == list(range(1, VERSION))


def test_a_missing_migration_step_is_a_broken_diary(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(codec, "VERSION", VERSION + 1)
    store = _install(home, GOLDEN_V2)
    with pytest.raises(BrokenDiary) as caught:
        store.load()
    assert "upgrade" in caught.value.message


def test_a_diary_from_a_newer_rugcoach_is_refused_and_never_rewritten(home: Path) -> None:
    newer = copy.deepcopy(GOLDEN)
    newer["version"] = VERSION + 1
    home.mkdir()
    (home / DIARY_NAME).write_text(json.dumps(newer), encoding="utf-8")
    store = Store(home)
    before = snapshot(home)
    for action in (store.load, lambda: store.update(add())):
        with pytest.raises(BrokenDiary) as caught:
            action()
        assert caught.value.code == 1
        assert str(store.path) in caught.value.message
        assert "update rugcoach" in caught.value.message
        assert snapshot(home) == before


# ---------------------------------------------------------------------------- the rest


def test_new_entry_ids_are_short_hex_and_avoid_existing_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made = {new_entry_id(()) for _ in range(200)}
    assert len(made) == 200
    assert all(len(i) == 8 and int(i, 16) >= 0 for i in made)
    answers = iter(["aaaaaaaa", "aaaaaaaa", "bbbbbbbb"])
    monkeypatch.setattr(storage, "_token", lambda: next(answers))
    assert new_entry_id({"aaaaaaaa"}) == "bbbbbbbb"


def test_a_symlinked_diary_is_written_through_the_link(tmp_path: Path, home: Path) -> None:
    synced = tmp_path / "Dropbox"
    synced.mkdir()
    real = synced / "rugcoach-diary.json"
    real.write_bytes(GOLDEN_V3.read_bytes())
    home.mkdir()
    (home / DIARY_NAME).symlink_to(real)
    store = Store(home)
    store.update(add(note="via link"))
    assert (home / DIARY_NAME).is_symlink()
    assert json.loads(real.read_bytes())["entries"][-1]["note"] == "via link"
    assert rotating(store)[0].read_bytes() == GOLDEN_V3.read_bytes()
    assert temp_files(synced) == [] and temp_files(home) == []


def test_a_folder_where_the_diary_should_be_is_a_clear_error(home: Path) -> None:
    (home / DIARY_NAME).mkdir(parents=True)
    before = snapshot(home)
    store = Store(home)
    assert store.exists()
    for action in (store.load, lambda: store.update(add())):
        with pytest.raises(BrokenDiary) as caught:
            action()
        assert str(store.path) in caught.value.message
        assert "folder" in caught.value.message
    assert snapshot(home) == before


def test_an_unreadable_diary_is_a_clear_error(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = _start(home, 1)
    before = snapshot(home)

    def denied(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(reader, "open", denied, raising=False)  # root could read a 000 file
    for action in (store.load, lambda: store.update(add())):
        with pytest.raises(BrokenDiary) as caught:
            action()
        assert str(store.path) in caught.value.message
        assert os.strerror(errno.EACCES) in caught.value.message
    assert snapshot(home) == before


def test_errors_speak_dutch_when_asked(home: Path) -> None:
    store = _start(home, 2)
    store.path.write_bytes(b"")
    i18n.set_language("nl")
    with pytest.raises(BrokenDiary) as caught:
        store.load()
    assert "Het dagboek" in caught.value.message and "het bestand is leeg" in caught.value.message
    assert "reservekopie" in caught.value.message


def test_new_entry_id_accepts_any_iterable_of_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter(["aaaaaaaa", "bbbbbbbb", "cccccccc"])
    monkeypatch.setattr(storage, "_token", lambda: next(answers))
    taken = ["x", "aaaaaaaa", "bbbbbbbb"]
    assert new_entry_id(i for i in taken) == "cccccccc"  # a generator is read once, fully


def test_a_clock_set_back_never_rotates_away_the_backup_just_made(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _start(home, KEEP_BACKUPS + 1)
    previous = store.path.read_bytes()
    monkeypatch.setattr(storage, "_stamp", lambda: "19990101T000000.000000Z")
    store.update(add())
    backups = rotating(store)
    assert len(backups) == KEEP_BACKUPS
    assert backups[0].name.startswith("diary-19990101T") and backups[0].read_bytes() == previous


def test_stale_temp_files_next_to_a_symlinked_diary_are_cleaned(tmp_path: Path, home: Path) -> None:
    synced = tmp_path / "Sync"
    synced.mkdir()
    real = synced / "mine.json"
    real.write_bytes(GOLDEN_V1.read_bytes())
    home.mkdir()
    (home / DIARY_NAME).symlink_to(real)
    stale = synced / ".mine.json.0123abcd.tmp"
    stale.write_bytes(b"half")
    Store(home).update(add())
    assert not stale.exists()


def test_migrate_called_directly_fails_as_a_rugcoach_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(codec, "VERSION", VERSION + 1)
    with pytest.raises(RugcoachError) as caught:
        storage.migrate({"format": FORMAT, "version": VERSION})
    assert caught.value.code == 1 and "upgrade" in caught.value.message


def test_a_backup_is_copied_where_hard_links_are_not_possible(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """FAT, some network and sync folders have no hard links: the old bytes are copied."""
    store = _start(home, 2)
    old = store.path.read_bytes()

    def no_links(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(os, "link", no_links)
    store.update(add(note="after"))
    newest = max(store.backup_dir.iterdir(), key=lambda p: p.name)
    assert newest.read_bytes() == old
    assert os.stat(newest).st_ino != os.stat(store.path).st_ino
    assert (newest.stat().st_mode & 0o777) == 0o600


def test_a_linked_backup_keeps_the_old_version_after_the_save(home: Path) -> None:
    store = _start(home, 1)
    old = store.path.read_bytes()
    store.update(add(note="newer"))
    newest = max(store.backup_dir.iterdir(), key=lambda p: p.name)
    assert newest.read_bytes() == old != store.path.read_bytes()
