"""Writing a file the person named (an export): whole or not at all, and safely (SPEC §13).

An export holds health data and may be aimed at a shared folder where someone else can
plant a file. So the file named is:

- never followed if it is a symbolic link (refused): a link planted at `shared/report.html`
  would send the report to the attacker's folder, a link to `~/.profile` would replace it.
  The new file is written next to it (opened with O_EXCL | O_NOFOLLOW) and renamed over
  the name, and a rename replaces a link rather than following it, so a link put there
  after the check cannot redirect the write either;
- never a file of another user (refused), nor anything but a regular file;
- created 0600, whatever the mode of what it replaces and whatever the umask;
- never a file rugcoach reads (`reads_it`): the diary, its lock, backups and cache, sync
  conflict copies, the content and programme files, whether they exist yet or not.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from rugcoach import disk
from rugcoach.errors import RugcoachError
from rugcoach.i18n import t

NEW_FILE_MODE = 0o600  # an export holds health data: only its owner reads it
# The files rugcoach reads from the home and the config folder (content.KINDS, and the
# therapist's programme), by name.
READ_NAMES = ("phases.yaml", "exercises.yaml", "coaching.yaml", "programme.yaml")


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` only once it is safely on disk; on any failure (or a refusal,
    RugcoachError) the old file stays as it was and no temporary file is left."""
    shown = str(path)
    folder = Path(os.path.abspath(path)).parent
    if not folder.is_dir():
        raise RugcoachError(t("error.no_folder", folder=str(path.parent)))
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise RugcoachError(t("error.cannot_write", file=shown, why=disk.why(exc))) from None
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            raise RugcoachError(t("export.unsafe_target", file=shown))
        if stat.S_ISDIR(info.st_mode):
            raise RugcoachError(t("error.is_folder", file=shown))
        if not stat.S_ISREG(info.st_mode):
            raise RugcoachError(t("export.not_a_file", file=shown))
        if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
            raise RugcoachError(t("export.not_yours", file=shown))
    target = folder / path.name
    try:
        disk.replace_atomically(target, data, NEW_FILE_MODE)
    except OSError as exc:
        raise RugcoachError(t("error.cannot_write", file=shown, why=disk.why(exc))) from None
    try:
        disk.fsync_dir(folder)
    except OSError as exc:
        # The export is complete and in place; only its durability is in doubt.
        raise RugcoachError(t("error.cannot_write", file=shown, why=disk.why(exc))) from None


def reads_it(
    path: Path, home: Path, config_dirs: Iterable[Path], diary: Path, cache: Path
) -> str | None:
    """Whether `path` is (or would be) a file rugcoach reads: "diary" for the diary's own
    files, "read" for the others, None if it is not one.

    Folders are compared by their real path, names as given (a link there is refused by
    `write_atomic` anyway): the diary (`diary*.json`: the diary and every sync conflict copy
    of it, in the home and in the folder the diary really is in), the lock, anything in
    backups/ or the cache, and the content and programme files of the home and config dirs.
    """
    folder = os.path.realpath(os.path.abspath(path.parent))
    name = path.name
    lower = name.casefold()
    diary_folders = {os.path.realpath(home), os.path.dirname(os.path.realpath(diary))}
    own = (diary.name, os.path.basename(os.path.realpath(diary)))
    if folder in diary_folders and name.startswith(own):
        return "diary"  # the diary (also where a link at its name points), its lock
    backups = os.path.realpath(home / "backups")
    if folder == backups or folder.startswith(backups + os.sep):
        return "diary"
    if folder in diary_folders and lower.startswith("diary") and lower.endswith(".json"):
        return "read"  # a sync conflict copy, which `import` merges
    for inside in {os.path.realpath(home / "cache"), os.path.realpath(cache)}:
        if folder == inside or folder.startswith(inside + os.sep):
            return "read"
    content_folders = {os.path.realpath(home), *(os.path.realpath(d) for d in config_dirs)}
    return "read" if folder in content_folders and lower in READ_NAMES else None
