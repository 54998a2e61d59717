"""Every test runs with RUGCOACH_HOME in a temporary folder, a fixed width and no colour.

Tests never touch the real user folders: the autouse fixture below points RUGCOACH_HOME
(and the locale variables) at the test's own tmp dir; before any test (module-scoped
fixtures, collection) it points at a folder of the run's own.
"""

from __future__ import annotations

import atexit
import copy
import os
import shutil
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

# Set before rugcoach is imported, so that nothing a test module does outside a test (a
# module-scoped fixture loading the content, say) reads or writes the real user folders.
_RUN_HOME = tempfile.mkdtemp(prefix="rugcoach-tests-")
os.environ["RUGCOACH_HOME"] = os.path.join(_RUN_HOME, "home")
atexit.register(shutil.rmtree, _RUN_HOME, ignore_errors=True)

from rugcoach import i18n  # noqa: E402
from rugcoach.cli import shell  # noqa: E402
from rugcoach.cli.shell import register  # noqa: E402
from rugcoach.content import load as content  # noqa: E402

# The clock every in-process command sees: fixed, so that a run crossing midnight (or on
# any other day) sees the same "today" as the diaries its tests build.
NOW = datetime(2026, 11, 30, 10, 30).astimezone()
TODAY: date = NOW.date()

# Every command on `app` for the in-process CLI tests (the console script loads only the
# module of the command it runs).
register()


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shell, "clock", lambda: NOW)


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "home"
    monkeypatch.setenv("RUGCOACH_HOME", str(folder))
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("LANG", "C.UTF-8")
    for var in ("RUGCOACH_LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE", "RUGCOACH_DEBUG"):
        monkeypatch.delenv(var, raising=False)
    i18n.set_language("en")
    yield folder
    i18n.set_language("en")


_packaged: dict[str, Any] = {}


@pytest.fixture
def fast_content(monkeypatch: pytest.MonkeyPatch) -> None:
    """The packaged content parsed once per test run, not once per command (opt-in: a test
    of a person's own content files must not use it, since it ignores them)."""
    real_load = content.load

    def load(files: Any = None, **kwargs: Any) -> Any:
        if files is not None:
            return real_load(files, **kwargs)
        if "content" not in _packaged:
            _packaged["content"] = real_load()
        return copy.deepcopy(_packaged["content"])

    monkeypatch.setattr(content, "load", load)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes: a refused command must leave this unchanged."""
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }
