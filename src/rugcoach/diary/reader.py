"""Reading the diary: no lock, no write, and an honest error for every way it can fail.

A diary this rugcoach wrote is recognised by its seal (the checksum of the very bytes it
wrote after checking them, in cache/diary.seal) and then read without checking it again,
and, for a view that needs only some days, in part (diary/layout.py). Anything else is
read by the one strict reader (diary/codec.py). An unusable diary is never "no diary
yet": the error names the file, what is wrong, and the newest backup that does parse.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from rugcoach import disk
from rugcoach.diary import codec, layout
from rugcoach.errors import RugcoachError
from rugcoach.i18n import t
from rugcoach.paths import DIARY_NAME

if TYPE_CHECKING:
    from rugcoach.schema import Diary

SEAL_NAME = "diary.seal"
LOCK_NAME = DIARY_NAME + ".lock"
BACKUP_DIR = "backups"

_STAMP = r"[0-9]{8}T[0-9]{6}\.[0-9]{6}Z"
# backups/diary-20260102T101010.123456Z-4242.json: rotated, the newest KEEP_BACKUPS kept.
_ROTATING = re.compile(rf"diary-({_STAMP})-[0-9]+\.json")
# backups/diary-v1-20260102T101010.123456Z.json (before a migration) and
# backups/diary-20260102T101010.123456Z-4242-removed.json (before entries were deleted): kept.
_KEPT = re.compile(rf"diary-(?:v[0-9]+-({_STAMP})|({_STAMP})-[0-9]+-removed)\.json")


class NoDiary(RugcoachError):
    """There is no diary file yet. Callers decide: create one, or tell the person."""

    def __init__(self, path: Path) -> None:
        super().__init__(t("storage.missing", file=path))
        self.path = path


class BrokenDiary(RugcoachError):
    """The diary exists but cannot be used; it has not been (and will not be) changed."""

    def __init__(self, message: str, path: Path, what: str, backup: Path | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.what = what
        self.backup = backup


def _backup_stamp(name: str) -> str | None:
    match = _ROTATING.fullmatch(name)
    if match:
        return match.group(1)
    match = _KEPT.fullmatch(name)
    if match:
        return match.group(1) or match.group(2)
    return None


class Reader:
    """The diary in `home`, read: `load`, `load_window`; its backups and sync copies."""

    def __init__(self, home: Path) -> None:
        self.home = Path(home)
        self.path = self.home / DIARY_NAME
        self.lock_path = self.home / LOCK_NAME
        self.backup_dir = self.home / BACKUP_DIR
        # The checksum of the bytes this rugcoach last wrote, after validating them, and
        # their index (diary/layout.py). Derived data: losing or damaging it only costs one
        # full validation, or a slower read.
        self.seal_path = self.home / "cache" / SEAL_NAME
        self._seal_known: tuple[bytes, bool] | None = None
        self._seal_index: layout.Index | None = None  # of the bytes in _seal_known

    def exists(self) -> bool:
        """Whether there is something at the diary's path (even a broken file or a folder).

        A home that is a file, or a folder that cannot be opened, is an error saying so, not
        "no diary yet" (SPEC §13).
        """
        try:
            os.lstat(self.path)
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise self._home_error(exc) from None
        return True

    def load(self) -> Diary:
        """The diary, migrated to codec.VERSION in memory. Takes no lock and writes nothing.

        Raises `NoDiary` when there is no diary file, `BrokenDiary` when it cannot be used.
        """
        data = self._read()
        if data is None:
            raise NoDiary(self.path)
        return self._parse_or_raise(data)[0]

    def load_window(self, window: Callable[[Diary], Sequence[tuple[str, str]]]) -> Diary:
        """The diary with only the entries dated in one of the spans `window` gives for it
        (inclusive ISO dates; it sees the diary without entries), and every entry that notes
        a warning sign whatever its date (an urgent sign stays until it is cleared, SPEC
        §10): for a view that looks at no other entries. Same errors as `load`; takes no
        lock and writes nothing.

        On a diary this rugcoach wrote (sealed), only the entry lines in those spans are
        parsed (diary/layout.py): `today` on thirty years of entries then reads a few
        hundred, not 33,000.
        """
        data = self._read()
        if data is None:
            raise NoDiary(self.path)
        found = self._window(data, window)
        if found is not None:
            return found[0]
        diary = self._parse_or_raise(data)[0]
        spans = window({**diary, "entries": []})
        kept = [
            e
            for e in diary["entries"]
            if e["symptoms"] or any(lo <= e["date"] <= hi for lo, hi in spans)
        ]
        return {**diary, "entries": kept}

    def _window(
        self, data: bytes, window: Callable[[Diary], Sequence[tuple[str, str]]]
    ) -> tuple[Diary, tuple[int, int]] | None:
        """`load_window` on the bytes of a sealed diary with entries, and where its entry
        block lies; None if they are not sealed or not laid out as `layout.dump` writes them."""
        if not self._sealed(data):
            return None
        index = self._seal_index
        block = layout.entry_block(data, index.length if index is not None else None)
        if block is None:
            return None
        with contextlib.suppress(ValueError):
            head = layout.head_of(data, block)
            if isinstance(head, dict) and head.get("version") == codec.VERSION:
                wanted = layout.dates_in(window(head))  # type: ignore[arg-type]
                lines = layout.pick_lines(data, block, wanted, index)
                return layout.with_lines(data, block, lines), block
        return None

    def newest_valid_backup(self) -> Path | None:
        """The newest file in backups/ that is a diary this rugcoach can read."""
        for candidate in self._backups():
            try:
                codec.parse(candidate.read_bytes(), str(candidate))
            except (OSError, codec.Bad, codec.Newer):
                continue
            return candidate
        return None

    def conflict_copies(self) -> list[Path]:
        """Copies of the diary that a sync program left next to it after a conflict.

        Dropbox "diary (conflicted copy 2026-01-02).json", "diary (Jan's conflicted copy …)",
        Syncthing "diary.sync-conflict-20260102-101010-ABCDEFG.json", Nextcloud / ownCloud
        "diary (conflicted copy …).json" / "diary_conflict-….json", OneDrive
        "diary-HOSTNAME.json", Google Drive "diary (1).json", iCloud "diary 2.json": every
        `diary*.json` other than the diary itself, so an unknown tool's copies are found too.
        They are reported, never touched.
        """
        folders = {self.home}
        with contextlib.suppress(OSError):
            folders.add(Path(os.path.realpath(self.path)).parent)
        found: set[Path] = set()
        for folder in folders:
            try:
                names = os.listdir(folder)
            except OSError:
                continue
            for name in names:
                lower = name.casefold()
                if (
                    lower.startswith("diary")
                    and lower.endswith(".json")
                    and name != DIARY_NAME
                    and (folder / name).is_file()
                ):
                    found.add(folder / name)
        return sorted(found)

    def _home_error(self, exc: OSError) -> RugcoachError:
        """The home folder itself is the problem: it is a file, or cannot be opened."""
        if isinstance(exc, NotADirectoryError):
            return RugcoachError(t("storage.home_not_folder", folder=self.home))
        return RugcoachError(t("storage.home_unreadable", folder=self.home, why=disk.why(exc)))

    def _read(self) -> bytes | None:
        """The diary file's bytes, None if there is none; BrokenDiary if it cannot be read."""
        try:
            # stat first: opening a folder fails, and opening a named pipe would block.
            info = os.stat(self.path)
        except FileNotFoundError:
            return None
        except OSError as exc:
            if isinstance(exc, NotADirectoryError) or not os.access(self.home, os.X_OK):
                raise self._home_error(exc) from None
            return self._unreadable(disk.why(exc))
        if not stat.S_ISREG(info.st_mode):
            return self._unreadable(t("storage.what.not_a_file"))
        try:
            with open(self.path, "rb") as handle:
                return handle.read()
        except FileNotFoundError:
            return None
        except OSError as exc:
            return self._unreadable(disk.why(exc))

    def _unreadable(self, why: str) -> NoReturn:
        backup = self.newest_valid_backup()
        message = t("storage.unreadable", file=self.path, why=why)
        if backup is not None:
            message += " " + t("storage.backup_hint", backup=backup)
        raise BrokenDiary(message, self.path, why, backup)

    def _sealed(self, data: bytes) -> bool:
        """Whether `data` are the very bytes this rugcoach last wrote after checking them.
        The seal's second line, the index of those bytes (layout.Index), is kept too."""
        if self._seal_known is not None and self._seal_known[0] is data:
            return self._seal_known[1]  # these very bytes were checked already
        try:
            seal, _, index = self.seal_path.read_text(encoding="ascii").partition("\n")
        except (OSError, ValueError):
            return False
        sealed = seal.strip() == codec.seal_of(data)
        self._seal_known = (data, sealed)
        self._seal_index = layout.Index.parse(index) if sealed else None
        return sealed

    def _parse_or_raise(self, data: bytes) -> tuple[Diary, int]:
        try:
            return codec.parse(data, str(self.path), sealed=self._sealed(data))
        except codec.Newer as newer:
            what = t("storage.what.newer", version=newer.version, known=codec.VERSION)
            message = t("storage.newer", file=self.path, version=newer.version, known=codec.VERSION)
            backup = self.newest_valid_backup()
            if backup is not None:
                message += " " + t("storage.backup_hint", backup=backup)
            raise BrokenDiary(message, self.path, what, backup) from None
        except codec.Bad as bad:
            backup = self.newest_valid_backup()
            if backup is None:
                message = t("storage.broken_no_backup", file=self.path, what=bad.what)
            else:
                message = t("storage.broken", file=self.path, what=bad.what, backup=backup)
            raise BrokenDiary(message, self.path, bad.what, backup) from None

    def _backups(self) -> list[Path]:
        """Every backup file, newest first."""
        try:
            names = os.listdir(self.backup_dir)
        except OSError:
            return []
        stamped = [(stamp, name) for name in names if (stamp := _backup_stamp(name))]
        stamped.sort(reverse=True)
        return [self.backup_dir / name for _, name in stamped]
