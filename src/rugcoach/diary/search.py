"""Finding diary entries by a word (`rugcoach history --search`), as pure functions.

A search matches an entry whose note, exercises (done, too hard, too easy) or warning
signs contain the text, ignoring letter case, accents, and spaces versus hyphens
(`prompts.normalise`). Exercises and signs are matched by their id and by their names in
either language, and signs by their aliases, so `koorts` finds an entry with `fever`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from rugcoach.content.signs import words_of
from rugcoach.words import normalise

if TYPE_CHECKING:
    from rugcoach.schema import Content, Entry


def words(content: Content) -> dict[str, tuple[str, ...]]:
    """Each exercise and sign id with the folded words it can be found by."""
    out: dict[str, tuple[str, ...]] = {}
    for ex in content["exercises"]["exercises"]:
        names = (ex["id"], ex["name"]["nl"], ex["name"]["en"])
        out[ex["id"]] = tuple(normalise(w) for w in names)
    for sign in content["coaching"]["symptoms"]:
        out[sign["id"]] = tuple(normalise(w) for w in words_of(sign))
    return out


def matches(entry: Entry, needle: str, known: Mapping[str, Iterable[str]]) -> bool:
    """Whether `entry` holds `needle` (already folded with `normalise`)."""
    if entry["note"] and needle in normalise(entry["note"]):
        return True
    for item in (*entry["done"], *entry["hard"], *entry["easy"], *entry["symptoms"]):
        for word in known.get(item, (normalise(item),)):
            if needle in word:
                return True
    return False


def search(entries: Sequence[Entry], text: str, content: Content) -> list[Entry]:
    needle = normalise(text)
    known = words(content)
    return [e for e in entries if matches(e, needle, known)]
