"""SPEC §13 as a person meets it: nothing is created before a write succeeds, folders are
0700 whatever the umask, a home that is a file or cannot be opened is named as such, and
the holes mutation testing found in the storage tests are closed (short writes, entries
edited in place)."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from rugcoach import disk
from rugcoach.cli.shell import app
from rugcoach.diary import store as storage
from rugcoach.diary.edits import add_entry, make_entry
from rugcoach.diary.store import Store
from rugcoach.errors import RugcoachError
from rugcoach.schema import Diary

from conftest import snapshot
from factories import D0, diary

DAY = "2026-11-20"


def run(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(app, ["--lang", "en", *args])


@pytest.fixture
def umask_000() -> Iterator[None]:
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def modes(folder: Path) -> dict[str, int]:
    found = {".": folder.stat().st_mode & 0o777}
    for path in folder.rglob("*"):
        found[str(path.relative_to(folder))] = path.stat().st_mode & 0o777
    return found


# ------------------------------------------------------------ nothing before a write


@pytest.mark.parametrize("args", [["today"], ["history"], ["summary"], ["phase"], ["exercises"]])
def test_reading_commands_before_init_create_nothing(
    runner: CliRunner, home: Path, umask_000: None, args: list[str]
) -> None:
    result = run(runner, *args)
    assert result.exit_code in (0, 1), result.stderr
    assert not home.exists()


def test_the_first_save_makes_every_folder_0700_and_file_0600_under_umask_000(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, umask_000: None
) -> None:
    home = tmp_path / "a" / "b" / "home"
    monkeypatch.setenv("RUGCOACH_HOME", str(home))
    for pain in ("3", "4"):
        assert run(runner, "log", "--date", DAY, "--pain", pain).exit_code == 0
    assert run(runner, "today", "--date", DAY).exit_code == 0  # writes the content cache
    found = modes(home)
    assert {"diary.json", "diary.json.lock", "backups", "cache", "cache/content.json"} <= set(found)
    for name, mode in found.items():
        assert mode == (0o700 if (home / name).is_dir() else 0o600), name
    assert (tmp_path / "a").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "a" / "b").stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize("step", ["replace", "fsync"])
@pytest.mark.parametrize("existed", [False, True], ids=["new-home", "empty-home"])
def test_a_failed_first_save_leaves_no_folder_and_no_lock_file(
    runner: CliRunner, home: Path, monkeypatch: pytest.MonkeyPatch, step: str, existed: bool
) -> None:
    if existed:
        home.mkdir(mode=0o700)
    real = getattr(os, step)

    def full(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, step, full)
    result = run(runner, "log", "--date", DAY, "--pain", "3")
    monkeypatch.setattr(os, step, real)
    assert result.exit_code == 1
    assert os.strerror(errno.ENOSPC) in result.stderr
    if existed:
        assert home.is_dir() and list(home.iterdir()) == []
    else:
        assert not home.exists()
    assert run(runner, "log", "--date", DAY, "--pain", "3").exit_code == 0  # the disk is back


# ------------------------------------------------------------------- honest messages


@pytest.mark.parametrize("args", [["today"], ["history"], ["log", "--pain", "3"], ["summary"]])
def test_a_home_that_is_a_file_is_named_as_such(
    runner: CliRunner, home: Path, args: list[str]
) -> None:
    home.write_bytes(b"not a folder")
    result = run(runner, *args)
    assert result.exit_code == 1, result.stdout
    message = result.stderr.strip()
    assert str(home) in message and "not a folder" in message, message
    assert "no diary" not in message.lower() and "\n" not in message
    assert home.read_bytes() == b"not a folder"


@pytest.fixture
def locked_home() -> Iterator[Path]:
    """A home with a diary, in a folder that only root can open."""
    base = Path(tempfile.mkdtemp(prefix="rugcoach-locked-"))
    base.chmod(0o755)
    home = base / "home"
    try:
        Store(home).update(lambda _: diary())
        yield home
    finally:
        shutil.rmtree(base)


def as_other_user(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """rugcoach run as uid 12345, by a Python that user may execute (this one, or the
    system's of the same version, with this one's packages)."""
    import rugcoach

    packages = [
        str(Path(rugcoach.__file__).parents[1]),
        *[p for p in sys.path if "site-packages" in p],
    ]
    env = {**env, "PYTHONPATH": os.pathsep.join(packages)}
    version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    for python in (sys.executable, f"/usr/bin/{version}", f"/usr/local/bin/{version}"):
        try:
            return subprocess.run(
                [python, "-m", "rugcoach", "--lang", "en", *args],
                env=env,
                capture_output=True,
                text=True,
                user=12345,
                group=12345,
                extra_groups=[],
                cwd="/",
                check=False,
                timeout=60,
            )
        except (PermissionError, FileNotFoundError):
            continue
    pytest.skip("no Python that another user may run")


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run as another user")
@pytest.mark.parametrize("args", [["today"], ["history"], ["log", "--pain", "3"]])
def test_a_folder_the_user_cannot_open_is_named_as_such(locked_home: Path, args: list[str]) -> None:
    before = snapshot(locked_home)
    env = {**os.environ, "RUGCOACH_HOME": str(locked_home), "LANG": "C.UTF-8"}
    env.pop("RUGCOACH_LANG", None)
    result = as_other_user(args, env)
    assert result.returncode == 1, result.stdout
    message = result.stderr.strip()
    assert str(locked_home) in message and "cannot be opened" in message, message
    assert "Permission denied" in message
    assert "no diary" not in message.lower() and "Traceback" not in message
    assert snapshot(locked_home) == before


# ----------------------------------------------------------------- short writes


def test_a_short_write_is_continued_never_dropped(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """os.write may write fewer bytes than asked (a nearly full disk): the rest follows."""
    store = Store(home)
    store.update(lambda _: diary())
    real = os.write
    sizes: list[int] = []

    def at_most_7(fd: int, data: Any) -> int:
        written = real(fd, bytes(data[:7]))
        sizes.append(written)
        return written

    monkeypatch.setattr(os, "write", at_most_7)
    note = "a note long enough to need many short writes " * 20
    new = store.update(lambda d: add_entry(d, make_entry("e1", D0, pain=3, note=note)))  # type: ignore[arg-type]
    monkeypatch.setattr(os, "write", real)
    assert len(sizes) > 100
    assert store.load() == new
    assert store.load()["entries"][0]["note"] == note
    assert storage._dump(new) == store.path.read_bytes()


def test_write_all_writes_every_byte_of_short_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real(fd, bytes(data[:3])))
    path = tmp_path / "out"
    disk.replace_atomically(path, bytes(range(256)) * 10)
    assert path.read_bytes() == bytes(range(256)) * 10


# ------------------------------------------------------- what update writes is checked


def _edit_in_place(key: str, value: Any) -> Any:
    def change(current: Diary | None) -> Diary:
        assert current is not None
        current["entries"][0][key] = value  # type: ignore[literal-required]
        return current

    return change


@pytest.mark.parametrize(
    ("key", "value"),
    [("pain", 11), ("pain", True), ("walk_minutes", "15"), ("date", "2026-02-30"), ("id", "")],
)
def test_an_entry_edited_in_place_is_checked_before_it_is_written(
    home: Path, key: str, value: Any
) -> None:
    store = Store(home)
    store.update(lambda _: {**diary(), "entries": [make_entry(f"e{n}", D0) for n in range(20)]})
    before = snapshot(home)
    with pytest.raises(RugcoachError) as caught:
        store.update(_edit_in_place(key, value))
    assert f"entries[0].{key}" in caught.value.message
    assert snapshot(home) == before
    assert store._sealed(store.path.read_bytes())


def test_an_entry_edited_in_place_is_checked_even_when_others_are_appended(home: Path) -> None:
    store = Store(home)
    store.update(lambda _: {**diary(), "entries": [make_entry(f"e{n}", D0) for n in range(20)]})
    before = snapshot(home)

    def edit_and_append(current: Diary | None) -> Diary:
        assert current is not None
        current["entries"][5]["pain"] = 99  # type: ignore[typeddict-item]
        current["entries"].append(make_entry("new", D0, pain=1))
        return current

    with pytest.raises(RugcoachError) as caught:
        store.update(edit_and_append)
    assert "entries[5].pain" in caught.value.message
    assert snapshot(home) == before


def test_an_entry_edited_in_place_validly_is_saved() -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "home")
        store.update(lambda _: {**diary(), "entries": [make_entry(f"e{n}", D0) for n in range(20)]})
        store.update(_edit_in_place("pain", 7))
        assert store.load()["entries"][0]["pain"] == 7


def test_a_change_checked_without_the_lock_is_redone_on_the_newer_diary(home: Path) -> None:
    """Another writer saved between the first read and the lock: both entries land."""
    store = Store(home)
    store.update(lambda _: diary())
    other = Store(home)
    calls: list[int] = []

    def add_mine(current: Diary | None) -> Diary:
        calls.append(len(current["entries"]) if current else -1)
        if len(calls) == 1:  # meanwhile, someone else saves
            other.update(lambda d: add_entry(d, make_entry("theirs", D0, pain=1)))  # type: ignore[arg-type]
        assert current is not None
        return add_entry(current, make_entry("mine", D0, pain=2))

    store.update(add_mine)
    assert calls == [0, 1]
    assert [e["id"] for e in store.load()["entries"]] == ["theirs", "mine"]


def test_the_lock_timeout_is_30_seconds_and_its_message_names_the_file(home: Path) -> None:
    assert Store(home).lock_timeout == 30
    store = Store(home, lock_timeout=0.3)
    store.update(lambda _: diary())
    with disk.Lock(store.lock_path, 1), pytest.raises(RugcoachError) as caught:
        store.update(lambda d: add_entry(d, make_entry("x", D0, pain=1)))  # type: ignore[arg-type]
    assert str(store.path) in caught.value.message and "busy" in caught.value.message


def test_a_lock_file_removed_while_waiting_is_not_trusted(home: Path) -> None:
    """A writer waiting on a lock file that is then removed (a failed first save removes
    it) locks the new file instead, not the removed one."""
    import threading

    home.mkdir(mode=0o700)
    path = home / "diary.json.lock"
    first = disk.Lock(path, 5)
    first.acquire()
    got: list[disk.Lock] = []

    def wait() -> None:
        lock = disk.Lock(path, 5)
        lock.acquire()
        got.append(lock)

    waiter = threading.Thread(target=wait)
    waiter.start()
    os.unlink(path)  # removed while the waiter waits on it...
    first.release()  # ...and then freed
    waiter.join(10)
    assert got and path.exists()
    with pytest.raises(disk.LockTimeout):
        disk.Lock(path, 0).acquire()  # the waiter holds the file now at the path
    got[0].release()
    disk.Lock(path, 0).acquire()


def test_an_append_writes_the_old_entry_lines_as_they_were(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fast path of the usual change (log): the file is exactly what a full write would
    make, and an entry edited in place is still caught."""
    store = Store(home)
    store.update(lambda _: {**diary(), "entries": [make_entry(f"e{n}", D0) for n in range(30)]})
    real = storage._check_change
    with monkeypatch.context() as patch:
        patch.setattr(storage, "_check_change", None)  # the fast path must not need it
        new = store.update(lambda d: add_entry(d, make_entry("new", D0, pain=4)))  # type: ignore[arg-type]
    assert storage._check_change is real
    after = store.path.read_bytes()
    assert after == storage._dump(new) == storage._dump(store.load())
    assert store.load() == new and len(new["entries"]) == 31

    def edit_then_append(current: Diary | None) -> Diary:
        assert current is not None
        current["entries"][3]["walk_minutes"] = -5  # type: ignore[typeddict-item]
        return add_entry(current, make_entry("newer", D0, pain=1))

    with pytest.raises(RugcoachError, match=r"entries\[3\]\.walk_minutes"):
        store.update(edit_then_append)
    assert store.path.read_bytes() == after


def test_a_home_made_by_another_writer_meanwhile_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Twenty first writers at once: the folder appears between one's look and its next
    look. That is a folder, not "a file in the way" (seen under load)."""
    home = tmp_path / "home"
    real_lexists = os.path.lexists

    def appears(path: Any) -> bool:
        if Path(path) == home and not real_lexists(home):
            os.mkdir(home, 0o700)  # the other writer, just now
        return real_lexists(path)

    monkeypatch.setattr(disk.os.path, "lexists", appears)
    assert disk.make_dir(home) == []  # made by the other one, so not ours to remove
    monkeypatch.undo()
    assert home.is_dir()
    (tmp_path / "file").write_text("x")
    with pytest.raises(FileExistsError):
        disk.make_dir(tmp_path / "file")
