"""What one command works on: the diary's store, the content and the diary, each loaded at
most once and only when asked for (`Runtime`), and the one of the command that runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rugcoach.errors import RugcoachError
from rugcoach.i18n import t

if TYPE_CHECKING:
    from rugcoach.diary.store import Store
    from rugcoach.schema import Content, Diary, Entry


class Runtime:
    """What one command works on, each part loaded at most once and only when asked for."""

    def __init__(self) -> None:
        self._store: Store | None = None
        self._content: Content | None = None
        self._diary: Diary | None = None
        self._diary_loaded = False
        self._partial: Diary | None = None

    def store(self) -> Store:
        if self._store is None:
            from rugcoach import paths
            from rugcoach.diary.store import Store

            self._store = Store(paths.home())
        return self._store

    def content(self) -> Content:
        if self._content is None:
            from rugcoach.content import load as content

            self._content = content.load()
        return self._content

    def diary(self) -> Diary | None:
        """The diary, or None before `init`; a broken diary stops the command (exit 1)."""
        if not self._diary_loaded:
            store = self.store()
            self._diary = store.load() if store.exists() else None
            self._diary_loaded = True
        return self._diary

    def diary_window(self, window: Any) -> Diary | None:
        """The diary with only the entries in the spans `window` gives (Store.load_window),
        or None before `init`: for a view that looks at no others. Its profile stands in
        for the whole diary's (the language) unless the whole diary is loaded too."""
        if self._diary_loaded:
            return self._diary
        store = self.store()
        partial = store.load_window(window) if store.exists() else None
        self._partial = partial
        return partial

    def update(self, change: Any, *, removing: Any = ()) -> Diary:
        """`Store.update`, remembering the diary it saved: that is what is on disk now, so
        nothing after the write (its messages in the profile's language) reads it again."""
        self._diary = self.store().update(change, removing=removing)
        self._diary_loaded = True
        return self._diary

    def append(self, make: Any, window: Any) -> tuple[Diary, Diary, Entry]:
        """`Store.append`: the diary before and after (the entries in `window`, those
        with a warning sign) and the entry. The diary after stands for the profile (its
        language) from now on."""
        before, after, entry = self.store().append(make, window)
        self._diary, self._diary_loaded, self._partial = None, False, after
        return before, after, entry

    def report_conflicts(self) -> None:
        """Name the copies a sync program left next to the diary (they are never touched)."""
        copies = self.store().conflict_copies()
        if copies:
            from rugcoach.term.output import say

            say(t("diary.conflicts", files=", ".join(p.name for p in copies)))

    def profile_language(self) -> str | None:
        try:
            diary = self._partial if self._partial is not None else self.diary()
        except RugcoachError:
            return None  # the command itself will report the broken diary
        return diary["profile"]["language"] if diary else None


_runtime: dict[str, Runtime] = {}


def runtime() -> Runtime:
    """The Runtime of the command that runs."""
    return _runtime.setdefault("current", Runtime())


def start() -> Runtime:
    """A new Runtime for the command about to run (the global options start it)."""
    _runtime["current"] = rt = Runtime()
    return rt


def required(current: Diary | None) -> Diary:
    """The diary a command needs; before `init`, the error that there is none yet."""
    if current is None:
        raise RugcoachError(t("error.no_diary"))
    return current
