"""Folding typed words so that the same word matches however it was typed (SPEC §10, §15).

Standard library only: used on the `log` path and by every prompt.
"""

from __future__ import annotations

import unicodedata

# Everything that separates words in a typed id or phrase counts the same as a hyphen.
_SEPARATORS = ("_", " ", "\t", "\u00a0", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "/")


def normalise(word: str) -> str:
    """Lower case, accents off, spaces, hyphens and underscores alike: `Beide benen`,
    `beide-benen` and `béide_benen` all give `beide-benen`."""
    decomposed = unicodedata.normalize("NFKD", word.strip().lower())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    for separator in _SEPARATORS:
        bare = bare.replace(separator, "-")
    bare = bare.replace("'", "").replace("\u2019", "")
    while "--" in bare:
        bare = bare.replace("--", "-")
    return bare.strip("-.,;:!?")


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of two neighbours is one edit), or
    `limit + 1` as soon as it is certain to exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], previous2[j - 2] + 1)
        if min(row) > limit:
            return limit + 1
        previous2, previous = previous, row
    return previous[-1]
