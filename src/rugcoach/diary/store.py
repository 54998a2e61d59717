"""The diary on disk: reading, migrating, and the one safe way to write it (SPEC §6, §13).

Guarantees, each proven by the tests in tests/test_storage*.py and test_hardening.py:

- A write is atomic: temporary file in the same folder, write (every byte, however short
  each `os.write`), fsync, `os.replace`, fsync the folder (diary/disk.py). A reader (which takes
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
import json
import os
import re
import stat
from collections.abc import Callable, Collection, Container, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from rugcoach.diary import disk, layout, strictjson
from rugcoach.diary import rules as diary_rules
from rugcoach.diary.disk import DIR_MODE, FILE_MODE, Lock, LockTimeout, make_dir, remove_dirs
from rugcoach.errors import RugcoachError
from rugcoach.i18n import t
from rugcoach.paths import DIARY_NAME

if TYPE_CHECKING:
    # Types only: importing the schema pulls in annotated_types, which `today` (a read)
    # must not pay for (SPEC §8). Writing imports it, in `_key_order`.
    from rugcoach.schema import Diary, Entry

__all__ = [
    "DIARY_NAME",
    "DIR_MODE",
    "FILE_MODE",
    "FORMAT",
    "KEEP_BACKUPS",
    "MIGRATIONS",
    "VERSION",
    "BrokenDiary",
    "NoDiary",
    "Store",
    "migrate",
    "new_entry_id",
]

# The file's layout (diary/layout.py), under the names the storage tests use.
_dump = layout.dump
_entry_lines = layout.entry_lines
_no_gc = layout.no_gc

# The disk steps (diary/disk.py), under the names the fault-injection tests replace.
_chmod = disk.chmod
_fsync_dir = disk.fsync_dir
_replace_atomically = disk.replace_atomically
_why = disk.why

SEAL_NAME = "diary.seal"
FORMAT = "rugcoach-diary"
VERSION = 3  # the current schema version of the diary
LOCK_NAME = DIARY_NAME + ".lock"
BACKUP_DIR = "backups"
LOCK_TIMEOUT = 30.0  # seconds a writer waits for the lock before it gives up (SPEC §13)
KEEP_BACKUPS = 10  # rotating backups kept; migration and deletion backups are never rotated


def _v1_to_v2(raw: dict[str, Any]) -> dict[str, Any]:
    """Version 2 adds the patient-specific activities (PSK / PSFS): none yet."""
    if "activities" in raw:  # a version 1 diary cannot hold them: the file was tampered with
        raise ValueError(t("storage.what.v1_activities"))
    return {**raw, "activities": []}


def _v2_to_v3(raw: dict[str, Any]) -> dict[str, Any]:
    """Version 3 adds the clearances of warnings (SPEC §10) and, per entry, the UTC offset
    it was logged at (SPEC §14) and the exercise feedback (SPEC §11): none yet."""
    if "clearances" in raw:  # a version 2 diary cannot hold them: the file was tampered with
        raise ValueError(t("storage.what.v2_clearances"))
    entries = raw.get("entries")
    if isinstance(entries, list):
        entries = [_v3_entry(e) for e in entries]
    return {**raw, "entries": entries, "clearances": []}


def _v3_entry(entry: Any) -> Any:
    if not isinstance(entry, dict):
        return entry  # validation after the migration names what is wrong with it
    if any(key in entry for key in V3_ENTRY_KEYS):
        raise ValueError(t("storage.what.v2_clearances"))
    out: dict[str, Any] = {}
    for key, value in entry.items():
        out[key] = value
        if key == "time":
            out["utc_offset"] = None
        elif key == "done":
            out["hard"], out["easy"] = [], []
    for key, empty in (("utc_offset", None), ("hard", []), ("easy", [])):
        out.setdefault(key, empty)
    return out


# The entry keys version 3 added; an older file that has them was not written by rugcoach.
V3_ENTRY_KEYS = ("utc_offset", "hard", "easy")

# Version N -> a function turning a version-N diary (a plain dict, freshly parsed) into a
# version N+1 one. `migrate` applies them step by step and sets "version" after each step.
# A step must not modify its argument.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
}

_STAMP = r"[0-9]{8}T[0-9]{6}\.[0-9]{6}Z"
# backups/diary-20260102T101010.123456Z-4242.json: rotated, the newest KEEP_BACKUPS kept.
_ROTATING = re.compile(rf"diary-({_STAMP})-[0-9]+\.json")
# backups/diary-v1-20260102T101010.123456Z.json (before a migration) and
# backups/diary-20260102T101010.123456Z-4242-removed.json (before entries were deleted): kept.
_KEPT = re.compile(rf"diary-(?:v[0-9]+-({_STAMP})|({_STAMP})-[0-9]+-removed)\.json")
# Our temporary files: ".diary.json.1a2b3c4d.tmp" next to the diary, ".diary-….json.….tmp" in
# backups/ (see _replace_atomically). Only a writer holding the lock makes them, so any found
# under the lock are stale (left by a writer that was killed) and are removed before a save.
_TEMP_SUFFIX = r"\.[0-9a-f]{8}\.tmp"
_BACKUP_TEMP = re.compile(r"\.diary-[^/]*\.json" + _TEMP_SUFFIX)
_SEAL_TEMP = re.compile(re.escape(f".{SEAL_NAME}") + _TEMP_SUFFIX)

_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


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


class _Bad(RugcoachError):
    """The data is not a usable diary; `what` says why, in the person's language.

    Internal: `Store` turns it into a full BrokenDiary message. It is a RugcoachError only so
    that a caller of `migrate` never shows a traceback.
    """

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


class _SaveUnsure(RugcoachError):
    """A save failed after the new diary was put in place, and it could not be undone."""


class _Newer(Exception):
    def __init__(self, version: int) -> None:
        super().__init__(version)
        self.version = version


def new_entry_id(existing: Container[str] | Iterable[str]) -> str:
    """A short id (8 hex digits) not in `existing`: ids that `in` can be asked of (a set,
    or the ids of a diary file, `_IdsIn`), or any iterable of them, even a generator."""
    taken = existing if isinstance(existing, Container) else set(existing)
    while True:
        candidate = _token()
        if candidate not in taken:
            return candidate


# ------------------------------------------------------------------------ parse and check


def _decode(data: bytes) -> Any:
    """Bytes to JSON value, or `_Bad` saying in plain words what is wrong with the bytes."""
    if not data:
        raise _Bad(t("storage.what.empty"))
    if data.startswith(_BOM):
        raise _Bad(t("storage.what.bom"))
    if data.startswith(_UTF16_BOMS):
        raise _Bad(t("storage.what.utf16"))
    if b"\x00" in data:
        raise _Bad(t("storage.what.nul", pos=data.index(b"\x00")))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Bad(t("storage.what.not_utf8", pos=exc.start)) from None
    stripped = text.rstrip()
    if not stripped:
        raise _Bad(t("storage.what.blank"))
    try:
        with _no_gc():
            value = strictjson.loads(text)
    except strictjson.StrictJSONError as exc:
        raise _Bad(exc.what) from None
    except json.JSONDecodeError as exc:
        if exc.pos >= len(stripped) or exc.msg.startswith("Unterminated string"):
            raise _Bad(t("storage.what.truncated")) from None
        raise _Bad(
            t("storage.what.bad_json", line=exc.lineno, column=exc.colno, problem=exc.msg)
        ) from None
    except RecursionError:
        raise _Bad(t("storage.what.too_deep")) from None
    # A "\ud800" escape decodes to a lone surrogate, which no UTF-8 file can hold: the next
    # save would fail. Only look when the text has such an escape (cheap in the normal case).
    if ("\\ud" in text or "\\uD" in text) and _has_lone_surrogate(value):
        raise _Bad(t("storage.what.surrogate"))
    return value


def _token() -> str:
    # Imported here: `secrets` costs ~7 ms, and only writes need it, not `rugcoach today`.
    import secrets

    return secrets.token_hex(4)


def _seal(data: bytes) -> str:
    from rugcoach.content.cache import checksum

    return f"rugcoach-diary-v{VERSION} {checksum(data)}"


def _has_lone_surrogate(value: Any) -> bool:
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _parse(data: bytes, name: str, *, sealed: bool = False) -> tuple[Diary, int]:
    """The diary in `data`, migrated to VERSION and checked, with the version found on disk.

    `sealed`: these are the very bytes this rugcoach wrote after validating them (see
    `Store._sealed`), so the plain C JSON parser is enough; ten years of entries then load
    in milliseconds instead of a third of a second.

    Raises `_Bad` for anything unusable, `_Newer` for a diary from a newer rugcoach.
    """
    if sealed:
        with contextlib.suppress(ValueError):
            with _no_gc():
                raw = json.loads(data)
            if isinstance(raw, dict) and raw.get("version") == VERSION:
                return raw, VERSION  # type: ignore[return-value]
    raw = _decode(data)
    if not isinstance(raw, dict):
        raise _Bad(t("storage.what.not_object"))
    if raw.get("format") != FORMAT:
        found = json.dumps(raw.get("format"), ensure_ascii=False)[:60]
        raise _Bad(t("storage.what.not_diary", found=found))
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        found = json.dumps(version, ensure_ascii=False)[:60]
        raise _Bad(t("storage.what.bad_version", found=found))
    if version > VERSION:
        raise _Newer(version)
    return _check(migrate(raw)), version


def migrate(raw: dict[str, Any]) -> dict[str, Any]:
    """An older diary brought to VERSION, one registered step at a time (in memory only)."""
    version = raw["version"]
    while version < VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise _Bad(t("storage.what.no_migration", version=version))
        try:
            raw = step(raw)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise _Bad(t("storage.what.migration_failed", version=version, problem=exc)) from None
        version += 1
        raw["version"] = version
    return raw


def _check(raw: Any) -> Diary:
    """`raw` as a valid diary (diary_rules: its shape, then its meaning), or `_Bad`."""
    try:
        return diary_rules.check_diary(raw)
    except diary_rules.RuleError as exc:
        raise _bad_rule(exc) from None


def _bad_rule(exc: diary_rules.RuleError) -> _Bad:
    if exc.field:
        return _Bad(t("storage.what.invalid", field=exc.field, problem=exc.what))
    return _Bad(t("storage.what.invalid_plain", problem=exc.what))


def _copy_entry(entry: Any) -> Any:
    """An entry whose lists are its own: changing the copy leaves the original as it was.
    (Its other values are strings, numbers and None, which cannot be changed in place.)"""
    return {
        **entry,
        "done": [*entry["done"]],
        "hard": [*entry["hard"]],
        "easy": [*entry["easy"]],
        "symptoms": [*entry["symptoms"]],
    }


def _appended(
    proposed: Any, originals: list[Any] | None, old: bytes | None
) -> tuple[Diary, bytes] | None:
    """The usual change (`log`), cheaply: the entries of the sealed file `old` (parsed as
    `originals`; `change` got copies) left as they were and new ones after them. Then the
    new file is the old entry lines as they are, and only the rest is made and checked. None
    when the change is not of that kind (then `_check_change` does it all).

    An old entry counts as left as it was if its copy still equals the original: then the
    original is what is returned and its bytes are what is written, whatever was done to
    the copy (a change that edited it into something unequal is not of this kind).
    """
    if originals is None or old is None or not isinstance(proposed, dict):
        return None
    entries = proposed.get("entries")
    count = len(originals)
    if type(entries) is not list or len(entries) <= count:
        return None
    old_lines = _entry_lines(old)
    if old_lines is None or entries[:count] != originals:
        return None
    fresh = entries[count:]
    probe: Any = {**proposed, "entries": fresh}
    try:
        tail = _dump(probe)
        diary_rules.check_diary(probe)
        new: Any = {**probe, "entries": [*originals, *fresh]}
        diary_rules.unique_ids(new["entries"])
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, RecursionError):
        return None  # the full check names what is wrong, with the diary's own indexes
    at = tail.find(layout.ENTRIES_START) + len(layout.ENTRIES_START)
    return new, tail[:at] + old_lines + b",\n" + tail[at:]


def _check_change(proposed: Any, old: bytes | None, old_count: int) -> tuple[Diary, bytes]:
    """`proposed` checked, and its bytes; or `_Bad`.

    `old` is the valid diary file the change was made to, holding `old_count` entries.
    Only entries are costly to check, and a change keeps most of them: an entry written in
    the new file exactly as an entry of `old` is valid already, whatever object holds it (an
    entry edited in place is written differently, and so checked). Everything else is
    checked in full, and the one rule over all entries (unique ids) too. What is written is
    the text that was checked.
    """
    old_lines = _entry_lines(old) if old is not None else None
    if not old_lines or not isinstance(proposed, dict) or type(proposed.get("entries")) is not list:
        diary = _check(proposed)
        return diary, _dump(diary)
    try:
        data = _dump(proposed)  # type: ignore[arg-type]
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, RecursionError):
        diary = _check(proposed)  # not even writable: the full check says why
        return diary, _dump(diary)
    entries = proposed["entries"]
    new_lines = _entry_lines(data) or b""
    if new_lines == old_lines or new_lines.startswith(old_lines + b",\n"):
        # The usual change (log): the old entries, unchanged and in order, then new ones.
        fresh = list(range(old_count, len(entries)))
    else:
        known = {line.rstrip(b",") for line in old_lines.split(b"\n")}
        fresh = [
            i for i, line in enumerate(new_lines.split(b"\n")) if line.rstrip(b",") not in known
        ]
    if len(fresh) * 4 > len(entries):
        return _check(proposed), data  # mostly new anyway: one full check is simpler
    try:
        diary_rules.check_diary({**proposed, "entries": [entries[i] for i in fresh]})
    except diary_rules.RuleError as exc:
        # The probe's entry k is the diary's entry fresh[k]: name the diary's.
        match = re.match(r"entries\[([0-9]+)\]", exc.field)
        field = exc.field
        if match:
            field = f"entries[{fresh[int(match[1])]}]" + field[match.end() :]
        raise _bad_rule(diary_rules.RuleError(field, exc.what)) from None
    try:
        diary_rules.unique_ids(entries)
    except diary_rules.RuleError as exc:
        raise _bad_rule(exc) from None
    return proposed, data  # type: ignore[return-value]


# ----------------------------------------------------------------------------- disk steps


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


def _backup_stamp(name: str) -> str | None:
    match = _ROTATING.fullmatch(name)
    if match:
        return match.group(1)
    match = _KEPT.fullmatch(name)
    if match:
        return match.group(1) or match.group(2)
    return None


# ---------------------------------------------------------------------------------- Store


@dataclass
class _Prepared:
    """A change made and checked, not yet saved: the new diary and its bytes, the version
    of the file it replaces and whether it removes entries; for `append`, the diary before,
    the entry, and the index of the new bytes when known."""

    diary: Diary
    data: bytes
    old_version: int | None
    removed: bool
    before: Diary | None = None
    entry: Entry | None = None
    index: layout.Index | None = None


class _IdsIn:
    """The ids of a diary file's entries, asked one at a time by a byte search."""

    def __init__(self, data: bytes, block: tuple[int, int]) -> None:
        self._data, self._block = data, block

    def __contains__(self, entry_id: object) -> bool:
        return isinstance(entry_id, str) and layout.has_id(self._data, self._block, entry_id)


