"""The diary on disk: the one safe way to write it (SPEC §6, §13), on top of reading it
(diary/reader.py), its format and migrations (codec), its file layout (layout) and the
cheap check of a change (changes).

Guarantees, each proven by the tests in tests/test_storage*.py and test_hardening.py:

- A write is atomic: temporary file in the same folder, write (every byte, however short
  each `os.write`), fsync, `os.replace`, fsync the folder (rugcoach/disk.py). A reader (which takes
  no lock) sees the old diary or the new one, never a mix.
- `Store.update` makes and checks the change first, without the lock; then, under an
  exclusive lock on a separate lock file (disk.Lock: a blocking `flock` that the kernel
  drops when its process dies, so a writer killed with SIGKILL never leaves it held),
  reads the diary again, redoes the change only if another writer saved meanwhile, and
  saves. So the lock is held only for the read-modify-write, and writers queue.
- Before each rewrite the previous file is kept in `backups/`: the newest `KEEP_BACKUPS`
  rotating copies, plus copies that are never rotated away: the file as it was before a
  migration to a newer schema version, and before a save that deletes entries.
- A save that would lose entries the caller did not name in `removing` is refused.
- What is written is checked (diary_rules), whatever the change did to the objects it got.
- A diary that cannot be read is never overwritten; the error names the file, what is wrong
  and the newest backup that does parse, for every kind of breakage.
- Files are 0600 and folders 0700 whatever the umask.
- A refused or failed update leaves every file under the home as it was (SPEC §3): a
  refused change creates nothing, not even the folder; a first save that fails removes the
  lock file and folders it made.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Collection, Container, Iterable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rugcoach import disk
from rugcoach.diary import changes, codec, layout
from rugcoach.diary.changes import Prepared
from rugcoach.diary.codec import FORMAT, MIGRATIONS, VERSION, migrate
from rugcoach.diary.edits import add_entry
from rugcoach.diary.reader import (
    _ROTATING,
    BACKUP_DIR,
    LOCK_NAME,
    SEAL_NAME,
    BrokenDiary,
    NoDiary,
    Reader,
)
from rugcoach.disk import DIR_MODE, FILE_MODE, Lock, LockTimeout, make_dir, remove_dirs
from rugcoach.errors import RugcoachError
from rugcoach.i18n import t
from rugcoach.paths import DIARY_NAME

if TYPE_CHECKING:
    from rugcoach.schema import Diary, Entry

__all__ = [
    "BACKUP_DIR",
    "DIARY_NAME",
    "DIR_MODE",
    "FILE_MODE",
    "FORMAT",
    "KEEP_BACKUPS",
    "LOCK_NAME",
    "MIGRATIONS",
    "SEAL_NAME",
    "VERSION",
    "BrokenDiary",
    "NoDiary",
    "Store",
    "migrate",
    "new_entry_id",
]

# Under the names the storage tests use and replace (the fault-injection tests patch the
# disk steps here): the file layout, the strict reader, the cheap check of a change.
_dump = layout.dump
_entry_lines = layout.entry_lines
_parse = codec.parse
_check = codec.check
_check_change = changes.check_change
_chmod = disk.chmod
_fsync_dir = disk.fsync_dir
_replace_atomically = disk.replace_atomically
_why = disk.why

LOCK_TIMEOUT = 30.0  # seconds a writer waits for the lock before it gives up (SPEC §13)
KEEP_BACKUPS = 10  # rotating backups kept; migration and deletion backups are never rotated

# Our temporary files: ".diary.json.1a2b3c4d.tmp" next to the diary, ".diary-….json.….tmp" in
# backups/ (see _replace_atomically). Only a writer holding the lock makes them, so any found
# under the lock are stale (left by a writer that was killed) and are removed before a save.
_TEMP_SUFFIX = r"\.[0-9a-f]{8}\.tmp"
_BACKUP_TEMP = re.compile(r"\.diary-[^/]*\.json" + _TEMP_SUFFIX)
_SEAL_TEMP = re.compile(re.escape(f".{SEAL_NAME}") + _TEMP_SUFFIX)


class _SaveUnsure(RugcoachError):
    """A save failed after the new diary was put in place, and it could not be undone."""


def new_entry_id(existing: Container[str] | Iterable[str]) -> str:
    """A short id (8 hex digits) not in `existing`: ids that `in` can be asked of (a set,
    or the ids of a diary file, `_IdsIn`), or any iterable of them, even a generator."""
    taken = existing if isinstance(existing, Container) else set(existing)
    while True:
        candidate = _token()
        if candidate not in taken:
            return candidate


def _token() -> str:
    # Imported here: `secrets` costs ~7 ms, and only writes need it, not `rugcoach today`.
    import secrets

    return secrets.token_hex(4)


def _link_copy(source: Path, path: Path, size: int) -> bool:
    """Make `path` a hard link to `source` if it holds `size` bytes; False where it cannot."""
    try:
        os.link(source, path, follow_symlinks=False)
    except (OSError, NotImplementedError):
        return False
    try:
        if os.stat(path).st_size == size:
            return True
    except OSError:
        pass
    with contextlib.suppress(OSError):
        os.unlink(path)
    return False


def _stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")


class Store(Reader):
    """The diary in `home`: `load` to read, `update` and `append` to change it (the only
    ways to write)."""

    def __init__(self, home: Path, *, lock_timeout: float = LOCK_TIMEOUT) -> None:
        super().__init__(home)
        self.lock_timeout = lock_timeout
        self.lock_waited = 0.0  # how long the last update waited for the lock (seconds)

    def update(
        self, change: Callable[[Diary | None], Diary], *, removing: Collection[str] = ()
    ) -> Diary:
        """Apply `change` to the diary and save the result; return it.

        `change` gets the current diary (None if there is none) and returns the new one. If
        it raises, nothing is written. The save is refused (RugcoachError, nothing written)
        if the result is not a valid diary, or if it lacks an entry that was there before and
        is not in `removing`. Whatever `change` did to the objects it was given, what is
        written is checked (see `_check_change`).

        The lock is held only for the read-modify-write (see `_commit`), so `change` may be
        called twice and must have no side effects beyond its result.
        """

        def prepare(data: bytes | None) -> Prepared:
            current, old_version = (None, None) if data is None else self._parse_or_raise(data)
            new, new_data, removed = self._prepare(change, removing, current, data)
            return Prepared(new, new_data, old_version, removed)

        return self._commit(prepare).diary

    def append(
        self,
        make: Callable[[Diary, Container[str]], Entry],
        window: Callable[[Diary], Sequence[tuple[str, str]]],
    ) -> tuple[Diary, Diary, Entry]:
        """Add the entry `make` gives for the diary and the ids taken (`in` works; nothing
        else may be asked of it) at the end of the diary: the diary before, the diary after
        and the entry. The diaries hold only the entries of `window` and those that note a
        warning sign, as `load_window` does, unless the whole diary had to be read anyway.

        `log` on ten years of entries: on a diary this rugcoach wrote (sealed), the old
        entry lines are neither parsed nor checked again: the new line is checked and
        spliced in after them, and the ids are searched in the bytes. Otherwise this is
        `update` with a change that adds the entry. Raises NoDiary if there is none; like
        `update`, `make` may be called more than once.
        """
        made: dict[str, Any] = {}

        def add(current: Diary | None) -> Diary:
            if current is None:
                raise NoDiary(self.path)
            made["entry"] = make(current, {e["id"] for e in current["entries"]})
            return add_entry(current, made["entry"])

        def prepare(data: bytes | None) -> Prepared:
            spliced = self._splice(data, make, window) if data is not None else None
            if spliced is not None:
                return spliced
            current, old_version = (None, None) if data is None else self._parse_or_raise(data)
            new, new_data, removed = self._prepare(add, (), current, data)
            return Prepared(new, new_data, old_version, removed, current, made["entry"])

        saved = self._commit(prepare)
        assert saved.before is not None and saved.entry is not None  # both ways set them
        return saved.before, saved.diary, saved.entry

    def _splice(
        self,
        data: bytes,
        make: Callable[[Diary, Container[str]], Entry],
        window: Callable[[Diary], Sequence[tuple[str, str]]],
    ) -> Prepared | None:
        """`append` on a sealed diary without parsing its old entries; None where it does
        not apply (then the whole diary is read and checked)."""
        found = self._window(data, window)
        if found is None:
            return None
        return changes.splice(data, *found, make, self._seal_index)

    def _commit(self, prepare: Callable[[bytes | None], Prepared]) -> Prepared:
        """Save what `prepare` makes of the diary's bytes (None: no diary).

        The lock is held only for the read-modify-write: the change is first made and
        checked on the diary as read without the lock (a refused change so creates nothing,
        not even the folder, SPEC §3). Under the lock the diary is read again; only if
        another writer changed it meanwhile is `prepare` run again, on those bytes.
        """
        data = self._read()
        prepared = prepare(data)
        if prepared.data == data:
            return prepared  # nothing changed: no lock, no rewrite, no backup churn
        created = self._ensure_home()
        first = data is None
        lock_is_new = not os.path.lexists(self.lock_path)
        lock = Lock(self.lock_path, self.lock_timeout)
        try:
            lock.acquire()
        except LockTimeout:
            remove_dirs(created)
            raise RugcoachError(
                t("storage.busy", file=self.path, seconds=round(self.lock_timeout))
            ) from None
        except OSError as exc:
            remove_dirs(created)
            raise RugcoachError(
                t("storage.lock_failed", file=self.lock_path, why=_why(exc), folder=self.home)
            ) from None
        self.lock_waited = lock.waited
        try:
            now = self._read()
            if now != data:  # another writer was first: make the change on its diary
                data = now
                prepared = prepare(data)
            if prepared.data == data:
                return prepared
            self._save(prepared.data, data, prepared.old_version, removed=prepared.removed)
            self._write_seal(prepared.data, prepared.index)
            return prepared
        except BaseException:
            if first and lock_is_new and not os.path.lexists(self.path):
                # A first save that failed leaves nothing behind: no lock file, no folder.
                with contextlib.suppress(OSError):
                    os.unlink(self.lock_path)
                lock.release()
                remove_dirs(created)
            raise
        finally:
            lock.release()

    def _write_seal(self, data: bytes, index: layout.Index | None = None) -> None:
        """Best effort: a seal that is missing or stale only means a full validation, an
        index that is missing only a slower read.

        Runs under the lock, so temporary seal files found now were left by a killed writer.
        """
        self._remove_stale_temps(self.seal_path.parent, _SEAL_TEMP)
        if index is None:
            index = layout.Index.of(data)
        text = f"{codec.seal_of(data)}\n{index.text()}\n"
        with contextlib.suppress(OSError):
            make_dir(self.seal_path.parent)
            _replace_atomically(self.seal_path, text.encode("ascii"))
        self._seal_known = (data, True)
        self._seal_index = index

    def _prepare(
        self,
        change: Callable[[Diary | None], Diary],
        removing: Collection[str],
        current: Diary | None,
        data: bytes | None,
    ) -> tuple[Diary, bytes, bool]:
        """The diary `change` makes of `current` (read from `data`), checked, its bytes, and
        whether it removes entries (that `removing` allowed); or RugcoachError."""
        before = [e["id"] for e in current["entries"]] if current is not None else []
        # A diary this rugcoach wrote (sealed): `change` gets copies of its entries, so the
        # ones it leaves as they were can be written as the very bytes read (see changes.appended).
        originals = None
        if current is not None and data is not None and self._sealed(data):
            originals = current["entries"]
            current = {**current, "entries": [changes.copy_entry(e) for e in originals]}
        proposed = change(current)
        try:
            if not isinstance(proposed, dict) or proposed.get("version") != codec.VERSION:
                found = proposed.get("version") if isinstance(proposed, dict) else None
                raise codec.Bad(t("storage.what.wrong_version", found=found, known=codec.VERSION))
            appended = changes.appended(proposed, originals, data)
            # `before` was taken before `change` ran: it may have changed `current` in place.
            new, new_data = appended or _check_change(proposed, data, len(before))
        except codec.Bad as bad:
            raise RugcoachError(t("storage.invalid_change", what=bad.what)) from None
        except UnicodeEncodeError:
            raise RugcoachError(
                t("storage.invalid_change", what=t("storage.what.surrogate"))
            ) from None
        after = {e["id"] for e in new["entries"]}
        gone = [i for i in before if i not in after]
        allowed = set(removing)
        lost = [i for i in gone if i not in allowed]
        if lost:
            shown = ", ".join(lost[:5]) + (", …" if len(lost) > 5 else "")
            raise RugcoachError(t("storage.would_lose", count=len(lost), ids=shown))
        return new, new_data, bool(gone)

    def _ensure_home(self) -> list[Path]:
        """The home made (0700) if missing; the folders created now."""
        try:
            return make_dir(self.home)
        except NotADirectoryError as exc:
            raise self._home_error(exc) from None
        except FileExistsError:
            raise self._home_error(NotADirectoryError()) from None
        except OSError as exc:
            raise RugcoachError(t("storage.write_failed", file=self.path, why=_why(exc))) from None

    def _remove_stale_temps(self, folder: Path, pattern: re.Pattern[str]) -> None:
        with contextlib.suppress(OSError):
            for name in os.listdir(folder):
                if pattern.fullmatch(name):
                    with contextlib.suppress(OSError):
                        os.unlink(folder / name)

    def _save(
        self, data: bytes, old: bytes | None, old_version: int | None, *, removed: bool
    ) -> None:
        """Write `data` as the diary, keeping `old` (the current bytes) as a backup first."""
        target = Path(os.path.realpath(self.path))  # write through a symlinked diary
        self._remove_stale_temps(
            target.parent, re.compile(re.escape(f".{target.name}") + _TEMP_SUFFIX)
        )
        self._remove_stale_temps(self.backup_dir, _BACKUP_TEMP)
        _chmod(self.home, DIR_MODE)
        backup: tuple[Path, bool] | None = None
        if old is not None:
            if old_version is not None and old_version < codec.VERSION:
                name = f"diary-v{old_version}-{{stamp}}.json"
            elif removed:
                name = f"diary-{{stamp}}-{os.getpid()}-removed.json"
            else:
                name = f"diary-{{stamp}}-{os.getpid()}.json"
            backup = self._write_backup(old, name, target)
        try:
            self._write_diary(target, data, old)
        except _SaveUnsure:
            raise  # the diary may hold the new data: keep the backup of the old
        except RugcoachError:
            # The diary is as it was, so the backup of it is not needed: leave no trace.
            if backup is not None:
                path, created = backup
                with contextlib.suppress(OSError):
                    os.unlink(path)
                    if created:
                        os.rmdir(self.backup_dir)
                    _fsync_dir(self.backup_dir.parent if created else self.backup_dir)
            raise
        if backup is not None:
            self._rotate(keep=backup[0])

    def _write_backup(self, old: bytes, name: str, current: Path) -> tuple[Path, bool]:
        """The backup written, and whether backups/ was created for it.

        The backup is a hard link to `current`, the diary file as it is: the new diary
        replaces it with another file, so the link keeps exactly the old version, without
        copying megabytes. Where a link cannot be made (FAT, some network or sync folders)
        or the file no longer holds `old`, the bytes are copied as before.
        """
        created = False
        path = None
        try:
            created = bool(make_dir(self.backup_dir))
            while True:
                path = self.backup_dir / name.format(stamp=_stamp())
                if not os.path.lexists(path):
                    break
            if not _link_copy(current, path, len(old)):
                _replace_atomically(path, old)
            _fsync_dir(self.backup_dir)
            return path, created
        except OSError as exc:
            if path is not None:
                with contextlib.suppress(OSError):
                    os.unlink(path)
            if created:
                with contextlib.suppress(OSError):
                    os.rmdir(self.backup_dir)
            raise RugcoachError(
                t("storage.backup_failed", folder=self.backup_dir, why=_why(exc))
            ) from None

    def _write_diary(self, target: Path, data: bytes, old: bytes | None) -> None:
        """Replace the diary; RugcoachError (the diary as it was) if any disk step fails."""
        try:
            _replace_atomically(target, data)
        except OSError as exc:
            raise RugcoachError(t("storage.write_failed", file=self.path, why=_why(exc))) from None
        try:
            _fsync_dir(target.parent)
        except OSError as exc:
            # The new file is in place but the rename may not be on disk. Put the old bytes
            # back, so that an error always means "nothing changed" and a retry is safe.
            try:
                if old is None:
                    os.unlink(target)
                else:
                    _replace_atomically(target, old)
                with contextlib.suppress(OSError):
                    _fsync_dir(target.parent)
            except OSError:
                raise _SaveUnsure(
                    t("storage.write_unsure", file=self.path, why=_why(exc))
                ) from None
            raise RugcoachError(t("storage.write_failed", file=self.path, why=_why(exc))) from None

    def _rotate(self, keep: Path) -> None:
        """Keep the newest KEEP_BACKUPS rotating backups; never touch any other file.

        `keep`, the backup just written, always stays, even if the clock was set back and its
        name sorts before older ones.
        """
        try:
            names = sorted(n for n in os.listdir(self.backup_dir) if _ROTATING.fullmatch(n))
        except OSError:
            return
        if keep.name in names:
            names.remove(keep.name)
            names.append(keep.name)
        for name in names[:-KEEP_BACKUPS]:
            with contextlib.suppress(OSError):
                os.unlink(self.backup_dir / name)
