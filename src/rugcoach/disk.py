"""The disk steps every file rugcoach writes goes through, and the diary's lock (SPEC §6, §13).

- `replace_atomically`: a temporary file in the same folder, every byte written (a short
  write is continued, never dropped), fsync, `os.replace`; the folder fsync is the caller's.
- `fsync_dir`, `make_dir` (0700 whatever the umask), `why` (an OSError in a few words).
- `Lock`: an exclusive `flock` on the lock file that the writer waits for *in the kernel*,
  so writers queue and the lock goes to a waiter the moment it is free. (filelock polls:
  between two polls another writer grabs it, and under load some writers starve.) The
  wait is bounded with a one-shot interval timer whose signal interrupts the `flock` call;
  the kernel drops the lock when its process dies, so a killed writer never leaves it held.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import sys
import threading
import time
from pathlib import Path
from types import FrameType, TracebackType

FILE_MODE = 0o600
DIR_MODE = 0o700
# errno values with which a file system says it cannot fsync a folder at all (not a failure).
_NO_DIR_FSYNC = {errno.EINVAL, errno.EBADF, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EISDIR}


def why(exc: OSError) -> str:
    """What went wrong, in the system's words ("No space left on device")."""
    return exc.strerror or str(exc)


def fsync(fd: int) -> None:
    if sys.platform == "darwin":  # pragma: no cover - fsync alone does not reach the platter
        import fcntl

        with contextlib.suppress(OSError):
            fcntl.fcntl(fd, fcntl.F_FULLFSYNC)
            return
    os.fsync(fd)


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable. A file system that cannot do this is not an error."""
    if os.name == "nt":  # pragma: no cover - folders cannot be opened on Windows
        return
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in _NO_DIR_FSYNC:
            raise
    finally:
        os.close(fd)


def chmod(path: Path, mode: int) -> None:
    # Best effort: some file systems (FAT, some network mounts) cannot store modes.
    with contextlib.suppress(OSError):
        if (path.stat().st_mode & 0o777) != mode:
            os.chmod(path, mode)


def write_all(fd: int, data: bytes) -> None:
    """Every byte of `data` to `fd`: `os.write` may write fewer bytes than asked (a nearly
    full disk, a signal); the rest is written by the next call, never dropped."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:  # pragma: no cover - os.write raises rather than write nothing
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        view = view[written:]


def _token() -> str:
    import secrets  # ~7 ms: only writes need it

    return secrets.token_hex(4)


def temp_name(target: Path) -> Path:
    """A temporary file next to `target` (".diary.json.1a2b3c4d.tmp")."""
    return target.with_name(f".{target.name}.{_token()}.tmp")


def replace_atomically(target: Path, data: bytes, mode: int = FILE_MODE) -> None:
    """`target` holds exactly `data`, or (on OSError) is as it was and no temp file is left.

    `target` itself is replaced, never written through: a symlink there is replaced by the
    new file (callers that mean to write through a link resolve it first). The folder is not
    fsynced here; the caller does that.
    """
    temp = temp_name(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(temp, flags, mode)
    try:
        try:
            if hasattr(os, "fchmod"):
                # os.open's mode is cut by the umask; this sets it exactly.
                with contextlib.suppress(PermissionError):
                    os.fchmod(fd, mode)
            write_all(fd, data)
            fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def make_dir(folder: Path) -> list[Path]:
    """Create `folder` and any missing parents, each 0700 whatever the umask; the folders
    created now, outermost first (so that a failed first save can remove them again)."""
    missing: list[Path] = []
    probe = folder
    while not probe.is_dir():
        # Asked again: another rugcoach may have made it since (twenty first writers).
        if os.path.lexists(probe) and not probe.is_dir():
            raise FileExistsError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(probe))
        if os.path.lexists(probe):
            break
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    created: list[Path] = []
    try:
        for path in reversed(missing):
            try:
                os.mkdir(path, DIR_MODE)
            except FileExistsError:
                if not path.is_dir():
                    raise
                continue
            created.append(path)
            chmod(path, DIR_MODE)
    except OSError:
        remove_dirs(created)
        raise
    return created


def remove_dirs(created: list[Path]) -> None:
    """Undo `make_dir`: remove the folders it created (innermost first), if still empty."""
    for path in reversed(created):
        with contextlib.suppress(OSError):
            os.rmdir(path)


def is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


# ---------------------------------------------------------------------------------- lock


class LockTimeout(Exception):
    """The lock was not free within the timeout."""


class Lock:
    """An exclusive lock on `path` (created 0600 if missing), waited for up to `timeout` s.

    `waited` holds how long the last `acquire` waited (the benchmark reports it).
    """

    def __init__(self, path: Path, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        self.waited = 0.0
        self._fd: int | None = None

    def acquire(self) -> None:
        started = time.monotonic()
        deadline = started + self.timeout
        while True:
            fd = self._lock_once(max(deadline - time.monotonic(), 0.0))
            # The lock file may have been removed while this writer waited (a first save
            # that failed removes it): a lock on a removed file locks nothing. Try again.
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(self.path))
            except FileNotFoundError:
                same = False
            except BaseException:
                os.close(fd)
                raise
            if same:
                break
            os.close(fd)
        self.waited = time.monotonic() - started
        self._fd = fd

    def _lock_once(self, timeout: float) -> int:
        import fcntl

        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(self.path, flags, FILE_MODE)
        try:
            with contextlib.suppress(OSError):
                if stat.S_IMODE(os.fstat(fd).st_mode) != FILE_MODE:
                    os.fchmod(fd, FILE_MODE)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if timeout <= 0:
                    raise LockTimeout from None
                _wait_for(fd, timeout)
        except BaseException:
            os.close(fd)
            raise
        return fd

    def release(self) -> None:
        if self._fd is not None:
            # Closing the file drops the flock; nothing to unlink (another writer may be
            # waiting on this very file).
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> Lock:
        self.acquire()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


class _Expired(Exception):
    pass


def _wait_for(fd: int, timeout: float) -> None:
    """A blocking `flock`, given up after `timeout` seconds (LockTimeout)."""
    import fcntl

    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        # Signals reach only the main thread: elsewhere, wait in short steps instead.
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeout from None
                time.sleep(0.005)

    def expire(signum: int, frame: FrameType | None) -> None:
        raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    try:
        # The timer's signal interrupts the flock system call; the handler's exception
        # stops Python from simply retrying it (PEP 475).
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Expired:
        raise LockTimeout from None
    finally:
        signal.signal(signal.SIGALRM, previous)
