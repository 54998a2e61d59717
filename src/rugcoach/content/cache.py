"""A small cache of derived data (the validated content), trusted only when it proves itself.

Each entry is one file: a header line `rugcoach-cache <key> <sha256 of the payload>` and the
JSON payload. It is used only when the key matches what the caller computed from its
sources *and* the payload hashes to the digest; anything else (stale, truncated, edited,
unreadable) is ignored and rebuilt.

Writes are deferred: `remember` queues them and `flush` (called by the CLI only after a
command succeeded) writes them, because a refused command must not create any file
(SPEC §3). Failing to write a cache is never an error: it is only a cache.
"""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path
from typing import Any

from rugcoach import paths

MAGIC = b"rugcoach-cache"


def checksum(data: bytes) -> str:
    """Size, CRC-32 and Adler-32 of `data`: two independent 32-bit checks against accidental
    damage and stale files (not against forgery: these are the person's own files). zlib is
    loaded at start-up anyway; hashlib would cost ~5 ms to load OpenSSL."""
    return f"{len(data):x}-{zlib.crc32(data):08x}-{zlib.adler32(data):08x}"


_pending: dict[Path, bytes] = {}


def location(name: str) -> Path:
    return paths.cache_dir() / f"{name}.json"


def read(name: str, key: str) -> Any | None:
    path = location(name)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    header, _, payload = data.partition(b"\n")
    parts = header.split(b" ")
    if len(parts) != 3 or parts[0] != MAGIC or parts[1].decode("ascii", "replace") != key:
        return None
    if checksum(payload).encode() != parts[2]:
        return None
    try:
        return json.loads(payload)
    except ValueError:
        return None


def remember(name: str, key: str, value: Any) -> None:
    payload = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    digest = checksum(payload)
    _pending[location(name)] = b"%s %s %s\n%s" % (MAGIC, key.encode(), digest.encode(), payload)


def discard() -> None:
    _pending.clear()


def flush() -> None:
    """Write what was queued; silently give up on any error.

    Only once there is a diary: before its first save nothing may be created, not even a
    folder to cache into (SPEC §13). Folders made now are 0700 and files 0600.
    """
    import tempfile

    from rugcoach.diary.disk import make_dir

    if not os.path.lexists(paths.home() / paths.DIARY_NAME):
        _pending.clear()
        return
    while _pending:
        path, data = _pending.popitem()
        try:
            make_dir(path.parent)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".cache.", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.replace(tmp, path)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        except OSError:
            continue
