"""Writing a file the person named (an export) so that it is whole or not there at all."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from rugcoach.errors import RugcoachError
from rugcoach.i18n import t

NEW_FILE_MODE = 0o600  # an export holds health data: only its owner reads it


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` only once `data` is safely on disk; on any failure the old file stays.

    A symlink is written through (the link stays a link); a file that is replaced keeps its
    permissions, a new one is private to its owner.
    """
    target = Path(os.path.realpath(path))
    folder = target.parent
    if not folder.is_dir():
        raise RugcoachError(t("error.no_folder", folder=str(path.parent)))
    if target.is_dir():
        raise RugcoachError(t("error.is_folder", file=str(path)))
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except OSError:
        mode = NEW_FILE_MODE
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise RugcoachError(t("error.cannot_write", file=str(path), why=_why(exc))) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        # Whatever stopped the write (a full disk, Ctrl-C), no half file is left behind.
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise RugcoachError(t("error.cannot_write", file=str(path), why=_why(exc))) from None
        raise
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable; a file system that cannot sync a folder is not an error."""
    if os.name == "nt":  # pragma: no cover - folders cannot be opened on Windows
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)
