"""Shared bits of the storage tests (tests/test_storage*.py)."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parent.parent
SRC = TESTS.parent / "src"
GOLDEN_V1 = TESTS / "data" / "diary-v1.json"
GOLDEN_V2 = TESTS / "data" / "diary-v2.json"
GOLDEN_V3 = TESTS / "data" / "diary-v3.json"
WRITER = TESTS / "helpers" / "storage_writer.py"
TEMP = re.compile(r"\..*\.tmp")


def snapshot(folder: Path) -> dict[str, Any]:
    """Every file and folder under `folder`: files with their bytes, folders as None.

    Symlinks are recorded as their target. A refused or failed update must leave this as it was.
    """
    if not os.path.lexists(folder):
        return {}
    out: dict[str, Any] = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if path.is_symlink():
            out[name] = ("link", os.readlink(path))
        elif path.is_dir():
            out[name] = None
        else:
            out[name] = path.read_bytes()
    return out


def temp_files(folder: Path) -> list[str]:
    """Temporary files left anywhere under `folder`."""
    if not folder.exists():
        return []
    return sorted(str(p) for p in folder.rglob("*") if TEMP.fullmatch(p.name))


def subprocess_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("RUGCOACH_DEBUG", None)
    return env


PYTHON = sys.executable
