"""Where rugcoach's files live. RUGCOACH_HOME, when set, holds everything (tests rely on it)."""

from __future__ import annotations

import os
from pathlib import Path

APP = "rugcoach"
# The diary file in the home (diary.store writes it; the content cache waits for it).
DIARY_NAME = "diary.json"


def home() -> Path:
    """The folder holding the diary, its backups and lock, and the content cache."""
    env = os.environ.get("RUGCOACH_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir  # not needed when RUGCOACH_HOME is set

    return Path(user_data_dir(APP, appauthor=False))


def config_dirs() -> list[Path]:
    """Folders searched for a person's own content files, first match wins."""
    env = os.environ.get("RUGCOACH_HOME")
    if env:
        # With RUGCOACH_HOME set nothing outside it is read or written (SPEC §3).
        return [Path(env).expanduser()]
    from platformdirs import user_config_dir

    return [Path(user_config_dir(APP, appauthor=False))]


def cache_dir() -> Path:
    """Derived data that can always be rebuilt (the validated content)."""
    env = os.environ.get("RUGCOACH_HOME")
    if env:
        return Path(env).expanduser() / "cache"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP, appauthor=False))


def packaged_data() -> Path:
    """The content shipped with rugcoach.

    A wheel carries it as rugcoach/data; an editable install or a source checkout runs from
    src/rugcoach, so the repository's top-level data/ is used instead.
    """
    here = Path(__file__).resolve().parent
    inside = here / "data"
    if inside.is_dir():
        return inside
    return here.parent.parent / "data"