class Store:
    """The diary in `home`: `load` to read, `update` to change it (the only way to write)."""

    def __init__(self, home: Path, *, lock_timeout: float = LOCK_TIMEOUT) -> None:
        self.home = Path(home)
        self.path = self.home / DIARY_NAME
        self.lock_path = self.home / LOCK_NAME
        self.backup_dir = self.home / BACKUP_DIR
        # The sha256 of the bytes this rugcoach last wrote, after validating them. Derived
        # data: losing or damaging it only costs one full validation.
        self.seal_path = self.home / "cache" / SEAL_NAME
        self.lock_timeout = lock_timeout
        self.lock_waited = 0.0  # how long the last update waited for the lock (seconds)
        self._seal_known: tuple[bytes, bool] | None = None
        self._seal_index: layout.Index | None = None  # of the bytes in _seal_known

    # ---------------------------------------------------------------- reading

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
        """The diary, migrated to VERSION in memory. Takes no lock and writes nothing.

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
        block lies; None if they are not sealed or not laid out as `_dump` writes them."""
        if not self._sealed(data):
            return None
        index = self._seal_index
        block = layout.entry_block(data, index.length if index is not None else None)
        if block is None:
            return None
        with contextlib.suppress(ValueError):
            head = layout.head_of(data, block)
            if isinstance(head, dict) and head.get("version") == VERSION:
                wanted = layout.dates_in(window(head))  # type: ignore[arg-type]
                lines = layout.pick_lines(data, block, wanted, index)
                return layout.with_lines(data, block, lines), block
        return None

    def newest_valid_backup(self) -> Path | None:
        """The newest file in backups/ that is a diary this rugcoach can read."""
        for candidate in self._backups():
            try:
                _parse(candidate.read_bytes(), str(candidate))
            except (OSError, _Bad, _Newer):
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

    # ---------------------------------------------------------------- writing

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

        def prepare(data: bytes | None) -> _Prepared:
            current, old_version = (None, None) if data is None else self._parse_or_raise(data)
            new, new_data, removed = self._prepare(change, removing, current, data)
            return _Prepared(new, new_data, old_version, removed)

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
            entry = make(current, {e["id"] for e in current["entries"]})
            made.update(before=current, entry=entry)
            return {**current, "entries": [*current["entries"], entry]}

        def prepare(data: bytes | None) -> _Prepared:
            spliced = self._splice(data, make, window) if data is not None else None
            if spliced is not None:
                made.update(before=spliced.before, entry=spliced.entry)
                return spliced
            made.clear()
            current, old_version = (None, None) if data is None else self._parse_or_raise(data)
            new, new_data, removed = self._prepare(add, (), current, data)
            return _Prepared(new, new_data, old_version, removed)

        saved = self._commit(prepare).diary
        return made["before"], saved, made["entry"]

    def _splice(
        self,
        data: bytes,
        make: Callable[[Diary, Container[str]], Entry],
        window: Callable[[Diary], Sequence[tuple[str, str]]],
    ) -> _Prepared | None:
        """`append` on a sealed diary without parsing its old entries; None where it does
        not apply (then the whole diary is read and checked)."""
        found = self._window(data, window)
        if found is None:
            return None
        before, block = found
        entry = make(before, _IdsIn(data, block))
        if layout.has_id(data, block, entry["id"]):
            return None  # the full check refuses the duplicate and says so
        probe: Any = {**before, "entries": [entry]}
        try:
            diary_rules.check_diary(probe)
            line = layout.entry_lines(_dump(probe))
        except diary_rules.RuleError as exc:
            raise RugcoachError(t("storage.invalid_change", what=_bad_rule(exc).what)) from None
        except (KeyError, TypeError, ValueError, AttributeError, IndexError, RecursionError):
            return None  # the full check names what is wrong
        if line is None:
            return None
        whole = memoryview(data)  # one copy of megabytes, not three
        new_data = b"".join((whole[: block[1]], b",\n", line, whole[block[1] :]))
        index = self._seal_index
        after: Diary = {**before, "entries": [*before["entries"], entry]}
        return _Prepared(
            after,
            new_data,
            VERSION,
            False,
            before=before,
            entry=entry,
            index=index.appended(line) if index is not None else None,
        )

    def _commit(self, prepare: Callable[[bytes | None], _Prepared]) -> _Prepared:
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

    # ---------------------------------------------------------------- internals

    def _home_error(self, exc: OSError) -> RugcoachError:
        """The home folder itself is the problem: it is a file, or cannot be opened."""
        if isinstance(exc, NotADirectoryError):
            return RugcoachError(t("storage.home_not_folder", folder=self.home))
        return RugcoachError(t("storage.home_unreadable", folder=self.home, why=_why(exc)))

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
            return self._unreadable(_why(exc))
        if not stat.S_ISREG(info.st_mode):
            return self._unreadable(t("storage.what.not_a_file"))
        try:
            with open(self.path, "rb") as handle:
                return handle.read()
        except FileNotFoundError:
            return None
        except OSError as exc:
            return self._unreadable(_why(exc))

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
        sealed = seal.strip() == _seal(data)
        self._seal_known = (data, sealed)
        self._seal_index = layout.Index.parse(index) if sealed and index.strip() else None
        return sealed

    def _write_seal(self, data: bytes, index: layout.Index | None = None) -> None:
        """Best effort: a seal that is missing or stale only means a full validation, an
        index that is missing only a slower read.

        Runs under the lock, so temporary seal files found now were left by a killed writer.
        """
        self._remove_stale_temps(self.seal_path.parent, _SEAL_TEMP)
        if index is None:
            index = layout.Index.of(data)
        text = f"{_seal(data)}\n{index.text()}\n"
        with contextlib.suppress(OSError):
            make_dir(self.seal_path.parent)
            _replace_atomically(self.seal_path, text.encode("ascii"))
        self._seal_known = (data, True)
        self._seal_index = index

    def _parse_or_raise(self, data: bytes) -> tuple[Diary, int]:
        try:
            return _parse(data, str(self.path), sealed=self._sealed(data))
        except _Newer as newer:
            what = t("storage.what.newer", version=newer.version, known=VERSION)
            message = t("storage.newer", file=self.path, version=newer.version, known=VERSION)
            backup = self.newest_valid_backup()
            if backup is not None:
                message += " " + t("storage.backup_hint", backup=backup)
            raise BrokenDiary(message, self.path, what, backup) from None
        except _Bad as bad:
            backup = self.newest_valid_backup()
            if backup is None:
                message = t("storage.broken_no_backup", file=self.path, what=bad.what)
            else:
                message = t("storage.broken", file=self.path, what=bad.what, backup=backup)
            raise BrokenDiary(message, self.path, bad.what, backup) from None

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
        # ones it leaves as they were can be written as the very bytes read (see _appended).
        originals = None
        if current is not None and data is not None and self._sealed(data):
            originals = current["entries"]
            current = {**current, "entries": [_copy_entry(e) for e in originals]}
        proposed = change(current)
        try:
            if not isinstance(proposed, dict) or proposed.get("version") != VERSION:
                found = proposed.get("version") if isinstance(proposed, dict) else None
                raise _Bad(t("storage.what.wrong_version", found=found, known=VERSION))
            appended = _appended(proposed, originals, data)
            # `before` was taken before `change` ran: it may have changed `current` in place.
            new, new_data = appended or _check_change(proposed, data, len(before))
        except _Bad as bad:
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

    def _backups(self) -> list[Path]:
        """Every backup file, newest first."""
        try:
            names = os.listdir(self.backup_dir)
        except OSError:
            return []
        stamped = [(stamp, name) for name in names if (stamp := _backup_stamp(name))]
        stamped.sort(reverse=True)
        return [self.backup_dir / name for _, name in stamped]

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
            if old_version is not None and old_version < VERSION:
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
