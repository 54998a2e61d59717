"""Languages: which one the person reads, and the message catalogue for each.

All user-facing strings live in `en.py` and `nl.py` (one catalogue per language, same keys);
texts that belong to content (exercise names, warnings, tips) live in the YAML as {nl, en}.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from importlib import import_module
from typing import TYPE_CHECKING

from rugcoach.vocab import LANGS as LANGS  # re-exported: callers check a language here

if TYPE_CHECKING:
    from rugcoach.schema import Lang, Text

_state: dict[str, Lang] = {"lang": "en"}
_catalogues: dict[str, Mapping[str, str]] = {}


def detect(explicit: str | None = None, profile_lang: str | None = None) -> Lang:
    """--lang, then RUGCOACH_LANG, then the profile's language, then the locale, then English."""
    for candidate in (explicit, os.environ.get("RUGCOACH_LANG"), profile_lang):
        if candidate:
            lang = candidate.strip().lower()[:2]
            if lang in LANGS:
                return lang  # type: ignore[return-value]
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return "nl" if value.lower().startswith("nl") else "en"
    return "en"


_deferred: list[Callable[[], str | None]] = []


def set_language(lang: Lang) -> None:
    _state["lang"] = lang
    _deferred.clear()


def defer(resolver: Callable[[], str | None]) -> None:
    """Take the language from `resolver` (the profile's) the first time a text is needed.

    The profile lives in the diary; asking for it only when a message is rendered means a
    command that loads or writes the diary anyway does not parse it a second time first.
    A resolver that fails or gives no language leaves the language as it was.
    """
    _deferred[:] = [resolver]


def current() -> Lang:
    if _deferred:
        resolver = _deferred.pop()
        try:
            found = resolver()
        except Exception:  # a broken diary reports itself later, in a language we know
            found = None
        if found in LANGS:
            _state["lang"] = found  # type: ignore[assignment]
    return _state["lang"]


def catalogue(lang: Lang) -> Mapping[str, str]:
    if lang not in _catalogues:
        _catalogues[lang] = import_module(f"rugcoach.i18n.{lang}").MESSAGES
    return _catalogues[lang]


def t(key: str, /, **params: object) -> str:
    """The message `key` in the current language, with `params` filled in; a float reads
    with the language's decimal mark (`5,8` in Dutch, SPEC §15), whatever its format."""
    lang = current()
    text = catalogue(lang).get(key) or catalogue("en")[key]
    if not params:
        return text
    if lang == "nl":
        params = {k: _Comma(v) if type(v) is float else v for k, v in params.items()}
    return text.format(**params)


class _Comma(float):
    """A float that writes a decimal comma, in `{x}`, `{x:g}` and `{x:.1f}` alike."""

    __slots__ = ()

    def __format__(self, spec: str) -> str:
        return float.__format__(self, spec).replace(".", ",")

    def __str__(self) -> str:
        return float.__repr__(self).replace(".", ",")


def pick(text: Text) -> str:
    """The current language's version of a content text."""
    return text[current()]
